/**
 * Figure 1: training and validation loss (left) and accuracy (right) per epoch for a few models,
 * ours solid (validation) and dashed (training), the original's record dotted (it recorded only
 * what it called validation, which was the test set). Drawn twice: cropped as the original showed
 * it, and over the full range with a log-scale loss.
 */
import { Figure } from "../display/plot";
import { markdownTable } from "../display/tables";
import { OriginalRun } from "../experiment/original";
import { Metrics, RunRecord } from "../experiment/runrecord";
import { ReportItem } from "./item";
import { configLabel } from "../mlp/config";
import { GridPoint, samePoint } from "../experiment/grid";
import { SERIES } from "../display/palette";

export interface Figure1Inputs {
  runs: RunRecord[]; // the grid
  original: OriginalRun[]; // the original's record
  best: RunRecord; // the selected config
}

export interface Figure1Params {
  configs: GridPoint[] | null; // null: every h of the grid (largest first) at the selected lr and lambda
}

export interface Figure1Model {
  label: string; // e.g. "h=128, lr=0.01, λ=0.0005"
  ours: Metrics;
  original?: { epoch: number[]; loss: number[]; accuracy: number[] };
}

export const figure1: ReportItem<Figure1Inputs, Figure1Params> = {
  name: "figure1",
  title: "Figure 1: loss and accuracy per epoch, ours beside the original's record",
  defaults: { configs: null },
  build(inputs, { configs }) {
    const models = figure1Models(inputs.runs, inputs.original, configs ?? defaultConfigs(inputs.runs, inputs.best));
    const size = { width: 1200, height: 560 };
    return {
      cropped: {
        kind: "plotly",
        file: "figure1-training-curves-cropped",
        figure: figure1Figure(models, true),
        height: 520,
        exportSize: size,
      },
      full: {
        kind: "plotly",
        file: "figure1-training-curves-full",
        figure: figure1Figure(models, false),
        height: 520,
        exportSize: size,
      },
      firstEpoch: {
        kind: "markdown",
        text: markdownTable(
          ["model", "validation loss, epoch 0 → 1 (ours)", "original's record, epoch 0 → 1"],
          models.map((m) => [
            m.label,
            `${m.ours.valLoss[0].toFixed(1)} → ${m.ours.valLoss[1].toFixed(3)}`,
            m.original ? `${m.original.loss[0].toFixed(1)} → ${m.original.loss[1].toFixed(3)}` : "–",
          ]),
        ),
      },
    };
  },
};

/** Every h of the grid, largest first, at the selected config's lr and lambda. */
function defaultConfigs(runs: RunRecord[], best: RunRecord): GridPoint[] {
  const hs = [...new Set(runs.map((r) => r.config.h))].sort((a, b) => b - a);
  return hs.map((h) => ({ h, lr: best.config.lr, lambda: best.config.lambda }));
}

/** Figure 1's models: our run and the original's record for each config (the original may lack one). */
export function figure1Models(runs: RunRecord[], original: OriginalRun[], configs: GridPoint[]): Figure1Model[] {
  return configs.map((point) => {
    const ours = runs.find((r) => samePoint(r.config, point));
    if (!ours) throw new Error(`no run for ${configLabel(point)} among the ${runs.length} runs.`);
    const orig = original.find((o) => samePoint(o, point));
    return { label: configLabel(point), ours: ours.metrics, original: orig };
  });
}

export function figure1Figure(models: Figure1Model[], crop: boolean): Figure {
  const data: object[] = [];
  models.forEach((m, i) => {
    const color = SERIES[i % SERIES.length];
    const trace = (name: string, x: number[], y: number[], axis: string, dash: string, show: boolean) => ({
      type: "scatter",
      mode: "lines",
      name: `${m.label}: ${name}`,
      x,
      y,
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
      line: { color, dash, width: dash === "solid" ? 2 : 1.5 },
      legendgroup: `${m.label}/${name}`,
      showlegend: show,
    });
    data.push(
      trace("validation (ours)", m.ours.epoch, m.ours.valLoss, "", "solid", true),
      trace("validation (ours)", m.ours.epoch, m.ours.valAcc, "2", "solid", false),
    );
    if (m.ours.trainLoss && m.ours.trainAcc) {
      data.push(
        trace("training (ours)", m.ours.epoch, m.ours.trainLoss, "", "dash", true),
        trace("training (ours)", m.ours.epoch, m.ours.trainAcc, "2", "dash", false),
      );
    }
    if (m.original) {
      data.push(
        trace("original's record", m.original.epoch, m.original.loss, "", "dot", true),
        trace("original's record", m.original.epoch, m.original.accuracy, "2", "dot", false),
      );
    }
  });
  return {
    data,
    layout: {
      title: {
        text: crop
          ? "Figure 1 (the original's view: loss < 0.6, accuracy > 0.85)"
          : "Figure 1 (full range, log-scale loss)",
      },
      xaxis: { domain: [0, 0.46], title: { text: "epoch" } },
      xaxis2: { domain: [0.54, 1], title: { text: "epoch" } },
      yaxis: { title: { text: "loss" }, ...(crop ? { range: [0, 0.6] } : { type: "log", dtick: 1 }) },
      yaxis2: { title: { text: "accuracy" }, anchor: "x2", ...(crop ? { range: [0.85, 1] } : {}) },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}
