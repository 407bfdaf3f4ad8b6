/**
 * npm run verify -- [--epochs K|all] [--sample N] [--only TEXT] [--runs-dir DIR]
 * Checks committed run records against the code: each record's first K epochs (default 2; "all":
 * the whole run) are retrained from its seed on the data it names, and every recorded metric is
 * compared bit for bit. Says, record by record, "bit-identical" or the first metric and epoch that
 * differ; exits 1 if any differs. --sample N checks N records spread over the sorted list, --only
 * the records whose file name contains TEXT. A record edited by hand, however consistently, does
 * not survive the epochs checked; "all" leaves it nowhere to hide.
 */
import { existsSync, statSync } from "fs";
import { basename, resolve } from "path";
import { MAX_EPOCHS } from "../lib/mlp/config";
import { parseFlags } from "../lib/common/args";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { countOf } from "../lib/common/format";
import { Dataset, loadDataset } from "../lib/data/sources";
import { scanRuns } from "../lib/experiment/runstore";
import { changedSinceCommit } from "../lib/common/git";
import { engineVersion } from "../lib/engine/engine";
import { ROOT } from "../lib/common/root";
import { profile } from "../lib/experiment/profile";
import { recomputePrefix } from "../lib/experiment/verify";

const USAGE = "usage: npm run verify -- [--epochs K|all] [--sample N] [--only TEXT] [--runs-dir DIR]";

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new InputError(`--${flag} ${raw} is out of range; expected a whole number from ${min} to ${max}.`);
  return Number(raw);
}

/** `n` items spread evenly over `items` (all of them when n is larger). */
function spread<T>(items: T[], n: number): T[] {
  if (n >= items.length) return items;
  return Array.from({ length: n }, (_, k) => items[Math.floor((k * items.length) / n)]);
}

const parse = () =>
  parseFlags(
    {
      epochs: { type: "string" },
      sample: { type: "string" },
      only: { type: "string" },
      "runs-dir": { type: "string" },
      help: { type: "boolean" },
    },
    USAGE,
  );

async function main(): Promise<void> {
  const a = parse();
  if (a.help) return void console.log(USAGE);
  const epochs = a.epochs === "all" ? Infinity : (wholeNumber("epochs", a.epochs, 1, MAX_EPOCHS) ?? 2);
  const sample = wholeNumber("sample", a.sample, 1, 1_000_000);
  const runsDir = a["runs-dir"] ?? profile("full").runsDir;
  if (!existsSync(runsDir))
    throw new InputError(`--runs-dir ${runsDir} does not exist; expected a folder of run records.`);
  if (!statSync(runsDir).isDirectory())
    throw new InputError(`--runs-dir ${runsDir} is a file; expected a folder of run records.`);
  const { records, paths, rejected } = scanRuns(runsDir);
  for (const r of rejected) console.log(`${r.path}: not a valid record: ${r.why}`);
  // The committed records (those --only names): any missing or edited is said (an edit past the
  // epochs checked here would otherwise pass); a missing one fails the check.
  const named = (p: string) => !a.only || basename(p).includes(a.only);
  const committed =
    resolve(runsDir) === resolve(profile("full").runsDir)
      ? changedSinceCommit(ROOT, "data/runs")
      : { missing: [], edited: [] };
  const missing = committed.missing.filter(named),
    edited = committed.edited.filter(named);
  for (const p of missing) console.log(`${p}: committed but missing (git checkout -- ${p} restores it).`);
  for (const p of edited)
    console.log(`${p}: differs from its committed version (--epochs all checks every epoch of it).`);
  let files = records
    .map((r, i) => ({ r, path: paths[i] }))
    .filter((x) => !a.only || basename(x.path).includes(a.only));
  if (files.length === 0)
    throw new InputError(`${runsDir} holds no run record${a.only ? ` whose name contains "${a.only}"` : ""}.`);
  if (sample) files = spread(files, sample);
  console.log(
    `Retraining ${epochs === Infinity ? "every epoch" : `the first ${countOf(epochs, "epoch")}`} of ` +
      `${countOf(files.length, "record")} in ${runsDir} from their seeds, comparing every metric bit for bit.`,
  );

  const data = new Map<string, Dataset>();
  let differ = rejected.length + missing.length;
  for (const { r, path } of files) {
    if (!data.has(r.data.name)) data.set(r.data.name, loadDataset(r.data.name));
    const ds = data.get(r.data.name)!;
    if (ds.checksum !== r.data.checksum) {
      console.log(
        `${path}: made on other data than ${r.data.name} here (checksum ${r.data.checksum}, here ${ds.checksum}).`,
      );
      differ++;
      continue;
    }
    const current = engineVersion(r.engine, r.config.minibatch);
    if (r.engineVersion !== current)
      console.log(`${path}: made by engine ${r.engineVersion}; this code's is ${current} (checked by its epochs):`);
    const mismatch = await recomputePrefix(r, ds, epochs);
    console.log(`${path}: ${mismatch ? `differs: ${mismatch}` : "bit-identical"}`);
    if (mismatch) differ++;
  }
  console.log(
    differ === 0
      ? `All ${files.length} bit-identical.`
      : `${differ} of ${files.length + rejected.length + missing.length} do not match the code` +
          `${missing.length ? " or are missing" : ""}.`,
  );
  if (differ > 0) process.exitCode = 1;
}

main().catch(exitOnInputError);
