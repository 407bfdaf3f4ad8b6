import { test } from "node:test";
import assert from "node:assert/strict";
import { loadMnistPackage } from "../lib/data/sources";
import { splitTrainValidation } from "../lib/data/split";
import { toSparse } from "../lib/data/features";
import { lbfgs } from "../lib/baselines/lbfgs";
import { logregObjective, predictLogReg, trainLogReg } from "../lib/baselines/logreg";
import { predictForest, trainForest } from "../lib/baselines/forest";
import { confusionCounts, rowNormalised } from "../lib/report/table3";
import { pickMistakes } from "../lib/report/figure2";
import { wilson95, binomialSE } from "../lib/report/stats";

const ds = loadMnistPackage();
const split = splitTrainValidation(ds.train, 3);
const accuracy = (p: Uint8Array, y: Uint8Array) => p.reduce((n, k, s) => n + (k === y[s] ? 1 : 0), 0) / y.length;

test("L-BFGS minimises an ill-conditioned quadratic", () => {
  const scales = [1, 10, 100, 1000];
  const r = lbfgs(
    (x, g) => {
      let f = 0;
      x.forEach((v, i) => {
        f += 0.5 * scales[i] * (v - i) ** 2;
        g[i] = scales[i] * (v - i);
      });
      return f;
    },
    new Float64Array(4),
    { maxIter: 100, gtol: 1e-8 },
  );
  assert.ok(r.converged);
  r.x.forEach((v, i) => assert.ok(Math.abs(v - i) < 1e-6, `${r.x}`));
});

test("the logistic regression gradient matches finite differences", () => {
  const set = toSparse(
    { n: 50, pixels: split.train.pixels.subarray(0, 50 * 784), labels: split.train.labels.subarray(0, 50) },
    "unit",
  );
  const fg = logregObjective(set, 1);
  const theta = Float64Array.from({ length: 7850 }, (_, i) => Math.sin(i) * 0.01),
    g = new Float64Array(7850),
    tmp = new Float64Array(7850);
  fg(theta, g);
  for (const i of [0, 3000, 5000, 7845]) {
    const keep = theta[i];
    theta[i] = keep + 1e-6;
    const up = fg(theta, tmp);
    theta[i] = keep - 1e-6;
    const down = fg(theta, tmp);
    theta[i] = keep;
    assert.ok(Math.abs((up - down) / 2e-6 - g[i]) < 1e-6, `parameter ${i}`);
  }
});

test("logistic regression and both forests learn the quick set", () => {
  const tr = toSparse(split.train),
    va = toSparse(split.val);
  const lr = trainLogReg(tr, 1, 30);
  assert.ok(accuracy(predictLogReg(lr, va).predicted, va.labels) > 0.85);
  const shallow = trainForest(split.train.pixels, split.train.labels, { trees: 5, maxDepth: 5, seed: 1 });
  const deep = trainForest(split.train.pixels, split.train.labels, { trees: 5, maxDepth: Infinity, seed: 1 });
  const accShallow = accuracy(predictForest(shallow, split.val.pixels, split.val.n).predicted, split.val.labels);
  const accDeep = accuracy(predictForest(deep, split.val.pixels, split.val.n).predicted, split.val.labels);
  assert.ok(accShallow > 0.6 && accDeep > accShallow + 0.05, `${accShallow} ${accDeep}`);
  assert.ok(
    shallow.trees.every((t) => t.feature.length <= 63),
    "depth 5: at most 63 nodes",
  );
  const again = trainForest(split.train.pixels, split.train.labels, { trees: 5, maxDepth: 5, seed: 1 });
  assert.deepEqual(again.trees[2].threshold, shallow.trees[2].threshold, "seeded");
});

test("a pure-depth forest on separable bytes splits at the right threshold", () => {
  // Two classes separated by pixel 0 <= 99 vs >= 100.
  const n = 200,
    pixels = new Uint8Array(n * 784),
    labels = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    const v = (s * 37) % 200;
    pixels[s * 784] = v;
    labels[s] = v >= 100 ? 1 : 0;
  }
  const f = trainForest(pixels, labels, { trees: 1, maxDepth: 1, seed: 0, maxFeatures: 784 });
  assert.equal(f.trees[0].feature[0], 0);
  assert.equal(f.trees[0].threshold[0], 99);
});

test("confusion matrix rows are true labels and sum to one; mistakes are picked reproducibly", () => {
  const y = Uint8Array.from([0, 0, 1, 1, 2]),
    p = Uint8Array.from([0, 1, 1, 1, 0]);
  const c = confusionCounts(y, p);
  assert.deepEqual(c[0].slice(0, 3), [1, 1, 0]);
  assert.deepEqual(c[2].slice(0, 3), [1, 0, 0]);
  assert.deepEqual(rowNormalised(c)[0].slice(0, 2), [0.5, 0.5]);
  const probs = new Float64Array(50).fill(0.1);
  probs[1 * 10 + 1] = 0.9;
  assert.deepEqual(
    pickMistakes(y, p, probs, 1, "confident", 0).map((m) => m.index),
    [1],
  );
  assert.deepEqual(pickMistakes(y, p, probs, 2, "random", 5), pickMistakes(y, p, probs, 2, "random", 5));
});

test("accuracy intervals", () => {
  assert.ok(Math.abs(binomialSE(0.97, 10000) - 0.001706) < 1e-6);
  const [lo, hi] = wilson95(0.97, 10000);
  assert.ok(lo < 0.97 && hi > 0.97 && Math.abs(hi - lo - 2 * 1.96 * 0.001706) < 2e-4);
});

test("the TensorFlow.js MLP trains on the WebAssembly backend, reproducibly", async () => {
  const { trainTfMlp, predictTfMlp } = await import("../lib/baselines/tfmlp");
  const small = {
    n: 2000,
    pixels: split.train.pixels.subarray(0, 2000 * 784),
    labels: split.train.labels.subarray(0, 2000),
  };
  const opts = { epochs: 2, batchSize: 100, lr: 1e-3, seed: 4, layers: [32] };
  const a = predictTfMlp(await trainTfMlp(small, opts), split.val);
  const b = predictTfMlp(await trainTfMlp(small, opts), split.val);
  const tf = await import("@tensorflow/tfjs");
  assert.equal(tf.getBackend(), "wasm");
  assert.deepEqual(a.predicted, b.predicted);
  // Two epochs of a tiny net on 2,000 raw-pixel images: well above chance (0.1), far from converged.
  assert.ok(accuracy(a.predicted, split.val.labels) > 0.4, `${accuracy(a.predicted, split.val.labels)}`);
});
