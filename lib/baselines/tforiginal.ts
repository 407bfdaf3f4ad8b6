/**
 * The original's "MLP-PyTorch" recipe, as it trained: 784-256-512-10, ReLU, no dropout, raw pixels,
 * cross-entropy, Adam (lr 1e-3) on the full batch of the training images, one step per pass, for
 * 1,000 steps. Built with TensorFlow.js on its wasm backend, initialised as tfmlp.ts does (as
 * PyTorch's nn.Linear), from named seeds.
 *
 * The full batch does not fit the backend in one piece, so each step sums the gradient of
 * (sum of the chunk's losses) / n over chunks of the training set: the same full-batch gradient,
 * then one Adam step. The loss and training accuracy of a step are those of the weights the step
 * starts from (what the original's loop printed); validation accuracy is taken after every
 * `validateEvery` steps. A checkpoint (weights, Adam's state, the curves so far) is written every
 * `checkpointEvery` steps, and a run with the same settings on the same data resumes from it: an
 * interrupted run loses at most that many steps, and a resumed run equals an uninterrupted one.
 */
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync, readFileSync, rmSync } from "fs";
import { dirname } from "path";
import { writeFileAtomic } from "../common/atomic";
import { CLASSES, INPUT, LabelledSet } from "../data/shapes";
import { ORIGINAL_SHAPES, ORIGINAL_SIZES, OriginalCurves, OriginalRecipe } from "./results";
import { seedOf, useWasmBackend } from "./tfmlp";
import { accuracyOf } from "./cache";
import { InputError } from "../common/errors";
import { sha256 } from "../data/checksum";

const NAMES = ["w1", "b1", "w2", "b2", "w3", "b3"];

/**
 * x w + b, with the gradient through explicitly transposed matrices: the wasm backend's matMul
 * with a transpose flag leaves its fast kernel, and autodiff's matMul gradient sets those flags.
 * With `needDx` false, no gradient flows to x (the pixels): that product is skipped.
 */
function dense(x: tf.Tensor2D, w: tf.Variable, b: tf.Variable, needDx: boolean): tf.Tensor2D {
  type Args = (tf.Tensor | tf.GradSaveFunc)[];
  if (!needDx) {
    const wb = tf.customGrad(((w: tf.Tensor2D, b: tf.Tensor1D) => ({
      value: tf.add(tf.matMul(x, w), b),
      gradFunc: (dy: tf.Tensor2D) => [tf.matMul(tf.transpose(x), dy), tf.sum(dy, 0)],
    })) as unknown as (...args: Args) => {
      value: tf.Tensor;
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
    });
    return wb(w, b) as tf.Tensor2D;
  }
  const xwb = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([x, w]); // an intermediate x (a1, a2) is gone after the forward pass unless saved
    return {
      value: tf.add(tf.matMul(x, w), b),
      gradFunc: (dy: tf.Tensor2D, [x, w]: tf.Tensor2D[]) => [
        tf.matMul(dy, tf.transpose(w)),
        tf.matMul(tf.transpose(x), dy),
        tf.sum(dy, 0),
      ],
    };
  }) as unknown as (...args: Args) => {
    value: tf.Tensor;
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
  });
  return xwb(x, w, b) as tf.Tensor2D;
}

/**
 * w1, b1, w2, b2, w3, b3 as PyTorch's nn.Linear initialises them, U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
 * from named seeds; variables named w1 ... b3 (dispose them to use the names again).
 */
export function initialWeights(seed: number): tf.Variable[] {
  const v: tf.Variable[] = [];
  for (let l = 1; l < ORIGINAL_SIZES.length; l++) {
    const bound = 1 / Math.sqrt(ORIGINAL_SIZES[l - 1]);
    v.push(
      tf.variable(
        tf.randomUniform([ORIGINAL_SIZES[l - 1], ORIGINAL_SIZES[l]], -bound, bound, "float32", seedOf(seed, `w${l}`)),
        true,
        NAMES[2 * l - 2],
      ),
    );
    v.push(
      tf.variable(
        tf.randomUniform([ORIGINAL_SIZES[l]], -bound, bound, "float32", seedOf(seed, `b${l}`)),
        true,
        NAMES[2 * l - 1],
      ),
    );
  }
  return v;
}

