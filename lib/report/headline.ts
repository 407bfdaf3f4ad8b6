/**
 * The headline results (the report's first page): the selected configuration, its test accuracy
 * with a Wilson 95% interval beside the original's, and the baselines'.
 */
import * as dfd from "danfojs-node";
import { Baselines } from "../baselines/results";
import { configLabel } from "../mlp/config";
import type { Prediction } from "../engine/engine";
import { ORIGINAL_TABLE2, OriginalRun, originalChoice } from "../experiment/original";
import { RunRecord } from "../experiment/runrecord";
import { ReportItem } from "./item";
import { wilson95 } from "./stats";
import { thousands } from "../common/format";

export interface HeadlineInputs {
  best: RunRecord; // the grid's selected run
  original: OriginalRun[]; // the original's record
  mlp: Prediction; // the selected model on the test set
  baselines: Baselines | null; // null: not computed yet
  testName: string;
}

export const headline: ReportItem<HeadlineInputs, Record<string, never>> = {
  name: "headline",
  title: "the headline results: selected configuration, test accuracy with its interval, baselines",
  defaults: {},
  build({ best, original, mlp, baselines: b, testName }) {
    const n = mlp.evaluation.n;
    const interval = (acc: number) =>
      wilson95(acc, n)
        .map((v) => v.toFixed(4))
        .join("–");
    const c = best.config,
      o = originalChoice(original);
    const rows = [
      {
        result: `grid's best configuration (of ${thousands(best.data.nVal)} validation images)`,
        ours: `${configLabel(c)}: ${best.best.valAcc.toFixed(4)} at epoch ${best.best.epoch}`,
        original: `${configLabel(o)}: ${o.best.accuracy.toFixed(4)} at epoch ${o.best.epoch} (on its test set)`,
      },
      {
        result: `selected MLP, ${testName} accuracy`,
        ours: `${mlp.evaluation.accuracy.toFixed(4)} (95% interval ${interval(mlp.evaluation.accuracy)})`,
        original: String(ORIGINAL_TABLE2.mlp),
      },
    ];
    if (b) {
      rows.push(
        {
          result: "framework MLP 784-256-512-10, the original's recipe (TensorFlow.js; the original's PyTorch)",
          ours: b.tfOriginal.testAccuracy.toFixed(4),
          original: String(ORIGINAL_TABLE2.pytorchMlp),
        },
        {
          result: "framework MLP 784-256-512-10, minibatch recipe",
          ours: b.tfMlp.testAccuracy.toFixed(4),
          original: "–",
        },
        {
          result: "logistic regression",
          ours: b.logReg.testAccuracy.toFixed(4),
          original: String(ORIGINAL_TABLE2.logReg),
        },
        {
          result: "random forest, depth <= 5",
          ours: b.forestDepth5.testAccuracy.toFixed(4),
          original: String(ORIGINAL_TABLE2.forestDepth5),
        },
        { result: "random forest, no depth limit", ours: b.forestUnlimited.testAccuracy.toFixed(4), original: "–" },
      );
    }
    return {
      table: {
        kind: "table",
        frames: [
          {
            file: "headline",
            frame: new dfd.DataFrame(rows),
            caption: "Headline results: this reproduction beside the original",
          },
        ],
      },
    };
  },
};
