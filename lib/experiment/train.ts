/**
 * lib/experiment/: the study. The training loop (here), run records and their checks, the grid
 * and its worker threads, the selected model and model files, the original's record, verification
 * of records made by another build, and the report's two profiles (profile.ts).
 *
 * The original's training loop. The training set is partitioned once, at random, into fixed
 * batches of B, visited in the same order every epoch. Each batch gives ONE update: pick one of
 * its B samples uniformly at random, draw a fresh dropout mask, backprop, Adagrad.
 * (With `minibatch`, the update averages the gradients of all B samples instead.)
 * Validation (and training-set) loss and accuracy are recorded before each epoch's updates
 * (epoch 0 = the untrained net), as the original did, and once more after the last epoch.
 */
import { TrainConfig, streamKey } from "../mlp/config";
import { DEFAULT_ENGINE, EngineName, engineBuild, engineVersion, makeEngine } from "../engine/engine";
import { evalThreadsAvailable } from "../engine/evalpool";
import { InputError } from "../common/errors";
import { Evaluation } from "../mlp/evaluate";
import { SparseSet } from "../data/features";
import { Params, initParams } from "../mlp/model";
import { software } from "../common/provenance";
import { DataInfo, Metrics, RunRecord, bestOf } from "./runrecord";
import { Rng, makeRng, permutation } from "../common/rng";
import { trainingCodeId } from "./trainingcode";

export interface EpochReport {
  epoch: number;
  epochs: number;
  valLoss: number;
  valAcc: number;
  trainLoss?: number;
  trainAcc?: number;
}

export interface TrainOptions {
  seed: number;
  data: DataInfo;
  evalTrain?: boolean; // also evaluate the training set each epoch (Figure 1 needs it); default true
  engine?: EngineName; // default: "wasm" (fast, float32); "reference" is the float64 check
  evalThreads?: number; // threads sharing each evaluation (wasm engine); default: every core. Changes no number.
  onEpoch?: (r: EpochReport) => void;
  /** After each epoch's evaluation (epoch 0: before training): the weights then, copied on demand. */
  onWeights?: (epoch: number, params: () => Params) => void;
  test?: SparseSet; // scored once by the final model, by the engine that trained it
}

export interface TrainResult {
  params: Params; // after the last epoch (what the original saved)
  initial: Params; // the same model before training
  record: RunRecord;
  test: Evaluation | null; // the final model on opts.test, if given
}

/** The fixed partition of 0..n-1 into floor(n / B) batches of B (a leftover < B is unused). */
export function fixedBatches(n: number, batch: number, rng: Rng): Uint32Array[] {
  const order = permutation(n, rng);
  const batches: Uint32Array[] = [];
  for (let b = 0; b + batch <= n; b += batch) batches.push(order.subarray(b, b + batch));
  return batches;
}

/** A training run needs at least one batch and a validation set (and a test set, if one is given). */
export function checkTrainable(config: TrainConfig, nTrain: number, nVal: number, nTest?: number): void {
  if (nTrain < config.batch)
    throw new InputError(
      `the training set has ${nTrain} images, fewer than one batch of ${config.batch}: nothing to train on (use ` +
        `more data or a smaller --batch).`,
    );
  if (nVal < 1)
    throw new InputError(
      `the validation set is empty (${nTrain + nVal} training images, split 4:1): ` +
        "there is nothing to measure a run by.",
    );
  if (nTest !== undefined && nTest < 1)
    throw new InputError("the test set is empty: there is nothing to score the final model on.");
}

/** One training run; resolves when done. Yields to the event loop after each epoch. */
export async function train(
  config: TrainConfig,
  train: SparseSet,
  val: SparseSet,
  opts: TrainOptions,
): Promise<TrainResult> {
  checkTrainable(config, train.n, val.n, opts.test?.n);
  const started = Date.now();
  const { h, batch } = config;
  const key = streamKey(config);
  // Streams: init depends on h only and the partition on the seed only, so configs differing in
  // lr or lambda start from the same net and batches (common random numbers).
  const params = initParams(h, makeRng(opts.seed, "init", `h=${h}`));
  const batches = fixedBatches(train.n, batch, makeRng(opts.seed, "batches", `n=${train.n},B=${batch}`));
  const steps = makeRng(opts.seed, "steps", key);
  const engine = makeEngine(
    opts.engine ?? DEFAULT_ENGINE,
    config,
    params,
    train,
    val,
    opts.evalThreads ?? evalThreadsAvailable(),
  );
  const evalTrain = opts.evalTrain !== false;
  const metrics: Metrics = {
    epoch: [],
    valLoss: [],
    valAcc: [],
    trainLoss: evalTrain ? [] : null,
    trainAcc: evalTrain ? [] : null,
  };

  const record = (epoch: number) => {
    const v = engine.evaluate("val");
    // A loss that is no longer a finite number (the weights or the L2 term overflowed) measures
    // nothing from here on: the run stops and says where (a record would hold nulls).
    if (!Number.isFinite(v.loss)) {
      throw new InputError(
        `h=${h} lr=${config.lr} lambda=${config.lambda} diverged: its validation loss is ${v.loss} at epoch ` +
          `${epoch}; try a smaller lr or lambda.`,
      );
    }
    const r: EpochReport = { epoch, epochs: config.epochs, valLoss: v.loss, valAcc: v.accuracy };
    metrics.epoch.push(epoch);
    metrics.valLoss.push(v.loss);
    metrics.valAcc.push(v.accuracy);
    if (evalTrain) {
      const t = engine.evaluate("train");
      metrics.trainLoss!.push((r.trainLoss = t.loss));
      metrics.trainAcc!.push((r.trainAcc = t.accuracy));
    }
    opts.onEpoch?.(r);
    opts.onWeights?.(epoch, () => engine.params());
  };

  let test: Evaluation | null = null;
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      record(epoch);
      for (const b of batches) engine.update(b, steps);
      await new Promise((resolve) => setTimeout(resolve, 0)); // lets progress show (a notebook, a page's worker)
    }
    record(config.epochs);
    if (opts.test) test = engine.predict(opts.test).evaluation;
  } finally {
    engine.close();
  }

  return {
    params: engine.params(),
    initial: params,
    test,
    record: {
      trainingCode: trainingCodeId(),
      config,
      engine: engine.name,
      engineVersion: engineVersion(engine.name, config.minibatch),
      engineBuild: engineBuild(engine.name, config.minibatch),
      seed: opts.seed,
      data: opts.data,
      metrics,
      best: bestOf(metrics),
      seconds: (Date.now() - started) / 1000,
      software: software(),
    },
  };
}
