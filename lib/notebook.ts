/**
 * What notebooks call to show results. Only this file knows about the tslab kernel; the rest of
 * lib/ is plain TypeScript (it also runs from the command line and in tests).
 */
import { Figure, figureHtml, plotlyLoaderHtml } from "./plot";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const tslab = () => require("tslab") as typeof import("tslab");

let plotlyLoaded = false;

/** Show an interactive plotly figure (the plotly bundle is embedded with the first one). */
export function showFigure(fig: Figure, height?: number): void {
  const loader = plotlyLoaded ? "" : plotlyLoaderHtml();
  plotlyLoaded = true;
  tslab().display.html(loader + figureHtml(fig, height));
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
