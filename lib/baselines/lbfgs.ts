/**
 * L-BFGS (Nocedal and Wright, Algorithm 7.4 and 7.5): the two-loop recursion over the last m
 * steps, with a backtracking line search on the Armijo condition. Used for the logistic
 * regression baseline, where scikit-learn's default solver is L-BFGS with 100 iterations.
 */
export interface LbfgsOptions {
  maxIter?: number; // iterations (scikit-learn's max_iter), default 100
  m?: number; // history length, default 10 (scipy's default)
  gtol?: number; // stop when max |gradient| <= gtol (scikit-learn's tol), default 1e-4
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/** Minimise f; `fg(x, g)` returns f(x) and writes its gradient into g. */
export function lbfgs(
  fg: (x: Float64Array, g: Float64Array) => number,
  x0: Float64Array,
  opts: LbfgsOptions = {},
): LbfgsResult {
  const maxIter = opts.maxIter ?? 100,
    m = opts.m ?? 10,
    gtol = opts.gtol ?? 1e-4;
  const n = x0.length;
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i] * b[i];
    return s;
  };
  let x = x0.slice(),
    g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [],
    Y: Float64Array[] = [],
    rho: number[] = [];
  const d = new Float64Array(n),
    xNew = new Float64Array(n),
    gNew = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    if (g.reduce((mx, v) => Math.max(mx, Math.abs(v)), 0) <= gtol)
      return { x, value: f, iterations, evaluations, converged: true };
    // d = -H g by the two-loop recursion.
    d.set(g);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], d);
      for (let i = 0; i < n; i++) d[i] -= alpha[k] * Y[k][i];
    }
    const gamma = S.length
      ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1])
      : 1 / Math.sqrt(dot(g, g));
    for (let i = 0; i < n; i++) d[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], d);
      for (let i = 0; i < n; i++) d[i] += S[k][i] * (alpha[k] - beta);
    }
    for (let i = 0; i < n; i++) d[i] = -d[i];
    let slope = dot(g, d);
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i] / Math.sqrt(dot(g, g));
      slope = dot(g, d);
    }
    // Backtracking line search: f(x + t d) <= f(x) + 1e-4 t g.d
    let t = 1,
      fNew = Infinity;
    for (let tries = 0; tries < 40; tries++, t *= 0.5) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + t * d[i];
      fNew = fg(xNew, gNew);
      evaluations++;
      if (fNew <= f + 1e-4 * t * slope) break;
    }
    if (!(fNew < f)) break; // no progress possible
    const s = new Float64Array(n),
      y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-10) {
      // keep the pair only if the curvature condition holds
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    x = xNew.slice();
    g = gNew.slice();
    f = fNew;
  }
  return { x, value: f, iterations, evaluations, converged: false };
}
