import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { makeConfig } from "../lib/mlp/config";
import { loadMnistPackage } from "../lib/data/sources";
import { engineVersion } from "../lib/engine/engine";
import { sparseSplit } from "../lib/data/features";
import { planGrid } from "../lib/experiment/runner";
import { runIdentity, runPath } from "../lib/experiment/runstore";
import { RunRecord } from "../lib/experiment/runrecord";
import { train } from "../lib/experiment/train";
import { checkBuilds, prefixMismatch } from "../lib/experiment/verify";
import { wasmBuild } from "../lib/engine/wasmfiles";
import { trainingCodeId } from "../lib/experiment/trainingcode";

const ds = loadMnistPackage();
const config = makeConfig({ h: 16, epochs: 4 });

async function record(): Promise<RunRecord> {
  const { train: tr, val } = sparseSplit(ds.train, 7, config.pixels);
  return (
    await train(config, tr, val, {
      seed: 7,
      data: { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: val.n },
      evalThreads: 1,
    })
  ).record;
}

test(
  "records of another binary or training code are reused when this code reproduces a short prefix bit for bit, " +
    "refused when it does not",
  async () => {
    const memo = join(mkdtempSync(join(tmpdir(), "verify-")), "verified.json");
    const code = trainingCodeId();
    const here = `${wasmBuild("core")} with training code ${code}`;
    const good = { ...(await record()), engineBuild: "0123456789ab" };
    const [ok] = await checkBuilds([good], ds, undefined, memo);
    assert.equal(ok.build, `0123456789ab with training code ${code}`);
    assert.equal(ok.reproduced, true, ok.detail);
    assert.match(
      ok.detail,
      /reproduced the 2-epoch prefixes of h=16 lr=0\.01 lambda=0\.0005 of engine build 0123456789ab with training code \w+ bit for bit/,
    );
    // remembered per pair of makers (and per variant of the options)
    const remembered: Record<string, { reproduced: boolean }> = JSON.parse(readFileSync(memo, "utf8"))[here];
    assert.equal(Object.entries(remembered).find(([k]) => k.startsWith("0123456789ab with"))![1].reproduced, true);

    const edited = structuredClone(good);
    edited.engineBuild = "ba9876543210";
    edited.metrics.valLoss[1] += 1e-12; // a different binary that computes differently
    const [bad] = await checkBuilds([edited], ds, undefined, memo);
    assert.equal(bad.reproduced, false);
    assert.match(
      bad.detail,
      /does not reproduce the records of engine build ba9876543210 with training code \w+: h=16 .*valLoss at epoch 1/,
    );
    assert.deepEqual(bad.runs, [edited]);

    // this code's own records need no check; records of other training code (a derived id, or the
    // declared version of older records) are checked like another binary's
    assert.deepEqual(await checkBuilds([{ ...good, engineBuild: wasmBuild("core") }], ds, undefined, memo), []);
    for (const other of [{ trainingCode: "000000000000" }, { trainingCode: undefined, codeVersion: 1 }]) {
      const [c] = await checkBuilds([{ ...good, ...other, engineBuild: wasmBuild("core") }], ds, undefined, memo);
      assert.equal(c.reproduced, true, c.detail);
      assert.equal(c.build, `${wasmBuild("core")} with training code ${other.trainingCode ?? "version 1"}`);
    }

    // A minibatch record names both binaries; it is checked against this build's pair, by its own update.
    const mbConfig = makeConfig({ ...config, minibatch: true });
    const { train: tr, val } = sparseSplit(ds.train, 7, mbConfig.pixels);
    const mb = (await train(mbConfig, tr, val, { seed: 7, data: good.data, evalThreads: 1 })).record;
    assert.equal(mb.engineBuild, `${wasmBuild("core")}+${wasmBuild("minibatch")}`);
    assert.equal(mb.trainingCode, code);
    assert.deepEqual(await checkBuilds([mb], ds, undefined, memo), []);
    const [mbOk] = await checkBuilds([{ ...mb, engineBuild: "0123456789ab+0123456789ab" }], ds, undefined, memo);
    assert.equal(mbOk.reproduced, true, mbOk.detail);
    assert.ok(`${mb.engineBuild} with training code ${code}` in JSON.parse(readFileSync(memo, "utf8")));
  },
);

test("prefixMismatch compares every recorded metric of the first epochs", () => {
  const m = {
    epoch: [0, 1, 2],
    valLoss: [3, 2, 1],
    valAcc: [0.1, 0.5, 0.6],
    trainLoss: [3, 2, 1],
    trainAcc: [0.1, 0.5, 0.7],
  };
  assert.equal(
    prefixMismatch(
      { ...m, epoch: [0, 1], valLoss: [3, 2], valAcc: [0.1, 0.5], trainLoss: [3, 2], trainAcc: [0.1, 0.5] },
      m,
    ),
    null,
  );
  assert.match(
    prefixMismatch({ ...m, trainAcc: [0.1, 0.5, 0.71] }, m)!,
    /^trainAcc at epoch 2: 0\.71 here, 0\.7 recorded$/,
  );
});

test("the grid's plan says what it reads back and why the rest is computed", async () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-"));
  const spec = { hs: [16], lrs: [0.01], lambdas: [5e-4, 1e-3], epochs: 4, data: "mnist", seed: 7 };
  const r = await record(); // the first config, made here
  writeFileSync(runPath(dir, runIdentity(r.config, 7, ds.checksum)), JSON.stringify(r));
  // the second config's record, made by another engine definition
  const other = {
    ...r,
    config: makeConfig({ h: 16, lambda: 1e-3, epochs: 4 }),
    engineVersion: "wasm-src-000000000000",
  };
  writeFileSync(
    runPath(dir, runIdentity(other.config, 7, ds.checksum, "wasm", other.engineVersion)),
    JSON.stringify(other),
  );
  const plan = await planGrid(spec, dir, false, 1);
  assert.equal(plan.records.filter(Boolean).length, 1);
  assert.equal(plan.lines[0], `1 of 2 runs read back from ${dir} (engine ${engineVersion("wasm")}).`);
  assert.match(
    plan.lines[1],
    /^1 to compute \(1: its record was made by engine wasm-src-000000000000, now wasm-src-\w+\), about \d+ s on 1 worker\(s\)\.$/,
  );
});
