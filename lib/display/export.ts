/**
 * Report outputs to files through a real browser: Debian's Chromium driven by playwright-core,
 * with plotly.js loaded from node_modules (no network). Charts go to PNG, SVG, vector PDF (the
 * SVG printed by Chromium: text stays text, fonts embedded) and plotly JSON; pictures that are
 * PNGs already to PNG, an SVG or a PDF that embeds them; tables to CSV, PNG and PDF.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "fs";
import { join } from "path";
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { PNG } from "pngjs";
import * as UPNG from "upng-js";
import { writeFileAtomic } from "../common/atomic";
import { ROOT } from "../common/root";
import { Output } from "./output";
import { enlargePng } from "./images";
import { frameCsv, frameHtml } from "./tables";
import { SERIES } from "./palette";
import { Figure } from "./plot";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
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

/**
 * Profiles live in build/, named by the process that made them: a notebook's kernel is stopped
 * before its shared browser's idle timer could close it, so a profile can outlive its process;
 * the next launch removes those whose process is gone. Nothing is left in the temporary folder.
 */
const PROFILES = join(ROOT, "build", "chromium-profiles");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

function newProfile(): string {
  mkdirSync(PROFILES, { recursive: true });
  for (const d of readdirSync(PROFILES)) {
    const pid = Number(d.split("-")[0]);
    if (!Number.isInteger(pid) || !alive(pid)) rmSync(join(PROFILES, d), { recursive: true, force: true });
  }
  return mkdtempSync(join(PROFILES, `${process.pid}-`));
}

