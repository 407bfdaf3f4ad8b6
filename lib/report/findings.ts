/**
 * What the reproduction found, in a few sentences for the report's first screen: each built from
 * the computed numbers, and worded by their intervals (the seed study's and the ablations'), so
 * that other results would read otherwise.
 */
import { configLabel } from "../mlp/config";
import { countOf } from "../common/format";
import { RunRecord } from "../experiment/runrecord";
import { Output, ReportItem } from "./item";
import { seedLeads, testSpread } from "./seeds";
import { AblationsInputs, ablationEffects, direction } from "./ablations";

export interface FindingsInputs {
  grid: RunRecord[]; // the grid (one seed), which selects
  study: RunRecord[]; // the seed study's runs
  originalTest: number; // the original's reported test accuracy
  variants: AblationsInputs["variants"]; // the ablations, the faithful one first
}

const f4 = (v: number) => v.toFixed(4);
const listed = (xs: string[]) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);

/** The test accuracy over seeds beside the original's one run; null where the data has no test set. */
function testFinding(study: RunRecord[], originalTest: number): string | null {
  const spread = testSpread(study);
  if (!spread) return null;
  const { runs, acc, s } = spread;
  const head =
    `Trained from ${runs.length} seeds, the selected configuration (${configLabel(runs[0].config)}) scores ` +
    `${f4(s.mean)} on the test set on average (95% interval of the mean ${f4(s.lo)}–${f4(s.hi)}): `;
  if (originalTest > s.hi)
    return (
      head +
      `the original's ${originalTest}, from one run, lies above that interval` +
      `${originalTest > Math.max(...acc) ? " and above every one of ours" : ""}. ` +
      "One run does not measure a model's level."
    );
  if (originalTest < s.lo) return head + `the original's ${originalTest}, from one run, lies below that interval.`;
  return head + `the original's ${originalTest}, from one run, lies within it.`;
}

/** Whether the grid's choice stands out from the other top configurations over seeds. */
function selectionFinding(grid: RunRecord[], study: RunRecord[]): string {
  const { groups, sel, leads, apart } = seedLeads(grid, study);
  const n = sel.runs.length;
  const rank = `ranks ${groups.indexOf(sel) + 1} of ${groups.length} by its mean best validation accuracy`;
  const chosen = `the configuration the grid chose with one seed (${configLabel(sel.runs[0].config)})`;
  if (apart.length === 0)
    return (
      `The grid's top configurations cannot be told apart: over ${n} seeds, ${chosen} ${rank}, and its lead over ` +
      `each of the other ${leads.length}, paired by seed, is within the seeds' noise.`
    );
  if (apart.length < leads.length)
    return (
      `Over ${n} seeds, ${chosen} ${rank}; paired by seed, its lead is beyond the seeds' noise over ` +
      `${apart.length} of the other ${leads.length} only ` +
      `(${listed(apart.map((l) => configLabel(l.g.runs[0].config)))}).`
    );
  return (
    `Over ${n} seeds, ${chosen} stands out: paired by seed, its lead over each of the other ${leads.length} is ` +
    "beyond the seeds' noise."
  );
}

/** Which of the original's untested choices mattered, from the ablations' paired changes. */
function ablationFinding(variants: AblationsInputs["variants"]): string {
  const effects = ablationEffects(variants);
  const changed = variants.slice(1).map((v, k) => ({ name: v.name, d: effects[k + 1].diff! }));
  const by = (what: ReturnType<typeof direction>) => changed.filter((c) => direction(c.d) === what);
  // by how much, with its 95% interval, as a size: a loss for what hurt
  const size = (c: (typeof changed)[number], sign: 1 | -1) => {
    const [lo, hi] = sign > 0 ? [c.d.lo, c.d.hi] : [-c.d.hi, -c.d.lo];
    return `by ${f4(sign * c.d.mean)} (95% interval ${f4(lo)} to ${f4(hi)})`;
  };
  const none = by("none").map((c) => c.name);
  const parts = [
    ...by("hurt").map((c) => `${c.name} hurt beyond the seeds' noise, ${size(c, -1)}`),
    ...by("helped").map((c) => `${c.name} helped beyond the seeds' noise, ${size(c, 1)}`),
    ...(none.length ? [`${listed(none)} made no difference these seeds can tell`] : []),
  ];
  return (
    `Of the original's untested choices, each changed alone and trained from the same ` +
    `${countOf(variants[0].runs.length, "seed")} (best validation accuracy, paired by seed): ${parts.join("; ")}.`
  );
}

/** The findings as sentences, most telling first. */
export function findingSentences({ grid, study, originalTest, variants }: FindingsInputs): string[] {
  return [testFinding(study, originalTest), selectionFinding(grid, study), ablationFinding(variants)].filter(
    (s): s is string => s !== null,
  );
}

export const findings: ReportItem<FindingsInputs, Record<string, never>> = {
  name: "findings",
  title: "what the reproduction found, in a few sentences built from the numbers",
  defaults: {},
  build(inputs): Record<string, Output> {
    return {
      text: {
        kind: "markdown",
        text: findingSentences(inputs)
          .map((s) => `- ${s}`)
          .join("\n"),
      },
    };
  },
};
