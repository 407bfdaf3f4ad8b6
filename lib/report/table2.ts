/**
 * Table 2: test accuracy of the selected MLP beside the original's baselines (and a random forest
 * without its depth limit), each with its Wilson 95% interval and training time, and McNemar's
 * exact test of each against our MLP on the same test images (beyond the original).
 */
import * as dfd from "danfojs-node";
import { Baselines } from "../baselines/all";
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
      return { model, acc: r.testAccuracy, original, seconds: r.trainSeconds, by: r.library, d, p: mcnemarExact(d.b, d.c) };
    };
    const ours = { model: "MLP (this reproduction)", acc: mlp.evaluation.accuracy, original: ORIGINAL_TABLE2.mlp, seconds: record.seconds, by: `lib/ (${record.engine} engine)`, d: null, p: NaN };
    const rows = [
      ours,
      baseline("MLP 784-256-512-10 (original: PyTorch)", b.tfMlp, ORIGINAL_TABLE2.pytorchMlp),
      baseline("logistic regression", b.logReg, ORIGINAL_TABLE2.logReg),
      baseline("random forest, depth <= 5", b.forestDepth5, ORIGINAL_TABLE2.forestDepth5),
      baseline("random forest, no depth limit", b.forestUnlimited, NaN),
    ];
    const frame = new dfd.DataFrame(rows.map((r) => {
      const [lo, hi] = wilson95(r.acc, n);
      return {
        model: r.model, "test accuracy": r.acc, "95% interval": `${lo.toFixed(4)}–${hi.toFixed(4)}`, original: r.original,
        "only ours right": r.d ? r.d.b : NaN, "only it right": r.d ? r.d.c : NaN, "McNemar p": pCell(r.p), "training (s)": r.seconds, "trained by": r.by,
      };
    }));
    const others = rows.slice(1);
    const differ = others.filter((r) => r.p < 0.05), alike = others.filter((r) => r.p >= 0.05);
    const pText = (p: number) => (p < 1e-4 ? "p < 0.0001" : `p = ${p.toFixed(4)}`);
    const reading = [
      `**McNemar's exact test** compares two models on the same ${thousands(n)} images by the ones exactly one of them gets right: if the two were equally accurate, each such image would be a fair coin between them.`,
      differ.length ? `Our MLP differs from each of these by more than such coins explain (only ours right vs only it right): ${differ.map((r) => `the ${r.model.replace(/ \(.*\)$/, "")} (${thousands(r.d!.b)} vs ${thousands(r.d!.c)}, ${pText(r.p)})`).join("; ")}.` : "",
      alike.length ? `From these, the difference is within what chance gives: ${alike.map((r) => `the ${r.model.replace(/ \(.*\)$/, "")} (${thousands(r.d!.b)} vs ${thousands(r.d!.c)}, ${pText(r.p)})`).join("; ")}.` : "",
    ].filter(Boolean).join(" ");
    return {
      table: { kind: "table", frames: [{ file: "table2", frame, caption: `Table 2: accuracy on the ${thousands(n)} ${testName} images; discordant counts and McNemar's exact p against our MLP`, digits: { "test accuracy": 4, original: 3, "training (s)": 0 } }] },
      mcnemar: { kind: "markdown", text: reading },
    };
  },
};
