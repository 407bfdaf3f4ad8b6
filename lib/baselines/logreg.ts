/**
 * Multinomial logistic regression with scikit-learn's defaults: L2 penalty with C = 1 on the
 * weights (not the intercepts), L-BFGS, 100 iterations, on raw pixels. The objective is
 * scikit-learn's: (1/n) (sum_i -log p(y_i | x_i) + 0.5 / C |W|^2).
 */
import { SparseSet } from "../data/features";
import { lbfgs, LbfgsResult } from "./lbfgs";

import { CLASSES, INPUT } from "../data/shapes";
import { argmax, softmax } from "../mlp/softmax";

export interface LogReg {
  w: Float64Array; // 784 x 10
  b: Float64Array; // 10
  fit: Omit<LbfgsResult, "x">;
}

/** Objective and gradient; theta = [W (784 x 10, row-major), b (10)]. */
export function logregObjective(set: SparseSet, C: number) {
  const z = new Float64Array(CLASSES);
  return (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    const bOff = INPUT * CLASSES;
    let loss = 0;
    for (let s = 0; s < set.n; s++) {
      for (let k = 0; k < CLASSES; k++) z[k] = theta[bOff + k];
      for (let e = set.rowPtr[s]; e < set.rowPtr[s + 1]; e++) {
        const x = set.value[e],
          row = set.index[e] * CLASSES;
        for (let k = 0; k < CLASSES; k++) z[k] += x * theta[row + k];
      }
      softmax(z, z); // z now holds p
      const y = set.labels[s];
      loss += -Math.log(z[y]);
      for (let k = 0; k < CLASSES; k++) z[k] -= k === y ? 1 : 0; // p - onehot
      for (let k = 0; k < CLASSES; k++) grad[bOff + k] += z[k];
      for (let e = set.rowPtr[s]; e < set.rowPtr[s + 1]; e++) {
        const x = set.value[e],
          row = set.index[e] * CLASSES;
        for (let k = 0; k < CLASSES; k++) grad[row + k] += x * z[k];
      }
    }
    let l2 = 0;
    for (let i = 0; i < bOff; i++) {
      l2 += theta[i] * theta[i];
      grad[i] += theta[i] / C;
    }
    for (let i = 0; i < grad.length; i++) grad[i] /= set.n;
    return (loss + (0.5 / C) * l2) / set.n;
  };
}

export function trainLogReg(set: SparseSet, C = 1, maxIter = 100): LogReg {
  const theta0 = new Float64Array(INPUT * CLASSES + CLASSES); // scikit-learn starts from zeros
  const r = lbfgs(logregObjective(set, C), theta0, { maxIter, gtol: 1e-4 });
  return {
    w: r.x.slice(0, INPUT * CLASSES),
    b: r.x.slice(INPUT * CLASSES),
    fit: { value: r.value, iterations: r.iterations, evaluations: r.evaluations, converged: r.converged },
  };
}

export function predictLogReg(model: LogReg, set: SparseSet): { predicted: Uint8Array; probabilities: Float64Array } {
  const probabilities = new Float64Array(set.n * CLASSES),
    predicted = new Uint8Array(set.n);
  const z = new Float64Array(CLASSES);
  for (let s = 0; s < set.n; s++) {
    z.set(model.b);
    for (let e = set.rowPtr[s]; e < set.rowPtr[s + 1]; e++) {
      const x = set.value[e],
        row = set.index[e] * CLASSES;
      for (let k = 0; k < CLASSES; k++) z[k] += x * model.w[row + k];
    }
    predicted[s] = argmax(z);
    softmax(z, probabilities.subarray(s * CLASSES, (s + 1) * CLASSES));
  }
  return { predicted, probabilities };
}