/** Logits z3 of the network for the pixels x (rows of 784 raw values). */
function logits(x: tf.Tensor2D, v: tf.Variable[]): tf.Tensor2D {
  const a1 = tf.relu(dense(x, v[0], v[1], false));
  const a2 = tf.relu(dense(a1, v[2], v[3], true));
  return dense(a2, v[4], v[5], true);
}

/** The set in chunks: raw pixels, one-hot labels and labels, as tensors kept until disposed. */
function chunksOf(set: LabelledSet, chunk: number): { x: tf.Tensor2D; y: tf.Tensor2D; labels: tf.Tensor1D }[] {
  const out = [];
  for (let s = 0; s < set.n; s += chunk) {
    const m = Math.min(chunk, set.n - s);
    const x = Float32Array.from(set.pixels.subarray(s * INPUT, (s + m) * INPUT)); // raw 0..255
    const y = new Float32Array(m * CLASSES);
    for (let r = 0; r < m; r++) y[r * CLASSES + set.labels[s + r]] = 1;
    out.push({
      x: tf.tensor2d(x, [m, INPUT]),
      y: tf.tensor2d(y, [m, CLASSES]),
      labels: tf.tensor1d(Int32Array.from(set.labels.subarray(s, s + m)), "int32"),
    });
  }
  return out;
}

/** Predicted class of each image, chunk by chunk. */
export function predictOriginal(v: tf.Variable[], set: LabelledSet, chunk = 2000): Uint8Array {
  const out = new Uint8Array(set.n);
  for (let s = 0; s < set.n; s += chunk) {
    const m = Math.min(chunk, set.n - s);
    const p = tf.tidy(() =>
      tf.argMax(
        logits(tf.tensor2d(Float32Array.from(set.pixels.subarray(s * INPUT, (s + m) * INPUT)), [m, INPUT]), v),
        1,
      ),
    );
    out.set(p.dataSync(), s);
    p.dispose();
  }
  return out;
}

/** Predictions of a network given its weights as arrays (w1 ... b3, as the record's weights file holds them). */
export async function predictFromWeights(weights: Float32Array[], set: LabelledSet): Promise<Uint8Array> {
  await useWasmBackend();
  const v = weights.map((w, i) => tf.variable(tf.tensor(w, ORIGINAL_SHAPES[i]), false));
  try {
    return predictOriginal(v, set);
  } finally {
    tf.dispose(v);
  }
}

interface Checkpoint {
  sha256: string; // of the rest (the JSON without this field): a damaged or edited checkpoint is refused
  key: string; // settings and data: a checkpoint of another run is not resumed
  step: number;
  seconds: number;
  curves: OriginalCurves;
  weights: number[][]; // w1 ... b3
  // m then v, as getWeights gives them
  adam: { iterations: number; accBeta1: number; accBeta2: number; moments: number[][] };
}

/**
 * tfjs's Adam keeps beta1^t and beta2^t as running products; setWeights recomputes them with pow,
 * which rounds otherwise.
 */
type AdamState = { accBeta1: tf.Variable; accBeta2: tf.Variable };

async function saveCheckpoint(
  path: string,
  c: Omit<Checkpoint, "weights" | "adam" | "sha256">,
  v: tf.Variable[],
  opt: tf.AdamOptimizer,
): Promise<void> {
  const named = await opt.getWeights(); // [iterations, m..., v...]
  const s = opt as unknown as AdamState;
  const ck: Omit<Checkpoint, "sha256"> = {
    ...c,
    weights: await Promise.all(v.map(async (t) => Array.from(await t.data()))),
    adam: {
      iterations: (await named[0].tensor.data())[0],
      accBeta1: (await s.accBeta1.data())[0],
      accBeta2: (await s.accBeta2.data())[0],
      moments: await Promise.all(named.slice(1).map(async (w) => Array.from(await w.tensor.data()))),
    },
  };
  mkdirSync(dirname(path), { recursive: true });
  const body = JSON.stringify(ck);
  writeFileAtomic(path, JSON.stringify({ sha256: sha256(body), ...ck }));
}

