/** One training run's curves as a plotly figure (the model notebook's live chart). */
import { Figure } from "./plot";
import { OKABE_ITO } from "./palette";

const BLUE = OKABE_ITO.blue,
  ORANGE = OKABE_ITO.vermillion;

/** Per-epoch curves, as a run record holds them (epoch 0: before training). */
export interface Curves {
  epoch: number[];
  valLoss: number[];
  valAcc: number[];
  trainLoss: number[] | null; // null where the training set was not evaluated
  trainAcc: number[] | null;
}

export interface CurveOptions {
  title?: string;
  crop?: boolean; // the original's view: loss < 0.6 and accuracy > 0.85 only
}

/** Loss (left) and accuracy (right) per epoch, training and validation. */
export function curvesFigure(m: Curves, opts: CurveOptions = {}): Figure {
  const line = (name: string, y: number[], color: string, axis: string, dash = "solid") => ({
    type: "scatter",
    mode: "lines",
    name,
    x: m.epoch,
    y,
    line: { color, dash },
    xaxis: `x${axis}`,
    yaxis: `y${axis}`,
    legendgroup: name.split(" ")[0],
  });
  const data: object[] = [
    line("validation loss", m.valLoss, ORANGE, ""),
    line("validation accuracy", m.valAcc, ORANGE, "2"),
  ];
  if (m.trainLoss && m.trainAcc)
    data.push(line("training loss", m.trainLoss, BLUE, ""), line("training accuracy", m.trainAcc, BLUE, "2"));
  return {
    data,
    layout: {
      title: { text: opts.title ?? "Loss and accuracy per epoch" },
      xaxis: { domain: [0, 0.45], title: { text: "epoch" } },
      xaxis2: { domain: [0.55, 1], title: { text: "epoch" } },
      yaxis: { title: { text: "loss" }, ...(opts.crop ? { range: [0, 0.6] } : { type: "log", dtick: 1 }) },
      yaxis2: { title: { text: "accuracy" }, anchor: "x2", ...(opts.crop ? { range: [0.85, 1] } : {}) },
    },
  };
}
