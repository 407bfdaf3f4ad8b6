/**
 * The runner: any list of runs (a grid, the seed study, the ablations) on worker threads (default:
 * one per core). Each finished run's record is written
 * by its worker (atomically) before the next starts, so killing the process at any moment loses
 * at most the runs in flight; a rerun skips every config whose valid record is already there.
 */
import { cpus } from "os";
import { join } from "path";
import { Worker } from "worker_threads";
import { TrainConfig } from "../mlp/config";
import { Dataset, loadDataset } from "../data/sources";
import { InputError } from "../common/errors";
import { GridSpec, gridConfigs } from "./grid";
import { listRuns, loadCachedRun, runIdentity, runPath, staleReason } from "./runstore";
import type { Job, WorkerMessage } from "./gridworker";
import { RunRecord } from "./runrecord";
import { checkTrainable } from "./train";
import { BuildCheck, checkBuilds } from "./verify";

export interface GridProgress {
  total: number; // configs in the grid
  done: number; // finished (including cached)
  cached: number; // reused from the runs folder
  running: { config: TrainConfig; epoch: number }[];
  work: number; // 0..1 of the computation this call has to do
  elapsedSeconds: number;
  remainingSeconds: number | null;
}

export interface GridOptions {
  runsDir: string;
  workers?: number;
  fresh?: boolean; // recompute even when a valid record exists
  onPlan?: (lines: string[]) => void; // what will be read back and what computed (and why), before any work
  onProgress?: (p: GridProgress) => void;
}

/**
 * Relative cost of one epoch of a config, for the time left (update and evaluation both scale with
 * h); the minibatch update backpropagates all 20 samples of a batch, which makes its epochs dearer.
 */
const cost = (c: TrainConfig) => (c.h + 16) * (c.minibatch ? 1.8 : 1);

/**
 * Seconds of wall time to compute `configs` on `workers` workers, with n training + validation
 * images: measured on this machine kind, one epoch (2,400 updates and both evaluations, 60,000
 * images) took about 0.0048 s x (h + 16) per worker with two workers running (the original's update).
 */
export function estimateSeconds(configs: TrainConfig[], nImages: number, workers: number): number {
  const work = configs.reduce((s, c) => s + 0.0048 * cost(c) * (c.epochs + 1) * (nImages / 60000), 0);
  return work / Math.max(1, Math.min(workers, configs.length));
}

export const formatDuration = (s: number) =>
  s < 90 ? `${Math.max(1, Math.round(s))} s` : `${(s / 60).toFixed(1)} min`;

/** One run to have: a config trained from a base seed, optionally scored on the test set at the end. */
export interface RunJob {
  config: TrainConfig;
  seed: number;
  withTest?: boolean;
}

/** Runs on one data set: a grid (gridJobs) or any other list, such as the seed study. */
export interface RunSet {
  data: string;
  jobs: RunJob[];
}

/** The grid's runs: every config of the spec from its one base seed. */
export function gridJobs(spec: GridSpec): RunSet {
  return { data: spec.data, jobs: gridConfigs(spec).map((config) => ({ config, seed: spec.seed })) };
}

export interface GridPlan {
  ds: Dataset;
  configs: TrainConfig[];
  records: (RunRecord | null)[]; // the usable record of each config, or null: to compute
  reasons: (string | null)[]; // why each null one is computed
  checks: BuildCheck[]; // records made by other builds of the engine, and whether this build reproduced them
  estimateSeconds: number;
  lines: string[]; // the plan in sentences, for a reader
}

/**
 * Which runs of `spec` can be read back from `runsDir` and which must be computed, and why;
 * records made by another build of the same engine are checked on a short prefix first
 * (lib/experiment/verify.ts). Records that this build does not reproduce are refused unless `fresh`.
 */
export function planGrid(
  spec: GridSpec,
  runsDir: string,
  fresh = false,
  workers = cpus().length,
  onLine?: (text: string) => void,
): Promise<GridPlan> {
  return planRuns(gridJobs(spec), runsDir, fresh, workers, onLine);
}

