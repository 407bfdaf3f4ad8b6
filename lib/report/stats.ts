/** Uncertainty of an accuracy measured on n independent samples. */

/** Binomial standard error sqrt(p (1 - p) / n). */
export function binomialSE(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}

/** The 95% Wilson score interval of an accuracy p on n samples (well-behaved near 0 and 1). */
export function wilson95(p: number, n: number): [number, number] {
  const z = 1.959963984540054, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [centre - half, centre + half];
}
