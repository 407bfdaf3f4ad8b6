import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { makeConfig } from "../lib/mlp/config";
import { InputError } from "../lib/common/errors";
import { initParams } from "../lib/mlp/model";
import { DType, loadModel, saveModel } from "../lib/experiment/modelio";
import { makeRng } from "../lib/common/rng";
import { RunRecord } from "../lib/experiment/runrecord";
import { gunzipSync } from "zlib";
import { loadMnistPackage } from "../lib/data/sources";
import { sparseSplit } from "../lib/data/features";
import { train } from "../lib/experiment/train";
import { deadUnits } from "../lib/mlp/evaluate";
import { formingRecorder, loadForming, quantiseW1, saveForming } from "../lib/experiment/forming";

function fakeRecord(h: number): RunRecord {
  return {
    codeVersion: 1,
    config: makeConfig({ h, epochs: 1 }),
    engine: "wasm",
    engineVersion: "wasm-test",
    engineBuild: "test",
    seed: 1,
    data: { name: "x", checksum: "c", nTrain: 10, nVal: 10 },
    metrics: { epoch: [0, 1], valLoss: [1, 0.5], valAcc: [0.1, 0.5], trainLoss: null, trainAcc: null },
    best: { valAcc: 0.5, epoch: 1 },
    seconds: 1,
    software: {},
  };
}

function saved(dtype: DType, h = 6) {
  const dir = mkdtempSync(join(tmpdir(), "model-"));
  const path = join(dir, "m.json");
  const params = initParams(h, makeRng(1, "a")),
    initial = initParams(h, makeRng(1, "b"));
  if (dtype === "float32")
    for (const p of [params, initial]) for (const a of [p.w1, p.b1, p.w2, p.b2]) a.set(Float32Array.from(a));
  saveModel(path, { params, initial, record: fakeRecord(h), dtype });
  return { dir, path, params, initial };
}

test("models round-trip exactly (float32 and float64)", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const { path, params, initial } = saved(dtype);
    const m = loadModel(path);
    assert.deepEqual(m.params, params);
    assert.deepEqual(m.initial, initial);
    assert.equal(m.record.config.h, 6);
  }
});

test("malformed model files are refused with one sentence naming the file", () => {
  const check = (mutate: (dir: string, path: string) => void, message: RegExp) => {
    const { dir, path } = saved("float32");
    mutate(dir, path);
    assert.throws(
      () => loadModel(path),
      (e: Error) => e instanceof InputError && message.test(e.message) && e.message.includes(path),
    );
  };
  const edit = (path: string, f: (m: any) => void) => {
    const m = JSON.parse(readFileSync(path, "utf8"));
    f(m);
    writeFileSync(path, JSON.stringify(m));
  };
  check((_, p) => writeFileSync(p, "{not json"), /not JSON/);
  check((_, p) => edit(p, (m) => (m.format = "pickle")), /format is "pickle"/);
  check((_, p) => edit(p, (m) => (m.shapes.w1 = [784, 7])), /shapes .* do not match h = 6/);
  check((_, p) => edit(p, (m) => (m.h = 0)), /h = 0 is not a whole number from 1 to 4096/);
  check((_, p) => edit(p, (m) => (m.dtype = "int8")), /dtype "int8"/);
  const file = (p: string, kind: "weights" | "initial") =>
    join(p, "..", JSON.parse(readFileSync(p, "utf8"))[kind].file);
  check((_, p) => writeFileSync(file(p, "weights"), new Uint8Array(12)), /holds 12 bytes, expected/);
  check((_, p) => {
    const f = file(p, "weights");
    const b = readFileSync(f);
    b[0] ^= 1;
    writeFileSync(f, b);
  }, /does not match its SHA-256/);
  check((_, p) => {
    const f = file(p, "initial");
    const r = readFileSync(f);
    const b = new Float32Array(r.buffer.slice(r.byteOffset, r.byteOffset + r.byteLength));
    /* a small file's Buffer may be a view of a shared pool (Node 24) */ b[3] = NaN;
    const bytes = new Uint8Array(b.buffer);
    writeFileSync(f, bytes);
    edit(p, (m) => (m.initial.sha256 = require("crypto").createHash("sha256").update(bytes).digest("hex")));
  }, /non-finite/);
  check((_, p) => edit(p, (m) => (m.h = 1e9)), /h = 1000000000 is not a whole number from 1 to 4096/);
  check((_, p) => edit(p, (m) => (m.weights.file = 123)), /its weights file is not named/);
  check(
    (_, p) => edit(p, (m) => (m.weights.file = "../../../etc/passwd")),
    /its weights file "\.\.\/\.\.\/\.\.\/etc\/passwd" is not a plain file name beside it/,
  );
  check((_, p) => edit(p, (m) => delete m.initial.sha256), /its initial file has no SHA-256 checksum/);
  assert.throws(() => loadModel("/no/such/model.json"), /no such file/);
});

