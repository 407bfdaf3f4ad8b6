/**
 * lib/report/: one module per report item, named as the report names it (figure1.ts .. figure4.ts,
 * table1.ts .. table3.ts, and findings, headline, classcounts, sampledigits, unittiles; the interactive
 * gridexplorer, confusionexplorer, drawdigit, unitsforming with their page scripts in widgets/),
 * its statistics, and this registry.
 *
 * Every report item, by the name the report gives it, and the inputs `npm run figures` gives each
 * from the profile's committed results (read back by readback.ts, no retraining). The notebooks
 * pass the same inputs from their own cells.
 */
import { InputError } from "../common/errors";
import { predictWith } from "../experiment/selected";
import { ORIGINAL_TABLE2 } from "../experiment/original";
import { byVariant } from "../experiment/ablationstudy";
import { Profile } from "../experiment/profile";
import { ReadBack } from "./readback";
import { ablations } from "./ablations";
import { classCountsChart } from "./classcounts";
import { drawDigit } from "./drawdigit";
import { FindingsInputs, findings } from "./findings";
import { figure1 } from "./figure1";
import { figure2 } from "./figure2";
import { figure3 } from "./figure3";
import { figure4, figure4Rows } from "./figure4";
import { frameworkSteps } from "./frameworksteps";
import { headline } from "./headline";
import { Output, ReportItem } from "./item";
import { sampleDigits } from "./sampledigits";
import { rankingSeeds, testSeeds } from "./seeds";
import { table1 } from "./table1";
import { table2 } from "./table2";
import { table3 } from "./table3";
import { unitTiles } from "./unittiles";

export {
  ablations,
  findings,
  classCountsChart,
  frameworkSteps,
  headline,
  rankingSeeds,
  testSeeds,
  figure1,
  figure2,
  figure3,
  figure4,
  sampleDigits,
  table1,
  table2,
  table3,
  unitTiles,
};

interface Entry {
  item: ReportItem<any, any>;
  inputs(rb: ReadBack): unknown | Promise<unknown>;
}

/** What is not computed yet (an InputError says which) as null; any other error as it is. */
const orNull = (e: unknown) => {
  if (e instanceof InputError) return null;
  throw e;
};

/**
 * The findings' inputs: the grid and the seed study, the original's test accuracy, the ablations;
 * null where not computed.
 */
export async function findingsInputs(rb: ReadBack): Promise<FindingsInputs> {
  // (a read may throw before it returns a promise: what it reads first, the grid, is missing)
  const study = await Promise.resolve().then(() => rb.study()).catch(orNull);
  const ablations = await Promise.resolve().then(() => rb.ablations()).catch(orNull);
  return {
    grid: study?.grid ?? null,
    study: study?.study ?? null,
    originalTest: ORIGINAL_TABLE2.mlp,
    variants: ablations && byVariant(rb.prof, rb.best.config, ablations),
  };
}

/** The report's items in the order of the report, with how each gets its inputs from results read back. */
const ENTRIES: Entry[] = [
  { item: findings, inputs: findingsInputs },
  {
    item: headline,
    inputs: async (rb) => ({
      best: rb.best,
      original: rb.original,
      mlp: rb.mlp,
      baselines: await rb.baselines(),
      testName: rb.sets.testName,
    }),
  },
  { item: classCountsChart, inputs: ({ sets }) => ({ train: sets.train, val: sets.val, test: sets.ds.test }) },
  { item: sampleDigits, inputs: ({ sets }) => ({ train: sets.train }) },
  { item: figure1, inputs: (rb) => ({ runs: rb.runs, original: rb.original, best: rb.best }) },
  { item: table1, inputs: (rb) => ({ runs: rb.runs, original: rb.original }) },
  { item: rankingSeeds, inputs: async (rb) => ({ ...(await rb.study()), original: rb.original }) },
  {
    item: table2,
    inputs: async (rb) => ({
      labels: rb.sets.test.labels,
      mlp: rb.mlp,
      record: rb.model.record,
      baselines: await rb.baselines(),
      testName: rb.sets.testName,
    }),
  },
  { item: frameworkSteps, inputs: async (rb) => ({ tfOriginal: (await rb.baselines()).tfOriginal }) },
  { item: testSeeds, inputs: async (rb) => ({ study: (await rb.study()).study, originalTest: ORIGINAL_TABLE2.mlp }) },
  { item: table3, inputs: (rb) => ({ labels: rb.sets.test.labels, predicted: rb.mlp.predicted }) },
  {
    item: figure2,
    inputs: (rb) => ({
      pixels: rb.sets.test.pixels,
      labels: rb.sets.test.labels,
      predicted: rb.mlp.predicted,
      probabilities: rb.mlp.probabilities,
      seed: rb.prof.seed,
    }),
  },
  { item: figure3, inputs: (rb) => ({ initial: rb.model.initial, params: rb.model.params }) },
  { item: unitTiles, inputs: (rb) => ({ params: rb.model.params }) },
  {
    item: figure4,
    inputs: (rb) => {
      const { test } = rb.sets,
        rows = figure4Rows(test.n, rb.prof.seed, figure4.defaults);
      return {
        test,
        hidden: predictWith(rb.model, test, { hidden: rows }).hidden,
        keepProb: rb.model.record.config.keepProb,
      };
    },
  },
  { item: ablations, inputs: async (rb) => ({ variants: byVariant(rb.prof, rb.best.config, await rb.ablations()) }) },
];

export const ITEM_NAMES = ENTRIES.map((e) => e.item.name);

/** Names and one-line titles, for --help. */
export function itemList(): string {
  return ENTRIES.map((e) => `  ${e.item.name.padEnd(14)}${e.item.title}`).join("\n");
}

/** The items named in `only` (all when empty), checked before anything is read. */
export function pickItems(only: string[]): string[] {
  for (const n of only)
    if (!ITEM_NAMES.includes(n))
      throw new InputError(`"${n}" is not a report item; expected one of ${ITEM_NAMES.join(", ")}.`);
  return only.length ? ITEM_NAMES.filter((n) => only.includes(n)) : ITEM_NAMES;
}

/** The outputs of each named item, built with its default parameters from the profile's results. */
export async function buildItems(prof: Profile, names: string[]): Promise<{ name: string; outputs: Output[] }[]> {
  const rb = new ReadBack(prof);
  const out: { name: string; outputs: Output[] }[] = [];
  for (const e of ENTRIES.filter((x) => names.includes(x.item.name))) {
    out.push({ name: e.item.name, outputs: Object.values(e.item.build(await e.inputs(rb), e.item.defaults)) });
  }
  return out;
}
export { show } from "./item";
