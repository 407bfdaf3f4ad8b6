/** One training run's curves as a plotly figure (the model notebook's live chart). */
import { Figure } from "./plot";
import { OKABE_ITO } from "./palette";
import type { Metrics } from "../experiment/runrecord";

const BLUE = OKABE_ITO.blue, ORANGE = OKABE_ITO.vermillion;

export interface CurveOptions {
  title?: string;
  crop?: boolean; // the original's view: loss < 0.6 and accuracy > 0.85 only
}

/** Loss (left) and accuracy (right) per epoch, training and validation. */
export function curvesFigure(m: Metrics, opts: CurveOptions = {}): Figure {
  const line = (name: string, y: number[], color: string, axis: string, dash = "solid") => ({
    type: "scatter", mode: "lines", name, x: m.epoch, y, line: { color, dash }, xaxis: `x${axis}`, yaxis: `y${axis}`,
    legendgroup: name.split(" ")[0],
  });
  const data: object[] = [line("validation loss", m.valLoss, ORANGE, ""), line("validation accuracy", m.valAcc, ORANGE, "2")];
  if (m.trainLoss && m.trainAcc) data.push(line("training loss", m.trainLoss, BLUE, ""), line("training accuracy", m.trainAcc, BLUE, "2"));
  return {
    data,
    layout: {
      title: { text: opts.title ?? "Loss and accuracy per epoch" },
      xaxis: { domain: [0, 0.45], title: { text: "epoch" } },
      xaxis2: { domain: [0.55, 1], title: { text: "epoch" } },
      yaxis: { title: { text: "loss" }, ...(opts.crop ? { range: [0, 0.6] } : { type: "log" }) },
      yaxis2: { title: { text: "accuracy" }, anchor: "x2", ...(opts.crop ? { range: [0.85, 1] } : {}) },
    },
  };
}
