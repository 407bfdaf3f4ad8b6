import { test } from "node:test";
import assert from "node:assert/strict";
import { makeConfig } from "../lib/mlp/config";
import { loadMnistPackage } from "../lib/data/sources";
import { splitTrainValidation } from "../lib/data/split";
import { toSparse } from "../lib/data/features";
import { makeRng, permutation } from "../lib/common/rng";
import { fixedBatches, train } from "../lib/experiment/train";

const ds = loadMnistPackage();
const split = splitTrainValidation(ds.train, 5);
const tr = toSparse(split.train),
  va = toSparse(split.val);
const info = { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: va.n };

test("the 4:1 split is seeded and partitions the set", () => {
  assert.equal(split.train.n, 8000);
  assert.equal(split.val.n, 2000);
  const again = splitTrainValidation(ds.train, 5);
  assert.deepEqual(again.val.labels, split.val.labels);
  const other = splitTrainValidation(ds.train, 6);
  assert.notDeepEqual(other.val.labels, split.val.labels);
  const counts = new Array(10).fill(0);
  for (const set of [split.train, split.val]) for (const l of set.labels) counts[l]++;
  const total = new Array(10).fill(0);
  for (const l of ds.train.labels) total[l]++;
  assert.deepEqual(counts, total);
});

test("named random streams are reproducible and independent", () => {
  const a = makeRng(1, "x"),
    b = makeRng(1, "x"),
    c = makeRng(1, "y");
  const va = [a(), a(), a()];
  assert.deepEqual(va, [b(), b(), b()]);
  assert.notDeepEqual(va, [c(), c(), c()]);
  const p = permutation(1000, makeRng(2, "p"));
  assert.deepEqual(
    Array.from(p).sort((x, y) => x - y),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  const batches = fixedBatches(1005, 20, makeRng(2, "b"));
  assert.equal(batches.length, 50);
  assert.ok(batches.every((b) => b.length === 20));
});

test("same seed and data give bit-identical runs; another seed does not", async () => {
  const config = makeConfig({ h: 16, epochs: 3 });
  const a = await train(config, tr, va, { seed: 11, data: info });
  const b = await train(config, tr, va, { seed: 11, data: info });
  const c = await train(config, tr, va, { seed: 12, data: info });
  assert.deepEqual(a.record.metrics, b.record.metrics);
  assert.deepEqual(a.params.w1, b.params.w1);
  assert.notDeepEqual(a.record.metrics.valLoss, c.record.metrics.valLoss);
  assert.equal(a.record.metrics.epoch.length, 4); // before each of 3 epochs, and after the last
  const acc = a.record.metrics.valAcc;
  assert.ok(acc[3] > acc[0] + 0.2, `learns: ${acc}`);
  // A shorter run is exactly the start of a longer one (the epoch count is not in the stream).
  const short = await train(makeConfig({ h: 16, epochs: 2 }), tr, va, { seed: 11, data: info });
  assert.deepEqual(short.record.metrics.valLoss, a.record.metrics.valLoss.slice(0, 3));
});

test("the true-minibatch option trains", async () => {
  const r = await train(makeConfig({ h: 16, epochs: 2, minibatch: true, pixels: "unit", lr: 0.05 }), tr, va, {
    seed: 3,
    data: info,
    evalTrain: false,
  });
  assert.equal(r.record.metrics.trainLoss, null);
  const acc = r.record.metrics.valAcc;
  assert.ok(acc[2] > acc[0] + 0.1, `learns: ${acc}`);
});

test("bad hyperparameters are refused with a sentence naming the value", () => {
  assert.throws(() => makeConfig({ h: 0 }), /h = 0 is out of range/);
  assert.throws(() => makeConfig({ h: 2.5 }), /h = 2.5/);
  assert.throws(() => makeConfig({ lr: -1 }), /lr = -1 is out of range/);
  assert.throws(() => makeConfig({ lr: NaN }), /lr = NaN/);
  assert.throws(() => makeConfig({ keepProb: 0 }), /keep-prob = 0 is out of range; expected a probability in \(0, 1\]/);
  assert.throws(() => makeConfig({ keepProb: 1.01 }), /keep-prob = 1.01/);
  assert.throws(() => makeConfig({ pixels: "scaled" as "raw" }), /pixels = scaled/);
  assert.equal(makeConfig({ keepProb: 1 }).keepProb, 1);
});
