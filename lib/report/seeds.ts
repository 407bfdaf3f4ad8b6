/**
 * Table 1 over seeds (training section, beyond the original): the grid's top configurations and
 * the original's choice, each from several base seeds; per configuration the mean, standard
 * deviation and 95% t-interval of the best validation accuracy, a chart of every seed with the
 * mean and interval, and, paired by seed (each seed gives every configuration the same split
 * and, at the same h, the same initial weights), the selected configuration's lead over each
 * other with its interval: does the selection stand out from the noise?
 * And the test accuracy as a distribution (testing section): the selected configuration's final
 * state on the test set from each seed, beside the original's 0.967.
 */
import * as dfd from "danfojs-node";
import { configKey, configLabel } from "../mlp/config";
import { GridPoint } from "../experiment/grid";
import { Figure } from "../display/plot";
import { rankRuns } from "../experiment/runstore";
import { OriginalRun, originalRank } from "../experiment/original";
import { RunRecord } from "../experiment/runrecord";
import { Output, ReportItem } from "./item";
import { meanInterval, sideOfZero } from "./stats";
import { thousands } from "../common/format";
import { OKABE_ITO, rgbOf } from "../display/palette";

export interface SeedsInputs {
  grid: RunRecord[]; // the grid (one seed), which selects
  study: RunRecord[]; // the study's runs: configurations x seeds
  original: OriginalRun[];
}

const label = (r: { config: GridPoint }) => configLabel(r.config);
const f4 = (v: number) => v.toFixed(4);

/** The study's runs of each configuration, in seed order. */
function byConfig(study: RunRecord[]): Map<string, RunRecord[]> {
  const groups = new Map<string, RunRecord[]>();
  for (const r of study) groups.set(configKey(r.config), [...(groups.get(configKey(r.config)) ?? []), r]);
  for (const g of groups.values()) g.sort((a, b) => a.seed - b.seed);
  return groups;
}

/**
 * The study's configurations by their mean best validation accuracy over seeds, and the grid's
 * selection's lead over each other (negative where it is behind), paired by seed; `apart`: the leads
 * whose 95% interval excludes 0, either way.
 */
export function seedLeads(grid: RunRecord[], study: RunRecord[]) {
  const selected = configKey(rankRuns(grid)[0].config);
  const groups = [...byConfig(study).entries()].map(([key, runs]) => ({
    key,
    runs,
    stats: meanInterval(runs.map((r) => r.best.valAcc)),
  }));
  groups.sort((a, b) => b.stats.mean - a.stats.mean);
  const sel = groups.find((g) => g.key === selected)!;
  const seeds = sel.runs.map((r) => r.seed);
  const leads = groups
    .filter((g) => g !== sel)
    .map((g) => {
      const d = seeds.map(
        (s) => sel.runs.find((r) => r.seed === s)!.best.valAcc - g.runs.find((r) => r.seed === s)!.best.valAcc,
      );
      return { g, lead: meanInterval(d) };
    });
  return { groups, sel, seeds, leads, apart: leads.filter((l) => sideOfZero(l.lead) !== 0) };
}

/**
 * The selected configuration's test accuracy over the study's seeds (its runs with a test score),
 * or null where the data has no test set.
 */
export function testSpread(study: RunRecord[]) {
  const runs = study.filter((r) => r.test).sort((a, b) => a.seed - b.seed);
  if (runs.length < 2) return null;
  const acc = runs.map((r) => r.test!.accuracy);
  return { runs, acc, s: meanInterval(acc) };
}

export const rankingSeeds: ReportItem<SeedsInputs, Record<string, never>> = {
  name: "table1-seeds",
  title: "Table 1 over seeds: mean, sd and 95% interval of the best validation accuracy, paired leads",
  defaults: {},
  build({ grid, study, original }) {
    const gridRank = new Map(rankRuns(grid).map((r, i) => [configKey(r.config), i + 1]));
    const { groups, sel, seeds, leads, apart } = seedLeads(grid, study);
    const frame = new dfd.DataFrame(
      groups.map((g, i) => {
        const c = g.runs[0].config,
          lead = leads.find((l) => l.g === g);
        return {
          "rank by mean": i + 1,
          h: c.h,
          lr: c.lr,
          lambda: c.lambda,
          seeds: g.stats.n,
          "mean best val acc": g.stats.mean,
          sd: g.stats.sd,
          "95% interval": `${f4(g.stats.lo)}–${f4(g.stats.hi)}`,
          "grid rank (seed 123)": gridRank.get(g.key) ?? NaN,
          "original rank": originalRank(original, c),
          "selected's paired lead": lead
            ? `${lead.lead.mean >= 0 ? "+" : ""}${f4(lead.lead.mean)} (${f4(lead.lead.lo)} to ${f4(lead.lead.hi)})`
            : "(selected)",
        };
      }),
    );
    const apartNames = apart.length ? `: ${apart.map((l) => label(l.g.runs[0])).join("; ")}` : "";
    const nVal = sel.runs[0].data.nVal;
    const reading = [
      `Over ${sel.stats.n} base seeds (${seeds.join(", ")}), the configuration the grid selected ` +
        `(${label(sel.runs[0])}) reaches a best validation accuracy of ${f4(sel.stats.mean)} on average (sd ` +
        `${f4(sel.stats.sd)}; 95% interval of the mean ${f4(sel.stats.lo)}–${f4(sel.stats.hi)}); it ranks ` +
        `${groups.indexOf(sel) + 1} of ${groups.length} by the mean.`,
      `Paired by seed, its lead over the others is distinguishable from zero (the 95% interval excludes 0) for ` +
        `${apart.length} of ${leads.length}${apartNames}.`,
      apart.length < leads.length
        ? `For the rest, these ${sel.stats.n} seeds cannot tell the selected configuration from them: its choice by ` +
          `one seed's ${thousands(nVal)} validation images is noise among them.`
        : `With these seeds, the selection stands out from every other configuration studied.`,
    ].join(" ");
    return {
      table: {
        kind: "table",
        frames: [
          {
            file: "table1-seeds",
            frame,
            caption:
              `Table 1 over seeds: best validation accuracy (${thousands(nVal)} validation images each; the ` +
              `split changes with the seed)`,
            digits: { "mean best val acc": 4, sd: 4 },
          },
        ],
      },
      chart: {
        kind: "plotly",
        file: "table1-seeds",
        figure: seedsFigure(groups),
        height: 420,
        exportSize: { width: 1100, height: 460 },
      },
      reading: { kind: "markdown", text: reading },
    };
  },
};

