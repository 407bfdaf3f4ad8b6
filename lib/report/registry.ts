/**
 * lib/report/: one module per report item, named as the report names it (figure1.ts .. figure4.ts,
 * table1.ts .. table3.ts, and headline, classcounts, sampledigits, unittiles; the interactive
 * gridexplorer, confusionexplorer, drawdigit, unitsforming with their page scripts in web/), its
 * statistics, and this registry.
 *
 * Every report item, by the name the report gives it, and the inputs `npm run figures` gives
 * each from the profile's committed results (no retraining): the grid's records found by their
 * identity (never another file that happens to lie in the folder), the selected model checked
 * to be the best record's, the baselines' cached results, and the profile's data set (never one
 * taken from a record's contents). The notebooks pass the same inputs from their own cells.
 */
import { InputError } from "../common/errors";
import { Baselines, readBaselines } from "../baselines/all";
import { gridConfigs, pointText } from "../experiment/grid";
import { loadCachedRun, runIdentity, runPath, scanRuns } from "../experiment/runstore";
import { PREFIX_EPOCHS } from "../experiment/verify";
import { trainingCodeId } from "../experiment/trainingcode";
import { countOf } from "../common/format";
import { engineVersion } from "../engine/engine";
import { SavedModel } from "../experiment/modelio";
import { ORIGINAL_TABLE2, OriginalRun, loadOriginalRecord } from "../experiment/original";
import { readStudy } from "../experiment/seeds";
import { byVariant, readAblations } from "../experiment/ablations";
import { Profile, ReportSets, reportSets } from "../experiment/profile";
import { RunRecord, codeOf } from "../experiment/runrecord";
import { predictWith, readSelected, selectBest } from "../experiment/selected";
import type { Prediction } from "../engine/engine";
import { tableHtml } from "../display/output";
import { escapeHtml } from "../display/tables";
import { ablations } from "./ablations";
import { classCountsChart } from "./classcounts";
import { drawDigit } from "./drawdigit";
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

/** What the items are built from, read back once each, when first needed. */
export class ReadBack {
  constructor(readonly prof: Profile) {}
  private memo = new Map<string, unknown>();
  private once<T>(key: string, f: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, f());
    return this.memo.get(key) as T;
  }
  get sets(): ReportSets {
    return this.once("sets", () => reportSets(this.prof.data, this.prof.seed));
  }
  get runs(): RunRecord[] {
    return this.once("runs", () =>
      gridConfigs(this.prof.grid).map((c) => {
        const id = runIdentity(c, this.prof.grid.seed, this.sets.ds.checksum);
        let why = `${runPath(this.prof.runsDir, id)} is missing`;
        const r = loadCachedRun(this.prof.runsDir, id, (reason) => (why = reason));
        if (!r)
          throw new InputError(
            `no current record for ${pointText(c)}: ${why}; compute the grid first (npm run grid, or npm run report).`,
          );
        return r;
      }),
    );
  }
  get best(): RunRecord {
    return selectBest(this.runs);
  }
  get original(): OriginalRun[] {
    return this.once("original", () => loadOriginalRecord());
  }
  get model(): SavedModel {
    return this.once("model", () => {
      const { model, why } = readSelected(this.best, this.prof.modelPath);
      if (!model)
        throw new InputError(
          `${this.prof.modelPath} is not the selected model: ${why}; rebuild it with npm run grid (or npm run report).`,
        );
      return model;
    });
  }
  study(): Promise<{ grid: RunRecord[]; study: RunRecord[] }> {
    return this.once("study", () => readStudy(this.prof));
  }
  ablations(): Promise<RunRecord[]> {
    return this.once("ablations", () => readAblations(this.prof, this.best.config));
  }
  get mlp(): Prediction {
    return this.once("mlp", () => predictWith(this.model, this.sets.test));
  }
  baselines(): Promise<Baselines> {
    const { sets, prof } = this;
    return this.once("baselines", () => readBaselines(sets, sets.ds.checksum, prof.baselines, prof.baselinesDir));
  }
}

interface Entry {
  item: ReportItem<any, any>;
  inputs(rb: ReadBack): unknown | Promise<unknown>;
}

/** The report's items in the order of the report, with how each gets its inputs from results read back. */
const ENTRIES: Entry[] = [
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

/**
 * The HTML report's first page: the headline results and the draw-a-digit pad, from the
 * profile's results; what is not computed yet is said, not guessed.
 */
/**
 * What was checked before the page was written, and by which code (identities derived from the
 * sources, so the same on every machine): the report reads a record back only when this code
 * reproduces it (lib/experiment/verify.ts).
 */
function checkedHtml(prof: Profile): string {
  const { records } = scanRuns(prof.runsDir);
  const makers = [...new Set(records.map(codeOf))].sort();
  const code = (t: string) => `<code>${escapeHtml(t)}</code>`;
  return (
    `<h2>What was checked</h2><p>Before this page was written, <code>npm run report</code> checked the results it ` +
    `reads back against the code that wrote it ` +
    `(training code ${code(trainingCodeId())}, engine ${code(engineVersion("wasm"))}). The ` +
    `${countOf(records.length, "run record")} in ${code(prof.runsDir)} ` +
    `(made by training code ${makers.map(code).join(", ")}) are read back only where this code retrains the first ` +
    `${countOf(PREFIX_EPOCHS, "epoch")} of each kind ` +
    `(binary, training code, options) bit for bit. <code>npm test</code> recomputes a sample of them with <code>npm ` +
    `run verify</code>; ` +
    `<code>npm run verify -- --epochs all</code> recomputes every one whole.</p>`
  );
}

export async function landingHtml(prof: Profile): Promise<string> {
  const rb = new ReadBack(prof);
  const parts: string[] = [];
  try {
    const baselinesOrNull = await rb.baselines().catch(() => null);
    const out = headline.build(
      { best: rb.best, original: rb.original, mlp: rb.mlp, baselines: baselinesOrNull, testName: rb.sets.testName },
      {},
    ).table;
    if (out.kind === "table") parts.push(tableHtml(out.frames));
    if (!baselinesOrNull) parts.push("<p>The baselines are not computed yet (notebook 03-testing computes them).</p>");
    parts.push(
      `<h2>Retrain it in your browser</h2><p><a href="retrain.html">Retrain the model in this page</a>: every ` +
        `setting of <code>npm run train</code>, ` +
        "on the 10,000-image quick set embedded in the page or on the full MNIST from your disk, with the same code " +
        "and WebAssembly " +
        "modules as Node.js, so the numbers are the same bit for bit; a run with a committed configuration is " +
        "compared with it epoch by epoch.</p>",
    );
    parts.push("<!--sections-->");
    parts.push(checkedHtml(prof));
    const pad = drawDigit.build({ model: rb.model }, {}).pad;
    if (pad.kind === "widget")
      parts.push(
        `<h2>Draw a digit</h2><p>Draw one digit in the black square: the selected model (h = ${rb.model.params.h}) ` +
          `classifies it here, in the page, from its saved weights (more in <a href="05-explore.html">Exploring the ` +
          `model</a>).</p>${pad.html}`,
      );
  } catch (e) {
    parts.push(
      "<!--sections-->",
      `<p>The results are not all computed yet (${escapeHtml(String((e as Error).message))}); run every notebook ` +
        `(npm run report).</p>`,
    );
  }
  return parts.join("\n");
}
