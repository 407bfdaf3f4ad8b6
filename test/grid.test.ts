import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { makeConfig } from "../lib/mlp/config";
import { loadMnistPackage } from "../lib/data/sources";
import { splitTrainValidation } from "../lib/data/split";
import { toSparse } from "../lib/data/features";
import { gridConfigs, runIdentity, runPath } from "../lib/experiment/grid";
import { GridProgress, runGrid } from "../lib/experiment/gridrun";
import { train } from "../lib/experiment/train";
import { SMALL_GRID } from "./fixtures/specs";

const ROOT = resolve(__dirname, "..");
const tmp = () => mkdtempSync(join(tmpdir(), "grid-"));

test("a grid run equals the same config trained alone (order- and worker-independent)", async () => {
  const dir = tmp();
  const runs = await runGrid(SMALL_GRID, { runsDir: dir, workers: 2 });
  assert.equal(runs.length, 4);
  assert.equal(readdirSync(dir).filter((f) => f.endsWith(".json")).length, 4);
  const ds = loadMnistPackage();
  const split = splitTrainValidation(ds.train, SMALL_GRID.seed);
  const tr = toSparse(split.train), va = toSparse(split.val);
  const config = makeConfig({ h: 16, lr: 0.01, lambda: 5e-4, epochs: 3 });
  const alone = await train(config, tr, va, { seed: SMALL_GRID.seed, data: { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: va.n } });
  const inGrid = runs.find((r) => r.config.h === 16 && r.config.lambda === 5e-4)!;
  assert.deepEqual(inGrid.metrics, alone.record.metrics);
});

test("a rerun reuses valid records and recomputes only missing, truncated or stale ones", async () => {
  const dir = tmp();
  await runGrid(SMALL_GRID, { runsDir: dir, workers: 2 });
  const ds = loadMnistPackage();
  const paths = gridConfigs(SMALL_GRID).map((c) => runPath(dir, runIdentity(c, SMALL_GRID.seed, ds.checksum)));
  const mtimes = paths.map((p) => statSync(p).mtimeMs);
  rmSync(paths[0]); // missing
  writeFileSync(paths[1], '{"config": {"h": 8'); // truncated
  let last: GridProgress | null = null;
  await runGrid(SMALL_GRID, { runsDir: dir, workers: 2, onProgress: (p) => (last = p) });
  assert.equal(last!.cached, 2);
  assert.ok(paths.every(existsSync));
  assert.equal(statSync(paths[2]).mtimeMs, mtimes[2], "a valid record is not rewritten");
  // Another seed is another identity: nothing is reused.
  await runGrid({ ...SMALL_GRID, seed: 8 }, { runsDir: dir, workers: 2, onProgress: (p) => (last = p) });
  assert.equal(last!.cached, 0);
});

test("killing a grid mid-run loses only the run in flight; the rerun finishes without recomputing", async () => {
  const dir = tmp();
  // Its own process group: tsx runs node as a child, and the kill must reach both.
  const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "test", "fixtures", "smallgrid.ts"), dir], { stdio: "ignore", detached: true });
  const countRecords = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).length : 0);
  while (countRecords() < 1) await new Promise((r) => setTimeout(r, 20)); // the first record is written
  const closed = new Promise((r) => child.on("close", r));
  process.kill(-child.pid!, "SIGKILL");
  await closed;
  const survivors = countRecords();
  assert.ok(survivors >= 1 && survivors < 4, `killed part-way: ${survivors} records`);
  let last: GridProgress | null = null;
  const runs = await runGrid(SMALL_GRID, { runsDir: dir, workers: 1, onProgress: (p) => (last = p) });
  assert.equal(last!.cached, survivors);
  assert.equal(runs.length, 4);
  assert.ok(runs.every((r) => r.metrics.valAcc.length === 4));
});
