/**
 * The output layer's two primitives, used by the MLP, its evaluation and the baselines alike.
 */

/**
 * p = softmax(z), computed stably: the largest z is subtracted before exp (the original's plain
 * exp(z) overflows on raw pixels). Returns log(sum(exp(z))), so -log p[k] = result - z[k].
 */
export function softmax(z: ArrayLike<number>, p: { [k: number]: number; length: number }): number {
  let max = z[0];
  for (let k = 1; k < z.length; k++) if (z[k] > max) max = z[k];
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    p[k] = Math.exp(z[k] - max);
    sum += p[k];
  }
  for (let k = 0; k < z.length; k++) p[k] /= sum;
  return Math.log(sum) + max;
}

/** Index of the largest of v[offset .. offset+n) counted from offset (the first, on ties, like numpy's argmax). */
export function argmax(v: ArrayLike<number>, offset = 0, n = v.length - offset): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (v[offset + k] > v[offset + best]) best = k;
  return best;
}
