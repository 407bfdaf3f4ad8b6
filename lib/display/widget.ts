/**
 * Interactive views that need no kernel: a div and a page script over data embedded in the same
 * HTML, so they work in a notebook's saved output (where the front end runs scripts) and in the
 * HTML report opened from file:// (where fetch() of a sibling file is refused). The script is
 * plain browser JavaScript defining `function widget(root, data)`; with `plotly` it runs once
 * plotly.js is there (the notebook's embedded bundle or the report's shared file).
 */
import { sha256 } from "../data/checksum";
import { readFileSync } from "fs";
import { join } from "path";
import { ROOT } from "../common/root";
import { TOOLBAR_ABOVE } from "./plot";

export interface Widget {
  name: string; // a short name, part of the element's id ("grid-explorer")
  script: string; // defines function widget(root, data)
  data: unknown; // JSON
  plotly: boolean; // draws with plotly
}

let counter = 0;

/** A page script of the report, by file name (lib/report/widgets/NAME.js). */
export function pageScript(name: string): string {
  return readFileSync(join(ROOT, "lib", "report", "widgets", `${name}.js`), "utf8");
}

/**
 * The widget as HTML. Its id comes from its content and a counter (never the clock), so the same
 * results give the same bytes.
 */
export function widgetHtml(w: Widget): string {
  const json = JSON.stringify(w.data).replace(/<\//g, "<\\/");
  const id = `widget-${w.name}-${sha256(json + w.script).slice(0, 8)}-${counter++}`;
  const start = w.plotly
    ? "if(window.Plotly){go();}else{(window.__plotlyQueue=window.__plotlyQueue||[]).push(go);}"
    : "go();";
  return (
    (w.plotly ? `<style>${TOOLBAR_ABOVE}</style>` : "") +
    `<div id="${id}" class="report-widget" data-widget="${w.name}"></div>` +
    `<script>(function(){var data=${json};\n${w.script}\n` +
    `function go(){var root=document.getElementById("${id}");` +
    `if(root&&!root.dataset.ready){root.dataset.ready="1";widget(root,data);}}\n${start}})();</script>`
  );
}

/** Numbers rounded to `digits` significant digits (display data: smaller pages, same pictures). */
export function roundTo(values: ArrayLike<number>, digits = 5): number[] {
  return Array.from(values, (v) => (Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(digits)) : v));
}