/** Debian's Chromium, headless, with a fresh profile folder that close() removes. */
export async function launchChromium(
  device: Pick<BrowserContextOptions, "viewport" | "isMobile" | "hasTouch" | "deviceScaleFactor"> = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = newProfile();
  // Loaded when a browser is wanted, not with the notebooks' imports: it takes a while to load.
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: FLAGS,
    headless: true,
    ...device,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One figure as PNG or SVG bytes, drawn by plotly in the page at width x height CSS pixels. */
async function renderFigure(
  page: Page,
  fig: Figure,
  format: "png" | "svg",
  width: number,
  height: number,
  scale: number,
): Promise<Buffer> {
  const url: string = await page.evaluate(
    ({ fig, format, width, height, scale, colorway }) => {
      // plotly names its clip paths and gradients with Math.random(); a fixed sequence per figure
      // makes the same figure the same bytes (nothing drawn depends on these ids).
      let state = 0x2545f491;
      Math.random = () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      return (globalThis as any).Plotly.toImage(
        { data: fig.data, layout: { colorway, ...fig.layout, width, height } },
        { format, width, height, scale },
      );
    },
    { fig, format, width, height, scale, colorway: SERIES },
  );
  return format === "png"
    ? Buffer.from(url.split(",")[1], "base64")
    : Buffer.from(decodeURIComponent(url.slice(url.indexOf(",") + 1)), "utf8");
}

export const FORMATS = ["png", "svg", "pdf", "json", "csv"] as const;
export type Format = (typeof FORMATS)[number];

/** The formats each kind of output has, and those written when none are asked for. */
export const KIND_FORMATS: Record<"plotly" | "png" | "table", { all: Format[]; default: Format[] }> = {
  plotly: { all: ["png", "svg", "pdf", "json"], default: ["png", "svg"] },
  png: { all: ["png", "svg", "pdf"], default: ["png", "svg"] },
  table: { all: ["csv", "png", "pdf"], default: ["csv"] },
};

export interface ExportOptions {
  formats: Format[] | null; // null: each kind's default
  scale: number; // PNG enlargement: 1 = charts at twice their CSS size, pictures as drawn
  onFile?: (path: string) => void;
}

/**
 * Write each output in the formats asked for that it has (markdown and text are notebook
 * narration and have none); returns the paths written. One browser serves them all, opened
 * only if a format needs it.
 */
export async function exportOutputs(outputs: Output[], dir: string, opts: ExportOptions): Promise<string[]> {
  let browser: Promise<PlotlyPage> | null = null;
  const page = async () => (await (browser ??= openPlotlyPage())).page;
  const written: string[] = [];
  const write = (name: string, format: Format, bytes: Uint8Array | string) => {
    const path = join(dir, `${name}.${format}`);
    writeFileAtomic(path, bytes);
    written.push(path);
    opts.onFile?.(path);
  };
  try {
    for (const out of outputs) {
      // notebook and report pages only
      if (out.kind === "markdown" || out.kind === "text" || out.kind === "widget") continue;
      const formats = (opts.formats ?? KIND_FORMATS[out.kind].default).filter((f) =>
        KIND_FORMATS[out.kind].all.includes(f),
      );
      for (const format of formats) {
        if (out.kind === "plotly") {
          const { width, height } = out.exportSize;
          if (format === "json") write(out.file, format, JSON.stringify(out.figure) + "\n");
          else if (format === "pdf")
            write(
              out.file,
              format,
              await printPdf(
                await page(),
                svgPage((await renderFigure(await page(), out.figure, "svg", width, height, 1)).toString("utf8")),
                width,
                height,
              ),
            );
          else
            write(
              out.file,
              format,
              await renderFigure(
                await page(),
                out.figure,
                format as "png" | "svg",
                width,
                height,
                format === "png" ? 2 * opts.scale : 1,
              ),
            );
        } else if (out.kind === "png") {
          const png = enlargePng(out.png, opts.scale);
          const { width, height } = PNG.sync.read(Buffer.from(png));
          const img =
            `<img width="${width}" height="${height}" ` +
            `src="data:image/png;base64,${Buffer.from(png).toString("base64")}"/>`;
          if (format === "png") write(out.file, format, png);
          else if (format === "svg")
            write(
              out.file,
              format,
              `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" ` +
                `height="${height}" href="data:image/png;base64,${Buffer.from(png).toString("base64")}"/></svg>\n`,
            );
          else
            write(
              out.file,
              format,
              await printPdf(
                await page(),
                `<!doctype html><html><body style="margin:0">${img}</body></html>`,
                width,
                height,
              ),
            );
        } else {
          for (const f of out.frames) {
            if (format === "csv") write(f.file, format, frameCsv(f.frame));
            else
              write(
                f.file,
                format,
                await renderTable(
                  await page(),
                  frameHtml(f.frame, f.caption, f.digits ?? {}),
                  format as "png" | "pdf",
                  opts.scale,
                ),
              );
          }
        }
      }
    }
  } finally {
    if (browser) await (await browser).close();
  }
  return written;
}

/** An SVG alone on a page, at its own size. */
function svgPage(svg: string): string {
  const style = "<style>html,body{margin:0;padding:0}svg{display:block}</style>";
  return `<!doctype html><html><head>${style}</head><body>${svg}</body></html>`;
}

const TABLE_CSS =
  "body{margin:0;font-family:'DejaVu " +
  "Sans',sans-serif;font-size:13px;background:#fff}#t{display:inline-block;padding:8px}" +
  "table{border-collapse:collapse}th,td{padding:3px 8px;text-align:right;border-bottom:1px solid " +
  "#ddd}th{border-bottom:1px solid #333}caption{padding-bottom:6px}";

/** A table as PNG (a screenshot of it, 2 x scale device pixels per CSS pixel) or PDF (vector, text as text). */
async function renderTable(page: Page, tableHtml: string, format: "png" | "pdf", scale: number): Promise<Buffer> {
  const zoom = format === "png" ? 2 * scale : 1;
  await page.setContent(
    `<!doctype html><html><head><style>${TABLE_CSS}</style></head><body><div id="t" ` +
      `style="zoom:${zoom}">${tableHtml}</div></body></html>`,
  );
  const box = await page.locator("#t").boundingBox();
  if (!box) throw new Error("the table was not laid out.");
  if (format === "png") return page.locator("#t").screenshot({ type: "png" });
  const html = await page.content();
  return printPdf(page, html, Math.ceil(box.width), Math.ceil(box.height));
}

/**
 * `html` printed by Chromium to a one-page PDF of width x height CSS pixels: vector, its text
 * selectable with the fonts embedded. Chromium stamps each PDF with the time and a random
 * document id; both are overwritten with fixed bytes of the same length (so the cross-reference
 * offsets stay valid) to make the same figure the same file.
 */
async function printPdf(page: Page, html: string, width: number, height: number): Promise<Buffer> {
  await page.setContent(html);
  const pdf = await page.pdf({
    width: `${width}px`,
    height: `${height + 1}px`,
    printBackground: true,
    pageRanges: "1",
    margin: { top: "0", right: "0", bottom: "0", left: "0" },
  });
  return stablePdf(pdf);
}

/** A PDF with its dates and document id replaced by fixed values of the same length. */
export function stablePdf(pdf: Buffer): Buffer {
  const text = pdf
    .toString("latin1")
    .replace(
      /\/(CreationDate|ModDate) \(D:(\d+)([^)]*)\)/g,
      (_m, key: string, digits: string, rest: string) =>
        `/${key} (D:${"19700101000000".slice(0, digits.length).padEnd(digits.length, "0")}${rest.replace(/\d/g, "0")})`,
    )
    .replace(
      /\/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]/g,
      (_m, a: string, b: string) => `/ID [<${"0".repeat(a.length)}> <${"0".repeat(b.length)}>]`,
    );
  return Buffer.from(text, "latin1");
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
