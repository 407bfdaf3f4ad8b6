/**
 * The confusion matrix: rows are TRUE labels, columns PREDICTED labels, each row normalised to
 * sum to 1 (the original's caption says the reverse; its code and numbers say rows = true).
 */
import { Figure } from "../display/plot";

export function confusionCounts(labels: Uint8Array, predicted: Uint8Array): number[][] {
  const m = Array.from({ length: 10 }, () => new Array(10).fill(0));
  for (let s = 0; s < labels.length; s++) m[labels[s]][predicted[s]]++;
  return m;
}

export function rowNormalised(counts: number[][]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (total ? c / total : 0));
  });
}

/** The original's Table 3 diagonal (per-digit recall of its MLP on the test set). */
export const ORIGINAL_DIAGONAL = [0.989, 0.986, 0.964, 0.967, 0.958, 0.964, 0.958, 0.963, 0.96, 0.955];

/** An annotated heatmap of the row-normalised matrix (counts on hover). */
export function confusionFigure(counts: number[][], title = "Table 3: confusion matrix (rows: true label, columns: predicted)"): Figure {
  const norm = rowNormalised(counts);
  const digits = Array.from({ length: 10 }, (_, d) => String(d));
  const annotations = norm.flatMap((row, t) =>
    row.map((v, p) => ({ x: digits[p], y: digits[t], text: v.toFixed(3), showarrow: false, font: { size: 11, color: v > 0.5 ? "white" : "black" } })),
  );
  return {
    data: [{
      type: "heatmap", x: digits, y: digits, z: norm, customdata: counts, colorscale: "Blues", reversescale: true, zmin: 0, zmax: 1, // plotly's Blues runs dark to light
      hovertemplate: "true %{y}, predicted %{x}: %{z:.4f} (%{customdata} images)<extra></extra>",
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
