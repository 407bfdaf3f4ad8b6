/**
 * Table 1: the grid's configurations ranked by best validation accuracy, with binomial standard
 * errors, beside the original's Table 1 recomputed from its record (measured on its test set);
 * and the selection it implies, with the runner-up's distance in standard errors.
 */
import * as dfd from "danfojs-node";
import { ORIGINAL_EVAL_N, OriginalRun, originalChoice, originalRank, rankOriginal } from "../experiment/original";
import { samePoint } from "../experiment/grid";
import { RunRecord } from "../experiment/runrecord";
import { rankRuns } from "../experiment/runstore";
import { FrameOutput, ReportItem } from "./item";
import { binomialSE } from "./stats";
import { thousands } from "../common/format";

export interface Table1Inputs {
  runs: RunRecord[];
  original: OriginalRun[];
}


export const table1: ReportItem<Table1Inputs, { top: number }> = {
  name: "table1",
  title: "Table 1: the grid ranked by best validation accuracy, beside the original's",
  defaults: { top: 10 },
  build({ runs, original }, { top }) {
    const ranked = rankRuns(runs);
    const [best, second] = ranked;
    const se = binomialSE(best.best.valAcc, best.data.nVal),
      gap = best.best.valAcc - second.best.valAcc;
    const origBest = originalChoice(original);
    const frames: FrameOutput[] = [
      {
        file: "table1",
        frame: oursFrame(ranked, original, top),
        caption:
          `Ours: best validation accuracy (${best.config.epochs} epochs, ${thousands(best.data.nVal)} ` +
          `validation images)`,
        digits: { "val acc": 4, "± SE": 4, "original acc": 4 },
      },
      {
        file: "table1-original",
        frame: originalFrame(original, top),
        caption: "The original's Table 1 (measured on its test set)",
        digits: { accuracy: 4, "± SE": 4 },
      },
    ];
    return {
      table: { kind: "table", frames },
      selection: {
        kind: "markdown",
        text: [
          `**Selected: h = ${best.config.h}, lr = ${best.config.lr}, λ = ${best.config.lambda}**, best validation ` +
            `accuracy ${best.best.valAcc.toFixed(4)} ± ${se.toFixed(4)} at epoch ${best.best.epoch}.`,
          `Its lead over the runner-up is ${gap.toFixed(4)}, ${(gap / se).toFixed(1)} standard errors.`,
          `The original selected h = ${origBest.h}, lr = ${origBest.lr}, λ = ${origBest.lambda} ` +
            `(${origBest.best.accuracy.toFixed(4)} at epoch ${origBest.best.epoch}).`,
        ].join("\n\n"),
      },
    };
  },
};

/** Ours: the `top` best configs, with the original's figures for the same config. */
function oursFrame(ranked: RunRecord[], original: OriginalRun[], top: number): dfd.DataFrame {
  const rows = ranked.slice(0, top).map((r, i) => {
    const o = original.find((x) => samePoint(x, r.config));
    return {
      rank: i + 1,
      h: r.config.h,
      lr: r.config.lr,
      lambda: r.config.lambda,
      "val acc": r.best.valAcc,
      "± SE": binomialSE(r.best.valAcc, r.data.nVal),
      epoch: r.best.epoch,
      "original acc": o ? o.best.accuracy : NaN,
      "original epoch": o ? o.best.epoch : NaN,
      "original rank": originalRank(original, r.config),
    };
  });
  return new dfd.DataFrame(rows);
}

/** The original's Table 1, recomputed from its record (accuracy on its 10,000 test images, with SE). */
function originalFrame(original: OriginalRun[], top: number): dfd.DataFrame {
  const rows = rankOriginal(original)
    .slice(0, top)
    .map((o, i) => ({
      rank: i + 1,
      h: o.h,
      lr: o.lr,
      lambda: o.lambda,
      accuracy: o.best.accuracy,
      "± SE": binomialSE(o.best.accuracy, ORIGINAL_EVAL_N),
      epoch: o.best.epoch,
    }));
  return new dfd.DataFrame(rows);
}
