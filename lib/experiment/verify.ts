/**
 * Records made by other code are checked, not trusted blindly and not thrown away. What made a
 * record is its engine's binary and its training code (trainingcode.ts). Builds of one wasm source
 * with one pinned compiler have always computed the same numbers, yet their bytes can differ
 * between machines; and most edits of the training code change no number. So, once per pair of
 * makers, this code retrains a short prefix (2 epochs) of the foreign maker's runs with the
 * smallest and the largest h and compares every recorded metric bit for bit. The answer is
 * remembered per pair in build/verified-builds.json (build/ is rebuilt with the binary, so the memo
 * cannot outlive it).
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { writeFileAtomic } from "../common/atomic";
import { makeConfig } from "../mlp/config";
import { pointText } from "./grid";
import { Dataset } from "../data/sources";
import { sparseSplit } from "../data/features";
import { ROOT } from "../common/root";
import { Metrics, RunRecord, codeOf } from "./runrecord";
import { train } from "./train";
import { trainingCodeId } from "./trainingcode";
import { engineBuild } from "../engine/engine";
import { countOf } from "../common/format";

export const PREFIX_EPOCHS = 2;

export interface BuildCheck {
  build: string; // what made the records: the engine's binary (or "reference") and the training code
  records: number; // how many of the records it made
  runs: RunRecord[]; // those records
  reproduced: boolean; // this build gave the same numbers on the checked prefixes
  detail: string; // one sentence: what was compared and what came out
}

type Memo = Record<string, Record<string, { reproduced: boolean; detail: string }>>;
const MEMO = () => join(ROOT, "build", "verified-builds.json");

function readMemo(path: string): Memo {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Memo;
  } catch {
    return {};
  }
}

/** The first metric where `prefix` (a k-epoch run) and the first k+1 entries of `full` differ, or null. */
export function prefixMismatch(prefix: Metrics, full: Metrics): string | null {
  for (const key of ["valLoss", "valAcc", "trainLoss", "trainAcc"] as const) {
    const a = prefix[key],
      b = full[key];
    if (a === null || b === null) continue;
    for (let e = 0; e < a.length; e++)
      if (!Object.is(a[e], b[e])) return `${key} at epoch ${e}: ${a[e]} here, ${b[e]} recorded`;
  }
  return null;
}

/**
 * Retrain the first `epochs` epochs of `r` from its seed on `ds` (the data it was made on) and
 * compare every recorded metric: null when bit-identical, else the first metric and epoch that differ.
 */
export async function recomputePrefix(r: RunRecord, ds: Dataset, epochs = PREFIX_EPOCHS): Promise<string | null> {
  const { train: tr, val: va } = sparseSplit(ds.train, r.seed, r.config.pixels);
  const short = makeConfig({ ...r.config, epochs: Math.min(epochs, r.config.epochs) });
  const result = await train(short, tr, va, {
    seed: r.seed,
    data: r.data,
    engine: r.engine,
    evalTrain: r.metrics.trainLoss !== null,
  });
  return prefixMismatch(result.record.metrics, r.metrics);
}

/** What made a record, in words: its engine's binary and its training code. */
const makerOf = (binary: string, code: string) => `${binary} with training code ${code}`;

/**
 * The options that take a run through other code (pixel scaling, dropout, L2, the minibatch
 * update): each is checked on its own runs, so that a change touching one of them is caught there.
 */
const variantOf = (r: RunRecord) => {
  const c = r.config;
  return `keepProb=${c.keepProb},batch=${c.batch},pixels=${c.pixels},minibatch=${c.minibatch},l2=${c.lambda > 0}`;
};

/**
 * Check every foreign maker among `records` (records whose binary or training code is not this
 * one's), on `ds` (the data the records were made on). Records of this maker need no check.
 */
export async function checkBuilds(
  records: RunRecord[],
  ds: Dataset,
  onLine?: (text: string) => void,
  memoPath = MEMO(),
  code = trainingCodeId(),
): Promise<BuildCheck[]> {
  // A record's build names the core's binary, and for the minibatch option the minibatch module's too.
  const localFor = (r: RunRecord) => makerOf(engineBuild(r.engine, r.config.minibatch) ?? r.engine, code);
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const maker = makerOf(r.engineBuild ?? r.engine, codeOf(r));
    if (maker === localFor(r)) continue;
    const key = `${maker}; ${variantOf(r)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const memo = readMemo(memoPath);
  const checks: BuildCheck[] = [];
  for (const [key, runs] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const build = makerOf(runs[0].engineBuild ?? runs[0].engine, codeOf(runs[0]));
    const local = localFor(runs[0]); // the same for every record of one group
    let known = memo[local]?.[key];
    if (!known) {
      const sorted = [...runs].sort(
        (a, b) => a.config.h - b.config.h || a.config.lr - b.config.lr || a.config.lambda - b.config.lambda,
      );
      const picks = sorted.length > 1 ? [sorted[0], sorted[sorted.length - 1]] : sorted;
      onLine?.(
        `${countOf(runs.length, "record")} ${runs.length === 1 ? "was" : "were"} made by engine build ${build}; ` +
          `checking that this code (engine build ${local}) reproduces them: ${PREFIX_EPOCHS}-epoch prefixes of ` +
          `${picks.map((r) => `h=${r.config.h}`).join(" and ")} ...`,
      );
      let mismatch: string | null = null;
      for (const r of picks) {
        const m = await recomputePrefix(r, ds);
        if (m) {
          mismatch = `${pointText(r.config)}: ${m}`;
          break;
        }
      }
      const what = `${PREFIX_EPOCHS}-epoch prefixes of ${picks.map((r) => pointText(r.config)).join(" and ")}`;
      known = mismatch
        ? {
            reproduced: false,
            detail:
              `this code (engine build ${local}) does not reproduce the records of engine build ${build}: ` +
              `${mismatch}`,
          }
        : {
            reproduced: true,
            detail: `this code (engine build ${local}) reproduced the ${what} of engine build ${build} bit for bit`,
          };
      memo[local] = { ...(memo[local] ?? {}), [key]: known };
      if (existsSync(join(memoPath, ".."))) writeFileAtomic(memoPath, JSON.stringify(memo, null, 1) + "\n");
    }
    checks.push({ build, records: runs.length, runs, ...known });
  }
  return checks;
}
