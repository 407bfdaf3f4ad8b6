/** The seeded 4:1 train/validation split, subsets, and class counts. */
import { makeRng, permutation } from "../common/rng";
import { CLASSES, INPUT, LabelledSet } from "./shapes";

/** Rows `idx` of a set, as a new set. */
export function subset(set: LabelledSet, idx: ArrayLike<number>): LabelledSet {
  const pixels = new Uint8Array(idx.length * INPUT);
  const labels = new Uint8Array(idx.length);
  for (let r = 0; r < idx.length; r++) {
    pixels.set(set.pixels.subarray(idx[r] * INPUT, (idx[r] + 1) * INPUT), r * INPUT);
    labels[r] = set.labels[idx[r]];
  }
  return { n: idx.length, pixels, labels };
}

/** The seeded 4:1 train/validation split of a training set (the same for every config of a seed). */
export function splitTrainValidation(
  set: LabelledSet,
  seed: number | string,
): { train: LabelledSet; val: LabelledSet } {
  const rows = splitRows(set.n, seed);
  return { train: subset(set, rows.train), val: subset(set, rows.val) };
}

/** Which rows of a set of n go to training and which to validation (4:1, seeded). */
export function splitRows(n: number, seed: number | string): { train: Uint32Array; val: Uint32Array } {
  const order = permutation(n, makeRng(seed, "split"));
  const nVal = Math.floor(n / 5);
  return { train: order.subarray(0, n - nVal), val: order.subarray(n - nVal) };
}

/** How many images of each digit a set holds. */
export function classCounts(set: LabelledSet): number[] {
  const counts = new Array(CLASSES).fill(0);
  for (let i = 0; i < set.n; i++) counts[set.labels[i]]++;
  return counts;
}
