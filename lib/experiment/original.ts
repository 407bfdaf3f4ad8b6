/**
 * The original run's per-epoch record (data/original/train_record.txt): for each of its 27
 * configs, 200 lines "epoch: e loss: L accuracy: A" (measured before each epoch's updates, on
 * what it calls validation data but is in fact the 10,000-image test set) and a best accuracy.
 */
import { readFileSync } from "fs";
import { InputError } from "../common/errors";
import { GridPoint, samePoint } from "./grid";

export interface OriginalRun {
  h: number;
  lr: number;
  lambda: number;
  epoch: number[];
  loss: number[];
  accuracy: number[];
  // the LAST epoch reaching the maximum, as its Table 1 reports (165 and 166 tie: 166)
  best: { accuracy: number; epoch: number };
}

export const ORIGINAL_RECORD = "data/original/train_record.txt";

export function parseOriginalRecord(text: string, name = ORIGINAL_RECORD): OriginalRun[] {
  const runs: OriginalRun[] = [];
  let run: OriginalRun | null = null;
  text.split("\n").forEach((line, i) => {
    const header = /^Tuning Parameters \(h1,v,lam\): \((\d+), ([\d.e-]+), ([\d.e-]+)\)/.exec(line);
    const row = /^epoch: (\d+) loss: ([-\d.e+]+|nan|inf) accuracy: ([\d.]+)/.exec(line);
    if (header) {
      run = {
        h: Number(header[1]),
        lr: Number(header[2]),
        lambda: Number(header[3]),
        epoch: [],
        loss: [],
        accuracy: [],
        best: { accuracy: 0, epoch: 0 },
      };
      runs.push(run);
    } else if (row) {
      if (!run) throw new InputError(`${name} line ${i + 1} has an epoch before any "Tuning Parameters" header.`);
      run.epoch.push(Number(row[1]));
      run.loss.push(Number(row[2]));
      run.accuracy.push(Number(row[3]));
    }
  });
  if (runs.length === 0)
    throw new InputError(`${name} holds no "Tuning Parameters" section; expected the original's train_record.txt.`);
  for (const r of runs as OriginalRun[]) {
    let b = 0;
    for (let e = 1; e < r.accuracy.length; e++) if (r.accuracy[e] >= r.accuracy[b]) b = e;
    r.best = { accuracy: r.accuracy[b], epoch: r.epoch[b] };
  }
  return runs;
}

/** The size of the set the original measured its accuracies on (its test set, which it called validation data). */
export const ORIGINAL_EVAL_N = 10_000;

/** The original's configs ranked as it ranked them, by best accuracy (ties kept in the record's order). */
export function rankOriginal(original: OriginalRun[]): OriginalRun[] {
  return [...original].sort((a, b) => b.best.accuracy - a.best.accuracy);
}

/** The rank the original gave a config (1: its choice), or NaN for a config it did not run. */
export function originalRank(original: OriginalRun[], point: GridPoint): number {
  return rankOriginal(original).findIndex((o) => samePoint(o, point)) + 1 || NaN;
}

/** The original's chosen config: the best of its ranking. */
export function originalChoice(original: OriginalRun[]): OriginalRun {
  return rankOriginal(original)[0];
}

/**
 * The original's reported test accuracies (its Table 2): its MLP, its PyTorch MLP, logistic
 * regression, random forest of depth 5.
 */
export const ORIGINAL_TABLE2 = { mlp: 0.967, pytorchMlp: 0.967, logReg: 0.923, forestDepth5: 0.867 } as const;

export function loadOriginalRecord(path = ORIGINAL_RECORD): OriginalRun[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(`cannot read ${path}: the original's record is missing.`);
  }
  return parseOriginalRecord(text, path);
}
