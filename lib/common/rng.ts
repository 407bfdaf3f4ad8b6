/**
 * Seeded randomness. Every random stream is named by the base seed and the parts that identify
 * its purpose (for a training run: its own config), so a run's numbers never depend on grid order
 * or on which worker ran it. Alea (from seedrandom) is used for speed: a run draws ~60 million
 * uniforms (one dropout mask of h values per update).
 */
import * as seedrandom from "seedrandom";

/** A uniform generator on [0, 1). */
export type Rng = () => number;

/** The stream named by `parts`, e.g. `makeRng(123, "init", "h=128")`. */
export function makeRng(...parts: (string | number)[]): Rng {
  return seedrandom.alea(parts.map(String).join("/"));
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
