/**
 * Figures to PNG and SVG through a real browser: Debian's Chromium driven by playwright-core,
 * with plotly.js loaded from node_modules (no network). Pictures that are PNGs already get an
 * SVG that embeds them, so every figure exists in both formats.
 */
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { chromium } from "playwright-core";
import { writeFileAtomic } from "./atomic";
import { NamedFigure } from "./figures";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

/** Write <dir>/<name>.png and .svg for each figure; returns the paths written. */
export async function exportPlotly(figures: NamedFigure[], dir: string, onFigure?: (name: string) => void): Promise<string[]> {
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "chromium-")), { executablePath: CHROMIUM, args: FLAGS, headless: true });
  const written: string[] = [];
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body><div id='plot'></div></body></html>");
    await page.addScriptTag({ path: require.resolve("plotly.js-cartesian-dist-min") });
    for (const f of figures) {
      for (const format of ["png", "svg"] as const) {
        const url: string = await page.evaluate(
          ({ fig, format, width, height }) => (globalThis as any).Plotly.toImage({ data: fig.data, layout: { ...fig.layout, width, height } }, { format, width, height, scale: format === "png" ? 2 : 1 }),
          { fig: f.figure, format, width: f.width, height: f.height },
        );
        const bytes = format === "png" ? Buffer.from(url.split(",")[1], "base64") : Buffer.from(decodeURIComponent(url.slice(url.indexOf(",") + 1)), "utf8");
        const path = join(dir, `${f.name}.${format}`);
        writeFileAtomic(path, bytes);
        written.push(path);
      }
      onFigure?.(f.name);
    }
  } finally {
    await browser.close();
  }
  return written;
}

/** A PNG as itself and as an SVG wrapping it. */
export function exportPng(name: string, png: Uint8Array, dir: string, width: number, height: number): string[] {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${Buffer.from(png).toString("base64")}"/></svg>\n`;
  writeFileAtomic(join(dir, `${name}.png`), png);
  writeFileAtomic(join(dir, `${name}.svg`), svg);
  return [join(dir, `${name}.png`), join(dir, `${name}.svg`)];
}
