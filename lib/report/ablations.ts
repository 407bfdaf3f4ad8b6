/**
 * The ablations (beyond the original): the selected configuration trained faithfully and with one
 * of the original's choices changed at a time, from several seeds; validation curves as the mean
 * with a band of one standard deviation over seeds, a table of best validation accuracy, how fast
 * each variant got there and training time, and, paired by seed, each change's effect on the best
 * validation accuracy.
 */
import * as dfd from "danfojs-node";
import { Figure } from "../display/plot";
import { RunRecord } from "../experiment/runrecord";
import { Output, ReportItem } from "./item";
import { meanInterval, sideOfZero } from "./stats";
import { thousands } from "../common/format";
import { OKABE_ITO, SERIES, rgbOf } from "../display/palette";

export interface AblationsInputs {
  variants: { name: string; runs: RunRecord[] }[]; // the faithful one first; runs in seed order
}

const COLOURS = [OKABE_ITO.black, ...SERIES.slice(0, 4)].map(rgbOf); // r,g,b
const f4 = (v: number) => v.toFixed(4);
const signed = (v: number) => `${v >= 0 ? "+" : ""}${f4(v)}`;

/** The first epoch whose validation accuracy reaches `reach`, or null if none does. */
export function firstEpochReaching(r: RunRecord, reach: number): number | null {
  const k = r.metrics.valAcc.findIndex((a) => a >= reach);
  return k < 0 ? null : r.metrics.epoch[k];
}

