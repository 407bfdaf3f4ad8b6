/**
 * Interactive plotly charts that work offline. plotly.js comes from node_modules (never a CDN).
 * The full plotly.js-dist bundle is 10 MB; the notebooks embed the 1.5 MB cartesian build
 * (scatter, bar, heatmap, ...) once per kernel session, so a saved notebook stays small and its
 * charts still render with no network.
 */
import { readFileSync } from "fs";

export interface Figure {
  data: object[];
  layout?: object;
}

let counter = 0;

/** The plotly bundle as a script that defines window.Plotly even where RequireJS is present. */
export function plotlyLoaderHtml(): string {
  const bundle = readFileSync(require.resolve("plotly.js-cartesian-dist-min"), "utf8").replace(/<\/script/gi, "<\\/script");
  return (
    "<script>(function(){var define, module, exports;\n" + bundle + "\n})();\n" +
    "(window.__plotlyQueue || []).forEach(function (f) { f(); }); window.__plotlyQueue = [];</script>"
  );
}

/** A div and a script that draws `fig` into it as soon as Plotly is available. */
export function figureHtml(fig: Figure, height = 420): string {
  const id = `plot-${Date.now().toString(36)}-${counter++}`;
  const spec = JSON.stringify({ data: fig.data, layout: { height, margin: { t: 40 }, ...fig.layout } }).replace(/<\//g, "<\\/");
  return (
    `<div id="${id}" style="width:100%;height:${height}px"></div>` +
    `<script>(function(){var f=${spec};function draw(){window.Plotly.newPlot("${id}",f.data,f.layout,{responsive:true});}` +
    `if(window.Plotly){draw();}else{(window.__plotlyQueue=window.__plotlyQueue||[]).push(draw);}})();</script>`
  );
}
