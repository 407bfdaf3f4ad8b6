/**
 * npm run figures [-- --out figures]
 * Re-exports every report figure as PNG and SVG from the results in data/ (no retraining),
 * rendering the plotly ones in headless Chromium (Debian's chromium, driven by playwright-core).
 */
import { existsSync } from "fs";
import { parseArgs } from "util";
import { PNG } from "pngjs";
import { checkWritableDir } from "../lib/common/atomic";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { CHROMIUM, exportPlotly, exportPng } from "../lib/display/export";
import { reportFigures } from "../lib/report/registry";

const USAGE = "usage: npm run figures -- [--out DIR]   (every report figure as PNG and SVG, from data/; default DIR: figures)";

async function main(): Promise<void> {
  let values;
  try {
    values = parseArgs({ options: { out: { type: "string", default: "figures" }, help: { type: "boolean" } } }).values;
  } catch (e) {
    throw new InputError(`${(e as Error).message.replace(/\.?$/, "")}; ${USAGE}`);
  }
  if (values.help) return void console.log(USAGE);
  checkWritableDir(values.out!, "--out");
  if (!existsSync(CHROMIUM)) throw new InputError(`${CHROMIUM} not found: install Debian's chromium (bash scripts/install-system-deps.sh) or set CHROMIUM_PATH.`);
  const started = Date.now();
  const figs = reportFigures();
  const written: string[] = [];
  for (const p of figs.png) {
    const { width, height } = PNG.sync.read(Buffer.from(p.png));
    written.push(...exportPng(p.name, p.png, values.out!, width, height));
  }
  written.push(...(await exportPlotly(figs.plotly, values.out!, (name) => process.stderr.write(`exported ${name}\n`))));
  console.log(`${written.length} files in ${values.out}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch(exitOnInputError);
