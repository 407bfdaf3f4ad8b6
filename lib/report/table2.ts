/**
 * Table 2: test accuracy of the selected MLP beside the original's baselines (and a random forest
 * without its depth limit), each with its Wilson 95% interval and training time, and McNemar's
 * exact test of each against our MLP on the same test images (beyond the original).
 */
import * as dfd from "danfojs-node";
import { Baselines } from "../baselines/results";
import { BaselineResult, predictionsOf } from "../baselines/cache";
import type { Prediction } from "../engine/engine";
import { ORIGINAL_TABLE2 } from "../experiment/original";
import { RunRecord } from "../experiment/runrecord";
import { ReportItem } from "./item";
import { discordant, mcnemarExact, wilson95 } from "./stats";
import { thousands } from "../common/format";

export interface Table2Inputs {
  labels: Uint8Array; // the test set's
  mlp: Prediction; // the selected model on the same images
  record: RunRecord; // its run (training time, engine)
  baselines: Baselines;
  testName: string; // "test", or "validation (stand-in)" where the data has no test set
}

interface Row {
  model: string;
  acc: number;
  original: number;
  d: { b: number; c: number } | null; // against our MLP: only ours right, only it right
  p: number;
}

const pText = (p: number) => (p < 1e-4 ? "p < 0.0001" : `p = ${p.toFixed(4)}`);
const points = (a: number, b: number) => `${(Math.abs(a - b) * 100).toFixed(2)} points`;

/**
 * What the two framework rows say, in words that follow from their numbers: whether the original's
 * 0.967 holds under its own recipe, how the recipes differ, and where each stands against our MLP.
 * `between`: the original recipe's right-only and the minibatch recipe's right-only images.
 */
