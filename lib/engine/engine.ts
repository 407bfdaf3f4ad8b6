/**
 * Two engines behind one interface, consuming the same random stream (sample picks and dropout
 * masks are drawn here, in TypeScript):
 *  - "reference": lib/forward.ts, gradient.ts, adagrad.ts in float64; readable; also the only
 *    one with the true-minibatch option;
 *  - "wasm": wasm/core.ts, the same single-sample update fused and vectorised (SIMD, float32),
 *    about 17x faster per update (npm run bench). Float32 changes digits, not conclusions (see the tests).
 */
import { accumulators, adagradAll } from "../mlp/adagrad";
import { TrainConfig } from "../mlp/config";
import { InputError } from "../common/errors";
import { ParallelEvaluator } from "./evalpool";
import { Evaluation, Predictions, evaluate } from "../mlp/evaluate";
import { SparseSet } from "../data/features";
import { activations } from "../mlp/forward";
import { Grads, sampleGradient } from "../mlp/gradient";
import { Params, tensors, zeroParams } from "../mlp/model";
import { Rng } from "../common/rng";
import { EngineName } from "../experiment/runrecord";
import { WasmNet, wasmCoreBuild, wasmCoreDefinition } from "./wasmcore";

export type { EngineName } from "../experiment/runrecord";

export interface Engine {
  name: EngineName;
  /** One update from one fixed batch (sample indices into the training set). */
  update(batch: Uint32Array, rng: Rng): void;
  evaluate(which: "train" | "val"): Evaluation;
  /** Loss and accuracy of any other set (e.g. the test set) with the current weights, optionally with predictions. */
  score(set: SparseSet, out?: Predictions): Evaluation;
  params(): Params;
  /** Release helper threads, if any. */
  close(): void;
}

/** Fill `mask` with 1 (keep, probability keepProb) or 0. */
export function drawMask(mask: Float64Array, keepProb: number, rng: Rng): void {
  for (let j = 0; j < mask.length; j++) mask[j] = rng() < keepProb ? 1 : 0;
}

/**
 * What defines an engine's arithmetic, part of every result's identity: for the fast engine its
 * source, compiler and flags (never the bytes of one machine's build, see lib/wasmcore.ts).
 */
export function engineVersion(name: EngineName): string {
  return name === "wasm" ? `wasm-src-${wasmCoreDefinition()}` : "reference";
}

/** Which binary computed a result (recorded, not part of its identity); null for the TypeScript engine. */
export function engineBuild(name: EngineName): string | null {
  return name === "wasm" ? wasmCoreBuild() : null;
}

/** The default: the fast engine, except for the minibatch option, which only the reference has. */
export function defaultEngine(config: TrainConfig): EngineName {
  return config.minibatch ? "reference" : "wasm";
}

/**
 * evalThreads: threads that share each evaluation (the wasm engine; 1 = this thread only). The
 * numbers do not depend on it (lib/evalpool.ts).
 */
export function makeEngine(name: EngineName, config: TrainConfig, initial: Params, train: SparseSet, val: SparseSet, evalThreads = 1): Engine {
  if (name === "wasm" && config.minibatch) throw new InputError(`engine "wasm" has no minibatch option; use engine "reference" for --minibatch.`);
  if (!Number.isInteger(evalThreads) || evalThreads < 1) throw new InputError(`evalThreads = ${evalThreads} is invalid; expected a whole number >= 1.`);
  if (name === "wasm") return wasmEngine(config, initial, train, val, evalThreads);
  if (name === "reference") return referenceEngine(config, initial, train, val);
  throw new InputError(`engine "${name}" is unknown; expected "wasm" or "reference".`);
}

function referenceEngine(config: TrainConfig, initial: Params, train: SparseSet, val: SparseSet): Engine {
  const { h, keepProb, lr, lambda } = config;
  const params: Params = { h, w1: initial.w1.slice(), b1: initial.b1.slice(), w2: initial.w2.slice(), b2: initial.b2.slice() };
  const lambdaOverB = lambda / config.batch;
  const act = activations(h), mask = new Float64Array(h), g = zeroParams(h), mean: Grads = zeroParams(h), c = accumulators(h);
  const single = (batch: Uint32Array, rng: Rng) => {
    // The original's update: one random sample of the batch, a fresh mask, Adagrad.
    const s = batch[Math.floor(rng() * batch.length)];
    drawMask(mask, keepProb, rng);
    sampleGradient(params, train, s, mask, keepProb, lambdaOverB, act, g);
    adagradAll(params, g, c, lr);
  };
  const minibatch = (batch: Uint32Array, rng: Rng) => {
    // The option: the mean of the B samples' gradients, each with its own mask.
    for (const m of tensors(mean)) m.fill(0);
    for (let r = 0; r < batch.length; r++) {
      drawMask(mask, keepProb, rng);
      sampleGradient(params, train, batch[r], mask, keepProb, lambdaOverB, act, g);
      addScaled(mean, g, 1 / batch.length);
    }
    adagradAll(params, mean, c, lr);
  };
  return {
    name: "reference",
    update: config.minibatch ? minibatch : single,
    evaluate: (which) => evaluate(params, which === "train" ? train : val, keepProb, lambda),
    score: (set, out) => evaluate(params, set, keepProb, lambda, out),
    params: () => params,
    close: () => {},
  };
}

function addScaled(into: Grads, g: Grads, scale: number): void {
  const a = tensors(into), b = tensors(g);
  for (let q = 0; q < a.length; q++) for (let i = 0; i < a[q].length; i++) a[q][i] += b[q][i] * scale;
}

function wasmEngine(config: TrainConfig, initial: Params, train: SparseSet, val: SparseSet, evalThreads: number): Engine {
  const { h, keepProb, lr, lambda } = config;
  const net = new WasmNet(h);
  net.setParams(initial);
  const sets = { train: net.loadSet(train), val: net.loadSet(val) };
  const pool = evalThreads > 1 ? new ParallelEvaluator(net, [{ sparse: train, loaded: sets.train }, { sparse: val, loaded: sets.val }], keepProb, evalThreads) : null;
  const mask = new Float64Array(h);
  const lambdaOverB = lambda / config.batch;
  return {
    name: "wasm",
    update: (batch, rng) => {
      const s = batch[Math.floor(rng() * batch.length)];
      drawMask(mask, keepProb, rng);
      net.step(sets.train, s, train.labels[s], mask, lr, lambdaOverB);
    },
    evaluate: (which) => (pool ? pool.evaluate(which === "train" ? 0 : 1, lambda) : net.evaluate(sets[which], keepProb, lambda)),
    score: (set, out) => net.evaluate(net.loadSet(set), keepProb, lambda, out),
    params: () => net.params(),
    close: () => pool?.close(),
  };
}
