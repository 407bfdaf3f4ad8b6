import { test } from "node:test";
import assert from "node:assert/strict";
import { makeConfig } from "../lib/mlp/config";
import { loadMnistPackage } from "../lib/data/sources";
import { splitTrainValidation } from "../lib/data/split";
import { engineVersion, makeEngine, makePredictor } from "../lib/engine/engine";
import { activations, forward } from "../lib/mlp/forward";
import { evaluate } from "../lib/mlp/evaluate";
import { toSparse } from "../lib/data/features";
import { initParams } from "../lib/mlp/model";
import { makeRng } from "../lib/common/rng";
import { fixedBatches, train } from "../lib/experiment/train";
import { WasmNet } from "../lib/engine/wasmcore";

const ds = loadMnistPackage();
const split = splitTrainValidation(ds.train, 1);
const tr = toSparse(split.train),
  va = toSparse(split.val);

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test("wasm (float32) and reference (float64) evaluate the same net alike", () => {
  for (const h of [32, 30]) {
    // 30: exercises the padding of h to a multiple of 4
    const p = initParams(h, makeRng(4, "init"));
    const net = new WasmNet(h);
    net.setParams(p);
    assert.ok(maxDiff(net.params().w1, p.w1) < 1e-8, "parameters round-trip through float32");
    const set = net.loadSet(va);
    const fast = net.evaluate(set, 0.95, 5e-4),
      ref = evaluate(p, va, 0.95, 5e-4);
    assert.ok(Math.abs(fast.loss - ref.loss) / ref.loss < 1e-6, `${fast.loss} vs ${ref.loss}`);
    assert.ok(Math.abs(fast.correct - ref.correct) <= 2, `${fast.correct} vs ${ref.correct}`);
    const out = makePredictor("wasm", p, 0.95, 5e-4).predict(va);
    const refPred = makePredictor("reference", p, 0.95, 5e-4).predict(va);
    assert.deepEqual(out.evaluation, fast);
    assert.deepEqual(refPred.evaluation, ref);
    let agree = 0;
    for (let s = 0; s < va.n; s++) if (out.predicted[s] === refPred.predicted[s]) agree++;
    assert.ok(agree >= va.n - 2);
    assert.ok(maxDiff(out.probabilities, refPred.probabilities) < 1e-4);
  }
});

test(
  "a trained engine predicts as a predictor made from its weights, and both give Figure 4's hidden layer by the " +
    "float64 equations",
  () => {
    for (const name of ["wasm", "reference"] as const) {
      const config = makeConfig({ h: 16, epochs: 1 });
      const engine = makeEngine(name, config, initParams(16, makeRng(2, "init")), tr, va);
      const batches = fixedBatches(tr.n, 20, makeRng(2, "batches")),
        rng = makeRng(2, "steps");
      for (let b = 0; b < 50; b++) engine.update(batches[b], rng);
      const rows = [0, 7, 3];
      const a = engine.predict(va, { hidden: rows }),
        b = makePredictor(name, engine.params(), config.keepProb, config.lambda).predict(va, { hidden: rows });
      assert.deepEqual(a, b, name);
      assert.equal(a.hidden!.z1.length, rows.length * 16);
      const act = activations(16);
      forward(engine.params(), va, 7, null, config.keepProb, act);
      assert.deepEqual(a.hidden!.z1.subarray(16, 32), act.z1);
      assert.deepEqual(a.hidden!.a1.subarray(16, 32), act.a1);
      assert.deepEqual(a.hidden!.p.subarray(10, 20), act.p);
      assert.equal(
        a.evaluation.correct,
        a.predicted.reduce((n, k, s) => n + (k === va.labels[s] ? 1 : 0), 0),
      );
      assert.throws(() => engine.predict(va, { hidden: [va.n] }), /image \d+ is not in the set/);
      engine.close();
    }
  },
);

test("wasm and reference updates agree within float32 tolerance on the same random stream", () => {
  const config = makeConfig({ h: 32 });
  const p0 = initParams(32, makeRng(1, "init"));
  const fast = makeEngine("wasm", config, p0, tr, va),
    ref = makeEngine("reference", config, p0, tr, va);
  const batches = fixedBatches(tr.n, 20, makeRng(1, "batches"));
  const ra = makeRng(1, "steps"),
    rb = makeRng(1, "steps");
  fast.update(batches[0], ra);
  ref.update(batches[0], rb);
  // One step: the float32 rounding of values of size ~0.1 (about 1e-8), nothing more.
  assert.ok(maxDiff(fast.params().w1, ref.params().w1) < 1e-7);
  assert.ok(maxDiff(fast.params().w2, ref.params().w2) < 1e-6);
  for (let k = 1; k < 100; k++) {
    fast.update(batches[k], ra);
    ref.update(batches[k], rb);
  }
  // 100 steps: rounding differences grow (Adagrad's early steps are ~lr * sign(g)) but stay small.
  assert.ok(maxDiff(fast.params().w1, ref.params().w1) < 1e-3);
  assert.ok(Math.abs(fast.evaluate("val").accuracy - ref.evaluate("val").accuracy) <= 0.005);
  assert.equal(initParams(32, makeRng(1, "init")).w1[5], p0.w1[5], "engines never modify the initial parameters");
});

test("the wasm engine is deterministic and is the default for the original's update", async () => {
  const config = makeConfig({ h: 32, epochs: 2 });
  const info = { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: va.n };
  const a = await train(config, tr, va, { seed: 2, data: info });
  const b = await train(config, tr, va, { seed: 2, data: info });
  assert.equal(a.record.engine, "wasm");
  assert.deepEqual(a.record.metrics, b.record.metrics);
  assert.deepEqual(a.params.w1, b.params.w1);
});

