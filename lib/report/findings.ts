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
import { AblationsInputs, ablationEffects } from "./ablations";
import { sideOfZero } from "./stats";

export interface FindingsInputs {
  grid: RunRecord[] | null; // the grid (one seed), which selects; null: not computed
  study: RunRecord[] | null; // the seed study's runs; null: not computed
  originalTest: number; // the original's reported test accuracy
  variants: AblationsInputs["variants"] | null; // the ablations, the faithful one first; null: not computed
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

/**
 * Whether the grid's choice (made with one seed) can be told from the other configurations of the
 * seed study, paired by seed; null when the study has no other.
 */
function selectionFinding(grid: RunRecord[], study: RunRecord[]): string | null {
  const { groups, sel, leads } = seedLeads(grid, study);
  if (leads.length === 0) return null;
  const head =
    `Over ${countOf(sel.runs.length, "seed")}, the configuration the grid chose with one seed ` +
    `(${configLabel(sel.runs[0].config)}) ranks ${groups.indexOf(sel) + 1} of ${groups.length} studied by its mean ` +
    "best validation accuracy";
  const side = (k: 1 | -1) => leads.filter((l) => sideOfZero(l.lead) === k).map((l) => configLabel(l.g.runs[0].config));
  const [ahead, behind] = [side(1), side(-1)];
  const alike = leads.length - ahead.length - behind.length;
  if (alike === leads.length)
    return (
      `${head}, and paired by seed it cannot be told from any of the other ${leads.length}: with one seed, the ` +
      "choice among them was noise."
    );
  const parts = [
    ahead.length ? `ahead of ${listed(ahead)} beyond the seeds' noise` : "",
    behind.length ? `behind ${listed(behind)} beyond it` : "",
    alike ? `not told from the other ${alike}` : "",
  ].filter(Boolean);
  return `${head}; paired by seed, it is ${listed(parts)}.`;
}

/** Which of the original's untested choices mattered, from the ablations' paired changes; null without any. */
function ablationFinding(variants: AblationsInputs["variants"]): string | null {
  const effects = ablationEffects(variants);
  const changed = variants.slice(1).map((v, k) => ({ name: v.name, d: effects[k + 1].diff! }));
  if (changed.length === 0) return null;
  const by = (k: 1 | -1 | 0) => changed.filter((c) => sideOfZero(c.d) === k);
  // by how much, with its 95% interval, as a size: a loss for what hurt
  const size = (c: (typeof changed)[number], sign: 1 | -1) => {
    const [lo, hi] = sign > 0 ? [c.d.lo, c.d.hi] : [-c.d.hi, -c.d.lo];
    return `by ${f4(sign * c.d.mean)} (95% interval ${f4(lo)} to ${f4(hi)})`;
  };
  const none = by(0).map((c) => c.name);
  const parts = [
    ...by(-1).map((c) => `${c.name} hurt beyond the seeds' noise, ${size(c, -1)}`),
    ...by(1).map((c) => `${c.name} helped beyond the seeds' noise, ${size(c, 1)}`),
    ...(none.length ? [`${listed(none)} made no difference these seeds can tell`] : []),
  ];
  return (
    `Of the original's untested choices, each changed alone and trained from the same ` +
    `${countOf(variants[0].runs.length, "seed")} (best validation accuracy, paired by seed): ${parts.join("; ")}.`
  );
}

/**
 * The findings as sentences, most telling first: those the inputs allow (no test set, no seed
 * study or no ablations: those findings are left out).
 */
export function findingSentences({ grid, study, originalTest, variants }: FindingsInputs): string[] {
  return [
    study ? testFinding(study, originalTest) : null,
    grid && study ? selectionFinding(grid, study) : null,
    variants ? ablationFinding(variants) : null,
  ].filter((s): s is string => s !== null);
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
