/**
 * npm run framework -- [--check N]
 * Table 2's framework MLP by the original's recipe (lib/baselines/tforiginal.ts): 1,000 full-batch
 * Adam steps on the 48,000 training images, about an hour on one core. Without options: trains it
 * unless data/baselines/ holds a current result (same settings, same data), resuming from its last
 * checkpoint when an earlier run was interrupted, and writes the record and the weights. With
 * --check N: retrains the record's first N steps and compares each step's loss and training
 * accuracy with the record, saying whether they are bit-identical or how far they differ.
 */
import { parseFlags } from "../lib/common/args";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { originalRecipeBaseline } from "../lib/baselines/all";
import { checkOriginalPrefix } from "../lib/baselines/tforiginal";
import { profile, reportSets } from "../lib/experiment/profile";

const USAGE = "usage: npm run framework -- [--check N]";

const parse = () => parseFlags({ check: { type: "string" }, help: { type: "boolean" } }, USAGE);

async function main(): Promise<void> {
  const a = parse();
  if (a.help) return void console.log(USAGE);
  const prof = profile();
  const recipe = prof.baselines.tfOriginal;
  if (a.check !== undefined && (!/^\d+$/.test(a.check) || Number(a.check) < 1 || Number(a.check) > recipe.steps)) {
    throw new InputError(
      `--check ${a.check} is out of range; expected a whole number of steps from 1 to ${recipe.steps}.`,
    );
  }
  const sets = reportSets(prof.data, prof.seed);
  if (a.check !== undefined) {
    const record = await originalRecipeBaseline(
      sets,
      sets.ds.checksum,
      recipe,
      prof.baselinesDir,
      "readOnly",
      () => undefined,
    );
    const lines = await checkOriginalPrefix(sets, recipe, record, Number(a.check), (s) =>
      process.stderr.write(`\rretraining step ${s}/${a.check} `),
    );
    process.stderr.write("\n");
    console.log(lines.text);
    if (!lines.withinBand) process.exitCode = 1;
    return;
  }
  const tty = process.stderr.isTTY;
  const r = await originalRecipeBaseline(sets, sets.ds.checksum, recipe, prof.baselinesDir, "reuse", (t) =>
    // a resume is said on a line of its own; the steps' progress rewrites one line
    process.stderr.write(!tty ? `${t}\n` : /^resumed /.test(t) ? `\r${t}\x1b[K\n` : `\r${t}\x1b[K`),
  );
  if (tty) process.stderr.write("\n");
  console.log(
    `${prof.baselinesDir}/${r.name}.json: test accuracy ${r.testAccuracy} after ${recipe.steps} steps, ` +
      `${(r.trainSeconds / 60).toFixed(1)} min of training.`,
  );
}

main().catch(exitOnInputError);
