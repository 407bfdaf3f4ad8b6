/** Uncertainty of accuracies, and whether two classifiers differ on the same images. */

// jstat (a well-kept statistics library) ships no types: the two functions used here, typed.
// Its regularised incomplete beta is accurate to ~1e-9 relative even far in the tail (its
// binomial.cdf rounds to 1e-10 absolute, which would turn every small p-value into 0).
const jstat = require("jstat") as {
  ibeta(x: number, a: number, b: number): number;
  studentt: { inv(p: number, dof: number): number };
};

/** Binomial standard error sqrt(p (1 - p) / n). */
export function binomialSE(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}

/** The 95% Wilson score interval of an accuracy p on n samples (well-behaved near 0 and 1). */
export function wilson95(p: number, n: number): [number, number] {
  const z = 1.959963984540054,
    z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [centre - half, centre + half];
}

/**
 * McNemar's exact test of two classifiers on the same images: of the images exactly one of them
 * gets right, `b` are A's and `c` are B's. Under "equally accurate" each such image is a fair coin,
 * so the two-sided p-value is 2 P(X <= min(b, c)) for X ~ Binomial(b + c, 1/2), capped at 1;
 * P(X <= k) = I_{1/2}(n - k, k + 1), the regularised incomplete beta function.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c,
    k = Math.min(b, c);
  if (n === 0) return 1;
  return Math.min(1, 2 * jstat.ibeta(0.5, n - k, k + 1));
}

/** The discordant counts of two classifiers' predictions against the labels: b = only A right, c = only B right. */
export function discordant(
  labels: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { b: number; c: number } {
  let onlyA = 0,
    onlyB = 0;
  for (let s = 0; s < labels.length; s++) {
    const ra = a[s] === labels[s],
      rb = b[s] === labels[s];
    if (ra && !rb) onlyA++;
    else if (rb && !ra) onlyB++;
  }
  return { b: onlyA, c: onlyB };
}

/** Mean, sample standard deviation and the 95% t-interval of the mean of a few values (n >= 2). */
export function meanInterval(values: number[]): { n: number; mean: number; sd: number; lo: number; hi: number } {
  const n = values.length;
  if (n < 2) throw new Error(`an interval needs at least 2 values, got ${n}.`);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = jstat.studentt.inv(0.975, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, lo: mean - half, hi: mean + half };
}

/** Where an interval lies against zero: 1 above it, -1 below it, 0 around it (the difference not told from none). */
export function sideOfZero(i: { lo: number; hi: number }): 1 | -1 | 0 {
  return i.lo > 0 ? 1 : i.hi < 0 ? -1 : 0;
}
