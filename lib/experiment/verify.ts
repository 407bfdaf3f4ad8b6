/**
 * Records made by another binary of the same engine definition are checked, not trusted blindly
 * and not thrown away. Builds of one source with one pinned compiler have always computed the same
 * numbers, yet their bytes can differ between machines; so, once per foreign build, this build
 * retrains a short prefix (2 epochs) of that build's runs with the smallest and the largest h and
 * compares every recorded metric bit for bit. The answer is remembered per pair of builds in
 * build/verified-builds.json (build/ is rebuilt with the binary, so the memo cannot outlive it).
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { writeFileAtomic } from "../common/atomic";
import { makeConfig } from "../mlp/config";
import { Dataset } from "../data/sources";
import { sparseSplit } from "../data/features";
import { ROOT } from "../common/root";
import { Metrics, RunRecord } from "./runrecord";
import { train } from "./train";
import { engineBuild } from "../engine/engine";

export const PREFIX_EPOCHS = 2;

export interface BuildCheck {
  build: string; // the binary that made the records
  records: number; // how many of the records it made
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
    const a = prefix[key], b = full[key];
    if (a === null || b === null) continue;
    for (let e = 0; e < a.length; e++) if (!Object.is(a[e], b[e])) return `${key} at epoch ${e}: ${a[e]} here, ${b[e]} recorded`;
  }
  return null;
}

/**
 * Check every foreign build among `records` (fast-engine records whose binary is not this one),
 * on `ds` (the data the records were made on). Records of this build need no check.
 */
export async function checkBuilds(records: RunRecord[], ds: Dataset, onLine?: (text: string) => void, memoPath = MEMO()): Promise<BuildCheck[]> {
  // A record's build names the core's binary, and for the minibatch option the minibatch module's too.
  const localFor = (r: RunRecord) => engineBuild("wasm", r.config.minibatch)!;
  const byBuild = new Map<string, RunRecord[]>();
  for (const r of records) {
    if (r.engine !== "wasm" || !r.engineBuild || r.engineBuild === localFor(r)) continue;
    byBuild.set(r.engineBuild, [...(byBuild.get(r.engineBuild) ?? []), r]);
  }
  const memo = readMemo(memoPath);
  const checks: BuildCheck[] = [];
  for (const [build, runs] of [...byBuild].sort(([a], [b]) => a.localeCompare(b))) {
    const local = localFor(runs[0]); // the same for every record of one build
    let known = memo[local]?.[build];
    if (!known) {
      const sorted = [...runs].sort((a, b) => a.config.h - b.config.h || a.config.lr - b.config.lr || a.config.lambda - b.config.lambda);
      const picks = sorted.length > 1 ? [sorted[0], sorted[sorted.length - 1]] : sorted;
      onLine?.(`${runs.length} records were made by engine build ${build}; checking that this build (${local}) reproduces them: ${PREFIX_EPOCHS}-epoch prefixes of ${picks.map((r) => `h=${r.config.h}`).join(" and ")} ...`);
      let mismatch: string | null = null;
      for (const r of picks) {
        const { train: tr, val: va } = sparseSplit(ds.train, r.seed, r.config.pixels);
        const short = makeConfig({ ...r.config, epochs: PREFIX_EPOCHS });
        const result = await train(short, tr, va, { seed: r.seed, data: r.data, engine: "wasm", evalTrain: r.metrics.trainLoss !== null });
        const m = prefixMismatch(result.record.metrics, r.metrics);
        if (m) {
          mismatch = `h=${r.config.h} lr=${r.config.lr} lambda=${r.config.lambda}: ${m}`;
          break;
        }
      }
      const what = `${PREFIX_EPOCHS}-epoch prefixes of ${picks.map((r) => `h=${r.config.h}, lr=${r.config.lr}, lambda=${r.config.lambda}`).join(" and ")}`;
      known = mismatch
        ? { reproduced: false, detail: `this build (${local}) does not reproduce build ${build}'s records: ${mismatch}` }
        : { reproduced: true, detail: `this build (${local}) reproduced build ${build}'s ${what} bit for bit` };
      memo[local] = { ...(memo[local] ?? {}), [build]: known };
      if (existsSync(join(memoPath, ".."))) writeFileAtomic(memoPath, JSON.stringify(memo, null, 1) + "\n");
    }
    checks.push({ build, records: runs.length, ...known });
  }
  return checks;
}
