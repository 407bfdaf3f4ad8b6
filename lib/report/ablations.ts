/**
 * The ablations (beyond the original): the selected configuration trained faithfully and with one
 * of the original's choices changed at a time, from several seeds; validation curves as the mean
 * with a band of one standard deviation over seeds, a table of best validation accuracy and
 * training time, and, paired by seed, each change's effect on the best validation accuracy.
 */
import * as dfd from "danfojs-node";
import { Figure } from "../display/plot";
import { RunRecord } from "../experiment/runrecord";
import { Output, ReportItem } from "./item";
import { meanInterval } from "./stats";

export interface AblationsInputs {
  variants: { name: string; runs: RunRecord[] }[]; // the faithful one first; runs in seed order
  notRun: string[]; // changes asked for and not run, said as such
}

const COLOURS = ["51,51,51", "31,119,180", "214,39,40", "44,160,44", "148,103,189"]; // r,g,b
const f4 = (v: number) => v.toFixed(4);
const signed = (v: number) => `${v >= 0 ? "+" : ""}${f4(v)}`;

export const ablations: ReportItem<AblationsInputs, Record<string, never>> = {
  name: "ablations",
  title: "the original's untested choices changed one at a time: curves with bands, best accuracy, time",
  defaults: {},
  build({ variants, notRun }): Record<string, Output> {
    const faithful = variants[0];
    const rows = variants.map((v) => {
      const s = meanInterval(v.runs.map((r) => r.best.valAcc));
      const diff = v === faithful ? null : meanInterval(v.runs.map((r, i) => r.best.valAcc - faithful.runs[i].best.valAcc));
      return { v, s, diff, seconds: v.runs.reduce((t, r) => t + r.seconds, 0) / v.runs.length };
    });
    const frame = new dfd.DataFrame(rows.map((r) => ({
      variant: r.v.name, seeds: r.s.n, "best val acc (mean)": r.s.mean, sd: r.s.sd, "95% interval": `${f4(r.s.lo)}–${f4(r.s.hi)}`,
      "paired change vs faithful": r.diff ? `${signed(r.diff.mean)} (${signed(r.diff.lo)} to ${signed(r.diff.hi)})` : "–",
      "training (s, mean)": r.seconds,
    })));
    const verdict = (d: NonNullable<(typeof rows)[number]["diff"]>) => (d.lo > 0 ? "helped, beyond the seeds' noise" : d.hi < 0 ? "hurt, beyond the seeds' noise" : "made no difference these seeds can tell");
    const reading = [
      `Each change was made alone to the selected configuration (${faithful.runs[0].config.h} hidden units, lr ${faithful.runs[0].config.lr}, λ ${faithful.runs[0].config.lambda}) and trained from the same ${faithful.runs.length} seeds, so each seed gives each variant the same split and initial weights; the change in best validation accuracy is paired by seed.`,
      ...rows.filter((r) => r.diff).map((r) => `**${r.v.name}**: ${f4(r.s.mean)} on average (${signed(r.diff!.mean)} against faithful, 95% interval ${signed(r.diff!.lo)} to ${signed(r.diff!.hi)}): it ${verdict(r.diff!)}.`),
      ...notRun.map((n) => `Not run: ${n}.`),
    ].join("\n\n");
    const nVal = faithful.runs[0].data.nVal;
    return {
      chart: { kind: "plotly", file: "ablations-validation-curves", figure: bandsFigure(variants), height: 460, exportSize: { width: 1200, height: 500 } },
      table: { kind: "table", frames: [{ file: "ablations", frame, caption: `Ablations: best validation accuracy over ${faithful.runs.length} seeds (${nVal} validation images each) and training time as recorded (wall time on a shared machine: runs made beside other work took longer, so the times are rough)`, digits: { "best val acc (mean)": 4, sd: 4, "training (s, mean)": 0 } }] },
      reading: { kind: "markdown", text: reading },
    };
  },
};

/** Validation loss (left, log scale) and accuracy (right) per epoch: each variant's mean over seeds with a band of +- one sd. */
function bandsFigure(variants: AblationsInputs["variants"]): Figure {
  const data: object[] = [];
  // The original's view (accuracy above 0.85), widened when a variant's second half lies below it.
  const late = variants.flatMap((v) => v.runs.flatMap((r) => r.metrics.valAcc.slice(Math.floor(r.metrics.valAcc.length / 2))));
  const low = Math.min(0.85, Math.min(...late) - 0.01);
  variants.forEach((v, i) => {
    const colour = COLOURS[i % COLOURS.length], epoch = v.runs[0].metrics.epoch;
    for (const [key, axis] of [["valLoss", ""], ["valAcc", "2"]] as const) {
      const stats = epoch.map((_, e) => {
        const xs = v.runs.map((r) => r.metrics[key][e]), m = xs.reduce((s, x) => s + x, 0) / xs.length;
        return { m, sd: Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)) };
      });
      const common = { type: "scatter", mode: "lines", x: epoch, xaxis: `x${axis}`, yaxis: `y${axis}`, legendgroup: v.name, hoverinfo: "skip" };
      data.push({ ...common, y: stats.map((s) => Number((s.m + s.sd).toPrecision(5))), line: { width: 0 }, showlegend: false });
      data.push({ ...common, y: stats.map((s) => Number((s.m - s.sd).toPrecision(5))), line: { width: 0 }, fill: "tonexty", fillcolor: `rgba(${colour},0.2)`, showlegend: false });
      data.push({ ...common, y: stats.map((s) => Number(s.m.toPrecision(5))), line: { color: `rgb(${colour})`, width: 1.5 }, name: v.name, showlegend: axis === "", hoverinfo: "x+y+name" });
    }
  });
  return {
    data,
    layout: {
      title: { text: "Validation loss and accuracy per epoch: mean over seeds, band ± one standard deviation" },
      xaxis: { domain: [0, 0.46], title: { text: "epoch" } }, xaxis2: { domain: [0.54, 1], title: { text: "epoch" } },
      yaxis: { title: { text: "validation loss" }, type: "log" }, yaxis2: { title: { text: "validation accuracy" }, anchor: "x2", range: [low, 1] },
      legend: { orientation: "h", y: -0.25 }, margin: { t: 50, b: 110 },
    },
  };
}
