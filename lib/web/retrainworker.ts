/**
 * The retrain page's worker: the same data path and training loop as `npm run train`
 * (lib/data/dataset.ts, lib/data/features.ts, lib/experiment/train.ts with the wasm engine),
 * bundled for the browser by lib/report/bundle.ts. The page posts the data once ("load"), then
 * a run ("train"); the worker answers each epoch and, at the end, the run record and the weights.
 * The page stops a run by terminating the worker.
 */
import { gunzipSync } from "fflate";
import { InputError } from "../common/errors";
import { Dataset, IdxFile, idxDataset, quickDatasetOf } from "../data/dataset";
import { sparseSplit, toSparse } from "../data/features";
import { TrainConfig, makeConfig } from "../mlp/config";
import { train } from "../experiment/train";
import { engineVersion } from "../engine/engine";
import { Params } from "../mlp/model";

/** What the page sends. */
export type Request =
  | { type: "load"; source: { kind: "quick"; base64: string } | { kind: "files"; files: IdxFile[] } }
  | { type: "train"; config: Partial<TrainConfig>; seed: number };

/** What the worker answers. */
export type Answer =
  | {
      type: "loaded";
      name: string;
      checksum: string;
      nTrain: number;
      nTest: number;
      engineVersions: { single: string; minibatch: string };
    }
  | {
      type: "epoch";
      epoch: number;
      epochs: number;
      valLoss: number;
      valAcc: number;
      trainLoss?: number;
      trainAcc?: number;
      seconds: number;
    }
  | { type: "done"; record: object; params: Params; initial: Params; seconds: number }
  | { type: "error"; stage: "load" | "train"; message: string };

const post = (a: Answer, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(a, transfer);
let data: Dataset | null = null;

/** The quick set as embedded: lib/data/dataset.ts's quickSetBytes, gzipped. */
function decodeQuickSet(base64: string): Dataset {
  return quickDatasetOf(gunzipSync(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))));
}

async function run(config: TrainConfig, seed: number): Promise<void> {
  if (!data) throw new Error("no data loaded");
  const { train: trainSet, val } = sparseSplit(data.train, seed, config.pixels);
  const started = performance.now();
  const result = await train(config, trainSet, val, {
    seed,
    data: { name: data.name, checksum: data.checksum, nTrain: trainSet.n, nVal: val.n },
    evalThreads: 1,
    onEpoch: (r) => post({ type: "epoch", ...r, seconds: (performance.now() - started) / 1000 }),
    test: data.test ? toSparse(data.test, config.pixels) : undefined,
  });
  const { params: p, initial: q } = result;
  // As `npm run train -- --out` writes it: the record, then the final model's test score.
  const record = { ...result.record, test: result.test };
  const buffers = [p.w1, p.b1, p.w2, p.b2, q.w1, q.b1, q.w2, q.b2].map((a) => a.buffer as ArrayBuffer);
  post({ type: "done", record, params: p, initial: q, seconds: (performance.now() - started) / 1000 }, buffers);
}

self.onmessage = async (e: MessageEvent<Request>) => {
  const m = e.data;
  const stage = m.type === "load" ? "load" : "train";
  try {
    if (m.type === "load") {
      data = m.source.kind === "quick" ? decodeQuickSet(m.source.base64) : idxDataset("files", m.source.files);
      const engineVersions = { single: engineVersion("wasm", false), minibatch: engineVersion("wasm", true) };
      post({
        type: "loaded",
        name: data.name,
        checksum: data.checksum,
        nTrain: data.train.n,
        nTest: data.test?.n ?? 0,
        engineVersions,
      });
    } else {
      await run(makeConfig(m.config), m.seed);
    }
  } catch (err) {
    // An InputError is the reader's to fix (a file, a value); anything else is a fault of the page.
    post({
      type: "error",
      stage,
      message: err instanceof InputError ? err.message : `the page failed: ${(err as Error).message}`,
    });
  }
};
