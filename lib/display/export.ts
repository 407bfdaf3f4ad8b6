/**
 * Figures to PNG and SVG through a real browser: Debian's Chromium driven by playwright-core,
 * with plotly.js loaded from node_modules (no network). Pictures that are PNGs already get an
 * SVG that embeds them, so every figure exists in both formats.
 */
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { BrowserContext, Page, chromium } from "playwright-core";
import * as UPNG from "upng-js";
import { writeFileAtomic } from "../common/atomic";
import { NamedFigure } from "../report/registry";
import { Figure } from "./plot";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

interface PlotlyPage {
  page: Page;
  close(): Promise<void>;
}

/** A fresh headless Chromium (own profile) with one blank page that has plotly loaded. */
async function openPlotlyPage(): Promise<PlotlyPage> {
  const { context, close } = await launchChromium();
  try {
    const page = await context.newPage();
    await page.setContent("<!doctype html><html><body><div id='plot'></div></body></html>");
    await page.addScriptTag({ path: require.resolve("plotly.js-cartesian-dist-min") });
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Debian's Chromium, headless, with a fresh profile folder that close() removes. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One figure as PNG or SVG bytes, drawn by plotly in the page at width x height CSS pixels. */
async function renderFigure(page: Page, fig: Figure, format: "png" | "svg", width: number, height: number, scale: number): Promise<Buffer> {
  const url: string = await page.evaluate(
    ({ fig, format, width, height, scale }) => {
      // plotly names its clip paths and gradients with Math.random(); a fixed sequence per figure
      // makes the same figure the same bytes (nothing drawn depends on these ids).
      let state = 0x2545f491;
      Math.random = () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      return (globalThis as any).Plotly.toImage({ data: fig.data, layout: { ...fig.layout, width, height } }, { format, width, height, scale });
    },
    { fig, format, width, height, scale },
  );
  return format === "png" ? Buffer.from(url.split(",")[1], "base64") : Buffer.from(decodeURIComponent(url.slice(url.indexOf(",") + 1)), "utf8");
}

/** Write <dir>/<name>.png and .svg for each figure; returns the paths written. */
export async function exportPlotly(figures: NamedFigure[], dir: string, onFigure?: (name: string) => void): Promise<string[]> {
  const { page, close } = await openPlotlyPage();
  const written: string[] = [];
  try {
    for (const f of figures) {
      for (const format of ["png", "svg"] as const) {
        const path = join(dir, `${f.name}.${format}`);
        writeFileAtomic(path, await renderFigure(page, f.figure, format, f.width, f.height, format === "png" ? 2 : 1));
        written.push(path);
      }
      onFigure?.(f.name);
    }
  } finally {
    await close();
  }
  return written;
}

// For notebooks: one browser kept open between figures, closed after a quiet spell.
let shared: Promise<PlotlyPage> | null = null;
let idle: ReturnType<typeof setTimeout> | null = null;
const IDLE_MS = 15_000;

/**
 * A static PNG of one figure (for viewers that run no JavaScript), or null when Chromium is not
 * installed. Reuses one headless browser while figures keep coming.
 */
export async function figurePng(fig: Figure, width: number, height: number, scale = 1): Promise<Buffer | null> {
  if (!existsSync(CHROMIUM)) return null;
  if (idle) clearTimeout(idle);
  shared ??= openPlotlyPage();
  const open = shared;
  try {
    return compactPng(await renderFigure((await open).page, fig, "png", width, height, scale));
  } catch (e) {
    shared = null; // a broken browser is not reused
    void open.then((p) => p.close()).catch(() => undefined);
    throw e;
  } finally {
    idle = setTimeout(() => {
      if (shared === open) shared = null;
      void open.then((p) => p.close()).catch(() => undefined);
    }, IDLE_MS);
    idle.unref();
  }
}

/**
 * A PNG re-encoded with at most 256 colours (indexed, by upng-js): a chart has few colours, so
 * it looks the same at a third of the size or less; a noisy heatmap loses a little colour depth.
 * For the static copies saved in notebooks (figures/ keeps full colour).
 */
export function compactPng(png: Buffer): Buffer {
  const image = UPNG.decode(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer);
  const rgba = UPNG.toRGBA8(image)[0];
  const small = Buffer.from(UPNG.encode([rgba], image.width, image.height, 256));
  return small.length < png.length ? small : png;
}

/** A PNG as itself and as an SVG wrapping it. */
export function exportPng(name: string, png: Uint8Array, dir: string, width: number, height: number): string[] {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${Buffer.from(png).toString("base64")}"/></svg>\n`;
  writeFileAtomic(join(dir, `${name}.png`), png);
  writeFileAtomic(join(dir, `${name}.svg`), svg);
  return [join(dir, `${name}.png`), join(dir, `${name}.svg`)];
}
