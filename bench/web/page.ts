/**
 * The update benchmark in a page (bench/page.ts serves it on 127.0.0.1 and drives it in Chromium
 * and Firefox): our update through the page's bundle of the engine (the retrain page's), and the
 * same update written with TensorFlow.js on its wasm and cpu backends, on the same data.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { quickDatasetOf } from "../../lib/data/dataset";
import { SparseSet, sparseSplit } from "../../lib/data/features";
import { INPUT } from "../../lib/data/shapes";
import { makeRng } from "../../lib/common/rng";
import { fixedBatches } from "../../lib/experiment/train";
import { updateMicros } from "../updates";

let sets: { tr: SparseSet; va: SparseSet; pixels: Uint8Array; labels: Uint8Array } | null = null;

async function data() {
  if (!sets) {
    const ds = quickDatasetOf(new Uint8Array(await (await fetch("/quick.bin")).arrayBuffer()));
    const { train: tr, val: va } = sparseSplit(ds.train, 123, "raw");
    sets = { tr, va, pixels: ds.train.pixels, labels: ds.train.labels };
  }
  return sets;
}

/** Microseconds per update of our engine (wasm), as bench/bench.ts measures it in Node.js. */
async function ours(h: number, n: number, reps: number): Promise<number[]> {
  const { tr, va } = await data();
  return updateMicros("wasm", h, tr, va, n, reps, () => performance.now(), false, 3000);
}

/**
 * The original's update written with TensorFlow.js: one sample of each fixed batch, a fresh
 * dropout mask, forward, backward with L2 on W1 and W2, Adagrad (delta 1e-7). Dense input: TF.js
 * has no sparse matrix product.
 */
async function tfjs(backend: "wasm" | "cpu", h: number, n: number, reps: number): Promise<number[]> {
  if (backend === "wasm") setWasmPaths("/tfjs/");
  await tf.setBackend(backend);
  await tf.ready();
  const { pixels, labels } = await data();
  const rng = makeRng(1, "s"),
    init = makeRng(1, "init");
  const uniform = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => init() * 0.2 - 0.1 + 1e-4),
      shape,
    );
  const w1 = tf.variable(uniform([INPUT, h])),
    b1 = tf.variable(uniform([1, h])),
    w2 = tf.variable(uniform([h, 10])),
    b2 = tf.variable(uniform([1, 10]));
  const params = [w1, b1, w2, b2],
    acc = params.map((p) => tf.variable(tf.zerosLike(p)));
  const batches = fixedBatches(labels.length, 20, makeRng(1, "b"));
  const lr = 0.01,
    keepProb = 0.95,
    lambdaOverB = 5e-4 / 20;
  const step = (k: number) => {
    const batch = batches[k % batches.length];
    const s = batch[Math.floor(rng() * batch.length)];
    const maskValues = Float32Array.from({ length: h }, () => (rng() < keepProb ? 1 : 0));
    tf.tidy(() => {
      const x = tf.tensor2d(Float32Array.from(pixels.subarray(s * INPUT, (s + 1) * INPUT)), [1, INPUT]);
      const mask = tf.tensor2d(maskValues, [1, h]);
      const z1 = tf.add(tf.matMul(x, w1), b1),
        a1 = tf.mul(tf.relu(z1), mask),
        z2 = tf.add(tf.matMul(a1, w2), b2);
      const d2 = tf.sub(tf.softmax(z2), tf.cast(tf.oneHot([labels[s]], 10), "float32"));
      const d1 = tf.mul(tf.matMul(d2, w2, false, true), tf.cast(tf.greater(a1, 0), "float32"));
      const l2 = (w: tf.Tensor) => tf.mul(w, lambdaOverB);
      const grads = [
        tf.add(tf.matMul(x, d1, true, false), l2(w1)),
        d1,
        tf.add(tf.matMul(a1, d2, true, false), l2(w2)),
        d2,
      ];
      grads.forEach((g, q) => {
        acc[q].assign(tf.add(acc[q], tf.square(g)));
        params[q].assign(tf.sub(params[q], tf.div(tf.mul(g, lr), tf.add(tf.sqrt(acc[q]), 1e-7))));
      });
    });
  };
  for (let k = 0; k < 50; k++) step(k);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    for (let k = 0; k < n; k++) step(50 + r * n + k);
    w1.dataSync(); // every update has completed
    times.push(((performance.now() - t) / n) * 1000);
  }
  tf.dispose([...params, ...acc]);
  return times;
}

Object.assign(window, { benchOurs: ours, benchTfjs: tfjs });
document.title = "ready";
