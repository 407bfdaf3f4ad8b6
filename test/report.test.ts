import { test } from "node:test";
import assert from "node:assert/strict";
import { PNG } from "pngjs";
import * as dfd from "danfojs-node";
import { diverging, enlargePng, matrixPng } from "../lib/display/images";
import { frameCsv } from "../lib/display/tables";
import { makePredictor } from "../lib/engine/engine";
import { initParams } from "../lib/mlp/model";
import { makeRng } from "../lib/common/rng";
import { loadMnistPackage } from "../lib/data/sources";
import { toSparse } from "../lib/data/features";
import { ITEM_NAMES, ablations, figure3, figure4, pickItems, unitTiles } from "../lib/report/registry";
import { firstEpochReaching, lowestLossEpoch } from "../lib/report/ablations";
import { RunRecord } from "../lib/experiment/runrecord";
import { figure4Rows } from "../lib/report/figure4";
import { InputError } from "../lib/common/errors";
import { discordant, mcnemarExact, meanInterval } from "../lib/report/stats";

test("the diverging scale: blue below zero, white at zero, red above, clipped at the scale", () => {
  assert.deepEqual(diverging(0, 1), [255, 255, 255]);
  assert.deepEqual(diverging(1, 1), [255, 0, 0]);
  assert.deepEqual(diverging(-5, 1), [0, 0, 255]);
});

test("pictures: matrices one pixel per value, enlargement makes blocks of the same colours", () => {
  const values = Float64Array.from([-1, 0, 1, 0.5, -0.5, 0]);
  const small = PNG.sync.read(Buffer.from(matrixPng(values, 2, 3, 1)));
  assert.deepEqual([small.width, small.height], [3, 2]);
  const big = PNG.sync.read(Buffer.from(enlargePng(matrixPng(values, 2, 3, 1), 3)));
  assert.deepEqual([big.width, big.height], [9, 6]);
  for (let y = 0; y < 6; y++)
    for (let x = 0; x < 9; x++) {
      const a = (y * 9 + x) * 4,
        b = (Math.floor(y / 3) * 3 + Math.floor(x / 3)) * 4;
      assert.deepEqual([...big.data.subarray(a, a + 4)], [...small.data.subarray(b, b + 4)]);
    }
  assert.deepEqual(
    PNG.sync.read(Buffer.from(matrixPng(values, 2, 3, 1, 3))).data,
    big.data,
    "matrixPng's own scale is the same enlargement",
  );
});

test(
  "report items build from computed numbers: Figure 3's panels, the unit tiles' size, Figure 4 from a " +
    "predictor's hidden layer",
  () => {
    const p = initParams(16, makeRng(1, "init"));
    const tiles = unitTiles.build({ params: p }, { cols: 8, scale: 1 }).picture;
    assert.equal(tiles.kind, "png");
    if (tiles.kind === "png") assert.equal(PNG.sync.read(Buffer.from(tiles.png)).width, 8 * 30 + 2);
    const f3 = figure3.build({ initial: p, params: p }, {}).figure;
    assert.ok(f3.kind === "plotly");
    if (f3.kind === "plotly") {
      assert.equal((f3.figure.layout as { images: unknown[] }).images.length, 2); // W1 before and after
      assert.equal(f3.figure.data.length, 1 + 6); // the W1 colour bar, then W2, b1, b2 twice
    }
    const ds = loadMnistPackage();
    const rows = figure4Rows(ds.train.n, 5, { count: 2, indices: null });
    assert.deepEqual(figure4Rows(ds.train.n, 5, { count: 2, indices: null }), rows, "seeded");
    assert.deepEqual(figure4Rows(ds.train.n, 5, { count: 2, indices: [3, 1] }), [3, 1]);
    const hidden = makePredictor("reference", p, 0.95, 0).predict(toSparse(ds.train), { hidden: rows }).hidden!;
    const f4 = figure4.build({ test: ds.train, hidden, keepProb: 0.95 }, figure4.defaults).figure;
    assert.ok(f4.kind === "plotly" && f4.figure.data.length === 2 * 4);
  },
);

test("the registry knows every item by the report's name and refuses others in one sentence", () => {
  for (const n of ["figure1", "figure2", "figure3", "figure4", "table1", "table2", "table3"])
    assert.ok(ITEM_NAMES.includes(n), n);
  assert.deepEqual(pickItems(["table3", "figure1"]), ["figure1", "table3"], "in the report's order");
  assert.deepEqual(pickItems([]), ITEM_NAMES);
  assert.throws(
    () => pickItems(["figure9"]),
    (e) =>
      e instanceof InputError && /"figure9" is not a report item; expected one of figure1|class-counts/.test(e.message),
  );
});