/**
 * A checkpoint's contents, checked against the SHA-256 it carries: it is written atomically, so one
 * that does not match was damaged or edited, and resuming from it would give another run's numbers.
 */
function readCheckpoint(path: string): Checkpoint {
  const refuse = (what: string): never => {
    throw new InputError(
      `${path} ${what}, so it is not resumed; delete it to train from the start (or restore it from a backup).`,
    );
  };
  let ck: Checkpoint;
  try {
    ck = JSON.parse(readFileSync(path, "utf8")) as Checkpoint;
  } catch {
    return refuse("is not a readable checkpoint (cut short or damaged)");
  }
  const { sha256: claimed, ...rest } = ck ?? {};
  if (typeof claimed !== "string") refuse("carries no SHA-256 of its contents (an older version's, or edited)");
  if (sha256(JSON.stringify(rest)) !== claimed) refuse("does not match the SHA-256 it carries (damaged or edited)");
  return ck;
}

async function loadCheckpoint(
  path: string,
  key: string,
  v: tf.Variable[],
  opt: tf.AdamOptimizer,
): Promise<Checkpoint | null> {
  if (!existsSync(path)) return null;
  const ck = readCheckpoint(path);
  if (ck.key !== key || ck.weights?.length !== v.length) return null;
  v.forEach((t, i) => t.assign(tf.tensor(Float32Array.from(ck.weights[i]), t.shape)));
  const shapes = [...v, ...v].map((t) => t.shape);
  await opt.setWeights([
    { name: "iter", tensor: tf.scalar(ck.adam.iterations, "int32") },
    ...ck.adam.moments.map((m, i) => ({
      name: NAMES[i % v.length],
      tensor: tf.tensor(Float32Array.from(m), shapes[i]),
    })),
  ]);
  const s = opt as unknown as AdamState;
  s.accBeta1.assign(tf.scalar(ck.adam.accBeta1));
  s.accBeta2.assign(tf.scalar(ck.adam.accBeta2));
  return ck;
}

export interface OriginalResult {
  curves: OriginalCurves;
  predicted: Uint8Array; // on the test set
  weights: Float32Array[]; // w1 (784 x 256), b1, w2 (256 x 512), b2, w3 (512 x 10), b3
  seconds: number; // training, summed over resumed parts
}

/**
 * Trains the original's recipe on `train`, validating on `val`, and predicts `test`. `checkpoint`:
 * the file to resume from and to save to (removed when the run is done); `key` says which run it
 * belongs to. `onStep` sees every step.
 */
export async function trainOriginalRecipe(
  sets: { train: LabelledSet; val: LabelledSet; test: LabelledSet },
  r: OriginalRecipe,
  checkpoint: { path: string; key: string; every: number } | null,
  onStep: (step: number, curves: OriginalCurves, resumedFrom: number) => void = () => undefined,
): Promise<OriginalResult> {
  await useWasmBackend();
  const v = initialWeights(r.seed);
  const opt = tf.train.adam(r.lr);
  const chunks = chunksOf(sets.train, r.chunk);
  try {
    let curves: OriginalCurves = { loss: [], trainAccuracy: [], validation: [], stepSeconds: [] };
    let seconds = 0;
    const ck = checkpoint && (await loadCheckpoint(checkpoint.path, checkpoint.key, v, opt));
    if (ck) ({ curves, seconds } = ck);
    const resumedFrom = curves.loss.length;
    if (!ck) curves.validation.push([0, accuracyOf(predictOriginal(v, sets.val), sets.val.labels)]);
    for (let step = curves.loss.length + 1; step <= r.steps; step++) {
      const started = performance.now();
      let sum: tf.Tensor[] | null = null,
        loss = 0,
        correct = 0;
      for (const c of chunks) {
        let right: tf.Tensor | null = null;
        const { value, grads } = tf.variableGrads(() => {
          const z3 = logits(c.x, v);
          right = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(z3, 1), c.labels), "int32")));
          return tf.div(
            tf.losses.softmaxCrossEntropy(c.y, z3, undefined, undefined, tf.Reduction.SUM),
            sets.train.n,
          ) as tf.Scalar;
        }, v);
        loss += (await value.data())[0];
        correct += (await right!.data())[0];
        const g = NAMES.map((n) => grads[n]);
        if (sum) {
          const next: tf.Tensor[] = sum.map((a, i) => tf.add(a, g[i]));
          tf.dispose([...sum, ...g]);
          sum = next;
        } else sum = g;
        tf.dispose([value, right!]);
      }
      opt.applyGradients(NAMES.map((name, i) => ({ name, tensor: sum![i] })));
      tf.dispose(sum!);
      curves.loss.push(loss);
      curves.trainAccuracy.push(correct / sets.train.n);
      if (step % r.validateEvery === 0 || step === r.steps)
        curves.validation.push([step, accuracyOf(predictOriginal(v, sets.val), sets.val.labels)]);
      const took = (performance.now() - started) / 1000;
      curves.stepSeconds.push(Math.round(took * 1000) / 1000);
      seconds += took;
      onStep(step, curves, resumedFrom);
      if (checkpoint && step % checkpoint.every === 0 && step < r.steps)
        await saveCheckpoint(checkpoint.path, { key: checkpoint.key, step, seconds, curves }, v, opt);
      await new Promise((resolve) => setTimeout(resolve, 0)); // let a ^C or a progress line through
    }
    const predicted = predictOriginal(v, sets.test);
    const weights = await Promise.all(v.map(async (t) => (await t.data()) as Float32Array));
    return { curves, predicted, weights, seconds };
  } finally {
    tf.dispose(chunks.flatMap((c) => [c.x, c.y, c.labels]));
    tf.dispose(v);
    opt.dispose();
  }
}

