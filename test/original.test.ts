import { test } from "node:test";
import assert from "node:assert/strict";
import { loadOriginalRecord, parseOriginalRecord } from "../lib/experiment/original";

test("the original's record parses into 27 runs of 200 epochs; its Table 1 follows from it", () => {
  const runs = loadOriginalRecord();
  assert.equal(runs.length, 27);
  assert.ok(runs.every((r) => r.epoch.length === 200 && r.accuracy.length === 200));
  const top = [...runs].sort((a, b) => b.best.accuracy - a.best.accuracy).slice(0, 4);
  // The report's Table 1, first rows: (128, 0.01, 5e-4) 0.9672 @193; (128, 0.01, 1e-4) 0.9655 @178; ...
  assert.deepEqual(
    top.map((r) => [r.h, r.lr, r.lambda, r.best.accuracy, r.best.epoch]),
    [
      [128, 0.01, 0.0005, 0.9672, 193],
      [128, 0.01, 0.0001, 0.9655, 178],
      [128, 0.01, 0.001, 0.9645, 161],
      [128, 0.008, 0.001, 0.9633, 194],
    ],
  );
  // Every accuracy is a multiple of 1/10000: measured on the 10,000-image test set.
  assert.ok(runs.every((r) => r.accuracy.every((a) => Math.abs(a * 10000 - Math.round(a * 10000)) < 1e-6)));
});

test("a record with no header is refused", () => {
  assert.throws(
    () => parseOriginalRecord("epoch: 0 loss: 1 accuracy: 0.1\n", "r.txt"),
    /r\.txt line 1 has an epoch before any/,
  );
  assert.throws(() => parseOriginalRecord("nothing\n", "r.txt"), /holds no "Tuning Parameters" section/);
});