test("a save interrupted at any point leaves the old model or the new one, never a mix", () => {
  const { dir, path, params } = saved("float64");
  const before = readFileSync(path, "utf8");
  // The new weight files are written first, under names of their own: a kill now leaves the old JSON and its files.
  const other = initParams(6, makeRng(2, "c"));
  const partial = mkdtempSync(join(tmpdir(), "model-new-"));
  saveModel(join(partial, "m.json"), { params: other, initial: other, record: fakeRecord(6), dtype: "float64" });
  for (const f of readdirSync(partial).filter((f) => f.endsWith(".bin")))
    writeFileSync(join(dir, f), readFileSync(join(partial, f)));
  assert.equal(readFileSync(path, "utf8"), before);
  assert.deepEqual(loadModel(path).params, params, "the old model loads, whole");
  // A completed save then replaces it and removes the files no JSON names.
  saveModel(path, { params: other, initial: other, record: fakeRecord(6), dtype: "float64" });
  assert.deepEqual(loadModel(path).params, other);
  const meta = JSON.parse(readFileSync(path, "utf8"));
  assert.deepEqual(
    readdirSync(dir)
      .filter((f) => f.endsWith(".bin"))
      .sort(),
    [meta.initial.file, meta.weights.file].sort(),
    "only the files the JSON names remain",
  );
});

test(
  "the hidden units forming: snapshots at the chosen epochs at display precision, norms every epoch, a record " +
    "that does not fit refused",
  async () => {
    const ds = loadMnistPackage();
    const { train: tr, val } = sparseSplit(ds.train, 2, "raw");
    const config = makeConfig({ h: 8, epochs: 3 });
    const rec = formingRecorder(8, 3, val);
    const result = await train(config, tr, val, {
      seed: 2,
      data: { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: val.n },
      onWeights: rec.onWeights,
    });
    const f = rec.result();
    assert.deepEqual(
      f.snapshots.map((s) => s.epoch),
      [0, 1, 2, 3],
    );
    assert.deepEqual(f.norms.epoch, [0, 1, 2, 3]);
    const last = f.snapshots[3],
      q = new Int8Array(gunzipSync(Buffer.from(last.w1, "base64")));
    const { scale, q: expected } = quantiseW1(result.params);
    assert.deepEqual(q, expected, "the last snapshot is the final weights at display precision");
    assert.deepEqual(last.scale, scale);
    assert.ok(q.every((v) => v >= -16 && v <= 16));
    assert.equal(last.dead, deadUnits(result.params, val));
    const path = join(mkdtempSync(join(tmpdir(), "forming-")), "m.forming.json");
    saveForming(path, f);
    assert.deepEqual(loadForming(path, 8, 3), f);
    assert.throws(
      () => loadForming(path, 16, 3),
      (e) => e instanceof InputError && /is not the forming record of this model: h = 8, expected 16\./.test(e.message),
    );
    assert.throws(() => loadForming(path, 8, 5), /norms for 4 epochs, expected 6/);
    assert.throws(() => loadForming(path + ".missing", 8, 3), /does not exist yet/);
  },
);
