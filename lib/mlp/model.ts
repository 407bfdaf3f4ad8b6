/**
 * lib/mlp/: the report's equations, readable on their own in float64: the parameters (here),
 * the forward pass, softmax, the gradient, Adagrad, evaluation, the gradient check and the
 * hyperparameters (config.ts).
 *
 * The 784 - h - 10 network's parameters, in the report's notation. Row-major matrices:
 * w1[i*h + j] connects input pixel i to hidden unit j; w2[j*10 + k] hidden unit j to class k.
 */
import { CLASSES, INPUT } from "../data/shapes";
import { Rng } from "../common/rng";

export interface Params {
  h: number;
  w1: Float64Array; // 784 x h
  b1: Float64Array; // h
  w2: Float64Array; // h x 10
  b2: Float64Array; // 10
}

export function zeroParams(h: number): Params {
  return {
    h,
    w1: new Float64Array(INPUT * h),
    b1: new Float64Array(h),
    w2: new Float64Array(h * CLASSES),
    b2: new Float64Array(CLASSES),
  };
}

/** The original's init: every weight and bias U(-0.1, 0.1) + 1e-4, drawn w1, b1, w2, b2 in order. */
export function initParams(h: number, rng: Rng): Params {
  const p = zeroParams(h);
  for (const a of [p.w1, p.b1, p.w2, p.b2]) fillUniform(a, rng);
  return p;
}

function fillUniform(a: Float64Array, rng: Rng): void {
  for (let i = 0; i < a.length; i++) a[i] = rng() * 0.2 - 0.1 + 1e-4;
}

export function cloneParams(p: Params): Params {
  return { h: p.h, w1: p.w1.slice(), b1: p.b1.slice(), w2: p.w2.slice(), b2: p.b2.slice() };
}

/** The four arrays in a fixed order (for loops over all parameters). */
export function tensors(p: Params): Float64Array[] {
  return [p.w1, p.b1, p.w2, p.b2];
}

/** |W1|^2 + |W2|^2: L2 is on both weight matrices, never on biases. */
export function weightNorm2(p: Params): number {
  return sumSquares(p.w1) + sumSquares(p.w2);
}

function sumSquares(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}
