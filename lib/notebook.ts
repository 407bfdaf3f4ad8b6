/**
 * What notebooks call to show results. Only this file knows about the tslab kernel; the rest of
 * lib/ is plain TypeScript (it also runs from the command line and in tests).
 */
import { CHROMIUM, figurePng } from "./export";
import { Figure, figureHtml, notebookFigure, plotlyLoaderHtml } from "./plot";

// eslint-disable-next-line @typescript-eslint/no-var-requires
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
  const loader = plotlyLoaded ? "" : plotlyLoaderHtml();
  plotlyLoaded = true;
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
  displayBundle(data, metadata);
}
let warnedNoBrowser = false;

/** One output with several representations (tslab's public display sends one MIME type per output). */
function displayBundle(data: Record<string, string>, metadata: Record<string, object>): void {
  // tslab 1.0.22 (pinned) keeps its output channel here; the public Display API writes through it too.
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: ((d: object, update: boolean) => void) | null };
  if (!jupyter.lastWriteDisplayData) throw new Error("not running in a tslab kernel: nothing to display to.");
  jupyter.lastWriteDisplayData({ data, metadata, transient: {} }, false);
}

export function showPng(png: Uint8Array): void {
  tslab().display.png(png);
}

export function showHtml(html: string): void {
  tslab().display.html(html);
}

export function showMarkdown(md: string): void {
  tslab().display.markdown(md);
}

/** How much work the notebooks do: REPORT_PROFILE=quick (minutes, the 10k `mnist` set) or full (default). */
export type Profile = "quick" | "full";

export function reportProfile(): Profile {
  const p = process.env.REPORT_PROFILE ?? "full";
  if (p !== "quick" && p !== "full") throw new Error(`REPORT_PROFILE=${p} is not a profile; expected "quick" or "full".`);
  return p;
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