/** The epoch of the lowest validation loss (the first, on ties). */
export function lowestLossEpoch(r: RunRecord): number {
  const loss = r.metrics.valLoss;
  let k = 0;
  for (let e = 1; e < loss.length; e++) if (loss[e] < loss[k]) k = e;
  return r.metrics.epoch[k];
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

type Interval = ReturnType<typeof meanInterval>;

/**
 * Each variant's best validation accuracy over seeds and, but for the faithful one (the first),
 * its change against the faithful one paired by seed.
 */
export function ablationEffects(variants: AblationsInputs["variants"]): { s: Interval; diff: Interval | null }[] {
  const faithful = variants[0];
  return variants.map((v) => ({
    s: meanInterval(v.runs.map((r) => r.best.valAcc)),
    diff: v === faithful ? null : meanInterval(v.runs.map((r, i) => r.best.valAcc - faithful.runs[i].best.valAcc)),
  }));
}

/** What a paired change's 95% interval says, by the side of zero it lies on. */
const VERDICT = {
  1: "helped, beyond the seeds' noise",
  [-1]: "hurt, beyond the seeds' noise",
  0: "made no difference these seeds can tell",
};

export const ablations: ReportItem<AblationsInputs, { reach: number }> = {
  name: "ablations",
  title: "the original's untested choices changed one at a time: curves with bands, best accuracy, time",
  defaults: { reach: 0.95 }, // a validation accuracy every variant but one reaches, well before its end
  build({ variants }, { reach }): Record<string, Output> {
    const faithful = variants[0];
    const effects = ablationEffects(variants);
    const rows = variants.map((v, k) => {
      const { s, diff } = effects[k];
      const reached = v.runs.map((r) => firstEpochReaching(r, reach));
      const lowest = v.runs.map(lowestLossEpoch);
      // How much the last epoch's validation loss exceeds the lowest one, relative to it (mean over seeds).
      const rise = mean(
        v.runs.map((r) => r.metrics.valLoss[r.metrics.valLoss.length - 1] / Math.min(...r.metrics.valLoss) - 1),
      );
      return {
        v,
        s,
        diff,
        lowest: mean(lowest),
        rise,
        seconds: mean(v.runs.map((r) => r.seconds)),
        reach: reached.every((e) => e !== null) ? mean(reached as number[]) : null,
        notReached: reached.filter((e) => e === null).length,
      };
    });
    const reachText = (r: (typeof rows)[number]) =>
      r.reach === null ? `not reached by ${r.notReached} of ${r.v.runs.length} seeds` : r.reach.toFixed(0);
    const frame = new dfd.DataFrame(
      rows.map((r) => ({
        variant: r.v.name,
        seeds: r.s.n,
        "best val acc (mean)": r.s.mean,
        sd: r.s.sd,
        "95% interval": `${f4(r.s.lo)}–${f4(r.s.hi)}`,
        "paired change vs faithful": r.diff
          ? `${signed(r.diff.mean)} (${signed(r.diff.lo)} to ${signed(r.diff.hi)})`
          : "–",
        [`epochs to ${reach} (mean)`]: reachText(r),
        "lowest val loss at epoch (mean)": Number(r.lowest.toFixed(0)),
        "training (s, mean)": r.seconds,
      })),
    );
    // How fast it got there, and whether its validation loss turned up (more than 5% above its lowest by the end).
    const speed = (r: (typeof rows)[number], base: (typeof rows)[number]) =>
      (r.reach === null
        ? `It did not reach ${reach} validation accuracy (${reachText(r)}).`
        : `It reached ${reach} validation accuracy at epoch ${reachText(r)} on average ` +
          `(faithful: ${reachText(base)}).`) +
      (r.rise > 0.05
        ? ` Its validation loss was lowest at epoch ${r.lowest.toFixed(0)} on average and ended ` +
          `${(100 * r.rise).toFixed(0)}% above that, while its best validation accuracy came at epoch ` +
          `${mean(r.v.runs.map((x) => x.best.epoch)).toFixed(0)}: the loss and the accuracy disagree on when to stop.`
        : "");
    const reading = [
      `Each change was made alone to the selected configuration (${faithful.runs[0].config.h} hidden units, lr ` +
        `${faithful.runs[0].config.lr}, λ ${faithful.runs[0].config.lambda}) and trained from the same ` +
        `${faithful.runs.length} seeds, so each seed gives each variant the same split and initial weights; the ` +
        `change in best validation accuracy is paired by seed.`,
      ...rows
        .filter((r) => r.diff)
        .map(
          (r) =>
            `**${r.v.name}**: ${f4(r.s.mean)} on average (${signed(r.diff!.mean)} against faithful, 95% interval ` +
            `${signed(r.diff!.lo)} to ${signed(r.diff!.hi)}): it ${VERDICT[sideOfZero(r.diff!)]}. ${speed(r, rows[0])}`,
        ),
    ].join("\n\n");
    const nVal = faithful.runs[0].data.nVal;
    return {
      chart: {
        kind: "plotly",
        file: "ablations-validation-curves",
        figure: bandsFigure(variants),
        height: 460,
        exportSize: { width: 1200, height: 500 },
      },
      table: {
        kind: "table",
        frames: [
          {
            file: "ablations",
            frame,
            caption:
              `Ablations: best validation accuracy over ${faithful.runs.length} seeds (${thousands(nVal)} ` +
              `validation images each) and training time as recorded (wall time on a shared machine: runs made ` +
              `beside other work took longer, so the times are rough)`,
            digits: { "best val acc (mean)": 4, sd: 4, "training (s, mean)": 0 },
          },
        ],
      },
      reading: { kind: "markdown", text: reading },
    };
  },
};

/**
 * Validation loss (left, log scale) and accuracy (right) per epoch: each variant's mean over seeds
 * with a band of +- one sd.
 */
function bandsFigure(variants: AblationsInputs["variants"]): Figure {
  const data: object[] = [];
  // The original's view (accuracy above 0.85), widened when a variant's second half lies below it.
  const late = variants.flatMap((v) =>
    v.runs.flatMap((r) => r.metrics.valAcc.slice(Math.floor(r.metrics.valAcc.length / 2))),
  );
  const low = Math.min(0.85, Math.min(...late) - 0.01);
  variants.forEach((v, i) => {
    const colour = COLOURS[i % COLOURS.length],
      epoch = v.runs[0].metrics.epoch;
    for (const [key, axis] of [
      ["valLoss", ""],
      ["valAcc", "2"],
    ] as const) {
      const stats = epoch.map((_, e) => meanInterval(v.runs.map((r) => r.metrics[key][e])));
      const common = {
        type: "scatter",
        mode: "lines",
        x: epoch,
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
        legendgroup: v.name,
        hoverinfo: "skip",
      };
      data.push({
        ...common,
        y: stats.map((s) => Number((s.mean + s.sd).toPrecision(5))),
        line: { width: 0 },
        showlegend: false,
      });
      data.push({
        ...common,
        y: stats.map((s) => Number((s.mean - s.sd).toPrecision(5))),
        line: { width: 0 },
        fill: "tonexty",
        fillcolor: `rgba(${colour},0.2)`,
        showlegend: false,
      });
      data.push({
        ...common,
        y: stats.map((s) => Number(s.mean.toPrecision(5))),
        line: { color: `rgb(${colour})`, width: 1.5 },
        name: v.name,
        showlegend: axis === "",
        hoverinfo: "x+y+name",
      });
    }
  });
  return {
    data,
    layout: {
      title: { text: "Validation loss and accuracy per epoch: mean over seeds, band ± one standard deviation" },
      xaxis: { domain: [0, 0.46], title: { text: "epoch" } },
      xaxis2: { domain: [0.54, 1], title: { text: "epoch" } },
      yaxis: { title: { text: "validation loss" }, type: "log", dtick: 1 },
      yaxis2: { title: { text: "validation accuracy" }, anchor: "x2", range: [low, 1] },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 50, b: 110 },
    },
  };
}
