/**
 * npm run verify -- [--epochs K|all] [--sample N] [--only TEXT] [--runs-dir DIR]
 * Checks committed run records against the code: each record's first K epochs (default 2; "all":
 * the whole run) are retrained from its seed on the data it names, and every recorded metric is
 * compared bit for bit. Says, record by record, "bit-identical" or the first metric and epoch that
 * differ; exits 1 if any differs. --sample N checks N records spread over the sorted list, --only
 * the records whose file name contains TEXT. A record edited by hand, however consistently, does
 * not survive the epochs checked; "all" leaves it nowhere to hide.
 */
import { basename } from "path";
import { parseFlags } from "../lib/common/args";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { countOf } from "../lib/common/format";
import { Dataset, loadDataset } from "../lib/data/sources";
import { scanRuns } from "../lib/experiment/runstore";
import { profile } from "../lib/experiment/profile";
import { recomputePrefix } from "../lib/experiment/verify";

const USAGE = "usage: npm run verify -- [--epochs K|all] [--sample N] [--only TEXT] [--runs-dir DIR]";

function wholeNumber(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw new InputError(`--${flag} ${raw} is out of range; expected a whole number >= ${min}.`);
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
  const epochs = a.epochs === "all" ? Infinity : (wholeNumber("epochs", a.epochs, 1) ?? 2);
  const sample = wholeNumber("sample", a.sample, 1);
  const runsDir = a["runs-dir"] ?? profile("full").runsDir;
  const { records, paths, rejected } = scanRuns(runsDir);
  for (const r of rejected) console.log(`${r.path}: not a valid record: ${r.why}`);
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
  let differ = rejected.length;
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
    const mismatch = await recomputePrefix(r, ds, epochs);
    console.log(`${path}: ${mismatch ? `differs: ${mismatch}` : "bit-identical"}`);
    if (mismatch) differ++;
  }
  console.log(
    differ === 0
      ? `All ${files.length} bit-identical.`
      : `${differ} of ${files.length + rejected.length} do not match the code.`,
  );
  if (differ > 0) process.exitCode = 1;
}

main().catch(exitOnInputError);
