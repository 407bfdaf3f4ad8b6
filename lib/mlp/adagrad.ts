/**
 * Adagrad (Duchi et al., 2011), per element, as the original:
 *   C += g * g;  theta -= lr * g / (delta + sqrt(C)),  delta = 1e-7.
 * Accumulators start at zero and are never reset.
 */
import { Grads } from "./gradient";
import { Params, tensors, zeroParams } from "./model";

export const DELTA = 1e-7;

/** Accumulators C, one per parameter. */
export type Accumulators = Params;

export function accumulators(h: number): Accumulators {
  return zeroParams(h);
}

export function adagrad(theta: Float64Array, g: Float64Array, c: Float64Array, lr: number): void {
  for (let i = 0; i < theta.length; i++) {
    c[i] += g[i] * g[i];
    theta[i] -= (lr * g[i]) / (DELTA + Math.sqrt(c[i]));
  }
}

/** Apply one Adagrad update to every parameter. */
export function adagradAll(params: Params, g: Grads, c: Accumulators, lr: number): void {
  const t = tensors(params),
    gt = tensors(g),
    ct = tensors(c);
  for (let q = 0; q < t.length; q++) adagrad(t[q], gt[q], ct[q], lr);
}
