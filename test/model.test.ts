import { test } from "node:test";
import assert from "node:assert/strict";
import { accumulators, adagradAll } from "../lib/mlp/adagrad";
import { loadMnistPackage } from "../lib/data/sources";
import { splitTrainValidation } from "../lib/data/split";
import { evaluate } from "../lib/mlp/evaluate";
import { makePredictor } from "../lib/engine/engine";
import { SparseSet, toSparse } from "../lib/data/features";
import { activations, forward } from "../lib/mlp/forward";
import { argmax, softmax } from "../lib/mlp/softmax";
import { gradientCheck } from "../lib/mlp/gradcheck";
import { sampleGradient } from "../lib/mlp/gradient";
import { initParams, zeroParams } from "../lib/mlp/model";
import { makeRng } from "../lib/common/rng";
import { drawMask } from "../lib/engine/engine";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

/** One sample lighting pixels 0 and 1 with x = (1, 2), label 0. */
function tinySet(): SparseSet {
  return {
    n: 1,
    rowPtr: Int32Array.from([0, 2]),
    index: Uint16Array.from([0, 1]),
    value: Float64Array.from([1, 2]),
    labels: Uint8Array.from([0]),
  };
}

test("a hand-computed forward, backward and Adagrad step (h = 2)", () => {
  const p = zeroParams(2);
  p.w1.set([0.1, -0.2, 0.3, 0.1]); // rows of pixels 0 and 1
  p.b1.set([0, 0.05]);
  p.w2[0 * 10 + 0] = 1; // unit 0 -> class 0
  p.w2[1 * 10 + 1] = 1; // unit 1 -> class 1
  const lb = 0.01; // lambda / B
  const mask = Float64Array.from([1, 0]); // unit 1 dropped
  const act = activations(2);
  const g = zeroParams(2);
  const ce = sampleGradient(p, tinySet(), 0, mask, 0.95, lb, act, g);

  // z1 = (0.1*1 + 0.3*2, -0.2*1 + 0.1*2 + 0.05) = (0.7, 0.05); a1 = (0.7, 0) after the mask.
  close(act.z1[0], 0.7);
  close(act.z1[1], 0.05);
  assert.deepEqual(Array.from(act.a1), [0.7, 0]);
  // z2 = (0.7, 0, ..., 0): p0 = e^0.7 / (e^0.7 + 9).
  const p0 = Math.exp(0.7) / (Math.exp(0.7) + 9),
    pk = 1 / (Math.exp(0.7) + 9);
  close(ce, Math.log(Math.exp(0.7) + 9) - 0.7);
  close(act.p[0], p0);
  // d2 = p - onehot(0); db2 = d2; dW2 row 0 = a1_0 d2 + lb W2, row 1 = lb W2.
  close(g.b2[0], p0 - 1);
  close(g.b2[5], pk);
  close(g.w2[0], 0.7 * (p0 - 1) + lb * 1);
  close(g.w2[3], 0.7 * pk);
  close(g.w2[10 + 1], lb * 1);
  close(g.w2[10 + 2], 0);
  // d1 = (d2 W2^T) * [a1 > 0] = (p0 - 1, 0): the dropped unit gets no gradient.
  close(g.b1[0], p0 - 1);
  assert.equal(g.b1[1], 0);
  // dW1 = x^T d1 + lb W1: row 0 = (1*(p0-1) + lb*0.1, lb*(-0.2)), row 1 = (2*(p0-1) + lb*0.3, lb*0.1).
  close(g.w1[0], p0 - 1 + lb * 0.1);
  close(g.w1[1], lb * -0.2);
  close(g.w1[2], 2 * (p0 - 1) + lb * 0.3);
  close(g.w1[3], lb * 0.1);
  assert.equal(g.w1[4], 0); // an unlit pixel with zero weight

  // First Adagrad step: C = g^2, so theta moves by lr * g / (1e-7 + |g|), i.e. almost lr * sign(g).
  const c = accumulators(2);
  const before = p.w1[0];
  adagradAll(p, g, c, 0.01);
  close(c.w1[0], g.w1[0] ** 2);
  close(p.w1[0], before - (0.01 * g.w1[0]) / (1e-7 + Math.abs(g.w1[0])));
  assert.equal(p.w1[4], 0); // a zero gradient leaves the weight alone
});

test("the gradient matches central finite differences (relative error < 1e-6, float64)", () => {
  const ds = loadMnistPackage();
  for (const pixels of ["unit", "raw"] as const) {
    const set = toSparse(ds.train, pixels);
    const p = initParams(12, makeRng(7, "init"));
    // With raw 0..255 pixels the untrained net's logits are in the hundreds and the loss in the
    // thousands, where finite differences lose ~1e-4 to cancellation; smaller weights keep the
    // check well conditioned without changing the code under test.
    if (pixels === "raw") for (const w of [p.w1, p.w2]) for (let i = 0; i < w.length; i++) w[i] *= 0.02;
    const mask = new Float64Array(12);
    drawMask(mask, 0.8, makeRng(7, "mask"));
    for (const s of [3, 4321, 9876]) {
      const r = gradientCheck(p, set, s, mask, 0.8, 5e-4 / 20, 1e-5);
      assert.ok(r.max < 1e-6, `${pixels} sample ${s}: ${JSON.stringify(r)}`);
    }
  }
});

test("softmax and the loss stay finite for huge logits (raw pixels)", () => {
  const z = Float64Array.from([5000, 1000, -3000, 0, 0, 0, 0, 0, 0, 0]);
  const p = new Float64Array(10);
  const ce = softmax(z, p) - z[1]; // -log p[1]
  assert.equal(p[0], 1);
  assert.equal(ce, 4000);
  assert.ok(p.every(Number.isFinite));
});

test("argmax takes the first of equal maxima, also within a slice of a flat array", () => {
  assert.equal(argmax([1, 3, 3, 2]), 1);
  const flat = Float64Array.from([9, 0, 0, 0.2, 0.7, 0.7, 0.1]);
  assert.equal(argmax(flat, 3, 4), 1); // [0.2, 0.7, 0.7, 0.1]
  assert.equal(argmax(flat, 0, 3), 0);
});

test("evaluation scales a1 by keepProb, adds the L2 term, and agrees with the reference predictor", () => {
  const ds = loadMnistPackage();
  const { val } = splitTrainValidation(ds.train, 1);
  const set = toSparse(val);
  const p = initParams(8, makeRng(3, "init"));
  const act = activations(8);
  let ce = 0;
  for (let s = 0; s < set.n; s++)
    ce += forward(
      p,
      set,
      s,
      Float64Array.from({ length: 8 }, () => 0.9),
      0.9,
      act,
    );
  const e = evaluate(p, set, 0.9, 0); // mask of all 0.9 == scaling by keepProb 0.9
  close(e.loss, ce / set.n, 1e-12);
  let l2 = 0;
  for (const w of [p.w1, p.w2]) for (const v of w) l2 += v * v;
  close(evaluate(p, set, 0.9, 0.5).loss, (ce + 0.25 * l2) / set.n, 1e-12);
  const pred = makePredictor("reference", p, 0.9, 0).predict(set);
  const correct = pred.predicted.reduce((n, k, s) => n + (k === set.labels[s] ? 1 : 0), 0);
  assert.equal(correct, e.correct);
});