// The percentile q (0..1) of |a - b| over all entries.
const quantileDiff = (a: Float64Array, b: Float64Array, q: number) => {
  const d = Array.from(a, (v, i) => Math.abs(v - b[i])).sort((x, y) => x - y);
  return d[Math.min(d.length - 1, Math.floor(q * d.length))];
};

test("the minibatch update: wasm (float32) and reference (float64) agree on the same random stream", () => {
  for (const h of [32, 30]) {
    // 30: the padding of h to a multiple of 4
    const config = makeConfig({ h, minibatch: true });
    const p0 = initParams(h, makeRng(1, "init"));
    const fast = makeEngine("wasm", config, p0, tr, va),
      ref = makeEngine("reference", config, p0, tr, va);
    const batches = fixedBatches(tr.n, 20, makeRng(1, "batches"));
    const ra = makeRng(1, "steps"),
      rb = makeRng(1, "steps");
    fast.update(batches[0], ra);
    ref.update(batches[0], rb);
    const f = fast.params(),
      r = ref.params();
    // One update: the float32 rounding of values of size ~0.1, for W2, b2, b1 and 99.9% of W1.
    for (const k of ["w2", "b2", "b1"] as const)
      assert.ok(maxDiff(f[k], r[k]) < 1e-7, `h=${h} ${k}: ${maxDiff(f[k], r[k])}`);
    assert.ok(quantileDiff(f.w1, r.w1, 0.99) < 1e-7, `h=${h} w1, 99th percentile`);
    // The rest are weights whose mean gradient is near 0: a sum of 20 terms of size ~|x d1| that
    // cancel, where float32's rounding (of p - 1 for a confident sample, say) is a sizeable part of
    // what is left, and Adagrad's first step, lr g / (1e-7 + |g|), is sensitive to it. Bounded by lr / 10.
    assert.ok(maxDiff(f.w1, r.w1) < config.lr / 10, `h=${h} w1: ${maxDiff(f.w1, r.w1)}`);
    for (let k = 1; k < 100; k++) {
      fast.update(batches[k], ra);
      ref.update(batches[k], rb);
    }
    // 100 updates: the differences stay small (the single-sample engines drift further apart at h = 30).
    assert.ok(quantileDiff(fast.params().w1, ref.params().w1, 0.99) < 1e-4, `h=${h}: 100 updates`);
    assert.ok(Math.abs(fast.evaluate("val").accuracy - ref.evaluate("val").accuracy) <= 0.005);
    fast.close();
    ref.close();
  }
});

test(
  "the minibatch option runs on the fast engine by default, deterministically, and names both modules in its " +
    "identity",
  async () => {
    const config = makeConfig({ h: 30, epochs: 2, minibatch: true });
    const info = { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: va.n };
    const a = await train(config, tr, va, { seed: 2, data: info, evalThreads: 1 });
    const b = await train(config, tr, va, { seed: 2, data: info, evalThreads: 2 });
    assert.equal(a.record.engine, "wasm");
    assert.deepEqual(a.record.metrics, b.record.metrics);
    assert.deepEqual(a.params.w1, b.params.w1);
    assert.match(a.record.engineVersion, /^wasm-src-[0-9a-f]{12}\+minibatch-[0-9a-f]{12}$/);
    assert.equal(
      a.record.engineVersion.split("+")[0],
      engineVersion("wasm"),
      "the core's definition is the single-sample engine's",
    );
    assert.match(a.record.engineBuild!, /^[0-9a-f]{12}\+[0-9a-f]{12}$/);
    const acc = a.record.metrics.valAcc;
    assert.ok(acc[2] > acc[0] + 0.3, `learns: ${acc}`);
    // A net without the minibatch module refuses the minibatch step, and masks must fit the batch.
    const net = new WasmNet(8);
    assert.throws(
      () => net.batchStep(net.loadSet(va), new Uint32Array([0]), new Float64Array(8), 0.01, 0),
      /without the minibatch module/,
    );
    const mb = new WasmNet(8, true);
    assert.throws(
      () => mb.batchStep(mb.loadSet(va), new Uint32Array([0, 1]), new Float64Array(8), 0.01, 0),
      /expected 2 masks of 8 units/,
    );
  },
);

test("evaluation is bit-identical on 1, 2 and 3 threads and whatever samples share a block", async () => {
  const config = makeConfig({ h: 30, epochs: 2 }); // 30: the kernel's remainder path too
  const info = { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: va.n };
  const one = await train(config, tr, va, { seed: 3, data: info, evalThreads: 1 });
  for (const evalThreads of [2, 3]) {
    const many = await train(config, tr, va, { seed: 3, data: info, evalThreads });
    assert.deepEqual(many.record.metrics, one.record.metrics, `${evalThreads} threads`);
  }
  // Each sample's cross-entropy is the same evaluated with the whole set or alone.
  const net = new WasmNet(30);
  net.setParams(one.params);
  const set = net.loadSet(va);
  const all = new Float64Array(va.n),
    alone = new Float64Array(1);
  const correct = net.evaluatePart(set, 0, va.n, 0.95, all);
  let right = 0;
  for (let s = 0; s < va.n; s++) {
    right += net.evaluatePart(set, s, 1, 0.95, alone);
    assert.equal(alone[0], all[s], `sample ${s}`);
  }
  assert.equal(right, correct);
  assert.throws(() => makeEngine("wasm", config, one.params, tr, va, 0), /evalThreads = 0 is invalid/);
});
