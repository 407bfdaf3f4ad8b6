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
    const counts = confusionCounts(labels, predicted),
      norm = rowNormalised(counts);
    const diag = new dfd.DataFrame(
      norm.map((row, d) => ({
        digit: d,
        "recall (ours)": row[d],
        original: ORIGINAL_DIAGONAL[d],
        "test images": counts[d].reduce((a, b) => a + b, 0),
        "most confused with": argmax(row.map((v, k) => (k === d ? -1 : v))),
      })),
    );
    const raw = new dfd.DataFrame(
      counts.map((row, d) => Object.fromEntries([["true", d], ...row.map((c, k) => [`→${k}`, c])])),
    );
    return {
      heatmap: {
        kind: "plotly",
        file: "table3-confusion-matrix",
        figure: confusionFigure(counts),
        height: 600,
        exportSize: { width: 700, height: 640 },
      },
      tables: {
        kind: "table",
        frames: [
          {
            file: "table3-diagonal",
            frame: diag,
            caption: "The diagonal beside the original's",
            digits: { "recall (ours)": 3, original: 3 },
          },
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

/**
 * The matrix as a heatmap that shows the mistakes: each off-diagonal cell coloured by its count of
 * images on a log scale (Viridis, so that 1, 2, 5 and 20 look different, and read in grey too),
 * its count written in it; the diagonal, the correct ones, drawn apart, in grey, with each digit's
 * recall. Hover gives both numbers.
 */
export function confusionFigure(
  counts: number[][],
  title = "Table 3: confusion matrix (rows: true label, columns: predicted)",
): Figure {
  const norm = rowNormalised(counts);
  const digits = Array.from({ length: CLASSES }, (_, d) => String(d));
  const errors = counts.flatMap((row, t) => row.filter((_, p) => p !== t));
  const top = Math.max(1, Math.log10(Math.max(1, ...errors)));
  const z = counts.map((row, t) => row.map((c, p) => (p === t || c === 0 ? null : Math.log10(c))));
  // Viridis runs from dark (few) to yellow (many): white text on its darker part, black on the
  // lighter, switching where both have a contrast of 4.5:1 at least.
  const ink = (c: number) => (Math.log10(c) / top < 0.42 ? "white" : "black");
  const annotations = counts.flatMap((row, t) =>
    row.map((c, p) =>
      p === t
        ? {
            x: digits[p],
            y: digits[t],
            text: `<b>${norm[t][p].toFixed(3)}</b>`,
            showarrow: false,
            font: { size: 11, color: "black" },
          }
        : { x: digits[p], y: digits[t], text: c ? String(c) : "", showarrow: false, font: { size: 11, color: ink(c) } },
    ),
  );
  const diagonal = digits.map((_, d) => ({
    type: "rect",
    xref: "x",
    yref: "y",
    x0: d - 0.5,
    x1: d + 0.5,
    y0: d - 0.5,
    y1: d + 0.5,
    fillcolor: "#d9d9d9",
    line: { color: "#595959", width: 1 },
    layer: "below",
  }));
  const ticks = [1, 2, 5, 10, 20, 50, 100, 200, 500].filter((v) => Math.log10(v) <= top + 1e-9);
  return {
    data: [
      {
        type: "heatmap",
        x: digits,
        y: digits,
        z,
        colorscale: "Viridis",
        zmin: 0,
        zmax: top,
        xgap: 1,
        ygap: 1,
        customdata: counts.map((row, t) => row.map((c, p) => [c, (100 * norm[t][p]).toFixed(1)])),
        hovertemplate:
          "true %{y}, predicted %{x}: %{customdata[0]} images (%{customdata[1]}% of the true %{y}s)<extra></extra>",
        colorbar: {
          title: { text: "mistakes<br>(images,<br>log scale)" },
          tickvals: ticks.map(Math.log10),
          ticktext: ticks.map(String),
        },
      },
    ],
    layout: {
      title: { text: title, y: 0.99, yanchor: "top" },
      annotations,
      shapes: diagonal, // above the top axis title, not on it
      xaxis: {
        title: { text: "predicted (grey diagonal: correct, with each digit's recall)" },
        side: "top",
        type: "category",
        showgrid: false,
      },
      yaxis: { title: { text: "true" }, autorange: "reversed", type: "category", showgrid: false },
      plot_bgcolor: "white",
      width: 640,
      margin: { t: 110 },
    },
  };
}
