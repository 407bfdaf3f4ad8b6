/**
 * The run store: finished runs kept in a folder, one JSON record per run, written atomically and
 * keyed by what determines its numbers (config, seed, data checksum, engine definition), so that a
 * rerun reuses matching records and computes only what is missing or stale. The code that made a
 * record (its binary, its training code) is checked apart, on a short prefix (verify.ts), so that
 * a change to the code re-checks the records instead of losing them.
 */
import { sha256 } from "../data/checksum";
import { existsSync, readFileSync, readdirSync } from "fs";
import { basename, join } from "path";
import { TrainConfig, configKey } from "../mlp/config";
import { DEFAULT_ENGINE, EngineName, engineVersion } from "../engine/engine";
import { InputError } from "../common/errors";
import { changedSinceCommit } from "../common/git";
import { RunRecord, validateRunRecord } from "./runrecord";

/** What a cached record must match to be reused. */
export interface RunIdentity {
  config: TrainConfig;
  seed: number;
  dataChecksum: string;
  engine: EngineName;
  engineVersion: string;
}

/** A run's identity: by default, on this code's engine (`engine` and `version` name another's, as a record does). */
export function runIdentity(
  config: TrainConfig,
  seed: number,
  dataChecksum: string,
  engine: EngineName = DEFAULT_ENGINE,
  version = engineVersion(engine, config.minibatch),
): RunIdentity {
  return { config, seed, dataChecksum, engine, engineVersion: version };
}

export function runKey(id: RunIdentity): string {
  const text = `${configKey(id.config)};seed=${id.seed};data=${id.dataChecksum};engine=${id.engineVersion}`;
  return sha256(text).slice(0, 12);
}

/** e.g. data/runs/h128-lr0.01-lambda0.0005-e200-3f2a9c01b2d4.json */
export function runPath(dir: string, id: RunIdentity): string {
  const c = id.config;
  return join(dir, `h${c.h}-lr${c.lr}-lambda${c.lambda}-e${c.epochs}-${runKey(id)}.json`);
}

/**
 * The record of `id` in `dir` if it is there, valid (lib/experiment/runrecord.ts) and of this identity;
 * otherwise null, with `why` told the reason (the file, and what is wrong with it).
 */
export function loadCachedRun(dir: string, id: RunIdentity, why?: (reason: string) => void): RunRecord | null {
  const path = runPath(dir, id);
  if (!existsSync(path)) return null;
  try {
    const r = readRunRecord(path);
    if (sameIdentity(r, id)) return r;
    why?.(`${path} holds another run's record`);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    why?.(e.message.replace(/\.$/, ""));
  }
  return null;
}

function sameIdentity(r: RunRecord, id: RunIdentity): boolean {
  return (
    configKey(r.config) === configKey(id.config) &&
    r.seed === id.seed &&
    r.data.checksum === id.dataChecksum &&
    r.engine === id.engine &&
    r.engineVersion === id.engineVersion
  );
}

/**
 * Why a run has no usable record, in a few words: another record for the same config, seed and
 * data says what changed since it was made (the engine's definition), else "no record".
 */
export function staleReason(others: RunRecord[], id: RunIdentity): string {
  const same = others.filter(
    (r) =>
      r.config &&
      configKey(r.config) === configKey(id.config) &&
      r.seed === id.seed &&
      r.data?.checksum === id.dataChecksum,
  );
  const engine = same.find((r) => r.engineVersion !== id.engineVersion);
  if (engine) return `its record was made by engine ${engine.engineVersion}, now ${id.engineVersion}`;
  return "no record yet";
}

/** Every valid record in a folder (sorted by file name) with its path, and the files rejected, with why. */
export function scanRuns(dir: string): {
  records: RunRecord[];
  paths: string[];
  rejected: { path: string; why: string }[];
} {
  const records: RunRecord[] = [],
    paths: string[] = [],
    rejected: { path: string; why: string }[] = [];
  if (!existsSync(dir)) return { records, paths, rejected };
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    try {
      const r = readRunRecord(join(dir, f));
      // A record is found by its name: one whose content is another run's would stand in for that run.
      const named = basename(runPath(dir, runIdentity(r.config, r.seed, r.data.checksum, r.engine, r.engineVersion)));
      if (named !== f)
        throw new InputError(`${join(dir, f)} holds the record of ${named}, not of the run its name says`);
      records.push(r);
      paths.push(join(dir, f));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      rejected.push({ path: join(dir, f), why: e.message });
    }
  }
  return { records, paths, rejected };
}

/** Every valid record in a folder (e.g. to list what a grid has produced so far). */
export function listRuns(dir: string): RunRecord[] {
  return scanRuns(dir).records;
}

/** Runs ranked by best validation accuracy (ties: the earlier epoch first). */
export function rankRuns(runs: RunRecord[]): RunRecord[] {
  return [...runs].sort((a, b) => b.best.valAcc - a.best.valAcc || a.best.epoch - b.best.epoch);
}

/** Read and validate the record in `path`. */
export function readRunRecord(path: string): RunRecord {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(
      `cannot read run record ${path}: ` +
        `${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`${path} is not a valid run record: not JSON.`);
  }
  const unknown = isRecordObject(value) && Object.keys(value).find((k) => !RECORD_KEYS.includes(k));
  if (unknown)
    throw new InputError(`${path} is not a valid run record: it has an unknown key ${JSON.stringify(unknown)}.`);
  return validateRunRecord(value, path);
}

/** Every key a record file may have (all of RunRecord's fields): any other is refused, not carried along. */
const RECORD_KEYS = Object.keys({
  trainingCode: true,
  codeVersion: true,
  config: true,
  engine: true,
  engineVersion: true,
  engineBuild: true,
  seed: true,
  data: true,
  metrics: true,
  best: true,
  seconds: true,
  software: true,
  test: true,
} satisfies Record<keyof RunRecord, true>);

const isRecordObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * What under `folder` (e.g. "data") is not as committed, one sentence each with the command that
 * restores or re-checks it: a result edited by hand can be consistent enough to pass every check
 * of its form, so it is named, never published as if it were the committed one.
 */
export function committedDataChanges(root: string, folder: string): string[] {
  const { missing, edited } = changedSinceCommit(root, folder);
  return [
    ...missing.map((p) => `${p} is committed but missing: git checkout -- ${p} restores it.`),
    ...edited.map(
      (p) =>
        `${p} differs from its committed version: ` +
        (/\/runs\/[^/]+\.json$/.test(p)
          ? `npm run verify -- --only ${basename(p)} --epochs all re-verifies it fully`
          : `git diff -- ${p} shows how; git checkout -- ${p} restores it`) +
        ".",
    ),
  ];
}