/** Removes a finished run's checkpoint. */
export function dropCheckpoint(path: string): void {
  rmSync(path, { force: true });
}

/**
 * How far a recomputed loss may lie from the recorded one and still count as the same run, as a
 * fraction of it: the wasm backend is bit-for-bit repeatable on one machine (checked by
 * `npm run framework -- --check`), so this band only admits the rounding of another machine's
 * SIMD kernels.
 */
export const LOSS_BAND = 1e-5;

/**
 * Retrains the first `steps` steps of a recorded run of `r` and compares every step's loss and
 * training accuracy with the record's notes: the sentence to print, and whether it lies in the band.
 */
export async function checkOriginalPrefix(
  sets: { train: LabelledSet; val: LabelledSet; test: LabelledSet },
  r: OriginalRecipe,
  record: { notes: Record<string, unknown> },
  steps: number,
  onStep: (step: number) => void = () => undefined,
): Promise<{ text: string; withinBand: boolean; maxRelative: number }> {
  const want = record.notes as unknown as OriginalCurves;
  let got: OriginalCurves | null = null;
  await trainOriginalRecipe(
    {
      ...sets,
      test: { ...sets.test, n: 0, pixels: sets.test.pixels.subarray(0, 0), labels: sets.test.labels.subarray(0, 0) },
    },
    { ...r, steps },
    null,
    (s, c) => {
      got = c;
      onStep(s);
    },
  );
  const c = got as unknown as OriginalCurves;
  let maxRelative = 0,
    firstDiff = -1,
    accuracyDiffers = 0;
  for (let s = 0; s < steps; s++) {
    const d = Math.abs(c.loss[s] - want.loss[s]) / Math.abs(want.loss[s]);
    if (d > 0 && firstDiff < 0) firstDiff = s + 1;
    maxRelative = Math.max(maxRelative, d);
    if (c.trainAccuracy[s] !== want.trainAccuracy[s]) accuracyDiffers++;
  }
  const withinBand = maxRelative <= LOSS_BAND;
  const text =
    firstDiff < 0 && accuracyDiffers === 0
      ? `The first ${steps} steps are bit-identical to the record (loss and training accuracy at every step).`
      : `The first ${steps} steps differ from the record from step ${firstDiff} on: largest relative difference of ` +
        `the loss ${maxRelative.toExponential(2)} (band ${LOSS_BAND.toExponential(0)}: ` +
        `${withinBand ? "within" : "outside"}), training accuracy different at ${accuracyDiffers} steps.`;
  return { text, withinBand, maxRelative };
}
