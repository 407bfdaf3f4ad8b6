/**
 * Baseline results cached in data/baselines/: each baseline's test-set predictions, accuracy and
 * training time, with what produced them (settings, seed, data checksum, versions), written
 * atomically. Rereading the testing notebook is then instant; `retrain` recomputes.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { isDeepStrictEqual } from "util";
import { writeFileAtomic } from "../atomic";
import { software } from "../provenance";

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

export async function cachedBaseline(
  dir: string, name: string, library: string, settings: Record<string, unknown>, dataChecksum: string, retrain: boolean,
  train: () => Promise<{ predicted: Uint8Array; labels: Uint8Array; notes?: Record<string, unknown> }>,
): Promise<BaselineResult> {
  const path = join(dir, `${name}.json`);
  if (!retrain && existsSync(path)) {
    try {
      const r = JSON.parse(readFileSync(path, "utf8")) as BaselineResult;
      if (isDeepStrictEqual(r.settings, settings) && r.dataChecksum === dataChecksum && r.predicted.length > 0) return r;
    } catch {
      // unreadable: retrain
    }
  }
  const started = Date.now();
  const out = await train();
  const trainSeconds = (Date.now() - started) / 1000;
  let correct = 0;
  for (let s = 0; s < out.labels.length; s++) if (out.predicted[s] === out.labels[s]) correct++;
  const result: BaselineResult = {
    name, library, settings, dataChecksum, trainSeconds, testAccuracy: correct / out.labels.length,
    predicted: Array.from(out.predicted).join(""), notes: out.notes ?? {}, software: software(),
  };
  writeFileAtomic(path, JSON.stringify(result, null, 1) + "\n");
  return result;
}

export function predictionsOf(r: BaselineResult): Uint8Array {
  return Uint8Array.from(r.predicted, (c) => Number(c));
}
