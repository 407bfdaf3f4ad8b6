/**
 * Forward pass of one sample:
 *   z1 = x W1 + b1,  a1 = ReLU(z1) * mask (training) or * keepProb (evaluation),
 *   z2 = a1 W2 + b2, p = softmax(z2).
 * The original computed exp(z2) directly, which overflows with raw 0..255 pixels; here softmax
 * subtracts max(z2) first and the loss uses log-sum-exp, so both stay finite (same values
 * wherever the original's were finite).
 */
import { SparseSet } from "../data/features";
import { CLASSES } from "../data/shapes";
import { Params } from "./model";
import { softmax } from "./softmax";

/** Per-sample scratch arrays, allocated once per run. */
export interface Activations {
  z1: Float64Array; // h
  a1: Float64Array; // h, after dropout (training) or scaling (evaluation)
  z2: Float64Array; // 10
  p: Float64Array; // 10, softmax(z2)
}

export function activations(h: number): Activations {
  return {
    z1: new Float64Array(h),
    a1: new Float64Array(h),
    z2: new Float64Array(CLASSES),
    p: new Float64Array(CLASSES),
  };
}

/** z1 = x W1 + b1 over the sample's non-zero pixels. */
export function hiddenInput(params: Params, set: SparseSet, s: number, z1: Float64Array): void {
  const { h, w1, b1 } = params;
  z1.set(b1);
  for (let e = set.rowPtr[s]; e < set.rowPtr[s + 1]; e++) {
    const x = set.value[e];
    const row = set.index[e] * h;
    for (let j = 0; j < h; j++) z1[j] += x * w1[row + j];
  }
}

/**
 * Run the sample forward. `mask` (0/1 per hidden unit) is the training-time dropout; with
 * `mask === null` the layer is scaled by keepProb instead, as the original did at evaluation.
 * Returns -log p[label], the sample's cross-entropy.
 */
export function forward(
  params: Params,
  set: SparseSet,
  s: number,
  mask: Float64Array | null,
  keepProb: number,
  act: Activations,
): number {
  const { h, w2, b2 } = params;
  const { z1, a1, z2, p } = act;
  hiddenInput(params, set, s, z1);
  for (let j = 0; j < h; j++) {
    const relu = z1[j] > 0 ? z1[j] : 0;
    a1[j] = mask === null ? relu * keepProb : relu * mask[j];
  }
  z2.set(b2);
  for (let j = 0; j < h; j++) {
    const a = a1[j];
    if (a === 0) continue; // exact zero adds nothing
    for (let k = 0; k < CLASSES; k++) z2[k] += a * w2[j * CLASSES + k];
  }
  return softmax(z2, p) - z2[set.labels[s]]; // -log p[label]
}