function seedsFigure(groups: { runs: RunRecord[]; stats: ReturnType<typeof meanInterval> }[]): Figure {
  const x = groups.map((g) => label(g.runs[0]));
  return {
    data: [
      {
        type: "scatter",
        mode: "markers",
        name: "one seed",
        marker: { size: 8, color: `rgba(${rgbOf(OKABE_ITO.blue)},0.55)` },
        x: groups.flatMap((g) => g.runs.map(() => label(g.runs[0]))),
        y: groups.flatMap((g) => g.runs.map((r) => r.best.valAcc)),
        text: groups.flatMap((g) => g.runs.map((r) => `seed ${r.seed}`)),
        hovertemplate: "%{x}, %{text}: %{y:.4f}<extra></extra>",
      },
      {
        type: "scatter",
        mode: "markers",
        name: "mean with its 95% interval",
        marker: { size: 12, symbol: "diamond", color: OKABE_ITO.vermillion },
        x,
        y: groups.map((g) => g.stats.mean),
        error_y: {
          type: "data",
          symmetric: false,
          array: groups.map((g) => g.stats.hi - g.stats.mean),
          arrayminus: groups.map((g) => g.stats.mean - g.stats.lo),
        },
        hovertemplate: "%{x}: mean %{y:.4f}<extra></extra>",
      },
    ],
    layout: {
      title: { text: "Best validation accuracy of each configuration from every seed" },
      xaxis: { type: "category", title: { text: "configuration (by mean, best first)" } },
      yaxis: { title: { text: "best validation accuracy" } },
      legend: { orientation: "h", y: -0.35 },
      margin: { t: 50, b: 130 },
    },
  };
}

export interface TestSeedsInputs {
  study: RunRecord[]; // the study's runs; those with a test score are the selected configuration's
  originalTest: number; // the original's reported test accuracy
}

export const testSeeds: ReportItem<TestSeedsInputs, Record<string, never>> = {
  name: "test-seeds",
  title: "the selected configuration's test accuracy over seeds, beside the original's",
  defaults: {},
  build({ study, originalTest }): Record<string, Output> {
    const spread = testSpread(study);
    if (!spread) {
      const none =
        "This data source has no test set (the quick profile's 10,000 images): the test accuracy over seeds is " +
        "measured in the full profile.";
      return { table: { kind: "text", text: "(no test set: no table)" }, reading: { kind: "markdown", text: none } };
    }
    const { runs, acc, s } = spread;
    const where =
      originalTest > Math.max(...acc)
        ? "above all of them"
        : originalTest < Math.min(...acc)
          ? "below all of them"
          : "within their range";
    const frame = new dfd.DataFrame(
      runs.map((r) => ({
        seed: r.seed,
        "best val acc": r.best.valAcc,
        "epoch of best": r.best.epoch,
        "test accuracy (final state)": r.test!.accuracy,
        "test images": r.test!.n,
      })),
    );
    return {
      table: {
        kind: "table",
        frames: [
          {
            file: "test-seeds",
            frame,
            caption:
              `The selected configuration (${label(runs[0])}) from ${runs.length} seeds: its final state on ` +
              `the test set`,
            digits: { "best val acc": 4, "test accuracy (final state)": 4 },
          },
        ],
      },
      reading: {
        kind: "markdown",
        text:
          `Over ${runs.length} seeds the selected configuration's final state scores ${f4(s.mean)} on the test ` +
          `set on average (sd ${f4(s.sd)}, from ${f4(Math.min(...acc))} to ${f4(Math.max(...acc))}; 95% interval of ` +
          `the mean ${f4(s.lo)}–${f4(s.hi)}). The original's ${originalTest} lies ${where}, ` +
          `${((originalTest - s.mean) / s.sd).toFixed(1)} standard deviations from our mean: one draw of a process ` +
          `whose seed-to-seed spread is about ${f4(s.sd)}.`,
      },
    };
  },
};
