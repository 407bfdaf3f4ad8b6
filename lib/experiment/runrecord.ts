/**
 * A run record: what one training run computed (per-epoch metrics) and everything that
 * determines it. Every reader of result files (the grid's cache, the figures, the selection, the
 * notebooks) reads records through `readRunRecord` (lib/experiment/runstore.ts), which checks shape, completeness and
 * internal consistency and names the file it rejects, so a damaged or hand-edited file is never drawn or
 * ranked as if it were a result.
 */
import { TrainConfig, makeConfig } from "../mlp/config";
import { InputError } from "../common/errors";

import type { EngineName } from "../engine/engine";
export type { EngineName } from "../engine/engine";

export interface DataInfo {
  name: string;
  checksum: string;
  nTrain: number;
  nVal: number;
}

export interface Metrics {
  epoch: number[]; // 0 .. epochs
  valLoss: number[];
  valAcc: number[];
  trainLoss: number[] | null; // null when the training set was not evaluated
  trainAcc: number[] | null;
}

export interface RunRecord {
  trainingCode?: string; // what computed it (trainingcode.ts: a hash of the training code's minified bundle)
  codeVersion?: number; // instead, in records made before that identity: the training code's declared version
  config: TrainConfig;
  engine: EngineName;
  engineVersion: string; // what defines the engine's arithmetic, e.g. "wasm-src-<hash of source, compiler, flags>"
  // the binary that ran (hash of build/core.wasm; "+" that of build/minibatch.wasm for minibatch runs); null for the
  // reference engine
  engineBuild: string | null;
  seed: number;
  data: DataInfo;
  metrics: Metrics;
  best: { valAcc: number; epoch: number }; // first epoch reaching the maximum validation accuracy
  seconds: number;
  software: Record<string, string>;
  // the final state on the test set, when asked for (after selection)
  test?: { loss: number; accuracy: number; correct: number; n: number };
}

/** The training code that made a record: its derived identity, or for older records their declared version. */
export function codeOf(r: RunRecord): string {
  return r.trainingCode ?? `version ${r.codeVersion}`;
}

/** The first epoch with the highest validation accuracy. */
export function bestOf(m: Metrics): { valAcc: number; epoch: number } {
  let e = 0;
  for (let k = 1; k < m.valAcc.length; k++) if (m.valAcc[k] > m.valAcc[e]) e = k;
  return { valAcc: m.valAcc[e], epoch: m.epoch[e] };
}

/** Deep equality of two JSON values (objects: the same keys, in any order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== "object" ||
    typeof b !== "object" ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return false;
  const ka = Object.keys(a),
    kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as any)[k], (b as any)[k]))
  );
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
const finiteArray = (v: unknown, n: number) =>
  Array.isArray(v) && v.length === n && v.every((x) => typeof x === "number" && Number.isFinite(x));
/** An accuracy measured on n images is a count over n (within rounding). */
const isFraction = (a: number, n: number) => a >= 0 && a <= 1 && Math.abs(a * n - Math.round(a * n)) < 1e-6;

/** `value` as a run record, or an InputError naming `source` and the first thing wrong. */
export function validateRunRecord(value: unknown, source: string): RunRecord {
  const bad = (what: string): never => {
    throw new InputError(`${source} is not a valid run record: ${what}.`);
  };
  if (!isObject(value)) bad("not a JSON object");
  const r = value as Record<string, any>;
  if (
    !(typeof r.trainingCode === "string" && /^[0-9a-f]{12}$/.test(r.trainingCode)) &&
    !Number.isInteger(r.codeVersion)
  )
    bad("trainingCode is missing");
  if (!isObject(r.config)) bad("config is missing");
  let config: TrainConfig;
  try {
    config = makeConfig(r.config);
  } catch (e) {
    return bad(`its config is invalid (${(e as Error).message.replace(/\.$/, "")})`);
  }
  if (!sameJson(config, r.config)) bad("its config has fields that are missing or unknown");
  if (r.engine !== "wasm" && r.engine !== "reference")
    bad(`engine ${JSON.stringify(r.engine)} is neither "wasm" nor "reference"`);
  if (typeof r.engineVersion !== "string" || r.engineVersion === "") bad("engineVersion is missing");
  if (!Number.isSafeInteger(r.seed) || r.seed < 0) bad(`seed ${JSON.stringify(r.seed)} is not a whole number >= 0`);
  const d = r.data;
  if (
    !isObject(d) ||
    typeof d.name !== "string" ||
    typeof d.checksum !== "string" ||
    !Number.isInteger(d.nTrain) ||
    !Number.isInteger(d.nVal) ||
    d.nTrain < 1 ||
    d.nVal < 1
  )
    bad("data (name, checksum, nTrain, nVal) is missing or invalid");
  const m = r.metrics,
    n = config.epochs + 1;
  if (!isObject(m)) bad("metrics are missing");
  if (!Array.isArray(m.epoch) || m.epoch.length !== n || m.epoch.some((e: unknown, k: number) => e !== k))
    bad(`metrics.epoch is not 0..${config.epochs} (the run is incomplete or not this config's)`);
  for (const key of ["valLoss", "valAcc"])
    if (!finiteArray(m[key], n)) bad(`metrics.${key} does not hold ${n} finite numbers`);
  for (const key of ["trainLoss", "trainAcc"])
    if (m[key] !== null && !finiteArray(m[key], n)) bad(`metrics.${key} is neither null nor ${n} finite numbers`);
  if ((m.trainLoss === null) !== (m.trainAcc === null))
    bad("metrics.trainLoss and trainAcc are not both present or both null");
  if (!m.valAcc.every((a: number) => isFraction(a, d.nVal)))
    bad(`a validation accuracy is not a count of correct images out of ${d.nVal}`);
  if (m.trainAcc && !m.trainAcc.every((a: number) => isFraction(a, d.nTrain)))
    bad(`a training accuracy is not a count of correct images out of ${d.nTrain}`);
  if (!isObject(r.best) || !sameJson(r.best, bestOf(m)))
    bad(`best ${JSON.stringify(r.best)} is not the first maximum of metrics.valAcc (${JSON.stringify(bestOf(m))})`);
  if (r.seconds === undefined) bad("seconds is missing");
  if (typeof r.seconds !== "number" || !(r.seconds >= 0))
    bad(`seconds is ${JSON.stringify(r.seconds)}; expected a duration >= 0`);
  const t = r.test;
  if (
    t !== undefined &&
    t !== null &&
    (!isObject(t) ||
      !Number.isInteger(t.n) ||
      t.n < 1 ||
      !Number.isInteger(t.correct) ||
      t.accuracy !== t.correct / t.n ||
      !Number.isFinite(t.loss))
  )
    bad("its test score is not a count of correct images with a finite loss");
  return r as RunRecord;
}
