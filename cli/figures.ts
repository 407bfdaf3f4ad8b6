/**
 * npm run figures [-- --only NAME[,NAME...]] [--format png,svg,pdf,json,csv] [--scale N] [--out DIR]
 * Exports report items, by the names the report gives them, from the profile's results (no
 * retraining): each item is built by its one definition in lib/report/ (the notebooks show the
 * same), charts rendered in headless Chromium (Debian's chromium, driven by playwright-core).
 */
import { existsSync } from "fs";
import { parseFlags } from "../lib/common/args";
import { checkWritableDir } from "../lib/common/atomic";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { FORMATS, Format, KIND_FORMATS, exportOutputs } from "../lib/display/export";
import { CHROMIUM } from "../lib/display/chromium";
import { profile } from "../lib/experiment/profile";
import { buildItems, itemList, pickItems } from "../lib/report/registry";

const SHORT_USAGE =
  "usage: npm run figures -- [--only NAME[,NAME...]] [--format F[,F...]] [--scale N] [--out DIR]   " +
  "(REPORT_PROFILE=quick|full; --help lists the names)";
const USAGE = `${SHORT_USAGE.replace(/; --help lists the names/, "")}
  --only    report items to export (default: all):
${itemList()}
  --format  of ${FORMATS.join(", ")}; charts have png, svg, pdf (vector, selectable text), json (the plotly figure);
            pictures png, svg, pdf; tables csv, png, pdf. Default: png and svg for charts and pictures, csv for tables.
  --scale   whole number >= 1: PNGs N times larger per side
            (1: charts at twice their size in CSS pixels, pictures as drawn)
  --out     folder to write to (default: figures)`;

const parse = () =>
  parseFlags(
    {
      out: { type: "string", default: "figures" },
      only: { type: "string" },
      format: { type: "string" },
      scale: { type: "string", default: "1" },
      help: { type: "boolean" },
    },
    SHORT_USAGE,
  );

const list = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);

async function main(): Promise<void> {
  const values = parse();
  if (values.help) return void console.log(USAGE);
  const names = pickItems(list(values.only));
  const formats = values.format === undefined ? null : list(values.format);
  if (formats && formats.length === 0)
    throw new InputError(`--format is empty; expected some of ${FORMATS.join(", ")}.`);
  for (const f of formats ?? [])
    if (!(FORMATS as readonly string[]).includes(f))
      throw new InputError(`--format ${f} is not a format; expected some of ${FORMATS.join(", ")}.`);
  const scale = Number(values.scale);
  if (!/^\d+$/.test(values.scale!) || scale < 1 || scale > 8)
    throw new InputError(`--scale ${values.scale} is invalid; expected a whole number from 1 to 8.`);
  checkWritableDir(values.out!, "--out");
  const needsBrowser = (formats ?? ["png"]).some((f) => f === "png" || f === "svg" || f === "pdf");
  if (needsBrowser && !existsSync(CHROMIUM))
    throw new InputError(`${CHROMIUM} not found: install Debian's chromium (npm run setup) or set CHROMIUM_PATH.`);
  const started = Date.now();
  const items = await buildItems(profile(), names);
  if (formats) {
    for (const { name, outputs } of items) {
      const kinds = [...new Set(outputs.map((o) => o.kind))].filter(
        (k): k is keyof typeof KIND_FORMATS => k in KIND_FORMATS,
      );
      const has = new Set(kinds.flatMap((k) => KIND_FORMATS[k].all));
      const missing = formats.filter((f) => !has.has(f as Format));
      if (missing.length)
        process.stderr.write(`${name} has no ${missing.join(", ")} form (it has ${[...has].join(", ")}).\n`);
    }
  }
  const written = await exportOutputs(
    items.flatMap((i) => i.outputs),
    values.out!,
    {
      formats: formats as Format[] | null,
      scale,
      onFile: (path) => process.stderr.write(`wrote ${path}\n`),
    },
  );
  console.log(`${written.length} files in ${values.out}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch(exitOnInputError);
