/**
 * The selected model: the grid's best config (argmax of best validation accuracy), trained again
 * from the same seed, which reproduces its grid run bit for bit (checked), and saved with its
 * initial weights and run record, as the original saved its model after the last epoch.
 */
import { isDeepStrictEqual } from "util";
import { LabelledSet } from "../data/shapes";
import { loadDataset } from "../data/sources";
import { PredictOptions, Prediction, makePredictor } from "../engine/engine";
import { sparseSplit, toSparse } from "../data/features";
import { InputError } from "../common/errors";
import { GridSpec, pointText } from "./grid";
import { rankRuns, runIdentity, runPath } from "./runstore";
import { prefixMismatch } from "./verify";
import { Forming, formingPath, formingRecorder, loadForming, saveForming } from "./forming";
import { SavedModel, loadModel, saveModel } from "./modelio";
import { EpochReport, train } from "./train";
import { RunRecord } from "./runrecord";
import { existsSync } from "fs";

export function selectBest(runs: RunRecord[]): RunRecord {
  if (runs.length === 0) throw new Error("no runs to select from.");
  return rankRuns(runs)[0];
}

/** The saved model at `path` if it is `best`'s; otherwise null and why not (so it would be retrained). */
export function readSelected(
  best: RunRecord,
  path: string,
): { model: SavedModel; why: null } | { model: null; why: string } {
  if (!existsSync(path)) return { model: null, why: "there is no saved model yet" };
  let m: SavedModel;
  try {
    m = loadModel(path);
  } catch (e) {
    return { model: null, why: `it does not load (${(e as Error).message.replace(/\.$/, "")})` };
  }
  const same =
    isDeepStrictEqual(m.record.config, best.config) &&
    m.record.seed === best.seed &&
    m.record.data.checksum === best.data.checksum;
  if (!same) return { model: null, why: `it is the model of another configuration (${pointText(m.record.config)})` };
  if (!isDeepStrictEqual(m.record.metrics, best.metrics))
    return { model: null, why: "its record differs from the grid run it should reproduce" };
  return { model: m, why: null };
}

/** Why the record of the hidden units forming beside a model is missing or unusable, or null. */
function formingProblem(m: SavedModel, path: string): string | null {
  try {
    loadForming(formingPath(path), m.params.h, m.record.config.epochs);
    return null;
  } catch (e) {
    return `its record of the hidden units forming is missing or unusable (${(e as Error).message.replace(/\.$/, "")})`;
  }
}

/** The saved model at `path` with its forming record if both are `best`'s; otherwise null and why not. */
function readComplete(best: RunRecord, path: string): { model: SavedModel; why: null } | { model: null; why: string } {
  const saved = readSelected(best, path);
  const why = saved.model ? formingProblem(saved.model, path) : saved.why;
  return why ? { model: null, why } : saved;
}

/** Why the saved model at `path` (with its forming record) is not `best`'s, or null when it is. */
export function modelStaleReason(best: RunRecord, path: string): string | null {
  return readComplete(best, path).why;
}

/** The record of the hidden units forming saved beside the selected model (lib/experiment/forming.ts). */
export function selectedForming(model: SavedModel, path: string): Forming {
  return loadForming(formingPath(path), model.params.h, model.record.config.epochs);
}

export interface SelectedOptions {
  runsDir?: string; // where `best`'s record lives, to name it if retraining does not reproduce it
  onRetrain?: (why: string) => void; // told before a retrain starts, and why
  onEpoch?: (r: EpochReport) => void;
}

/**
 * Load the saved model at `path` if it is this run's; otherwise retrain it and save it. A retrain
 * that does not reproduce the grid's record means the record was edited or made by other code:
 * refused, naming the record's file in `runsDir`.
 */
export async function selectedModel(
  spec: GridSpec,
  best: RunRecord,
  path: string,
  opts: SelectedOptions = {},
): Promise<SavedModel> {
  const { runsDir = "the runs folder", onRetrain, onEpoch } = opts;
  const saved = readComplete(best, path);
  if (saved.model) return saved.model;
  onRetrain?.(saved.why);
  const ds = loadDataset(spec.data);
  const { train: tr, val: va } = sparseSplit(ds.train, best.seed, best.config.pixels);
  const forming = formingRecorder(best.config.h, best.config.epochs, va);
  const result = await train(best.config, tr, va, {
    seed: best.seed,
    data: best.data,
    engine: best.engine,
    onEpoch,
    onWeights: forming.onWeights,
  });
  const differs = prefixMismatch(result.record.metrics, best.metrics);
  if (differs) {
    const file = runPath(runsDir, runIdentity(best.config, best.seed, best.data.checksum));
    throw new InputError(
      `retraining ${pointText(best.config)} from its seed does not reproduce its record ${file} (${differs}): the ` +
        `record was edited or made by other code; recompute it (FRESH = true in the training notebook, or npm run ` +
        `grid -- --fresh).`,
    );
  }
  const model: SavedModel = {
    params: result.params,
    initial: result.initial,
    record: result.record,
    dtype: result.record.engine === "wasm" ? "float32" : "float64",
  };
  saveForming(formingPath(path), forming.result());
  saveModel(path, model); // last: the model's JSON is what says the pair is complete
  return model;
}

/**
 * What a saved model predicts for a set of images (scaled as it was trained: model.record.config
 * .pixels), computed by the engine that trained it (Predictor.predict).
 */
export function predictWith(model: SavedModel, set: LabelledSet, opts?: PredictOptions): Prediction {
  const { keepProb, lambda, pixels } = model.record.config;
  return makePredictor(model.record.engine, model.params, keepProb, lambda).predict(toSparse(set, pixels), opts);
}
