/**
 * Report outputs to files, drawn in a real browser (chromium.ts). Charts go to PNG, SVG, vector PDF
 * (the SVG printed by Chromium: text stays text, fonts embedded) and plotly JSON; pictures that are
 * PNGs already to PNG, an SVG or a PDF that embeds them; tables to CSV, PNG and PDF. One writer per
 * kind of output and format (WRITERS).
 */
import { existsSync } from "fs";
import { join } from "path";
import type { Page } from "playwright-core";
import { PNG } from "pngjs";
import * as UPNG from "upng-js";
import { writeFileAtomic } from "../common/atomic";
import { Output } from "./output";
import { enlargePng } from "./images";
import { frameCsv, frameHtml } from "./tables";
import { SERIES } from "./palette";
import { Figure } from "./plot";
import { CHROMIUM, PlotlyPage, openPlotlyPage, withSharedPlotlyPage } from "./chromium";

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

type Exported = Extract<Output, { kind: "plotly" | "png" | "table" }>;
/** What a writer is given besides its output: the browser's page (opened on first use) and the PNG scale. */
interface Writing {
  page(): Promise<Page>;
  scale: number; // as ExportOptions.scale
}
/** A writer: the files one output makes in one format, as [name without extension, contents]. */
type Writer<O> = (out: O, w: Writing) => Promise<[string, Uint8Array | string][]>;

/** A picture that is a PNG already, enlarged by the scale, and as an <img> of its own size. */
const picture = (out: Extract<Exported, { kind: "png" }>, scale: number) => {
  const png = enlargePng(out.png, scale);
  const { width, height } = PNG.sync.read(Buffer.from(png));
  const src = `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
  return { png, width, height, src };
};

/** A table output's frames, each drawn as a PNG or a PDF. */
async function tables(out: Extract<Exported, { kind: "table" }>, w: Writing, format: "png" | "pdf") {
  const page = await w.page();
  const files: [string, Buffer][] = [];
  for (const f of out.frames)
    files.push([f.file, await renderTable(page, frameHtml(f.frame, f.caption, f.digits ?? {}), format, w.scale)]);
  return files;
}

/** Each kind of output's writers, by format, in the order the formats are listed. */
const WRITERS: { [K in Exported["kind"]]: Partial<Record<Format, Writer<Extract<Exported, { kind: K }>>>> } = {
  plotly: {
    png: async (out, w) => {
      const { width, height } = out.exportSize;
      return [[out.file, await renderFigure(await w.page(), out.figure, "png", width, height, 2 * w.scale)]];
    },
    svg: async (out, w) => {
      const { width, height } = out.exportSize;
      return [[out.file, await renderFigure(await w.page(), out.figure, "svg", width, height, 1)]];
    },
    pdf: async (out, w) => {
      const { width, height } = out.exportSize;
      const svg = (await renderFigure(await w.page(), out.figure, "svg", width, height, 1)).toString("utf8");
      return [[out.file, await printPdf(await w.page(), svgPage(svg), width, height)]];
    },
    json: async (out) => [[out.file, JSON.stringify(out.figure) + "\n"]],
  },
  png: {
    png: async (out, w) => [[out.file, picture(out, w.scale).png]],
    svg: async (out, w) => {
      const { width, height, src } = picture(out, w.scale);
      return [
        [
          out.file,
          `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" ` +
            `height="${height}" href="${src}"/></svg>\n`,
        ],
      ];
    },
    pdf: async (out, w) => {
      const { width, height, src } = picture(out, w.scale);
      const html =
        `<!doctype html><html><body style="margin:0">` +
        `<img width="${width}" height="${height}" src="${src}"/></body></html>`;
      return [[out.file, await printPdf(await w.page(), html, width, height)]];
    },
  },
  table: {
    csv: async (out) => out.frames.map((f) => [f.file, frameCsv(f.frame)]),
    png: (out, w) => tables(out, w, "png"),
    pdf: (out, w) => tables(out, w, "pdf"),
  },
};

const formatsOf = (kind: Exported["kind"]) => Object.keys(WRITERS[kind]) as Format[];
/** The formats each kind of output has, and those written when none are asked for. */
export const KIND_FORMATS: Record<Exported["kind"], { all: Format[]; default: Format[] }> = {
  plotly: { all: formatsOf("plotly"), default: ["png", "svg"] },
  png: { all: formatsOf("png"), default: ["png", "svg"] },
  table: { all: formatsOf("table"), default: ["csv"] },
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
  const w: Writing = { page: async () => (await (browser ??= openPlotlyPage())).page, scale: opts.scale };
  const written: string[] = [];
  try {
    for (const out of outputs) {
      // notebook and report pages only
      if (out.kind === "markdown" || out.kind === "text" || out.kind === "widget") continue;
      const writers = WRITERS[out.kind] as Partial<Record<Format, Writer<Exported>>>;
      for (const format of opts.formats ?? KIND_FORMATS[out.kind].default) {
        for (const [name, contents] of (await writers[format]?.(out, w)) ?? []) {
          const path = join(dir, `${name}.${format}`);
          writeFileAtomic(path, contents);
          written.push(path);
          opts.onFile?.(path);
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

/**
 * A static PNG of one figure (for viewers that run no JavaScript), or null when Chromium is not
 * installed. Reuses one headless browser while figures keep coming.
 */
export async function figurePng(fig: Figure, width: number, height: number, scale = 1): Promise<Buffer | null> {
  if (!existsSync(CHROMIUM)) return null;
  return compactPng(await withSharedPlotlyPage((page) => renderFigure(page, fig, "png", width, height, scale)));
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
