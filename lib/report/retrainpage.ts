/**
 * The retrain page (report/retrain.html): the report's MLP trained in the reader's browser, by
 * the same training loop, data path and WebAssembly modules as `npm run train`, bundled for the
 * browser by bundle.ts. Page: lib/web/retrain.ts; its worker: lib/web/retrainworker.ts.
 * Everything is embedded in three files, because a page opened from the
 * file system may load scripts but not fetch its siblings or start a worker from a file:
 * retrain.js (the page and, as text, its worker with the wasm modules), retrain-data.js (the
 * quick set and the committed runs' curves, each gzipped, and the report's model for the pad) and
 * retrain.html.
 */
import { readFileSync } from "fs";
import { gunzipSync, gzipSync } from "zlib";
import { join, relative, resolve } from "path";
import { writeFileAtomic } from "../common/atomic";
import { ROOT } from "../common/root";
import { quickSetBytes } from "../data/dataset";
import { loadMnistPackage } from "../data/sources";
import { scanRuns } from "../experiment/runstore";
import { Profile } from "../experiment/profile";
import { RunRecord } from "../experiment/runrecord";
import { pageScript } from "../display/widget";
import { TOOLBAR_ABOVE } from "../display/plot";
import { escapeHtml } from "../display/tables";
import { ReadBack } from "./readback";
import { padData } from "./drawdigit";
import { bundle, workerBundle } from "./bundle";

/** A committed run as the page compares with it: what identifies it, and its curves. */
export interface CommittedRun {
  file: string;
  config: RunRecord["config"];
  seed: number;
  data: RunRecord["data"];
  engineVersion: string;
  metrics: RunRecord["metrics"];
}

/** gzip's level for what the page embeds: its smallest. */
const LEVEL = 9;

/**
 * The quick set (the `mnist` package's 10,000 images) as the page embeds it: gzip of pixels then
 * labels. Compressing it at level 9 takes seconds, so each report would redo it: it is kept in build/
 * and reused while it inflates to these very bytes under this zlib and level (another may compress
 * differently).
 */
export function quickSetBase64(): string {
  const bytes = Buffer.from(quickSetBytes(loadMnistPackage()));
  const kept = join(ROOT, "build", "retrain-quickset.json");
  try {
    const k = JSON.parse(readFileSync(kept, "utf8"));
    const same = k.zlib === process.versions.zlib && k.level === LEVEL;
    if (same && gunzipSync(Buffer.from(k.base64, "base64")).equals(bytes)) return k.base64;
  } catch {
    // none yet, damaged or of another zlib: compressed anew
  }
  const base64 = gzipSync(bytes, { level: LEVEL }).toString("base64");
  try {
    writeFileAtomic(kept, JSON.stringify({ zlib: process.versions.zlib, level: LEVEL, base64 }));
  } catch {
    // a build/ this user may not write: compressed again next time
  }
  return base64;
}

/** The three files of the page, by name, from the profile's committed results. */
export async function retrainFiles(prof: Profile): Promise<Record<string, string>> {
  const rb = new ReadBack(prof);
  const best = rb.best;
  const { records, paths } = scanRuns(prof.runsDir);
  const runs: CommittedRun[] = records
    .map((r, k) => ({
      file: relative(ROOT, resolve(ROOT, paths[k])),
      config: r.config,
      seed: r.seed,
      data: r.data,
      engineVersion: r.engineVersion,
      metrics: r.metrics,
      engine: r.engine,
    }))
    .filter((r) => r.engine === "wasm")
    .map(({ engine: _, ...r }) => r);
  const page = await bundle("lib/web/retrain.ts", {
    __WORKER_SOURCE__: await workerBundle(),
    __SELECTED__: { config: best.config, seed: best.seed },
  });
  const committed = gzipSync(JSON.stringify(runs), { level: LEVEL }).toString("base64");
  const embedded = { quickSet: quickSetBase64(), runs: committed, pad: padData(rb.model) };
  const data =
    `window.RETRAIN_DATA=${JSON.stringify(embedded)};\n` +
    `window.RETRAIN_PAD=function(root,data){\n${pageScript("drawdigit")}\nwidget(root,data);};\n`;
  return { "retrain.html": retrainHtml(best), "retrain.js": page, "retrain-data.js": data };
}

const CSS = [
  "body{font-family:sans-serif;line-height:1.5;margin:0;color:#111;background:#fff}",
  "main{max-width:1000px;margin:0 auto;padding:16px}",
  "fieldset{border:1px solid #888;border-radius:6px;margin:0 0 12px;padding:8px 12px;min-width:0}",
  "legend{font-weight:bold}",
  ".row{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px;margin:6px 0}",
  ".row>label{min-width:14em}",
  ".check>label{min-width:0;flex:1}",
  "input[type=text]{width:9em;font-size:16px;padding:4px}",
  "select,button,input[type=file]{font-size:16px;padding:4px 10px;max-width:100%}",
  ".hint{color:#444;font-size:14px;overflow-wrap:anywhere}",
  "figure{margin:0}",
  "figcaption{font-size:14px;color:#444}",
  ".message{color:#a00;font-weight:bold;flex-basis:100%}",
  ".message:empty{display:none}",
  ".message.ok{color:#075e2d;font-weight:normal}",
  "[aria-invalid=true]{border:2px solid #a00}",
  ":focus-visible{outline:3px solid #0b5cad;outline-offset:2px}",
  ".actions{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}",
  ".chart{width:100%;min-height:380px}",
  "output{display:block;white-space:pre;overflow:auto;max-height:20em;font-size:12px}",
  "#pad canvas{max-width:100%}",
  TOOLBAR_ABOVE,
].join("");

function retrainHtml(best: RunRecord): string {
  const c = best.config;
  const [h, lr, lambda] = [c.h, c.lr, c.lambda].map((v) => escapeHtml(String(v)));
  const selected = `h = ${h}, lr = ${lr}, &lambda; = ${lambda}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Retrain the model in this page</title>
<style>${CSS}</style>
</head>
<body>
<main>
<p><a href="index.html">The report</a></p>
<h1>Retrain the model in this page</h1>
<p>This page trains the report's network (784 &ndash; h &ndash; 10, ReLU, dropout, L2, Adagrad) in your browser, with
the same training loop and the same WebAssembly modules as <code>npm run train</code>, so it computes the same numbers,
bit for bit, as Node.js does with the same settings. Nothing is sent anywhere. The defaults are the report's selected
configuration (${selected}); the settings are kept in
the address, so a link to this page with them reproduces your run.</p>
<form id="retrain-form" novalidate></form>
<div id="retrain-app"><p>Loading the page's code&hellip;</p></div>
</main>
<script src="retrain.js" defer></script>
<script src="retrain-data.js" defer></script>
<script src="plotly.min.js" defer></script>
</body></html>
`;
}
