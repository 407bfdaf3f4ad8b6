import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { PNG } from "pngjs";
import { checkHtmlReport, checkNotebookOutputs } from "../lib/reportcheck";

const ROOT = resolve(__dirname, "..");

/** A PNG that decodes and has more than a few colours (not blank). */
function assertPicture(bytes: Buffer, what: string): void {
  const png = PNG.sync.read(bytes);
  assert.ok(png.width > 50 && png.height > 50, `${what}: ${png.width} x ${png.height}`);
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 31) colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  assert.ok(colours.size > 3, `${what}: blank (${colours.size} colours)`);
}

const out = mkdtempSync(join(tmpdir(), "notebooks-"));
let ran = false;

test("every notebook executes headless in the quick profile (into a temporary copy), with static copies of its charts", () => {
  const r = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "cli", "report.ts"), "--out-dir", out], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, REPORT_PROFILE: "quick" },
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  ran = true;
  const names = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  assert.ok(names.length >= 2);
  let charts = 0;
  for (const name of names) {
    const nb = JSON.parse(readFileSync(join(out, name), "utf8"));
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    assert.ok(code.every((c: { execution_count: number | null }) => c.execution_count !== null), `${name}: every code cell ran`);
    assert.ok(code.some((c: { outputs: unknown[] }) => c.outputs.length > 0), `${name}: shows results`);
    // Every interactive chart carries a PNG in the same output, for viewers without JavaScript.
    for (const c of code) {
      for (const o of c.outputs as { data?: Record<string, string | string[]> }[]) {
        const html = [o.data?.["text/html"] ?? ""].flat().join("");
        if (!html.includes("Plotly.newPlot")) continue;
        charts++;
        assert.ok(o.data?.["image/png"], `${name}: a chart without its static PNG`);
        assertPicture(Buffer.from(String(o.data!["image/png"]), "base64"), `${name}: a chart's PNG`);
      }
    }
  }
  assert.ok(charts >= 8, `${charts} charts`);
});

test("the HTML report opens from the file system: every chart drawn, math typeset, no errors, nothing from the network", async () => {
  assert.ok(ran, "needs the notebooks run above");
  const dir = join(out, "html");
  const files = readdirSync(dir);
  assert.ok(["index.html", "plotly.min.js", "report.css", "mathjax"].every((f) => files.includes(f)), files.join(", "));
  const pages = await checkHtmlReport(dir);
  assert.equal(pages.filter((p) => p.page !== "index.html").length, readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).length);
  for (const p of pages) {
    assert.deepEqual(p.errors, [], `${p.page}: errors`);
    assert.deepEqual(p.external, [], `${p.page}: network requests`);
    assert.equal(p.drawn, p.charts, `${p.page}: ${p.drawn} of ${p.charts} charts drawn`);
    // plotly.js is in the folder once, not in the pages
    const html = readFileSync(join(dir, p.page), "utf8");
    assert.ok(!html.includes("data-plotly-bundle"), `${p.page} embeds plotly.js`);
    if (p.page !== "index.html") assert.ok(!/<style/.test(html.slice(0, html.indexOf("</head>"))), `${p.page} inlines the stylesheet`);
  }
  assert.ok(pages.reduce((s, p) => s + p.charts, 0) >= 8);
  assert.ok(pages.find((p) => p.page.startsWith("01-"))!.math > 10, "formulas typeset");
});

test("a notebook's saved outputs draw every chart in a browser, from the plotly bundle they carry", async () => {
  assert.ok(ran, "needs the notebooks run above");
  for (const name of readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"))) {
    const p = await checkNotebookOutputs(join(out, name));
    assert.deepEqual(p.errors, [], `${name}: errors`);
    assert.deepEqual(p.external, [], `${name}: network requests`);
    assert.equal(p.drawn, p.charts, `${name}: ${p.drawn} of ${p.charts} charts drawn`);
  }
});

test("the exported figures in figures/ decode and are not blank", () => {
  const pngs = readdirSync(join(ROOT, "figures")).filter((f) => f.endsWith(".png"));
  assert.ok(pngs.length >= 9, `${pngs.length} PNGs`);
  for (const f of pngs) assertPicture(readFileSync(join(ROOT, "figures", f)), f);
  for (const f of pngs) assert.ok(readdirSync(join(ROOT, "figures")).includes(f.replace(/\.png$/, ".svg")), `${f} has an SVG twin`);
});