/** planGrid for any set of runs. */
export async function planRuns(
  set: RunSet,
  runsDir: string,
  fresh = false,
  workers = cpus().length,
  onLine?: (text: string) => void,
): Promise<GridPlan> {
  const ds = loadDataset(set.data);
  const configs = set.jobs.map((j) => j.config);
  const nVal = Math.floor(ds.train.n / 5);
  for (const c of configs) checkTrainable(c, ds.train.n - nVal, nVal);
  if (set.jobs.some((j) => j.withTest) && !ds.test)
    throw new InputError(`${set.data} has no test set: runs scored on the test set need one.`);
  const ids = set.jobs.map((j) => runIdentity(j.config, j.seed, ds.checksum));
  const invalid = new Map<number, string>();
  const records = ids.map((id, i) => {
    const r = fresh ? null : loadCachedRun(runsDir, id, (why) => invalid.set(i, why));
    if (r && set.jobs[i].withTest && !r.test) {
      invalid.set(i, "its record has no test-set score");
      return null;
    }
    return r;
  });
  const checks = await checkBuilds(
    records.filter((r): r is RunRecord => r !== null),
    ds,
    onLine,
  );
  const failed = checks.filter((c) => !c.reproduced);
  if (failed.length > 0) {
    const stale = failed.flatMap((f) => f.runs);
    const names = stale.map((r) => runPath(runsDir, runIdentity(r.config, r.seed, r.data.checksum)));
    const est = estimateSeconds(configs, ds.train.n, workers);
    throw new InputError(
      `${stale.length} records in ${runsDir} cannot be reused ` +
        `(${names.slice(0, 3).join(", ")}${names.length > 3 ? ` and ${names.length - 3} more` : ""}): ` +
        `${failed.map((f) => f.detail).join("; ")}; to recompute them (about ${formatDuration(est)}), set FRESH = ` +
        `true in the training notebook or run npm run grid -- --fresh.`,
    );
  }
  const others = fresh ? [] : listRuns(runsDir);
  const reasons = records.map((r, i) =>
    r ? null : fresh ? "FRESH asks to recompute every run" : (invalid.get(i) ?? staleReason(others, ids[i])),
  );
  const todo = configs.filter((_, i) => !records[i]);
  const estimate = estimateSeconds(todo, ds.train.n, workers);
  const cached = records.filter(Boolean).length;
  const engine = cached ? ` (engine ${ids[0].engineVersion})` : "";
  const lines = [`${cached} of ${configs.length} runs read back from ${runsDir}${engine}.`];
  for (const c of checks)
    lines.push(
      `${c.records} of them ${c.records === 1 ? "was" : "were"} made by engine build ${c.build}: ${c.detail}.`,
    );
  if (todo.length > 0) {
    const why = new Map<string, number>();
    for (const r of reasons) if (r) why.set(r, (why.get(r) ?? 0) + 1);
    lines.push(
      `${todo.length} to compute (${[...why].map(([r, n]) => `${n}: ${r}`).join("; ")}), about ` +
        `${formatDuration(estimate)} on ${Math.min(workers, todo.length)} worker(s).`,
    );
  }
  return { ds, configs, records, reasons, checks, estimateSeconds: estimate, lines };
}

export function runGrid(spec: GridSpec, opts: GridOptions): Promise<RunRecord[]> {
  return runRuns(gridJobs(spec), opts);
}

