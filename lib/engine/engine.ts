/**
 * lib/engine/: the engines that train and predict (the interface, here), the WebAssembly core's
 * loader (wasmcore.ts) and evaluation on every core (evalpool.ts, evalworker.ts).
 *
 * Two engines behind one interface, consuming the same random stream (sample picks and dropout
 * masks are drawn here, in TypeScript):
 *  - "reference": lib/mlp/forward.ts, gradient.ts, adagrad.ts in float64; readable;
 *  - "wasm": wasm/core.ts, the same single-sample update fused and vectorised (SIMD, float32),
 *    many times faster per update (npm run bench measures it), and wasm/minibatch.ts for the
 *    true-minibatch option. Float32 changes digits, not conclusions (see the tests).
 */
import { accumulators, adagradAll } from "../mlp/adagrad";
import { TrainConfig } from "../mlp/config";
import { InputError } from "../common/errors";
import { ParallelEvaluator } from "./evalpool";
import { Evaluation, Predictions, evaluate } from "../mlp/evaluate";
import { CLASSES } from "../data/shapes";
import { SparseSet } from "../data/features";
import { activations, forward } from "../mlp/forward";
import { Grads, sampleGradient } from "../mlp/gradient";
import { Params, cloneParams, tensors, zeroParams } from "../mlp/model";
import { Rng } from "../common/rng";
import { WasmNet } from "./wasmcore";
import { wasmBuild, wasmDefinition } from "./wasmfiles";

/** The two engines; a run record names the one that made it. */
export type EngineName = "wasm" | "reference";

/** What a model computes for a set of images, as it is evaluated (dropout replaced by a1 x keepProb). */
export interface Prediction extends Predictions {
  evaluation: Evaluation; // loss (with the L2 term) and accuracy against the set's labels
  /** For the images asked for (PredictOptions.hidden), in that order: h values per image each. */
  hidden?: { rows: number[]; z1: Float64Array; a1: Float64Array; p: Float64Array };
}

export interface PredictOptions {
  /**
   * Images whose hidden layer to return (what Figure 4 shows). The fast core keeps no hidden
   * layer per image, so for both engines these come from the readable float64 equations
   * (lib/mlp/forward.ts) on the engine's weights, with the class probabilities p they give.
   */
  hidden?: number[];
}

/** Prediction with a model's weights: what every consumer of a trained model goes through. */
export interface Predictor {
  name: EngineName;
  /** Predicted class and class probabilities of every image of `set`, with loss and accuracy. */
  predict(set: SparseSet, opts?: PredictOptions): Prediction;
}

export interface Engine extends Predictor {
  /** One update from one fixed batch (sample indices into the training set). */
  update(batch: Uint32Array, rng: Rng): void;
  evaluate(which: "train" | "val"): Evaluation;
  params(): Params;
  /** Release helper threads, if any. */
  close(): void;
}

/**
 * A predictor for trained weights (e.g. a saved model), computing as the engine `name` does:
 * "wasm" for weights trained in float32 by the fast engine, "reference" for float64 ones.
 */
export function makePredictor(name: EngineName, params: Params, keepProb: number, lambda: number): Predictor {
  if (name === "reference")
    return { name, predict: (set, opts) => referencePredict(params, set, keepProb, lambda, opts) };
  if (name !== "wasm") throw new InputError(`engine "${name}" is unknown; expected "wasm" or "reference".`);
  const net = new WasmNet(params.h);
  net.setParams(params);
  return { name, predict: (set, opts) => wasmPredict(net, set, keepProb, lambda, opts) };
}

function emptyPredictions(n: number): Predictions {
  return { predicted: new Uint8Array(n), probabilities: new Float64Array(n * CLASSES) };
}

function referencePredict(
  params: Params,
  set: SparseSet,
  keepProb: number,
  lambda: number,
  opts: PredictOptions = {},
): Prediction {
  const out = emptyPredictions(set.n);
  const evaluation = evaluate(params, set, keepProb, lambda, out);
  return { ...out, evaluation, ...hiddenOf(params, set, keepProb, opts.hidden) };
}

function wasmPredict(
  net: WasmNet,
  set: SparseSet,
  keepProb: number,
  lambda: number,
  opts: PredictOptions = {},
): Prediction {
  const out = emptyPredictions(set.n);
  const evaluation = net.evaluate(net.loadSet(set), keepProb, lambda, out);
  return { ...out, evaluation, ...hiddenOf(opts.hidden ? net.params() : null, set, keepProb, opts.hidden) };
}

/** z1, a1 (x keepProb) and p of the chosen images, by lib/mlp/forward.ts. */
function hiddenOf(
  params: Params | null,
  set: SparseSet,
  keepProb: number,
  rows?: number[],
): Pick<Prediction, "hidden"> {
  if (!rows || !params) return {};
  const h = params.h,
    act = activations(h);
  const z1 = new Float64Array(rows.length * h),
    a1 = new Float64Array(rows.length * h),
    p = new Float64Array(rows.length * CLASSES);
  rows.forEach((s, q) => {
    if (!Number.isInteger(s) || s < 0 || s >= set.n)
      throw new InputError(`image ${s} is not in the set; expected a whole number from 0 to ${set.n - 1}.`);
    forward(params, set, s, null, keepProb, act);
    z1.set(act.z1, q * h);
    a1.set(act.a1, q * h);
    p.set(act.p, q * CLASSES);
  });
  return { hidden: { rows: [...rows], z1, a1, p } };
}

