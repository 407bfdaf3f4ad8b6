/**
 * Runs a grid on worker threads (default: one per core). Each finished run's record is written
 * by its worker (atomically) before the next starts, so killing the process at any moment loses
 * at most the runs in flight; a rerun skips every config whose valid record is already there.
 */
import { cpus } from "os";
import { join } from "path";
import { Worker } from "worker_threads";
import { TrainConfig } from "./config";
import { loadDataset } from "./data";
import { InputError } from "./errors";
import { GridSpec, gridConfigs, loadCachedRun, runIdentity, runPath } from "./grid";
import type { Job, WorkerMessage } from "./gridworker";
import { RunRecord } from "./train";

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
  onProgress?: (p: GridProgress) => void;
}

/** Relative cost of one epoch of a config (update and evaluation both scale with h). */
const cost = (c: TrainConfig) => c.h + 16;

export async function runGrid(spec: GridSpec, opts: GridOptions): Promise<RunRecord[]> {
  const workers = opts.workers ?? cpus().length;
  if (!Number.isInteger(workers) || workers < 1) throw new InputError(`workers = ${workers} is out of range; expected a whole number >= 1.`);
  // Cores left over when there are fewer workers than cores share the evaluations (same numbers).
  const evalThreads = Math.max(1, Math.floor(cpus().length / workers));
  const ds = loadDataset(spec.data); // for its checksum (the workers load their own copy)
  const configs = gridConfigs(spec);
  const records: (RunRecord | null)[] = configs.map((c) => (opts.fresh ? null : loadCachedRun(opts.runsDir, runIdentity(c, spec.seed, ds.checksum))));
  const cached = records.filter(Boolean).length;
  const queue: Job[] = [];
  configs.forEach((config, id) => {
    if (!records[id]) queue.push({ id, config, seed: spec.seed, data: spec.data, path: runPath(opts.runsDir, runIdentity(config, spec.seed, ds.checksum)), evalThreads });
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
      total: configs.length, done: records.filter(Boolean).length, cached, running: [...running.values()], work, elapsedSeconds,
      remainingSeconds: work > 0.01 ? (elapsedSeconds * (1 - work)) / work : null,
    });
  };
  report();
  if (queue.length > 0) {
    await new Promise<void>((resolve, reject) => {
      const pool = Array.from({ length: Math.min(workers, queue.length) }, () => new Worker(join(__dirname, "gridworker.js")));
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

/** One line for a progress display. */
export function progressLine(p: GridProgress): string {
  const fmt = (s: number | null) => (s === null ? "?" : s < 90 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);
  const workers = p.running.map((r) => `h${r.config.h} lr${r.config.lr} l${r.config.lambda} ep ${r.epoch}/${r.config.epochs}`).join(" | ");
  return `runs ${p.done}/${p.total} (${p.cached} cached) ${(100 * p.work).toFixed(0)}% | ${workers || "-"} | ${fmt(p.elapsedSeconds)} elapsed, ~${fmt(p.remainingSeconds)} left`;
}
