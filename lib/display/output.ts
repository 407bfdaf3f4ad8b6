/**
 * lib/display/: how results reach a reader: these outputs, plotly charts and tables in notebooks
 * (notebook.ts), pictures as PNGs, export through Chromium, and the notebooks' parameters cells.
 *
 * What a report item hands to a reader: a plotly chart, a picture, tables, or a line of
 * narration. The notebook shows these (show, lib/display/notebook.ts) and `npm run figures`
 * writes them to files (lib/display/export.ts): the same object either way.
 */
import * as dfd from "danfojs-node";
import { Figure } from "./plot";
import { frameHtml, sideBySide } from "./tables";

/** A table: a danfo DataFrame with its caption and decimals per column. */
export interface FrameOutput {
  file: string; // export name, without extension
  frame: dfd.DataFrame;
  caption: string;
  digits?: Record<string, number>;
}

export type Output =
  // height: in the notebook
  | { kind: "plotly"; file: string; figure: Figure; height: number; exportSize: { width: number; height: number } }
  // alt: what the picture shows, for readers who cannot see it
  | { kind: "png"; file: string; png: Uint8Array; alt: string }
  | { kind: "table"; frames: FrameOutput[] } // shown side by side
  | { kind: "markdown"; text: string } // narration computed from the numbers (notebooks only)
  | { kind: "text"; text: string } // a plain line (notebooks only)
  // interactive (lib/display/widget.ts), with a static picture for viewers without JavaScript
  | { kind: "widget"; html: string; plotly: boolean; fallback?: { figure: Figure; height: number } };

/** Tables as HTML (several side by side). */
export function tableHtml(frames: FrameOutput[]): string {
  const html = frames.map((f) => frameHtml(f.frame, f.caption, f.digits ?? {}));
  return html.length === 1 ? html[0] : sideBySide(...html);
}
