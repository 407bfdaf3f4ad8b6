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
import { gridConfigs } from "../lib/experiment/grid";
import { runIdentity, runPath } from "../lib/experiment/runstore";
import { GridProgress, runGrid, runRuns } from "../lib/experiment/runner";
import { seedStudy } from "../lib/experiment/seedstudy";
import { ablationStudy, ablationVariants } from "../lib/experiment/ablationstudy";
import { profile } from "../lib/experiment/profile";
import { RunRecord } from "../lib/experiment/runrecord";
import { OriginalRun } from "../lib/experiment/original";
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
  const tr = toSparse(split.train),
    va = toSparse(split.val);
  const config = makeConfig({ h: 16, lr: 0.01, lambda: 5e-4, epochs: 3 });
  const alone = await train(config, tr, va, {
    seed: SMALL_GRID.seed,
    data: { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: va.n },
  });
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
  const child = spawn(
    join(ROOT, "node_modules", ".bin", "tsx"),
    [join(ROOT, "test", "fixtures", "smallgrid.ts"), dir],
    { stdio: "ignore", detached: true },
  );
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

test(
  "runs of any config and seed share the grid's runner: a seed changes every stream, a test-scored run keeps its " +
    "score and is required to",
  async () => {
    const dir = tmp();
    const c = makeConfig({ h: 8, epochs: 1 });
    const data = "/usr/share/datasets/fashion-mnist"; // a data set with a test set (Debian's Fashion-MNIST)
    const jobs = [
      { config: c, seed: 3 },
      { config: c, seed: 4 },
      { config: c, seed: 3, withTest: true },
    ];
    // jobs 0 and 2 are the same run: the test-scored one replaces the record without a score
    const first = await runRuns({ data, jobs: jobs.slice(0, 2) }, { runsDir: dir, workers: 2 });
    assert.notDeepEqual(first[0].metrics.valAcc, first[1].metrics.valAcc, "another seed, another run");
    assert.notEqual(first[0].data.nVal, 0);
    const lines: string[] = [];
    const scored = await runRuns(
      { data, jobs: [jobs[2]] },
      { runsDir: dir, workers: 1, onPlan: (l) => lines.push(...l) },
    );
    assert.match(lines.join("\n"), /1 to compute \(1: its record has no test-set score\)/);
    assert.deepEqual(scored[0].metrics, first[0].metrics, "the same run, now with its score");
    assert.equal(scored[0].test!.n, 10000);
    const again: string[] = [];
    await runRuns({ data, jobs: [jobs[2]] }, { runsDir: dir, workers: 1, onPlan: (l) => again.push(...l) });
    assert.match(again.join("\n"), /^1 of 1 runs read back/);
    await assert.rejects(
      runRuns({ data: "mnist", jobs: [{ config: c, seed: 3, withTest: true }] }, { runsDir: dir }),
      /mnist has no test set: runs scored on the test set need one\./,
    );
  },
);

test(
  "the seed study: the grid's top configurations and the original's choice from every seed, the selected one " +
    "scored on the test set",
  () => {
    const prof = profile("full");
    const cfg = (h: number, lr: number, lambda: number, acc: number) =>
      ({ config: makeConfig({ h, lr, lambda, epochs: 200 }), best: { valAcc: acc, epoch: 1 } }) as unknown as RunRecord;
    const grid = [
      cfg(128, 0.01, 1e-4, 0.97),
      cfg(64, 0.01, 1e-4, 0.96),
      cfg(128, 0.01, 5e-4, 0.9),
      cfg(32, 0.01, 1e-4, 0.95),
    ];
    const original = [{ h: 128, lr: 0.01, lambda: 5e-4, best: { accuracy: 0.9672, epoch: 193 } }] as OriginalRun[];
    const set = seedStudy({ ...prof, seedStudy: { seeds: [123, 1], top: 2, scoreTest: true } }, grid, original);
    assert.deepEqual(
      set.jobs.map((j) => `${j.config.h}/${j.config.lambda}/${j.seed}/${j.withTest}`),
      [
        "128/0.0001/123/true",
        "128/0.0001/1/true",
        "64/0.0001/123/false",
        "64/0.0001/1/false",
        "128/0.0005/123/false",
        "128/0.0005/1/false",
      ],
    );
  },
);

test("the ablations: the selected configuration and one change at a time, from the seed study's seeds", () => {
  const prof = { ...profile("full"), seedStudy: { seeds: [123, 1], top: 6, scoreTest: true } };
  const selected = makeConfig({ h: 128, lr: 0.01, lambda: 1e-4, epochs: 200 });
  const set = ablationStudy(prof, selected);
  assert.equal(set.jobs.length, 10);
  const changed = ablationVariants(selected).map((v) =>
    Object.entries(v.config)
      .filter(([k, x]) => (selected as unknown as Record<string, unknown>)[k] !== x)
      .map(([k, x]) => `${k}=${x}`)
      .join(","),
  );
  assert.deepEqual(changed, ["", "minibatch=true", "pixels=unit", "keepProb=1", "lambda=0"]);
  assert.deepEqual(
    set.jobs.map((j) => j.seed),
    [123, 1, 123, 1, 123, 1, 123, 1, 123, 1],
  );
  // The faithful runs are the seed study's runs of the selected configuration, scored on the test set alike.
  assert.deepEqual(
    set.jobs.map((j) => j.withTest),
    [true, true, false, false, false, false, false, false, false, false],
  );
  assert.equal(
    ablationStudy(profile("quick"), selected).jobs.some((j) => j.withTest),
    false,
  );
});