/** runGrid for any set of runs: each job's record, in order. */
export async function runRuns(set: RunSet, opts: GridOptions): Promise<RunRecord[]> {
  const workers = opts.workers ?? cpus().length;
  if (!Number.isInteger(workers) || workers < 1)
    throw new InputError(`workers = ${workers} is out of range; expected a whole number >= 1.`);
  // Cores left over when there are fewer workers than cores share the evaluations (same numbers).
  const evalThreads = Math.max(1, Math.floor(cpus().length / workers));
  const plan = await planRuns(set, opts.runsDir, opts.fresh, workers, (line) => opts.onPlan?.([line]));
  opts.onPlan?.(plan.lines);
  const { ds, configs, records } = plan;
  const cached = records.filter(Boolean).length;
  const queue: Job[] = [];
  set.jobs.forEach(({ config, seed, withTest }, id) => {
    if (!records[id])
      queue.push({
        id,
        config,
        seed,
        data: set.data,
        path: runPath(opts.runsDir, runIdentity(config, seed, ds.checksum)),
        evalThreads,
        withTest: withTest ?? false,
      });
  });
  // Longest runs first (h = 128 before 32): the last runs to finish are short, so no worker idles long.
  queue.sort((a, b) => cost(b.config) - cost(a.config) || a.id - b.id);
  const totalWork = queue.reduce((s, j) => s + cost(j.config) * (j.config.epochs + 1), 0);
  let doneWork = 0;
  const started = Date.now();
  const running = new Map<number, { config: TrainConfig; epoch: number }>();
  const report = () => {
    const partial = [...running.values()].reduce((s, r) => s + cost(r.config) * r.epoch, 0);
    const work = totalWork ? (doneWork + partial) / totalWork : 1;
    const elapsedSeconds = (Date.now() - started) / 1000;
    opts.onProgress?.({
      total: configs.length,
      done: records.filter(Boolean).length,
      cached,
      running: [...running.values()],
      work,
      elapsedSeconds,
      remainingSeconds: work > 0.01 ? (elapsedSeconds * (1 - work)) / work : null,
    });
  };
  report();
  if (queue.length > 0) {
    await new Promise<void>((resolve, reject) => {
      const pool = Array.from(
        { length: Math.min(workers, queue.length) },
        () => new Worker(join(__dirname, "gridworker.js")),
      );
      let active = 0;
      const stop = (err?: Error) => {
        for (const w of pool) w.terminate();
        if (err) reject(err);
        else resolve();
      };
      const next = (w: Worker) => {
        const job = queue.shift();
        if (!job) {
          if (active === 0) stop();
          return;
        }
        active++;
        running.set(job.id, { config: job.config, epoch: 0 });
        w.postMessage(job);
      };
      for (const w of pool) {
        w.on("message", (m: WorkerMessage) => {
          if (m.type === "epoch") {
            running.get(m.id)!.epoch = m.epoch;
            report();
          } else if (m.type === "done") {
            active--;
            records[m.id] = m.record;
            doneWork += cost(configs[m.id]) * (configs[m.id].epochs + 1);
            running.delete(m.id);
            report();
            next(w);
          } else {
            stop(new Error(`grid run ${JSON.stringify(configs[m.id])} failed: ${m.message}`));
          }
        });
        w.on("error", (e) => stop(e));
        next(w);
      }
    });
  }
  return records as RunRecord[];
}

/**
 * A notebook's progress for runGrid and runRuns, shown on one live output (`show(text, now)`): the
 * plan's lines as they come, and under them the current progress line.
 */
export function showProgress(show: (text: string, now?: boolean) => void): Pick<GridOptions, "onPlan" | "onProgress"> {
  const plan: string[] = [];
  return {
    onPlan: (lines) => {
      plan.push(...lines);
      show(plan.join("\n"), true);
    },
    onProgress: (p) => show(`${plan.join("\n")}\n${progressLine(p)}`),
  };
}

/** One line for a progress display. */
export function progressLine(p: GridProgress): string {
  const fmt = (s: number | null) => (s === null ? "?" : s < 90 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);
  const workers = p.running
    .map((r) => `h${r.config.h} lr${r.config.lr} l${r.config.lambda} ep ${r.epoch}/${r.config.epochs}`)
    .join(" | ");
  return (
    `runs ${p.done}/${p.total} (${p.cached} cached) ${(100 * p.work).toFixed(0)}% | ${workers || "-"} | ` +
    `${fmt(p.elapsedSeconds)} elapsed, ~${fmt(p.remainingSeconds)} left`
  );
}
