/**
 * Interactive plotly charts that work offline. plotly.js comes from node_modules (never a CDN).
 * The notebooks embed plotly's cartesian build (scatter, bar, heatmap, ...: a fraction of the
 * full bundle), compressed, once per kernel session, so a saved notebook stays small and its
 * charts still render with no network.
 */
import { sha256 } from "../data/checksum";
import { readFileSync } from "fs";
import { SERIES } from "./palette";
import { gzipSync } from "zlib";

export interface Figure {
  data: object[];
  layout?: object;
}

let counter = 0;

/**
 * The plotly bundle as a script that defines window.Plotly even where RequireJS is present, then
 * draws the figures waiting for it. The bundle travels gzip-compressed as base64 (which keeps
 * saved notebooks small) and the browser inflates it
 * (DecompressionStream). Marked (data-plotly-bundle) so that the HTML report can load plotly once
 * for all pages instead.
 */
export function plotlyLoaderHtml(): string {
  const gz = gzipSync(readFileSync(require.resolve("plotly.js-cartesian-dist-min")), { level: 9 }).toString("base64");
  return (
    `<script data-plotly-bundle>(function(){var b=atob("${gz}"),u=new Uint8Array(b.length);` +
    "for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);" +
    'new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function(src){' +
    'var s=document.createElement("script");' +
    's.text="(function(){var define, module, exports;\\n"+src+"\\n})();";document.head.appendChild(s);' +
    "(window.__plotlyQueue||[]).forEach(function(f){f();});window.__plotlyQueue=[];});})();</script>"
  );
}

/** The figure as the notebooks draw it: `height` pixels high, a small top margin unless it sets its own. */
export function notebookFigure(fig: Figure, height: number): Figure {
  return { data: fig.data, layout: { height, margin: { t: 40 }, colorway: SERIES, ...fig.layout } };
}

/**
 * plotly's toolbar sits at the top right of a chart, over the end of a long title: moved into a
 * band of its own above every chart on the page (widgets' charts too). Important, because plotly
 * adds its own rule of the same weight when it loads, after the page's.
 */
export const TOOLBAR_ABOVE =
  ".js-plotly-plot{padding-top:28px}.js-plotly-plot .plotly .modebar-container{top:-28px !important}";

/**
 * A div and a script that draws `fig` into it as soon as Plotly is available. The div's id comes
 * from the figure and a counter, never the clock, so the same results give the same bytes; the
 * counter keeps ids unique in a page, the hash keeps them unique across kernel restarts.
 */
export function figureHtml(fig: Figure, height = 420): string {
  const spec = JSON.stringify(notebookFigure(fig, height)).replace(/<\//g, "<\\/");
  const id = `plot-${sha256(spec).slice(0, 8)}-${counter++}`;
  return (
    `<style>${TOOLBAR_ABOVE}</style><div id="${id}" style="width:100%;height:${height}px"></div>` +
    // A live chart's output may be replaced before plotly has loaded: then its div is gone, and nothing is drawn.
    `<script>(function(){var f=${spec};` +
    `function draw(){var el=document.getElementById("${id}");` +
    `if(el)window.Plotly.newPlot(el,f.data,f.layout,{responsive:true});}` +
    `if(window.Plotly){draw();}else{(window.__plotlyQueue=window.__plotlyQueue||[]).push(draw);}})();</script>`
  );
}
