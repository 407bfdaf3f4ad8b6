/**
 * Table 2's framework MLP by the original's recipe (lib/baselines/tforiginal.ts): its step is the
 * full-batch Adam step of plain autodiff, an interrupted run resumes to the same numbers, and the
 * committed record is what its weights and the code give.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as tf from "@tensorflow/tfjs";
import { loadMnistPackage } from "../lib/data/sources";
import { BaselineResult, baselineProblem } from "../lib/baselines/cache";
import {
  checkOriginalPrefix,
  initialWeights,
  predictFromWeights,
  trainOriginalRecipe,
} from "../lib/baselines/tforiginal";
import { sha256 } from "../lib/data/checksum";
import { profile, reportSets } from "../lib/experiment/profile";
import { OriginalCurves, readOriginalWeights, weightsOf } from "../lib/baselines/results";
import { InputError } from "../lib/common/errors";
import { CLASSES, INPUT } from "../lib/data/shapes";

const ds = loadMnistPackage();
const part = (from: number, n: number) => ({
  n,
  pixels: ds.train.pixels.subarray(from * INPUT, (from + n) * INPUT),
  labels: ds.train.labels.subarray(from, from + n),
});
const sets = { train: part(0, 600), val: part(600, 200), test: part(800, 100) };

test("a step of the original's recipe is plain autodiff's full-batch Adam step, whatever the chunks", async () => {
  const r = { steps: 3, lr: 1e-3, seed: 9, chunk: 200, validateEvery: 1 };
  const ours = await trainOriginalRecipe(sets, r, null);
  // The same network by tf's own matMul gradient, all 600 images at once.
  const v = initialWeights(r.seed),
    opt = tf.train.adam(r.lr);
  const x = tf.tensor2d(Float32Array.from(sets.train.pixels), [600, INPUT]),
    y = tf.oneHot(tf.tensor1d(Int32Array.from(sets.train.labels), "int32"), CLASSES);
  const loss: number[] = [];
  for (let s = 0; s < r.steps; s++) {
    const l = opt.minimize(
      () => {
        let a: tf.Tensor2D = x;
        for (let k = 0; k < 3; k++) {
          const z = tf.add(tf.matMul(a, v[2 * k] as tf.Tensor2D), v[2 * k + 1]) as tf.Tensor2D;
          a = k < 2 ? tf.relu(z) : z;
        }
        return tf.losses.softmaxCrossEntropy(y, a) as tf.Scalar;
      },
      true,
      v,
    )!;
    loss.push((await l.data())[0]);
    l.dispose();
  }
  tf.dispose([...v, x, y]);
  opt.dispose();
  assert.equal(ours.curves.loss.length, 3);
  for (let s = 0; s < 3; s++)
    assert.ok(
      Math.abs(ours.curves.loss[s] - loss[s]) <= 1e-5 * loss[s],
      `step ${s + 1}: ${ours.curves.loss[s]} vs ${loss[s]}`,
    );
  assert.ok(ours.curves.loss[2] < ours.curves.loss[0], "the loss falls");
  assert.deepEqual(
    ours.curves.validation.map((v) => v[0]),
    [0, 1, 2, 3],
  );
});

test(
  "an interrupted run of the original's recipe resumes from its checkpoint to the uninterrupted run's numbers",
  async () => {
    const r = { steps: 5, lr: 1e-3, seed: 3, chunk: 300, validateEvery: 2 };
    const whole = await trainOriginalRecipe(sets, r, null);
    const path = join(tmpdir(), `tforiginal-${process.pid}.json`);
    try {
      await assert.rejects(
        trainOriginalRecipe(sets, r, { path, key: "k", every: 2 }, (s) => {
          if (s === 3) throw new Error("interrupted");
        }),
        /interrupted/,
      );
      let from = -1;
      const resumed = await trainOriginalRecipe(sets, r, { path, key: "k", every: 2 }, (_s, _c, f) => (from = f));
      assert.equal(from, 2, "resumed after the checkpoint of step 2");
      assert.deepEqual(resumed.curves.loss, whole.curves.loss);
      assert.deepEqual(resumed.curves.trainAccuracy, whole.curves.trainAccuracy);
      assert.deepEqual(resumed.curves.validation, whole.curves.validation);
      assert.deepEqual(resumed.weights, whole.weights);
      // Another run's checkpoint (another key) is not resumed.
      let other = -1;
      await trainOriginalRecipe(
        sets,
        { ...r, steps: 3 },
        { path, key: "another", every: 2 },
        (_s, _c, f) => (other = f),
      );
      assert.equal(other, 0);
      // A damaged or edited checkpoint is refused in one sentence, never resumed nor silently restarted.
      await assert.rejects(
        trainOriginalRecipe(sets, r, { path, key: "k", every: 2 }, (s) => {
          if (s === 3) throw new Error("interrupted");
        }),
        /interrupted/,
      );
      const good = readFileSync(path, "utf8");
      const ck = JSON.parse(good);
      ck.weights[0] = ck.weights[0].map((w: number) => 2 * w); // w1 doubled
      for (const [damaged, says] of [
        [JSON.stringify(ck), /does not match the SHA-256 it carries/],
        [good.slice(0, good.length >> 1), /is not a readable checkpoint \(cut short or damaged\)/],
      ] as const) {
        writeFileSync(path, damaged);
        let started = false;
        await assert.rejects(
          trainOriginalRecipe(sets, r, { path, key: "k", every: 2 }, () => (started = true)),
          (e: Error) => e instanceof InputError && says.test(e.message) && e.message.includes(path),
        );
        assert.equal(started, false, "no step was trained");
      }
    } finally {
      rmSync(path, { force: true });
    }
  },
);

test("the framework's weights are checked against the SHA-256 their record names, whenever the record is read", () => {
  const prof = profile("full");
  const r = JSON.parse(readFileSync(join(prof.baselinesDir, "tf-mlp-original.json"), "utf8")) as BaselineResult;
  assert.equal(readOriginalWeights(prof.baselinesDir, r).length, 6);
  const dir = mkdtempSync(join(tmpdir(), "weights-"));
  try {
    const bytes = readFileSync(join(prof.baselinesDir, "tf-mlp-original.weights.bin"));
    bytes[1000] ^= 1; // one bit
    writeFileSync(join(dir, "tf-mlp-original.weights.bin"), bytes);
    assert.throws(
      () => readOriginalWeights(dir, r),
      (e: Error) => e instanceof InputError && /is not the weights its record names/.test(e.message),
    );
    rmSync(join(dir, "tf-mlp-original.weights.bin"));
    assert.throws(() => readOriginalWeights(dir, r), /is missing; its record \(tf-mlp-original\.json\) names it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "the committed run of the original's recipe: its weights give its predictions, and its first steps recompute",
  async () => {
    const prof = profile("full"),
      full = reportSets(prof.data, prof.seed);
    const r = JSON.parse(readFileSync(join(prof.baselinesDir, "tf-mlp-original.json"), "utf8")) as BaselineResult;
    assert.equal(baselineProblem(r, full.test.labels), null);
    assert.deepEqual(r.settings, prof.baselines.tfOriginal, "made with the profile's recipe");
    assert.equal(r.dataChecksum, full.ds.checksum);
    const c = r.notes as unknown as OriginalCurves & { weights: { file: string; sha256: string } };
    assert.equal(c.loss.length, prof.baselines.tfOriginal.steps);
    assert.equal(c.validation.length, prof.baselines.tfOriginal.steps / prof.baselines.tfOriginal.validateEvery + 1);
    const bytes = readFileSync(join(prof.baselinesDir, c.weights.file));
    assert.equal(sha256(bytes), c.weights.sha256);
    const predicted = await predictFromWeights(weightsOf(bytes), full.test);
    assert.equal(Array.from(predicted).join(""), r.predicted);
    const check = await checkOriginalPrefix(full, prof.baselines.tfOriginal, r, 2);
    console.log(check.text);
    assert.ok(check.withinBand, check.text);
  },
);
