/**
 * What notebooks call to show results. Only this file knows about the tslab kernel; the rest of
 * lib/ is plain TypeScript (it also runs from the command line and in tests).
 */
import { Curves, curvesFigure } from "./curves";
import { figurePng } from "./export";
import { CHROMIUM } from "./chromium";
import { Figure, figureHtml, notebookFigure, plotlyLoaderHtml } from "./plot";
import { Output, tableHtml } from "./output";

const tslab = () => require("tslab") as typeof import("tslab");

let plotlyLoaded = false;
/** Width in CSS pixels of a chart's static image (the interactive chart takes the page's width). */
const STATIC_WIDTH = 960;

/**
 * Show a plotly figure: interactive (the plotly bundle is embedded with the first one), and, in
 * the same output, a static PNG rendered in headless Chromium for viewers that run no JavaScript
 * (GitHub's notebook view). Front ends that run JavaScript show the interactive chart.
 */
export async function showFigure(fig: Figure, height = 420): Promise<void> {
  displayBundle(await figureBundle(fig, height, takeLoader()));
}

/** The plotly bundle goes with the first chart of a kernel session only. */
function takeLoader(): string {
  const loader = plotlyLoaded ? "" : plotlyLoaderHtml();
  plotlyLoaded = true;
  return loader;
}

/** A chart's output: its interactive HTML and, for viewers without JavaScript, its static PNG. */
async function figureBundle(fig: Figure, height: number, loader: string): Promise<Bundle> {
  const data: Record<string, string> = { "text/html": loader + figureHtml(fig, height) };
  const metadata: Record<string, object> = {};
  const png = await figurePng(notebookFigure(fig, height), STATIC_WIDTH, height);
  if (png) {
    data["image/png"] = png.toString("base64");
    metadata["image/png"] = { width: STATIC_WIDTH, height };
  } else if (!warnedNoBrowser) {
    warnedNoBrowser = true;
    process.stderr.write(`${CHROMIUM} not found: charts are shown without their static PNG copies.\n`);
  }
  return { data, metadata };
}
let warnedNoBrowser = false;

interface Bundle {
  data: Record<string, string>;
  metadata: Record<string, object>;
}

/**
 * One output with several representations (tslab's public display sends one MIME type per
 * output). With `displayId`, the output can be replaced later (update = true), as Jupyter's
 * update_display_data does; the id is transient and not saved in the notebook.
 */
function displayBundle(b: Bundle, displayId?: string, update = false): void {
  // tslab 1.0.22 (pinned) keeps its output channel here; the public Display API writes through it too.
  const jupyter = require("tslab/dist/jupyter") as {
    lastWriteDisplayData: ((d: object, update: boolean) => void) | null;
  };
  if (!jupyter.lastWriteDisplayData) throw new Error("not running in a tslab kernel: nothing to display to.");
  jupyter.lastWriteDisplayData({ ...b, transient: displayId ? { display_id: displayId } : {} }, update);
}

/**
 * A chart redrawn in place as work goes on (as TensorFlow.js's fit callbacks do): `update` shows
 * an intermediate figure (interactive only, no PNG), `done` the final one with its static PNG.
 * The saved notebook keeps only the final chart, so a rerun gives the same bytes.
 */
export function liveFigure(height = 420): { update(fig: Figure): void; done(fig: Figure): Promise<void> } {
  const id = `live-${process.pid}-${liveCounter++}`;
  const loader = takeLoader(); // with the first and the final drawing: the saved output then works alone
  let shown = false;
  return {
    update(fig) {
      displayBundle(
        { data: { "text/html": (shown ? "" : loader) + figureHtml(fig, height) }, metadata: {} },
        id,
        shown,
      );
      shown = true;
    },
    async done(fig) {
      displayBundle(await figureBundle(fig, height, loader), id, shown);
      shown = true;
    },
  };
}
let liveCounter = 0;

/** A picture, with its text alternative (the HTML report's `alt`, jupyter/nbconvert/report). */
export function showPng(png: Uint8Array, alt: string): void {
  displayBundle({ data: { "image/png": Buffer.from(png).toString("base64") }, metadata: { "image/png": { alt } } });
}

export function showHtml(html: string): void {
  tslab().display.html(html);
}

export function showMarkdown(md: string): void {
  tslab().display.markdown(md);
}

/** A text output that each call overwrites (live progress), at most once a second. */
export function liveText(): (text: string, force?: boolean) => void {
  const display = tslab().newDisplay();
  let last = 0;
  return (text, force = false) => {
    const now = Date.now();
    if (!force && now - last < 1000) return;
    last = now;
    display.text(text);
  };
}

/** One epoch's measurements as training reports them (the training loop's EpochReport). */
export interface EpochPoint {
  epoch: number;
  epochs: number;
  valLoss: number;
  valAcc: number;
  trainLoss?: number;
  trainAcc?: number;
}

/**
 * A training run's curves (loss and accuracy, training and validation) redrawn after every epoch
 * with the progress in the title; `done` leaves the final chart, titled `title`, as the output.
 */
export function liveTrainingChart(
  title: string,
  height = 420,
): { onEpoch(r: EpochPoint): void; done(m: Curves): Promise<void> } {
  const live = liveFigure(height);
  const m: Curves = { epoch: [], valLoss: [], valAcc: [], trainLoss: [], trainAcc: [] };
  const started = Date.now();
  return {
    onEpoch(r) {
      m.epoch.push(r.epoch);
      m.valLoss.push(r.valLoss);
      m.valAcc.push(r.valAcc);
      if (r.trainLoss !== undefined) (m.trainLoss!.push(r.trainLoss), m.trainAcc!.push(r.trainAcc!));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      live.update(
        curvesFigure(m, {
          title: `${title}: epoch ${r.epoch}/${r.epochs}, validation accuracy ${r.valAcc.toFixed(4)}, ${seconds} s`,
        }),
      );
    },
    done: (final) => live.done(curvesFigure(final, { title })),
  };
}

/** Show a report item's output (lib/display/output.ts). */
export async function show(out: Output): Promise<void> {
  if (out.kind === "plotly") return showFigure(out.figure, out.height);
  if (out.kind === "png") return showPng(out.png, out.alt);
  if (out.kind === "markdown") return showMarkdown(out.text);
  if (out.kind === "text") return void console.log(out.text);
  if (out.kind === "widget") return showWidget(out);
  showHtml(tableHtml(out.frames));
}

/** An interactive view, with a static PNG of its fallback figure for viewers that run no JavaScript. */
async function showWidget(w: Extract<Output, { kind: "widget" }>): Promise<void> {
  const loader = w.plotly ? takeLoader() : "";
  if (!w.fallback) return displayBundle({ data: { "text/html": loader + w.html }, metadata: {} });
  const b = await figureBundle(w.fallback.figure, w.fallback.height, loader);
  b.data["text/html"] = loader + w.html;
  displayBundle(b);
}
