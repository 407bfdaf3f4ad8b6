/**
 * npm run grid -- [--profile quick|full] [--workers N] [--fresh] [--seeds] [--ablations] [--runs-dir DIR] [--model
 * PATH] The report's grid search on worker threads, resumable: finished runs are kept in the runs
 * folder and reused. Then the best config (by validation accuracy) is retrained from its seed
 * (reproducing its run exactly) and saved with its initial weights. With --seeds, then the seed
 * study: the grid's top configurations and the original's choice from every base seed of the
 * profile (lib/experiment/seedstudy.ts), through the same runner; with --ablations, the selected
 * configuration with one of the original's choices changed at a time (lib/experiment/ablationstudy.ts).
 */
import { SingleBar } from "cli-progress";
import { parseFlags } from "../lib/common/args";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { checkWritableDir, checkWritableFile } from "../lib/common/atomic";
import { rankRuns } from "../lib/experiment/runstore";
import { pointText } from "../lib/experiment/grid";
import { profile } from "../lib/experiment/profile";
import { GridProgress, RunSet, progressLine, runGrid, runRuns } from "../lib/experiment/runner";
import { seedStudy } from "../lib/experiment/seedstudy";
import { ablationStudy } from "../lib/experiment/ablationstudy";
import { loadOriginalRecord } from "../lib/experiment/original";
import { selectBest, selectedModel } from "../lib/experiment/selected";

const USAGE =
  "usage: npm run grid -- [--profile quick|full] [--workers N] [--fresh] [--seeds] [--ablations] [--runs-dir DIR] " +
  "[--model PATH]";

async function main(): Promise<void> {
  const a = parseFlags(
    {
      profile: { type: "string", default: "full" },
      workers: { type: "string" },
      fresh: { type: "boolean", default: false },
      seeds: { type: "boolean", default: false },
      ablations: { type: "boolean", default: false },
      "runs-dir": { type: "string" },
      model: { type: "string" },
      help: { type: "boolean" },
    },
    USAGE,
  );
  if (a.help) return void console.log(USAGE);
  if (a.profile !== "quick" && a.profile !== "full")
    throw new InputError(`--profile ${a.profile} is not a profile; expected "quick" or "full".`);
  const workers = a.workers === undefined ? undefined : Number(a.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
    throw new InputError(`--workers ${a.workers} is out of range; expected a whole number >= 1.`);
  const prof = profile(a.profile);
  const spec = prof.grid;
  const runsDir = a["runs-dir"] ?? prof.runsDir;
  const modelPath = a.model ?? prof.modelPath;
  checkWritableDir(runsDir, "--runs-dir");
  checkWritableFile(modelPath, "--model");

  const bar = new SingleBar({
    format: "{bar} {percentage}% | {line}",
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 15000,
    barsize: 20,
  });
  let barStarted = false;
  const started = Date.now();
  const runOptions = {
    runsDir,
    workers,
    fresh: a.fresh,
    onPlan: (lines: string[]) => process.stderr.write(lines.map((l) => l + "\n").join("")),
    onProgress: (p: GridProgress) => {
      if (!barStarted) bar.start(100, 0, { line: "" });
      barStarted = true;
      bar.update(Math.floor(100 * p.work), { line: progressLine(p) });
    },
  };
  const runs = await runGrid(spec, runOptions);
  bar.update(100);
  bar.stop();
  const gridSeconds = (Date.now() - started) / 1000;

  console.table(
    rankRuns(runs).map((r) => ({
      h: r.config.h,
      lr: r.config.lr,
      lambda: r.config.lambda,
      "best val acc": r.best.valAcc.toFixed(4),
      epoch: r.best.epoch,
      seconds: r.seconds.toFixed(0),
    })),
  );
  const best = selectBest(runs);
  console.log(`grid: ${runs.length} runs in ${runsDir}, ${gridSeconds.toFixed(0)} s wall this call.`);
  console.log(
    `selected (argmax of best validation accuracy): ${pointText(best.config)}, ${best.best.valAcc.toFixed(4)} at ` +
      `epoch ${best.best.epoch}`,
  );
  let retrained = false;
  await selectedModel(spec, best, modelPath, {
    runsDir,
    onRetrain: (why) => {
      retrained = true;
      process.stderr.write(`retraining the selected model from its seed, as ${why} ...\n`);
    },
  });
  console.log(
    retrained
      ? `selected model saved to ${modelPath} (retrained from its seed; reproduces its grid run exactly).`
      : `selected model: ${modelPath} is the selected configuration's (read back).`,
  );
  // The seed study first: the ablations' faithful runs are its runs of the selected configuration.
  const more = async (what: string, set: RunSet) => {
    barStarted = false;
    const records = await runRuns(set, runOptions);
    bar.update(100);
    bar.stop();
    console.log(`${what}: ${records.length} runs in ${runsDir}.`);
  };
  if (a.seeds) {
    const study = seedStudy(prof, runs, loadOriginalRecord());
    process.stderr.write(
      `seed study: ${study.jobs.length} runs (${new Set(study.jobs.map((j) => j.seed)).size} base seeds)\n`,
    );
    await more("seed study", study);
  }
  if (a.ablations) await more("ablations", ablationStudy(prof, best.config));
}

main().catch(exitOnInputError);
