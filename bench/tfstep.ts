/**
 * npm run bench:tfstep
 * Why a full-batch step of the framework MLP (lib/baselines/tforiginal.ts) was slow, and what it
 * costs now. On TensorFlow.js's wasm backend, the matrix products of one step at the chunk size
 * the run uses (4,000 images), each timed as a median of 5, in GFLOP/s: as autodiff's matMul
 * gradient computes them (transpose flags set) and with the matrix transposed first (what
 * tforiginal.ts's dense layer does). Then one full step on the 48,000 training images, as the run
 * takes it, the median of 3.
 */
import * as tf from "@tensorflow/tfjs";
import { useWasmBackend } from "../lib/baselines/tfmlp";
import { trainOriginalRecipe } from "../lib/baselines/tforiginal";
import { profile, reportSets } from "../lib/experiment/profile";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function rate(f: () => tf.Tensor, flop: number): Promise<string> {
  f().dispose(); // warm-up
  const seconds: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    const r = f();
    await r.data();
    r.dispose();
    seconds.push((performance.now() - t0) / 1000);
  }
  return `${(flop / median(seconds) / 1e9).toFixed(1)} GFLOP/s`;
}

async function main(): Promise<void> {
  await useWasmBackend();
  const n = 4000;
  const x = tf.randomUniform([n, 784], 0, 255),
    w1 = tf.randomUniform([784, 256]),
    dz1 = tf.randomUniform([n, 256]);
  const a1 = tf.randomUniform([n, 256]),
    w2 = tf.randomUniform([256, 512]),
    dz2 = tf.randomUniform([n, 512]);
  const f1 = 2 * n * 784 * 256,
    f2 = 2 * n * 256 * 512;
  const rows: [string, () => tf.Tensor, number][] = [
    ["x W1 (forward)", () => tf.matMul(x, w1), f1],
    ["x^T dz1 (dW1), transposeA flag", () => tf.matMul(x, dz1, true, false), f1],
    ["x^T dz1 (dW1), transposed first", () => tf.tidy(() => tf.matMul(tf.transpose(x), dz1)), f1],
    ["a1 W2 (forward)", () => tf.matMul(a1, w2), f2],
    ["dz2 W2^T (da1), transposeB flag", () => tf.matMul(dz2, w2, false, true), f2],
    ["dz2 W2^T (da1), transposed first", () => tf.tidy(() => tf.matMul(dz2, tf.transpose(w2))), f2],
    ["a1^T dz2 (dW2), transposeA flag", () => tf.matMul(a1, dz2, true, false), f2],
    ["a1^T dz2 (dW2), transposed first", () => tf.tidy(() => tf.matMul(tf.transpose(a1), dz2)), f2],
  ];
  console.log(
    `TensorFlow.js ${tf.version.tfjs}, ${tf.getBackend()} backend; products of a chunk of ` +
      `${n.toLocaleString("en-US")} images, median of 5:`,
  );
  for (const [name, f, flop] of rows) console.log(`  ${name.padEnd(36)} ${await rate(f, flop)}`);
  tf.dispose([x, w1, dz1, a1, w2, dz2]);

  const prof = profile("full"),
    sets = reportSets(prof.data, prof.seed);
  const seconds: number[] = [];
  await trainOriginalRecipe(
    { ...sets, test: { ...sets.test, n: 0 } },
    { ...prof.baselines.tfOriginal, steps: 3, validateEvery: 1000 },
    null,
    (_s, c) => seconds.push(c.stepSeconds.at(-1)!),
  );
  console.log(
    `one full-batch step on ${sets.train.n.toLocaleString("en-US")} images (chunks of ` +
      `${prof.baselines.tfOriginal.chunk.toLocaleString("en-US")}): ${median(seconds).toFixed(2)} s, median of 3; ` +
      `${prof.baselines.tfOriginal.steps} steps: about ` +
      `${Math.round((median(seconds) * prof.baselines.tfOriginal.steps) / 60)} min`,
  );
}

main();
