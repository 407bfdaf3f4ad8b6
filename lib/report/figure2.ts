/**
 * Figure 2: misclassified test images, titled "true -> predicted (probability)": a seeded random
 * sample (as the original showed) or the most confident mistakes.
 */
import { makeRng, permutation } from "../common/rng";
import { CLASSES, IMAGE_SIZE, INPUT } from "../data/shapes";
import { Figure } from "../display/plot";
import { ReportItem } from "./item";
import { thousands } from "../common/format";

export interface Figure2Inputs {
  pixels: Uint8Array; // the test images, n x 784
  labels: Uint8Array;
  predicted: Uint8Array; // the model's class for each
  probabilities: Float64Array; // n x 10
  seed: number; // the profile's: the random sample is drawn from a stream named by it
}

export interface Figure2Params {
  count: number; // how many mistakes to show
  mode: "random" | "confident";
}

export const figure2: ReportItem<Figure2Inputs, Figure2Params> = {
  name: "figure2",
  title: "Figure 2: misclassified test images, true -> predicted (probability)",
  defaults: { count: 30, mode: "random" },
  build({ pixels, labels, predicted, probabilities, seed }, { count, mode }) {
    const mistakes = pickMistakes(labels, predicted, probabilities, count, mode, seed);
    let errors = 0;
    for (let s = 0; s < labels.length; s++) if (predicted[s] !== labels[s]) errors++;
    return {
      summary: {
        kind: "text",
        text:
          `${thousands(errors)} of ${thousands(labels.length)} test images are misclassified; showing ` +
          `${mistakes.length} (${mode})`,
      },
      figure: {
        kind: "plotly",
        file: "figure2-misclassified-test-images",
        figure: mistakesFigure(pixels, mistakes, 10),
        height: 520,
        exportSize: { width: 1200, height: 520 },
      },
    };
  },
};

export interface Mistake {
  index: number;
  truth: number;
  predicted: number;
  probability: number; // of the predicted class
}

/** Up to `count` mistakes: a seeded random sample (as the original) or the most confident ones. */
export function pickMistakes(
  labels: Uint8Array,
  predicted: Uint8Array,
  probabilities: Float64Array,
  count: number,
  mode: "random" | "confident",
  seed: number,
): Mistake[] {
  const all: Mistake[] = [];
  for (let s = 0; s < labels.length; s++) {
    if (predicted[s] !== labels[s])
      all.push({
        index: s,
        truth: labels[s],
        predicted: predicted[s],
        probability: probabilities[s * CLASSES + predicted[s]],
      });
  }
  if (mode === "confident")
    return all.sort((a, b) => b.probability - a.probability || a.index - b.index).slice(0, count);
  const order = permutation(all.length, makeRng(seed, "mistakes"));
  return Array.from(order.subarray(0, Math.min(count, all.length)), (i) => all[i]).sort((a, b) => a.index - b.index);
}

/** The digits in a grid of small heatmaps (`cols` per row), each titled true -> predicted (p). */
export function mistakesFigure(
  pixels: Uint8Array,
  mistakes: Mistake[],
  cols = 10,
  title = "Figure 2: misclassified test images",
): Figure {
  const rows = Math.ceil(mistakes.length / cols);
  const data: object[] = [],
    layout: Record<string, unknown> = {
      title: { text: title },
      showlegend: false,
      margin: { t: 60, l: 10, r: 10, b: 10 },
    };
  const annotations: object[] = [];
  const gap = 0.02,
    w = (1 - gap * (cols - 1)) / cols,
    h = (1 - 0.05 * rows) / rows;
  mistakes.forEach((m, q) => {
    const r = Math.floor(q / cols),
      c = q % cols,
      ax = q + 1;
    const z: number[][] = [];
    for (let y = 0; y < IMAGE_SIZE; y++)
      z.push(Array.from(pixels.subarray(m.index * INPUT + y * IMAGE_SIZE, m.index * INPUT + (y + 1) * IMAGE_SIZE)));
    data.push({
      type: "heatmap",
      z,
      colorscale: "Greys",
      reversescale: true,
      showscale: false,
      xaxis: `x${ax}`,
      yaxis: `y${ax}`,
      hovertemplate: `test image ${m.index}<extra></extra>`,
    });
    const x0 = c * (w + gap),
      y1 = 1 - r * (h + 0.05);
    layout[`xaxis${ax}`] = { domain: [x0, x0 + w], visible: false };
    layout[`yaxis${ax}`] = { domain: [y1 - h, y1], visible: false, autorange: "reversed", scaleanchor: `x${ax}` };
    annotations.push({
      text: `${m.truth} → ${m.predicted} (${m.probability.toFixed(2)})`,
      x: x0 + w / 2,
      y: y1 + 0.005,
      xref: "paper",
      yref: "paper",
      xanchor: "center",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 11 },
    });
  });
  layout.annotations = annotations;
  layout.height = 150 * rows + 60;
  return { data, layout };
}
