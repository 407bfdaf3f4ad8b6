/** Plotly figures of the report (pure data in, a plotly {data, layout} out). */
import { Figure } from "./plot";
import { OriginalRun } from "../experiment/original";
import { Metrics, RunRecord } from "../experiment/train";

const BLUE = "#1f77b4", ORANGE = "#ff7f0e";

/** Bars of images per digit for several named sets. */
export function classCountsFigure(sets: { name: string; counts: number[] }[]): Figure {
  return {
    data: sets.map((s) => ({ type: "bar", name: s.name, x: s.counts.map((_, d) => String(d)), y: s.counts })),
    layout: { barmode: "group", title: { text: "Images per digit" }, xaxis: { title: { text: "digit" } }, yaxis: { title: { text: "images" } } },
  };
}

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

/** A markdown table (for small summaries in notebooks). */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

export interface Figure1Model {
  label: string; // e.g. "h=128, lr=0.01, lambda=5e-4"
  ours: Metrics;
  original?: { epoch: number[]; loss: number[]; accuracy: number[] };
}

/**
 * Figure 1: training and validation loss (left) and accuracy (right) per epoch for a few models,
 * ours solid (validation) and dashed (training), the original's record dotted (it recorded only
 * what it called validation, which was the test set). `crop` is the original's view.
 */
export function figure1(models: Figure1Model[], crop: boolean): Figure {
  const data: object[] = [];
  models.forEach((m, i) => {
    const color = PALETTE[i % PALETTE.length];
    const trace = (name: string, x: number[], y: number[], axis: string, dash: string, show: boolean) => ({
      type: "scatter", mode: "lines", name: `${m.label}: ${name}`, x, y, xaxis: `x${axis}`, yaxis: `y${axis}`,
      line: { color, dash, width: dash === "solid" ? 2 : 1.5 }, legendgroup: `${m.label}/${name}`, showlegend: show,
    });
    data.push(trace("validation (ours)", m.ours.epoch, m.ours.valLoss, "", "solid", true), trace("validation (ours)", m.ours.epoch, m.ours.valAcc, "2", "solid", false));
    if (m.ours.trainLoss && m.ours.trainAcc) {
      data.push(trace("training (ours)", m.ours.epoch, m.ours.trainLoss, "", "dash", true), trace("training (ours)", m.ours.epoch, m.ours.trainAcc, "2", "dash", false));
    }
    if (m.original) {
      data.push(trace("original's record", m.original.epoch, m.original.loss, "", "dot", true), trace("original's record", m.original.epoch, m.original.accuracy, "2", "dot", false));
    }
  });
  return {
    data,
    layout: {
      title: { text: crop ? "Figure 1 (the original's view: loss < 0.6, accuracy > 0.85)" : "Figure 1 (full range, log-scale loss)" },
      xaxis: { domain: [0, 0.46], title: { text: "epoch" } },
      xaxis2: { domain: [0.54, 1], title: { text: "epoch" } },
      yaxis: { title: { text: "loss" }, ...(crop ? { range: [0, 0.6] } : { type: "log" }) },
      yaxis2: { title: { text: "accuracy" }, anchor: "x2", ...(crop ? { range: [0.85, 1] } : {}) },
      legend: { orientation: "h", y: -0.25 },
    },
  };
}

/** Figure 1's models: our run and the original's record for each config (the original may lack one). */
export function figure1Models(runs: RunRecord[], original: OriginalRun[], configs: { h: number; lr: number; lambda: number }[]): Figure1Model[] {
  return configs.map(({ h, lr, lambda }) => {
    const ours = runs.find((r) => r.config.h === h && r.config.lr === lr && r.config.lambda === lambda);
    if (!ours) throw new Error(`no run for h=${h}, lr=${lr}, lambda=${lambda} among the ${runs.length} runs.`);
    const orig = original.find((o) => o.h === h && o.lr === lr && o.lambda === lambda);
    return { label: `h=${h}, lr=${lr}, λ=${lambda}`, ours: ours.metrics, original: orig };
  });
}