function frameworkReading(
  ours: Row,
  orig: Row,
  mini: Row,
  steps: number,
  between: { b: number; c: number },
  n: number,
): string {
  const [lo, hi] = wilson95(orig.acc, n);
  const holds = orig.original >= lo && orig.original <= hi;
  const versus = (r: Row) => {
    const side = r.acc > ours.acc ? "above" : r.acc < ours.acc ? "below" : "level with";
    const chance = r.p >= 0.05 ? "within what chance gives" : "more than chance explains";
    return (
      `${points(r.acc, ours.acc)} ${side} our MLP's ${ours.acc.toFixed(4)} (only ours right ` +
      `${thousands(r.d!.b)}, only it right ${thousands(r.d!.c)}, ${pText(r.p)}: ${chance})`
    );
  };
  const pRecipes = mcnemarExact(between.b, between.c);
  const verdict = holds
    ? "lies inside this interval: its number holds"
    : `lies ${orig.original < lo ? "below" : "above"} it: this run does not reproduce it`;
  return [
    `**The framework MLP by the original's recipe** (${thousands(steps)} full-batch Adam steps on raw pixels) ` +
      `reaches ${orig.acc.toFixed(4)} (95% interval ${lo.toFixed(4)}–${hi.toFixed(4)}); the original reported ` +
      `${orig.original}, which ${verdict}.`,
    `The minibatch recipe reaches ${mini.acc.toFixed(4)}, ${points(mini.acc, orig.acc)} ` +
      `${mini.acc >= orig.acc ? "more" : "less"} than the original's recipe on the same images (only the original ` +
      `recipe right ${thousands(between.b)}, only the minibatch recipe right ${thousands(between.c)}, ` +
      `${pText(pRecipes)}: ${pRecipes >= 0.05 ? "a difference within chance" : "more than chance explains"}).`,
    `Against the from-scratch MLP, the original's recipe is ${versus(orig)}; the minibatch recipe is ${versus(mini)}.`,
    orig.p >= 0.05 && mini.p < 0.05 && mini.acc > ours.acc
      ? "So the minibatch row's lead over our MLP is its recipe's: trained as the original trained it, the larger " +
        "network does no better than the from-scratch MLP on these images."
      : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** A p-value for the table, to two significant digits. */
function pCell(p: number): string {
  return Number.isNaN(p) ? "–" : p.toPrecision(2);
}

export const table2: ReportItem<Table2Inputs, Record<string, never>> = {
  name: "table2",
  title: "Table 2: test accuracy of the MLP and the baselines, with 95% intervals",
  defaults: {},
  build({ labels, mlp, record, baselines: b, testName }) {
    const n = mlp.evaluation.n;
    const baseline = (model: string, r: BaselineResult, original: number) => {
      const d = discordant(labels, mlp.predicted, predictionsOf(r));
      return {
        model,
        acc: r.testAccuracy,
        original,
        seconds: r.trainSeconds,
        by: r.library,
        d,
        p: mcnemarExact(d.b, d.c),
      };
    };
    const ours = {
      model: "MLP (this reproduction)",
      acc: mlp.evaluation.accuracy,
      original: ORIGINAL_TABLE2.mlp,
      seconds: record.seconds,
      by: `lib/ (${record.engine} engine)`,
      d: null,
      p: NaN,
    };
    const rows = [
      ours,
      baseline("framework MLP, the original's recipe", b.tfOriginal, ORIGINAL_TABLE2.pytorchMlp),
      baseline("framework MLP, minibatch recipe", b.tfMlp, NaN),
      baseline("logistic regression", b.logReg, ORIGINAL_TABLE2.logReg),
      baseline("random forest, depth <= 5", b.forestDepth5, ORIGINAL_TABLE2.forestDepth5),
      baseline("random forest, no depth limit", b.forestUnlimited, NaN),
    ];
    const frame = new dfd.DataFrame(
      rows.map((r) => {
        const [lo, hi] = wilson95(r.acc, n);
        return {
          model: r.model,
          "test accuracy": r.acc,
          "95% interval": `${lo.toFixed(4)}–${hi.toFixed(4)}`,
          original: r.original,
          "only ours right": r.d ? r.d.b : NaN,
          "only it right": r.d ? r.d.c : NaN,
          "McNemar p": pCell(r.p),
          "training (s)": r.seconds,
          "trained by": r.by,
        };
      }),
    );
    const others = rows.slice(1);
    const differ = others.filter((r) => r.p < 0.05),
      alike = others.filter((r) => r.p >= 0.05);
    const against = (r: (typeof rows)[number]) =>
      `the ${r.model.replace(/ \(.*\)$/, "")} (${thousands(r.d!.b)} vs ${thousands(r.d!.c)}, ${pText(r.p)})`;
    const reading = [
      `**McNemar's exact test** compares two models on the same ${thousands(n)} images by the ones exactly one of ` +
        `them gets right: if the two were equally accurate, each such image would be a fair coin between them.`,
      differ.length
        ? `Our MLP differs from each of these by more than such coins explain (only ours right vs only it right): ` +
          `${differ.map(against).join("; ")}.`
        : "",
      alike.length
        ? `From these, the difference is within what chance gives: ${alike.map(against).join("; ")}.`
        : "",
    ]
      .filter(Boolean)
      .join(" ");
    return {
      frameworks: {
        kind: "markdown",
        text: frameworkReading(
          rows[0],
          rows[1],
          rows[2],
          Number(b.tfOriginal.settings.steps),
          discordant(labels, predictionsOf(b.tfOriginal), predictionsOf(b.tfMlp)),
          n,
        ),
      },
      table: {
        kind: "table",
        frames: [
          {
            file: "table2",
            frame,
            caption:
              `Table 2: accuracy on the ${thousands(n)} ${testName} images; discordant counts and McNemar's ` +
              `exact p against our MLP`,
            digits: { "test accuracy": 4, original: 3, "training (s)": 0 },
          },
        ],
      },
      mcnemar: { kind: "markdown", text: reading },
    };
  },
};
