/**
 * Table 3: the confusion matrix of the selected MLP on the test set. Rows are TRUE labels,
 * columns PREDICTED labels, each row normalised to sum to 1 (the original's caption says the
 * reverse; its code and numbers say rows = true). Drawn as an annotated heatmap, with its
 * diagonal beside the original's and the raw counts.
 */
import * as dfd from "danfojs-node";
import { CLASSES } from "../data/shapes";
import { Figure } from "../display/plot";
import { argmax } from "../mlp/softmax";
import { ReportItem } from "./item";
import { countOf } from "../common/format";

export interface Table3Inputs {
  labels: Uint8Array; // the test set's
  predicted: Uint8Array; // the model's, for the same images
}

/** The original's Table 3 diagonal (per-digit recall of its MLP on the test set). */
export const ORIGINAL_DIAGONAL = [0.989, 0.986, 0.964, 0.967, 0.958, 0.964, 0.958, 0.963, 0.96, 0.955];

export const table3: ReportItem<Table3Inputs, Record<string, never>> = {
  name: "table3",
  title: "Table 3: the confusion matrix (rows true, columns predicted), its diagonal beside the original's",
  defaults: {},
  build({ labels, predicted }) {
    const counts = confusionCounts(labels, predicted), norm = rowNormalised(counts);
    const diag = new dfd.DataFrame(norm.map((row, d) => ({
      digit: d, "recall (ours)": row[d], original: ORIGINAL_DIAGONAL[d], "test images": counts[d].reduce((a, b) => a + b, 0),
      "most confused with": argmax(row.map((v, k) => (k === d ? -1 : v))),
    })));
    const raw = new dfd.DataFrame(counts.map((row, d) => Object.fromEntries([["true", d], ...row.map((c, k) => [`→${k}`, c])])));
    return {
      heatmap: { kind: "plotly", file: "table3-confusion-matrix", figure: confusionFigure(counts), height: 600, exportSize: { width: 700, height: 640 } },
      tables: {
        kind: "table",
        frames: [
          { file: "table3-diagonal", frame: diag, caption: "The diagonal beside the original's", digits: { "recall (ours)": 3, original: 3 } },
          { file: "table3-counts", frame: raw, caption: "Raw counts (rows: true, columns: predicted)" },
        ],
      },
    };
  },
};

export function confusionCounts(labels: Uint8Array, predicted: Uint8Array): number[][] {
  const m = Array.from({ length: CLASSES }, () => new Array(CLASSES).fill(0));
  for (let s = 0; s < labels.length; s++) m[labels[s]][predicted[s]]++;
  return m;
}

export function rowNormalised(counts: number[][]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (total ? c / total : 0));
  });
}

/** An annotated heatmap of the row-normalised matrix (counts on hover). */
export function confusionFigure(counts: number[][], title = "Table 3: confusion matrix (rows: true label, columns: predicted)"): Figure {
  const norm = rowNormalised(counts);
  const digits = Array.from({ length: CLASSES }, (_, d) => String(d));
  const annotations = norm.flatMap((row, t) =>
    row.map((v, p) => ({ x: digits[p], y: digits[t], text: v.toFixed(3), showarrow: false, font: { size: 11, color: v > 0.5 ? "white" : "black" } })),
  );
  return {
    data: [{
      type: "heatmap", x: digits, y: digits, z: norm, customdata: counts.map((row) => row.map((c) => countOf(c, "image"))), colorscale: "Blues", reversescale: true, zmin: 0, zmax: 1, // plotly's Blues runs dark to light
      hovertemplate: "true %{y}, predicted %{x}: %{z:.4f} (%{customdata})<extra></extra>",
    }],
    layout: {
      title: { text: title, y: 0.99, yanchor: "top" }, annotations, // above the top axis title, not on it
      xaxis: { title: { text: "predicted" }, side: "top", type: "category" },
      yaxis: { title: { text: "true" }, autorange: "reversed", type: "category" },
      width: 640,
      margin: { t: 110 },
    },
  };
}
