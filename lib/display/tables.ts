/**
 * Tables in notebooks and files: danfojs DataFrames as HTML (fixed decimals per column) and CSV
 * (full precision), and small markdown tables.
 */
import * as dfd from "danfojs-node";
import { groupThousands } from "../common/format";

export const escapeHtml = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function cell(v: unknown, column: string, digits: Record<string, number>): string {
  if (typeof v !== "number") return escapeHtml(String(v));
  if (Number.isNaN(v)) return "–";
  // Whole parts grouped by thousands, as the prose around the tables writes 12,000.
  return groupThousands(column in digits ? v.toFixed(digits[column]) : String(v));
}

/** A DataFrame as an HTML table; `digits` fixes decimals per column. */
export function frameHtml(df: dfd.DataFrame, caption = "", digits: Record<string, number> = {}): string {
  const cols = df.columns as string[],
    values = df.values as unknown[][];
  // Numbers right-aligned (their digits line up), text left-aligned, each column as its cells are.
  const align = cols.map((_, i) => (values.every((row) => numeric(row[i])) ? "right" : "left"));
  const head = cols.map((c, i) => `<th style="text-align:${align[i]}">${escapeHtml(c)}</th>`).join("");
  const body = values
    .map(
      (row) =>
        `<tr>${row.map((v, i) => `<td style="text-align:${align[i]}">${cell(v, cols[i], digits)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const cap = caption
    ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(caption)}</caption>`
    : "";
  return `<table class="report-table">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A number, or text that writes one: "1.8e-71", "0.9611–0.9683", "12%", "–" (none). */
function numeric(v: unknown): boolean {
  return (
    typeof v === "number" ||
    (typeof v === "string" && /^(–|[-+−]?[\d,]*\.?\d+(e[-+]?\d+)?%?(–[-+−]?[\d,]*\.?\d+)?)$/.test(v.trim()))
  );
}

/** Several tables side by side (wrapping on narrow screens). */
export function sideBySide(...html: string[]): string {
  const cells = html.map((h) => `<div>${h}</div>`).join("");
  return `<div style="display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start">${cells}</div>`;
}

/** A DataFrame as CSV (RFC 4180 quoting), numbers at full precision, NaN as an empty field. */
export function frameCsv(df: dfd.DataFrame): string {
  const field = (v: unknown) => {
    const s = typeof v === "number" ? (Number.isNaN(v) ? "" : String(v)) : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [df.columns as string[], ...(df.values as unknown[][])].map((row) => row.map(field).join(",")).join("\n") + "\n"
  );
}

/** A markdown table (for small summaries in notebooks). */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((c) => (typeof c === "number" ? groupThousands(String(c)) : c)).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
