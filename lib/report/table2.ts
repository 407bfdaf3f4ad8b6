/**
 * Table 2: test accuracy of the selected MLP beside the original's baselines (and a random forest
 * without its depth limit), each with its Wilson 95% interval and training time.
 */
import * as dfd from "danfojs-node";
import { Baselines } from "../baselines/all";
import type { Prediction } from "../engine/engine";
import { RunRecord } from "../experiment/runrecord";
import { ReportItem } from "./item";
import { wilson95 } from "./stats";

export interface Table2Inputs {
  mlp: Prediction; // the selected model on the test set
  record: RunRecord; // its run (training time, engine)
  baselines: Baselines;
  testName: string; // "test", or "validation (stand-in)" where the data has no test set
}

export const table2: ReportItem<Table2Inputs, Record<string, never>> = {
  name: "table2",
  title: "Table 2: test accuracy of the MLP and the baselines, with 95% intervals",
  defaults: {},
  build({ mlp, record, baselines: b, testName }) {
    const n = mlp.evaluation.n;
    const rows = [
      { model: "MLP (this reproduction)", acc: mlp.evaluation.accuracy, original: 0.967, seconds: record.seconds, by: `lib/ (${record.engine} engine)` },
      { model: "MLP 784-256-512-10 (original: PyTorch)", acc: b.tfMlp.testAccuracy, original: 0.967, seconds: b.tfMlp.trainSeconds, by: b.tfMlp.library },
      { model: "logistic regression", acc: b.logReg.testAccuracy, original: 0.923, seconds: b.logReg.trainSeconds, by: b.logReg.library },
      { model: "random forest, depth <= 5", acc: b.forestDepth5.testAccuracy, original: 0.867, seconds: b.forestDepth5.trainSeconds, by: b.forestDepth5.library },
      { model: "random forest, no depth limit", acc: b.forestUnlimited.testAccuracy, original: NaN, seconds: b.forestUnlimited.trainSeconds, by: b.forestUnlimited.library },
    ];
    const frame = new dfd.DataFrame(rows.map((r) => {
      const [lo, hi] = wilson95(r.acc, n);
      return { model: r.model, "test accuracy": r.acc, "95% interval": `${lo.toFixed(4)}–${hi.toFixed(4)}`, original: r.original, "training (s)": r.seconds, "trained by": r.by };
    }));
    return {
      table: { kind: "table", frames: [{ file: "table2", frame, caption: `Table 2: accuracy on the ${n} ${testName} images`, digits: { "test accuracy": 4, original: 3, "training (s)": 0 } }] },
    };
  },
};
