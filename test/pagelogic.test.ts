/**
 * The retrain page's logic that needs no browser (lib/web/address.ts, lib/web/compare.ts): what
 * an address means, and how a run in the page is compared with the committed runs. The page itself
 * is driven in Chromium and Firefox by retrain.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readAddress, writeAddress } from "../lib/web/address";
import { comparisonText, differenceAt, findCommitted, nearest } from "../lib/web/compare";
import { makeConfig } from "../lib/mlp/config";
import type { CommittedRun } from "../lib/report/retrainpage";

const NUMBERS = ["h", "lr", "lambda", "keep-prob", "batch", "epochs", "seed"];

test("an address gives the settings it names; anything else is a short problem, three at most and a count", () => {
  const good = readAddress("#h=48&lr=0.009&pixels=unit&minibatch=1&data=files", NUMBERS);
  assert.deepEqual(good, {
    values: { h: "48", lr: "0.009", pixels: "unit", minibatch: "1", data: "files" },
    problems: [],
  });
  assert.deepEqual(readAddress("", NUMBERS), { values: {}, problems: [] });

  const bad = readAddress("#h=48&pixels=grey&minibatch=maybe&data=cloud", NUMBERS);
  assert.deepEqual(bad.values, { h: "48" }, "only the good values are kept");
  assert.deepEqual(bad.problems, [
    'pixels "grey" is neither raw nor unit',
    'minibatch "maybe" is neither 1 (on) nor 0 (off)',
    'data "cloud" is neither files nor quick',
  ]);

  const long = "x".repeat(300);
  assert.deepEqual(readAddress(`#h=${long}`, NUMBERS).problems, ["the address gives h a value of 300 characters"]);
  const stranger = readAddress(`#${"y".repeat(60)}=1`, NUMBERS).problems[0];
  assert.equal(stranger, `the address names "${"y".repeat(40)}…", which is not a setting`, "quoted short");
  assert.deepEqual(readAddress("#constructor=1&__proto__=2", NUMBERS).values, {}, "no inherited names are settings");

  const many = "#" + Array.from({ length: 2000 }, (_, i) => `k${i % 5}=1`).join("&");
  assert.deepEqual(readAddress(many, NUMBERS).problems, [
    'the address names "k0", which is not a setting',
    'the address names "k1", which is not a setting',
    'the address names "k2", which is not a setting',
    "2 more",
  ]);
});

test("an address written from settings reads back as the same settings", () => {
  const numbers = { h: " 64 ", lr: "0.01", lambda: "0.001", "keep-prob": "0.9", batch: "32", epochs: "5", seed: "7" };
  const hash = writeAddress(numbers, "raw", true, true);
  assert.deepEqual(readAddress(hash, NUMBERS), {
    values: { ...numbers, h: "64", pixels: "raw", minibatch: "1", data: "files" },
    problems: [],
  });
  assert.ok(!writeAddress(numbers, "raw", false, false).includes("minibatch"), "off is the default, not written");
});

const run = (h: number, seed: number, valAcc: number[], epochs = valAcc.length - 1): CommittedRun => ({
  file: `data/runs/h${h}-s${seed}.json`,
  config: makeConfig({ h, epochs }),
  seed,
  data: { name: "mnist", checksum: "c0ffee", nTrain: 48000, nVal: 12000 },
  engineVersion: "wasm-src-1",
  metrics: {
    epoch: valAcc.map((_, i) => i),
    valLoss: valAcc.map((a) => 1 - a),
    valAcc,
    trainLoss: null,
    trainAcc: null,
  },
});

test("a page's run is compared with the committed run of its configuration, seed, data and engine, by epoch", () => {
  const committed = [run(32, 1, [0.1, 0.5, 0.7]), run(64, 1, [0.1, 0.6, 0.8]), run(64, 2, [0.1, 0.55, 0.75])];
  const config = makeConfig({ h: 64, epochs: 10 });
  const c = findCommitted(committed, config, 1, "c0ffee", "wasm-src-1");
  assert.equal(c, committed[1], "the same configuration whatever its epoch count, and the same seed");
  assert.equal(findCommitted(committed, config, 3, "c0ffee", "wasm-src-1"), null, "another seed");
  assert.equal(findCommitted(committed, config, 1, "beef", "wasm-src-1"), null, "other data");
  assert.equal(findCommitted(committed, config, 1, "c0ffee", "wasm-src-2"), null, "another engine");

  const same = run(64, 1, [0.1, 0.6, 0.8]).metrics;
  assert.equal(differenceAt(same, c!, 1), null);
  assert.equal(
    comparisonText(c, 1, null, false),
    `Comparing with the committed run ${c!.file}: epochs 0 to 1 identical so far.`,
  );
  assert.equal(
    comparisonText(c, 5, null, true),
    `Same as the committed run ${c!.file}: every epoch identical (epochs 0 to 2 of its 2).`,
    "a longer run is the same over the committed epochs",
  );
  const other = run(64, 1, [0.1, 0.6, 0.8000001]).metrics;
  const differs = differenceAt(other, c!, 2);
  assert.equal(
    differs,
    `differs from the committed run ${c!.file} first at epoch 2: valLoss is ${1 - 0.8000001} here, ${1 - 0.8} there.`,
  );
  assert.equal(comparisonText(c, 2, differs, true), `Your run ${differs}`);
  assert.equal(differenceAt(other, c!, 3), null, "past the committed run's epochs: nothing to compare");
  assert.equal(comparisonText(null, 3, null, false), null, "nothing to say yet");
  assert.match(comparisonText(null, 3, null, true)!, /^No committed run has this configuration/);
});

test("the committed run nearest to some settings: the fewest differing settings, then the nearest h", () => {
  const committed = [
    run(32, 1, [0.1]),
    run(128, 1, [0.1]),
    { ...run(64, 1, [0.1]), config: makeConfig({ h: 64, minibatch: true }) },
  ];
  assert.equal(nearest(committed, makeConfig({ h: 48 })), committed[0]);
  assert.equal(nearest(committed, makeConfig({ h: 100 })), committed[1]);
  assert.equal(nearest(committed, makeConfig({ h: 64, minibatch: true })), committed[2]);
  assert.equal(nearest([], makeConfig({ h: 64 })), null);
});
