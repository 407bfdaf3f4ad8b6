/**
 * The update benchmark's measurement, the same in Node.js (bench/bench.ts) and in a page
 * (bench/page.ts): microseconds per update of an engine, each repetition `n` updates over the
 * fixed batches, after `warm` updates of warm-up (past the first large steps; a page needs more,
 * for its browser to replace its baseline WebAssembly code by its optimised code).
 */
import { makeConfig } from "../lib/mlp/config";
import { EngineName, makeEngine } from "../lib/engine/engine";
import { SparseSet } from "../lib/data/features";
import { initParams } from "../lib/mlp/model";
import { makeRng } from "../lib/common/rng";
import { fixedBatches } from "../lib/experiment/train";

export function updateMicros(
  engine: EngineName,
  h: number,
  tr: SparseSet,
  va: SparseSet,
  n: number,
  reps: number,
  now: () => number,
  minibatch = false,
  warm = 300,
): number[] {
  const e = makeEngine(engine, makeConfig({ h, minibatch }), initParams(h, makeRng(1, "init")), tr, va);
  const batches = fixedBatches(tr.n, 20, makeRng(1, "b"));
  const rng = makeRng(1, "s");
  for (let k = 0; k < warm; k++) e.update(batches[k % batches.length], rng);
  return Array.from({ length: reps }, (_, r) => {
    const t = now();
    for (let k = 0; k < n; k++) e.update(batches[(warm + r * n + k) % batches.length], rng);
    return ((now() - t) / n) * 1000; // now() in ms
  });
}