/** Fill `mask` with 1 (keep, probability keepProb) or 0. */
export function drawMask(mask: Float64Array, keepProb: number, rng: Rng): void {
  for (let j = 0; j < mask.length; j++) mask[j] = rng() < keepProb ? 1 : 0;
}

/**
 * What defines an engine's arithmetic, part of every result's identity: for the fast engine its
 * sources, compiler and flags (never the bytes of one machine's build, see lib/engine/wasmcore.ts):
 * the core's, and for the minibatch option the minibatch module's too.
 */
export function engineVersion(name: EngineName, minibatch = false): string {
  if (name !== "wasm") return "reference";
  return `wasm-src-${wasmDefinition("core")}` + (minibatch ? `+minibatch-${wasmDefinition("minibatch")}` : "");
}

/** Which binaries computed a result (recorded, not part of its identity); null for the TypeScript engine. */
export function engineBuild(name: EngineName, minibatch = false): string | null {
  if (name !== "wasm") return null;
  return wasmBuild("core") + (minibatch ? `+${wasmBuild("minibatch")}` : "");
}

/** The default engine, for both updates: the fast one (the reference is there to check it). */
export const DEFAULT_ENGINE: EngineName = "wasm";

/**
 * evalThreads: threads that share each evaluation (the wasm engine; 1 = this thread only). The
 * numbers do not depend on it (lib/engine/evalpool.ts).
 */
export function makeEngine(
  name: EngineName,
  config: TrainConfig,
  initial: Params,
  train: SparseSet,
  val: SparseSet,
  evalThreads = 1,
): Engine {
  if (!Number.isInteger(evalThreads) || evalThreads < 1)
    throw new InputError(`evalThreads = ${evalThreads} is invalid; expected a whole number >= 1.`);
  if (name === "wasm") return wasmEngine(config, initial, train, val, evalThreads);
  if (name === "reference") return referenceEngine(config, initial, train, val);
  throw new InputError(`engine "${name}" is unknown; expected "wasm" or "reference".`);
}

function referenceEngine(config: TrainConfig, initial: Params, train: SparseSet, val: SparseSet): Engine {
  const { h, keepProb, lr, lambda } = config;
  const params = cloneParams(initial);
  const lambdaOverB = lambda / config.batch;
  const act = activations(h),
    mask = new Float64Array(h),
    g = zeroParams(h),
    mean: Grads = zeroParams(h),
    c = accumulators(h);
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
    predict: (set, opts) => referencePredict(params, set, keepProb, lambda, opts),
    params: () => params,
    close: () => {},
  };
}

function addScaled(into: Grads, g: Grads, scale: number): void {
  const a = tensors(into),
    b = tensors(g);
  for (let q = 0; q < a.length; q++) for (let i = 0; i < a[q].length; i++) a[q][i] += b[q][i] * scale;
}

function wasmEngine(
  config: TrainConfig,
  initial: Params,
  train: SparseSet,
  val: SparseSet,
  evalThreads: number,
): Engine {
  const { h, keepProb, lr, lambda } = config;
  const net = new WasmNet(h, config.minibatch);
  net.setParams(initial);
  const sets = { train: net.loadSet(train), val: net.loadSet(val) };
  const pool =
    evalThreads > 1
      ? new ParallelEvaluator(
          net,
          [
            { sparse: train, loaded: sets.train },
            { sparse: val, loaded: sets.val },
          ],
          keepProb,
          evalThreads,
        )
      : null;
  const mask = new Float64Array(h);
  const masks = new Float64Array(config.minibatch ? config.batch * h : 0);
  const lambdaOverB = lambda / config.batch;
  const single = (batch: Uint32Array, rng: Rng) => {
    const s = batch[Math.floor(rng() * batch.length)];
    drawMask(mask, keepProb, rng);
    net.step(sets.train, s, train.labels[s], mask, lr, lambdaOverB);
  };
  const minibatch = (batch: Uint32Array, rng: Rng) => {
    // The same draws, in the same order, as the reference engine's minibatch: one mask per sample.
    for (let r = 0; r < batch.length; r++) drawMask(masks.subarray(r * h, (r + 1) * h), keepProb, rng);
    net.batchStep(sets.train, batch, masks.subarray(0, batch.length * h), lr, lambdaOverB);
  };
  return {
    name: "wasm",
    update: config.minibatch ? minibatch : single,
    evaluate: (which) =>
      pool ? pool.evaluate(which === "train" ? 0 : 1, lambda) : net.evaluate(sets[which], keepProb, lambda),
    predict: (set, opts) => wasmPredict(net, set, keepProb, lambda, opts),
    params: () => net.params(),
    close: () => pool?.close(),
  };
}
