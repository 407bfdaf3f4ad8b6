/**
 * A grid worker: receives one config at a time, trains it, writes its record atomically, and
 * reports each epoch to the main thread. The data set is loaded once per worker and reused.
 */
import { parentPort } from "worker_threads";
import { writeFileAtomic } from "../common/atomic";
import { TrainConfig } from "../mlp/config";
import { Dataset, loadDataset } from "../data/sources";
import { SparseSet, sparseSplit, toSparse } from "../data/features";
import { train } from "./train";

export interface Job {
  id: number;
  config: TrainConfig;
  seed: number;
  data: string;
  path: string; // where to write the record
  evalThreads: number; // threads sharing each evaluation (changes no number)
  withTest: boolean; // also score the final state on the test set (kept in the record)
}

export type WorkerMessage =
  | { type: "epoch"; id: number; epoch: number; valAcc: number }
  | { type: "done"; id: number; record: import("./runrecord").RunRecord }
  | { type: "error"; id: number; message: string };

let dataset: Dataset | null = null;
const sets = new Map<string, { train: SparseSet; val: SparseSet }>();

function setsFor(job: Job) {
  if (!dataset || dataset.name !== job.data) {
    dataset = loadDataset(job.data);
    sets.clear();
  }
  const key = `${job.seed}/${job.config.pixels}`;
  if (!sets.has(key)) {
    sets.set(key, sparseSplit(dataset.train, job.seed, job.config.pixels));
  }
  return { ds: dataset, ...sets.get(key)! };
}

parentPort!.on("message", async (job: Job) => {
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  try {
    const { ds, train: tr, val } = setsFor(job);
    if (job.withTest && !ds.test) throw new Error(`${ds.name} has no test set to score on`);
    const result = await train(job.config, tr, val, {
      test: job.withTest ? toSparse(ds.test!, job.config.pixels) : undefined,
      seed: job.seed,
      evalThreads: job.evalThreads,
      data: { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: val.n },
      onEpoch: (r) => post({ type: "epoch", id: job.id, epoch: r.epoch, valAcc: r.valAcc }),
    });
    const record = job.withTest ? { ...result.record, test: result.test! } : result.record;
    writeFileAtomic(job.path, JSON.stringify(record) + "\n");
    post({ type: "done", id: job.id, record });
  } catch (e) {
    post({ type: "error", id: job.id, message: (e as Error).message });
  }
});
