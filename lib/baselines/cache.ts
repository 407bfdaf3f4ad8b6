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
  if (typeof b.predicted !== "string" || !/^[0-9]*$/.test(b.predicted) || b.predicted.length !== labels.length) return `it does not hold one predicted digit for each of the ${labels.length} test images`;
  let correct = 0;
  for (let s = 0; s < labels.length; s++) if (Number(b.predicted[s]) === labels[s]) correct++;
  if (b.testAccuracy !== correct / labels.length) return `its testAccuracy ${b.testAccuracy} is not the accuracy of its predictions (${correct / labels.length})`;
  if (typeof b.trainSeconds !== "number" || !(b.trainSeconds >= 0) || typeof b.library !== "string") return "trainSeconds or library is missing";
  return null;
}

/** false: use a current cached result, else train; true: always train; "never": cached or an error (read-only uses). */
export type Retrain = boolean | "never";

/**
 * The cached result in `dir` when it was made with these settings on this data and checks out
 * against the test labels; otherwise trained (and cached). A file that fails the check is named
 * in the progress line, then replaced.
 */
export async function cachedBaseline(
  dir: string, name: string, library: string, settings: Record<string, unknown>, dataChecksum: string, retrain: Retrain, labels: Uint8Array,
  train: () => Promise<{ predicted: Uint8Array; labels: Uint8Array; seconds?: number; notes?: Record<string, unknown> }>,
  progress: (text: string) => void = () => undefined,
): Promise<BaselineResult> {
  const path = join(dir, `${name}.json`);
  if (retrain !== true && existsSync(path)) {
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
  if (retrain === "never") throw new InputError(`${path} holds no current result for ${name} (settings and data as now): compute it first (npm run report, or RETRAIN = true in notebook 03-testing).`);
  const started = Date.now();
  const out = await train();
  const trainSeconds = out.seconds ?? (Date.now() - started) / 1000; // a resumed run counts its parts
  let correct = 0;
  for (let s = 0; s < out.labels.length; s++) if (out.predicted[s] === out.labels[s]) correct++;
  const result: BaselineResult = {
    name, library, settings, dataChecksum, trainSeconds, testAccuracy: correct / out.labels.length,
    predicted: Array.from(out.predicted).join(""), notes: out.notes ?? {}, software: software(),
  };
  writeFileAtomic(path, JSON.stringify(result, null, 1) + "\n");
  return result;
}

/** A cached result's predictions, one class per test image. */
export function predictionsOf(r: BaselineResult): Uint8Array {
  return Uint8Array.from(r.predicted, (c) => Number(c));
}