test("tables export as CSV with full precision, quoting where needed, NaN as empty", () => {
  const df = new dfd.DataFrame([
    { model: "a, b", acc: 0.9676666666666667, original: NaN },
    { model: 'say "x"', acc: 1, original: 0.5 },
  ]);
  assert.equal(frameCsv(df), 'model,acc,original\n"a, b",0.9676666666666667,\n"say ""x""",1,0.5\n');
});

test(
  "McNemar's exact test: known values, symmetric, 1 when nothing is discordant; discordant " +
    "counts from predictions",
  () => {
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-8 * b, `${a} vs ${b}`);
    close(mcnemarExact(2, 8), 112 / 1024); // 2 (1 + 10 + 45) / 2^10
    close(mcnemarExact(8, 2), 112 / 1024);
    close(mcnemarExact(0, 5), 2 / 32);
    close(mcnemarExact(0, 0), 1);
    close(mcnemarExact(7, 7), 1); // capped
    close(mcnemarExact(1, 0), 1); // 2 x P(X <= 0 | n = 1) = 1
    close(mcnemarExact(95, 207), 1.0390861312191252e-10); // exact sums (Python's integers) for the tail
    close(mcnemarExact(90, 507), 1.8417167023335296e-71);
    const labels = [0, 1, 2, 3, 4, 5],
      a = [0, 1, 2, 9, 9, 5],
      b = [0, 9, 9, 3, 9, 5];
    assert.deepEqual(discordant(labels, a, b), { b: 2, c: 1 });
  },
);

test("mean, sd and the 95% t-interval of a few values match known values", () => {
  const r = meanInterval([1, 2, 3, 4, 5]);
  assert.equal(r.mean, 3);
  assert.ok(Math.abs(r.sd - Math.sqrt(2.5)) < 1e-12);
  // t(0.975, 4) = 2.7764451051977987 (R: qt(0.975, 4)); half-width = t sd / sqrt(5)
  assert.ok(Math.abs(r.hi - r.mean - (2.7764451051977987 * Math.sqrt(2.5)) / Math.sqrt(5)) < 1e-7, `${r.hi}`);
  const two = meanInterval([0.96, 0.97]); // t(0.975, 1) = 12.706204736174704
  assert.ok(Math.abs(two.hi - 0.965 - (12.706204736174704 * Math.sqrt(0.00005)) / Math.sqrt(2)) < 1e-7);
  assert.throws(() => meanInterval([1]), /at least 2 values/);
});

test(
  "the ablations' convergence columns: first epoch reaching an accuracy, epoch of the lowest loss, and the " +
    "reading built from them",
  () => {
    const run = (valAcc: number[], valLoss: number[]) =>
      ({
        metrics: { epoch: valAcc.map((_, e) => e), valAcc, valLoss, trainLoss: null, trainAcc: null },
        best: { valAcc: Math.max(...valAcc), epoch: valAcc.indexOf(Math.max(...valAcc)) },
        seconds: 1,
        config: { h: 8, lr: 0.01, lambda: 0 },
        data: { nVal: 100 },
      }) as unknown as RunRecord;
    const slow = run([0.5, 0.9, 0.94, 0.95, 0.96], [2, 1, 0.5, 0.4, 0.3]);
    const fast = run([0.5, 0.95, 0.96, 0.96, 0.97], [2, 0.3, 0.2, 0.3, 0.4]);
    assert.equal(firstEpochReaching(slow, 0.95), 3);
    assert.equal(firstEpochReaching(fast, 0.95), 1);
    assert.equal(firstEpochReaching(slow, 0.99), null);
    assert.equal(lowestLossEpoch(slow), 4);
    assert.equal(lowestLossEpoch(fast), 2);
    const out = ablations.build(
      {
        variants: [
          { name: "base", runs: [slow, slow] },
          { name: "change", runs: [fast, fast] },
        ],
      },
      ablations.defaults,
    );
    const text = (out.reading as { text: string }).text;
    assert.match(text, /\*\*change\*\*.*reached 0\.95 validation accuracy at epoch 1 on average \(faithful: 3\)/);
    assert.match(
      text,
      /lowest at epoch 2 on average and ended 100% above that, while its best validation accuracy came at epoch 4/,
    );
    const hard = ablations.build(
      {
        variants: [
          { name: "base", runs: [slow, slow] },
          { name: "change", runs: [fast, slow] },
        ],
      },
      { reach: 0.97 },
    );
    assert.match(
      (hard.reading as { text: string }).text,
      /did not reach 0\.97 validation accuracy \(not reached by 1 of 2 seeds\)/,
    );
  },
);
