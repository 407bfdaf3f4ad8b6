/**
 * The original's "MLP-PyTorch" baseline, built with TensorFlow.js: 784-256-512-10, ReLU, no
 * dropout, raw pixels, Adam (lr 1e-3), cross-entropy. Backend: @tensorflow/tfjs-backend-wasm
 * (its .wasm files ship inside the npm package, so it installs and runs offline; tfjs-node would
 * download a native library at install). Initialised as PyTorch's nn.Linear does
 * (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases), seeded, with our own seeded
 * shuffling (tfjs's own uses Math.random).
 * The original trained full-batch for 1,000 epochs (1,000 Adam steps on all 48,000 images, which
 * would take hours here); this trains on minibatches for a few epochs instead, optionally
 * dividing the learning rate by 10 for the last ones (raw pixels make late Adam steps noisy).
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { dirname, join } from "path";
import { CLASSES, INPUT, LabelledSet } from "../data/shapes";
import { argmax } from "../mlp/softmax";
import { makeRng, permutation } from "../common/rng";
import { TfMlpOptions } from "./results";

let backendReady: Promise<void> | null = null;

/** Use the WebAssembly backend, loading its binaries from node_modules. */
export function useWasmBackend(): Promise<void> {
  if (!backendReady) {
    setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/");
    backendReady = tf.setBackend("wasm").then((ok) => {
      if (!ok) throw new Error("the tfjs WebAssembly backend did not start.");
      return tf.ready();
    });
  }
  return backendReady;
}

function batchTensors(set: LabelledSet, idx: Uint32Array): [tf.Tensor2D, tf.Tensor2D] {
  const x = new Float32Array(idx.length * INPUT),
    y = new Float32Array(idx.length * CLASSES);
  for (let r = 0; r < idx.length; r++) {
    for (let i = 0; i < INPUT; i++) x[r * INPUT + i] = set.pixels[idx[r] * INPUT + i]; // raw 0..255
    y[r * CLASSES + set.labels[idx[r]]] = 1;
  }
  return [tf.tensor2d(x, [idx.length, INPUT]), tf.tensor2d(y, [idx.length, CLASSES])];
}

export interface TfMlp {
  model: tf.LayersModel;
  lossPerEpoch: number[];
}

export async function trainTfMlp(
  set: LabelledSet,
  opts: TfMlpOptions,
  onEpoch?: (epoch: number, loss: number, net: TfMlp) => void,
): Promise<TfMlp> {
  await useWasmBackend();
  const sizes = [INPUT, ...(opts.layers ?? [256, 512]), CLASSES];
  const model = tf.sequential();
  for (let l = 1; l < sizes.length; l++) {
    const bound = 1 / Math.sqrt(sizes[l - 1]);
    const init = (what: string) =>
      tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: seedOf(opts.seed, `${what}${l}`) });
    model.add(
      tf.layers.dense({
        inputShape: l === 1 ? [INPUT] : undefined,
        units: sizes[l],
        activation: l < sizes.length - 1 ? "relu" : "linear",
        kernelInitializer: init("w"),
        biasInitializer: init("b"),
      }),
    );
  }
  const optimizer = tf.train.adam(opts.lr);
  const lossPerEpoch: number[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    // tfjs's Adam reads its (protected) learningRate at every step, so setting it takes effect at once.
    if (opts.decayAfter !== undefined && epoch + 1 >= opts.decayAfter)
      (optimizer as unknown as { learningRate: number }).learningRate = opts.lr * (opts.decayFactor ?? 0.1);
    const order = permutation(set.n, makeRng(opts.seed, "tfmlp-shuffle", epoch));
    let sum = 0,
      batches = 0;
    for (let b = 0; b < set.n; b += opts.batchSize) {
      const [x, y] = batchTensors(set, order.subarray(b, Math.min(set.n, b + opts.batchSize)));
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.predict(x) as tf.Tensor2D) as tf.Scalar,
        true,
      )!;
      sum += (await loss.data())[0];
      batches++;
      tf.dispose([x, y, loss]);
    }
    lossPerEpoch.push(sum / batches);
    onEpoch?.(epoch + 1, sum / batches, { model, lossPerEpoch });
    await new Promise((r) => setImmediate(r));
  }
  return { model, lossPerEpoch };
}

/** Class probabilities (n x 10) and predictions, in chunks. */
export function predictTfMlp(net: TfMlp, set: LabelledSet): { predicted: Uint8Array; probabilities: Float64Array } {
  const probabilities = new Float64Array(set.n * CLASSES),
    predicted = new Uint8Array(set.n);
  for (let b = 0; b < set.n; b += 2000) {
    const idx = Uint32Array.from({ length: Math.min(2000, set.n - b) }, (_, r) => b + r);
    const [x, y] = batchTensors(set, idx);
    const p = tf.tidy(() => tf.softmax(net.model.predict(x) as tf.Tensor2D));
    probabilities.set(p.dataSync(), b * CLASSES);
    tf.dispose([x, y, p]);
  }
  for (let s = 0; s < set.n; s++) predicted[s] = argmax(probabilities, s * CLASSES, CLASSES);
  return { predicted, probabilities };
}

/** A 31-bit integer seed for tfjs initialisers, derived from our named streams. */
export function seedOf(seed: number, name: string): number {
  return Math.floor(makeRng(seed, "tfmlp-init", name)() * 2 ** 31);
}
