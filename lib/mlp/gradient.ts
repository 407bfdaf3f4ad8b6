/**
 * Backward pass of one sample (the original's code, not its report's formulas):
 *   d2  = p - onehot(y)
 *   dW2 = a1^T d2 + (lambda/B) W2,          db2 = d2
 *   d1  = (d2 W2^T) * [a1 > 0]              (a1 after dropout: one mask for ReLU and dropout)
 *   dW1 = x^T d1 + (lambda/B) W1,           db1 = d1
 * This is the exact gradient of CE(sample) + 0.5 (lambda/B)(|W1|^2 + |W2|^2) for a fixed mask.
 */
import { Activations, forward } from "./forward";
import { SparseSet } from "../data/features";
import { CLASSES } from "../data/shapes";
import { Params } from "./model";

/** Gradients have the parameters' shapes. */
export type Grads = Params;

/** Forward with `mask`, then write the gradient into `g`; returns the sample's cross-entropy. */
export function sampleGradient(
  params: Params,
  set: SparseSet,
  s: number,
  mask: Float64Array,
  keepProb: number,
  lambdaOverB: number,
  act: Activations,
  g: Grads,
): number {
  const { h, w1, w2 } = params;
  const ce = forward(params, set, s, mask, keepProb, act);
  const { a1, p } = act;
  const d2 = g.b2; // db2 = d2
  for (let k = 0; k < CLASSES; k++) d2[k] = p[k] - (k === set.labels[s] ? 1 : 0);
  const d1 = g.b1; // db1 = d1
  for (let j = 0; j < h; j++) {
    let back = 0;
    for (let k = 0; k < CLASSES; k++) back += d2[k] * w2[j * CLASSES + k];
    d1[j] = a1[j] > 0 ? back : 0;
    for (let k = 0; k < CLASSES; k++) g.w2[j * CLASSES + k] = a1[j] * d2[k] + lambdaOverB * w2[j * CLASSES + k];
  }
  // dW1 = (lambda/B) W1 everywhere, plus x_i d1 on the sample's lit pixels.
  for (let i = 0; i < w1.length; i++) g.w1[i] = lambdaOverB * w1[i];
  for (let e = set.rowPtr[s]; e < set.rowPtr[s + 1]; e++) {
    const x = set.value[e];
    const row = set.index[e] * h;
    for (let j = 0; j < h; j++) g.w1[row + j] = x * d1[j] + lambdaOverB * w1[row + j];
  }
  return ce;
}
