/**
 * Hidden units forming (visualisation section): each hidden unit's W1 column as a 28 x 28 tile at
 * the recorded epochs, with an epoch slider, beside how many units never fire on the validation
 * set at each snapshot (dead ReLUs) and the weights' norms after every epoch. The tiles are drawn
 * in the page from the snapshots at display precision (lib/experiment/forming.ts), with the unit
 * tiles' colour scale. Page script: web/unitsforming.js.
 */
import { pageScript, roundTo, widgetHtml } from "../display/widget";
import { Figure } from "../display/plot";
import { Forming, LEVELS } from "../experiment/forming";
import { ReportItem } from "./item";

export const unitsForming: ReportItem<{ forming: Forming }, { cols: number; scale: number }> = {
  name: "hidden-units-forming",
  title: "the hidden units' weights at a handful of epochs, dead units and weight norms (interactive)",
  defaults: { cols: 16, scale: 2 },
  build({ forming }, { cols, scale }) {
    const chart = formingChart(forming);
    const data = {
      h: forming.h,
      cols,
      scale,
      levels: LEVELS,
      nVal: forming.nVal,
      chart,
      snapshots: forming.snapshots.map((s) => ({ epoch: s.epoch, dead: s.dead, w1: s.w1 })),
    };
    return {
      explorer: {
        kind: "widget",
        plotly: true,
        html: widgetHtml({ name: "hidden-units-forming", script: pageScript("unitsforming"), data, plotly: true }),
        fallback: { figure: chart, height: 320 },
      },
    };
  },
};

/** Dead units at each snapshot (left) and |W1|, |W2| after every epoch (right). */
function formingChart(f: Forming): Figure {
  return {
    data: [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "units never active on the validation set",
        x: f.snapshots.map((s) => s.epoch),
        y: f.snapshots.map((s) => s.dead),
        xaxis: "x",
        yaxis: "y",
      },
      {
        type: "scatter",
        mode: "lines",
        name: "|W1|",
        x: f.norms.epoch,
        y: roundTo(f.norms.w1),
        xaxis: "x2",
        yaxis: "y2",
      },
      {
        type: "scatter",
        mode: "lines",
        name: "|W2|",
        x: f.norms.epoch,
        y: roundTo(f.norms.w2),
        xaxis: "x2",
        yaxis: "y2",
      },
    ],
    layout: {
      title: { text: `Dead ReLUs (of ${f.h}) and weight norms while the selected model trains` },
      xaxis: { domain: [0, 0.44], title: { text: "epoch" } },
      yaxis: { title: { text: `dead units (of ${f.h})` }, rangemode: "tozero" },
      xaxis2: { domain: [0.56, 1], title: { text: "epoch" } },
      yaxis2: { anchor: "x2", title: { text: "L2 norm" }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.3 },
      margin: { t: 50, b: 80 },
    },
  };
}
