/**
 * The grid explorer (training section): the 27 configurations' best validation accuracy as one
 * heatmap per h (lr x lambda), linked to a curve panel and to Table 1 in full: clicking a cell
 * or a row draws that configuration's training and validation curves beside the original's
 * record for the same configuration, and highlights its row. Page script: web/gridexplorer.js.
 */
import { Figure } from "../display/plot";
import { GridPoint, samePoint } from "../experiment/grid";
import { pageScript, roundTo, widgetHtml } from "../display/widget";
import { rankRuns } from "../experiment/runstore";
import { OriginalRun, originalRank } from "../experiment/original";
import { RunRecord } from "../experiment/runrecord";
import { ReportItem } from "./item";
import { OKABE_ITO } from "../display/palette";
import { binomialSE } from "./stats";

export interface GridExplorerInputs {
  runs: RunRecord[];
  original: OriginalRun[];
}

export const gridExplorer: ReportItem<GridExplorerInputs, Record<string, never>> = {
  name: "grid-explorer",
  title: "the 27 configurations linked to their curves and to Table 1 (interactive)",
  defaults: {},
  build({ runs, original }) {
    const ranked = rankRuns(runs);
    const configs = ranked.map((r, i) => {
      const o = original.find((x) => samePoint(x, r.config));
      return {
        h: r.config.h,
        lr: r.config.lr,
        lambda: r.config.lambda,
        rank: i + 1,
        best: r.best.valAcc,
        epoch: r.best.epoch,
        se: binomialSE(r.best.valAcc, r.data.nVal),
        ours: {
          epoch: r.metrics.epoch,
          valLoss: roundTo(r.metrics.valLoss),
          valAcc: roundTo(r.metrics.valAcc),
          trainLoss: roundTo(r.metrics.trainLoss ?? []),
          trainAcc: roundTo(r.metrics.trainAcc ?? []),
        },
        original: o
          ? {
              acc: o.best.accuracy,
              epoch: o.best.epoch,
              rank: originalRank(original, o),
              curve: { epoch: o.epoch, loss: roundTo(o.loss), accuracy: roundTo(o.accuracy) },
            }
          : null,
      };
    });
    const axes = {
      hs: [...new Set(runs.map((r) => r.config.h))].sort((a, b) => a - b),
      lrs: [...new Set(runs.map((r) => r.config.lr))].sort((a, b) => a - b),
      lambdas: [...new Set(runs.map((r) => r.config.lambda))].sort((a, b) => a - b),
    };
    const overview = overviewFigure(configs, axes);
    const colours = { validation: OKABE_ITO.vermillion, training: OKABE_ITO.blue, selected: OKABE_ITO.vermillion };
    const data = { configs, ...axes, overview, nVal: ranked[0].data.nVal, colours };
    return {
      explorer: {
        kind: "widget",
        plotly: true,
        html: widgetHtml({ name: "grid-explorer", script: pageScript("gridexplorer"), data, plotly: true }),
        fallback: { figure: overview, height: 330 },
      },
    };
  },
};

/** The explorer's heatmaps alone (its picture for viewers without JavaScript). */
function overviewFigure(
  configs: (GridPoint & { best: number })[],
  axes: { hs: number[]; lrs: number[]; lambdas: number[] },
): Figure {
  const data = axes.hs.map((h, i) => ({
    type: "heatmap",
    xaxis: `x${i ? i + 1 : ""}`,
    yaxis: `y${i ? i + 1 : ""}`,
    colorscale: "Viridis",
    showscale: i === axes.hs.length - 1,
    x: axes.lambdas.map(String),
    y: axes.lrs.map(String),
    z: axes.lrs.map((lr) =>
      axes.lambdas.map((lambda) => configs.find((c) => samePoint(c, { h, lr, lambda }))?.best ?? null),
    ),
    zmin: Math.min(...configs.map((c) => c.best)),
    zmax: Math.max(...configs.map((c) => c.best)),
    texttemplate: "%{z:.4f}",
    hovertemplate: `h=${h}, lr=%{y}, λ=%{x}: %{z:.4f}<extra></extra>`,
  }));
  const layout: Record<string, unknown> = {
    title: { text: "Best validation accuracy of the grid's configurations (h = panel, lr = row, λ = column)" },
    margin: { t: 60 },
  };
  axes.hs.forEach((h, i) => {
    const w = 1 / axes.hs.length;
    layout[`xaxis${i ? i + 1 : ""}`] = {
      domain: [i * w + 0.02, (i + 1) * w - 0.04],
      type: "category",
      title: { text: `λ (h = ${h})` },
    };
    layout[`yaxis${i ? i + 1 : ""}`] = {
      anchor: `x${i ? i + 1 : ""}`,
      type: "category",
      title: { text: i ? "" : "lr" },
      showticklabels: true,
    };
  });
  return { data, layout };
}
