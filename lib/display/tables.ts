/**
 * Tables of the report as danfojs DataFrames, and their HTML rendering for notebooks.
 */
import * as dfd from "danfojs-node";
import { OriginalRun } from "../experiment/original";
import { RunRecord } from "../experiment/train";
import { rankRuns } from "../experiment/grid";
import { binomialSE } from "../report/stats";

export { binomialSE } from "../report/stats";

const key = (h: number, lr: number, lambda: number) => `${h}/${lr}/${lambda}`;

/** Table 1, ours: the `top` best configs by best validation accuracy, with the original's figures for the same config. */
export function table1(runs: RunRecord[], original: OriginalRun[], top = 10): dfd.DataFrame {
  const orig = new Map(original.map((o) => [key(o.h, o.lr, o.lambda), o]));
  const origRank = new Map([...original].sort((a, b) => b.best.accuracy - a.best.accuracy).map((o, i) => [key(o.h, o.lr, o.lambda), i + 1]));
  const rows = rankRuns(runs).slice(0, top).map((r, i) => {
    const o = orig.get(key(r.config.h, r.config.lr, r.config.lambda));
    return {
      rank: i + 1,
      h: r.config.h,
      lr: r.config.lr,
      lambda: r.config.lambda,
      "val acc": r.best.valAcc,
      "± SE": binomialSE(r.best.valAcc, r.data.nVal),
      epoch: r.best.epoch,
      "original acc": o ? o.best.accuracy : NaN,
      "original epoch": o ? o.best.epoch : NaN,
      "original rank": origRank.get(key(r.config.h, r.config.lr, r.config.lambda)) ?? NaN,
    };
  });
  return new dfd.DataFrame(rows);
}

/** The original's Table 1, recomputed from its record (accuracy on its 10,000 test images, with SE). */
export function originalTable1(original: OriginalRun[], top = 10): dfd.DataFrame {
  const rows = [...original]
    .sort((a, b) => b.best.accuracy - a.best.accuracy)
    .slice(0, top)
    .map((o, i) => ({ rank: i + 1, h: o.h, lr: o.lr, lambda: o.lambda, accuracy: o.best.accuracy, "± SE": binomialSE(o.best.accuracy, 10000), epoch: o.best.epoch }));
  return new dfd.DataFrame(rows);
}

const escapeHtml = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function cell(v: unknown, column: string, digits: Record<string, number>): string {
  if (typeof v !== "number") return escapeHtml(String(v));
  if (Number.isNaN(v)) return "–";
  if (column in digits) return v.toFixed(digits[column]);
  return String(v);
}

/** A DataFrame as an HTML table; `digits` fixes decimals per column. */
export function frameHtml(df: dfd.DataFrame, caption = "", digits: Record<string, number> = {}): string {
  const cols = df.columns as string[];
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = (df.values as unknown[][]).map((row) => `<tr>${row.map((v, i) => `<td>${cell(v, cols[i], digits)}</td>`).join("")}</tr>`).join("\n");
  const cap = caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(caption)}</caption>` : "";
  return `<table class="report-table">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Several tables side by side (wrapping on narrow screens). */
export function sideBySide(...html: string[]): string {
  return `<div style="display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start">${html.map((h) => `<div>${h}</div>`).join("")}</div>`;
}
