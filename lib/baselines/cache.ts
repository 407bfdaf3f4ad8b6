/**
 * Baseline results cached in data/baselines/: each baseline's test-set predictions, accuracy and
 * training time, with what produced them (settings, seed, data checksum, versions), written
 * atomically. Rereading the testing notebook is then instant; `retrain` recomputes.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { isDeepStrictEqual } from "util";
import { writeFileAtomic } from "../common/atomic";
import { software } from "../common/provenance";
import { InputError } from "../common/errors";

export interface BaselineResult {
  name: string;
  library: string; // what trained it
  settings: Record<string, unknown>; // everything that determines the result (with the seed)
  dataChecksum: string;
  trainSeconds: number; // training, plus predicting the test set (a second or less)
  testAccuracy: number;
  predicted: string; // one digit per test image
  notes: Record<string, unknown>;
  software: Record<string, string>;
}

/** Why a cached result is not a valid result on these test labels, or null when it is. */
export function baselineProblem(r: unknown, labels: Uint8Array): string | null {
  if (typeof r !== "object" || r === null) return "not a JSON object";
  const b = r as Partial<BaselineResult>;
  if (typeof b.predicted !== "string" || !/^[0-9]*$/.test(b.predicted) || b.predicted.length !== labels.length)
    return `it does not hold one predicted digit for each of the ${labels.length} test images`;
  const accuracy = accuracyOf(predictionsOf(b as BaselineResult), labels);
  if (b.testAccuracy !== accuracy)
    return `its testAccuracy ${b.testAccuracy} is not the accuracy of its predictions (${accuracy})`;
  if (typeof b.trainSeconds !== "number" || !(b.trainSeconds >= 0) || typeof b.library !== "string")
    return "trainSeconds or library is missing";
  return null;
}

/**
 * How a cache is used: "reuse" a current result, else train; "retrain" always; "readOnly": a
 * current result or an error.
 */
export type CacheUse = "reuse" | "retrain" | "readOnly";

/**
 * The cached result in `dir` when it was made with these settings on this data and checks out
 * against the test labels; otherwise trained (and cached). A file that fails the check is named
 * in the progress line, then replaced.
 */
export async function cachedBaseline(
  dir: string,
  name: string,
  library: string,
  settings: Record<string, unknown>,
  dataChecksum: string,
  use: CacheUse,
  labels: Uint8Array,
  train: () => Promise<{
    predicted: Uint8Array;
    labels: Uint8Array;
    seconds?: number;
    notes?: Record<string, unknown>;
  }>,
  progress: (text: string) => void = () => undefined,
): Promise<BaselineResult> {
  const path = join(dir, `${name}.json`);
  if (use !== "retrain" && existsSync(path)) {
    let r: BaselineResult | null = null;
    try {
      r = JSON.parse(readFileSync(path, "utf8")) as BaselineResult;
    } catch {
      progress(`${path} is not JSON: retraining ${name}`);
    }
    const problem = r && baselineProblem(r, labels);
    if (r && problem) progress(`${path} is not a valid baseline result (${problem}): retraining ${name}`);
    else if (r && isDeepStrictEqual(r.settings, settings) && r.dataChecksum === dataChecksum) return r;
  }
  if (use === "readOnly")
    throw new InputError(
      `${path} holds no current result for ${name} (settings and data as now): compute it first (npm run report, or ` +
        `RETRAIN = true in notebook 03-testing).`,
    );
  const started = Date.now();
  const out = await train();
  const trainSeconds = out.seconds ?? (Date.now() - started) / 1000; // a resumed run counts its parts
  const result: BaselineResult = {
    name,
    library,
    settings,
    dataChecksum,
    trainSeconds,
    testAccuracy: accuracyOf(out.predicted, out.labels),
    predicted: Array.from(out.predicted).join(""),
    notes: out.notes ?? {},
    software: software(),
  };
  writeFileAtomic(path, JSON.stringify(result, null, 1) + "\n");
  return result;
}

/** The share of `predicted` equal to `labels`. */
export function accuracyOf(predicted: Uint8Array, labels: Uint8Array): number {
  let correct = 0;
  for (let s = 0; s < labels.length; s++) if (predicted[s] === labels[s]) correct++;
  return correct / labels.length;
}

/** A cached result's predictions, one class per test image. */
export function predictionsOf(r: BaselineResult): Uint8Array {
  return Uint8Array.from(r.predicted, (c) => Number(c));
}
