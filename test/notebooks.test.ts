import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { PNG } from "pngjs";
import { checkHtmlReport, checkNotebookOutputs, exploreViews } from "./reportcheck";
import { loadModel } from "../lib/experiment/modelio";
import { profile, reportSets } from "../lib/experiment/profile";
import { makePredictor } from "../lib/engine/engine";
import { toSparse } from "../lib/data/features";
import { confusionCounts } from "../lib/report/table3";
import { REPORT_NOTEBOOKS } from "../lib/report/notebooks";
import { EDIT, EDITED, usedClone } from "./usedclone";

const ROOT = resolve(__dirname, "..");
const NOTEBOOK_FILES = REPORT_NOTEBOOKS.map((n) => `${n}.ipynb`);

/** A PNG that decodes and has more than a few colours (not blank). */
function assertPicture(bytes: Buffer, what: string): void {
  const png = PNG.sync.read(bytes);
  assert.ok(png.width > 50 && png.height > 50, `${what}: ${png.width} x ${png.height}`);
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 31)
    colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  assert.ok(colours.size > 3, `${what}: blank (${colours.size} colours)`);
}

const out = mkdtempSync(join(tmpdir(), "notebooks-"));
let ran = false;
/**
 * Where the report's commands run: a clone a reader has used in Jupyter (test/usedclone.ts), made
 * by the first test; what holds there holds in a fresh clone too.
 */
let clone = ROOT;
/** npm run report -- ARGS in the quick profile, as a reader runs it. */
const report = (args: string[]) =>
  spawnSync(process.execPath, [join(clone, "scripts", "run.js"), "report", ...args], {
    cwd: clone,
    encoding: "utf8",
    env: { ...process.env, REPORT_PROFILE: "quick" },
  });
/** The same, without blocking: other checks go on while it runs. */
const reportAsync = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [join(clone, "scripts", "run.js"), "report", ...args], {
      cwd: clone,
      env: { ...process.env, REPORT_PROFILE: "quick" },
    });
    let stdout = "",
      stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
/**
 * The second build of the quick profile, started as soon as the first is done and compared at the
 * end: the checks between them (the pages in browsers, the figures) run meanwhile.
 */
const again = mkdtempSync(join(tmpdir(), "notebooks-again-"));
let rebuilt: ReturnType<typeof reportAsync> | null = null;
after(() => {
  for (const dir of [out, again, ...(clone === ROOT ? [] : [clone])]) rmSync(dir, { recursive: true, force: true });
});
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
/** The report's notebooks' hashes (a reader's own files in notebooks/ are not the report's). */
const committed = () => Object.fromEntries(NOTEBOOK_FILES.map((f) => [f, sha(join(clone, "notebooks", f))]));
const gitStatus = () =>
  spawnSync("git", ["status", "--porcelain"], { cwd: clone, encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean)
    .sort();

/** Every file below `dir`, relative, sorted. */
function filesBelow(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesBelow(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

test(
  "in a clone a reader has used in Jupyter, every report notebook executes headless in the quick profile (into a " +
    "temporary copy), the edited one as edited and said so, with static copies of its charts; the reader's own " +
    "notebook is not run",
  { timeout: 600_000 },
  async () => {
    clone = await usedClone();
    const status = gitStatus();
    assert.deepEqual(status, [` M notebooks/${EDITED}.ipynb`, "?? notebooks/Untitled.ipynb"]);
    assert.ok(existsSync(join(clone, "notebooks", ".ipynb_checkpoints")), "Jupyter's checkpoints");
    const before = committed();
    const r = report(["--out-dir", out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.deepEqual(committed(), before, "the committed notebooks are untouched");
    assert.match(r.stdout, /grid: \d+ of 27 runs read back from /, "says what the grid reads back before running");
    assert.match(r.stdout, new RegExp(`^Edited since the commit, run as they are now: ${EDITED}\\.$`, "m"));
    ran = true;
    rebuilt = reportAsync(["--out-dir", again]);
    const names = NOTEBOOK_FILES;
    assert.deepEqual(
      readdirSync(out)
        .filter((f) => f.endsWith(".ipynb"))
        .sort(),
      NOTEBOOK_FILES,
      "no other notebook",
    );
    assert.ok(readFileSync(join(out, `${EDITED}.ipynb`), "utf8").includes(EDIT), "the edited notebook as edited");
    assert.deepEqual(gitStatus(), status, "git status shows the reader's changes only");
    assert.ok(names.length >= 2);
    let charts = 0;
    for (const name of names) {
      const nb = JSON.parse(readFileSync(join(out, name), "utf8"));
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
      assert.ok(
        code.every((c: { execution_count: number | null }) => c.execution_count !== null),
        `${name}: every code cell ran`,
      );
      assert.ok(
        code.some((c: { outputs: unknown[] }) => c.outputs.length > 0),
        `${name}: shows results`,
      );
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
  },
);

test(
  "the HTML report opens from the file system: every chart drawn, math typeset, no errors, " +
    "nothing from the network",
  async () => {
    assert.ok(ran, "needs the notebooks run above");
    const dir = join(out, "html");
    const files = readdirSync(dir);
    assert.ok(
      ["index.html", "plotly.min.js", "report.css", "mathjax"].every((f) => files.includes(f)),
      files.join(", "),
    );
    const pages = await checkHtmlReport(dir);
    // A page per notebook, the first page and the retrain page.
    assert.equal(
      pages.filter((p) => p.page !== "index.html" && p.page !== "retrain.html").length,
      NOTEBOOK_FILES.length,
    );
    assert.ok(
      pages.some((p) => p.page === "retrain.html"),
      "the retrain page",
    );
    for (const p of pages) {
      assert.deepEqual(p.errors, [], `${p.page}: errors`);
      assert.deepEqual(p.external, [], `${p.page}: network requests`);
      assert.equal(p.drawn, p.charts, `${p.page}: ${p.drawn} of ${p.charts} charts drawn`);
      // plotly.js is in the folder once, not in the pages
      const html = readFileSync(join(dir, p.page), "utf8");
      assert.ok(!html.includes("data-plotly-bundle"), `${p.page} embeds plotly.js`);
      // The notebooks' pages share one stylesheet (JupyterLab's); the first and the retrain page have their own, small.
      if (/^\d\d-/.test(p.page))
        assert.ok(!/<style/.test(html.slice(0, html.indexOf("</head>"))), `${p.page} inlines the stylesheet`);
    }
    assert.ok(pages.reduce((s, p) => s + p.charts, 0) >= 8);
    assert.ok(pages.find((p) => p.page.startsWith("01-"))!.math > 10, "formulas typeset");
  },
);

test(
  "the report's interactive views, driven with the mouse offline: grid explorer, confusion cells, draw a digit, " +
    "hidden units forming",
  async () => {
    assert.ok(ran, "needs the notebooks run above");
    const P = profile("quick"),
      model = loadModel(P.modelPath),
      { test } = reportSets(P.data, P.seed);
    const { keepProb, pixels } = model.record.config;
    // The library's labels for 200 test images, by the float64 equations on the saved weights (the page's arithmetic).
    const lib = makePredictor("reference", model.params, keepProb, 0).predict(toSparse(test, pixels));
    const mlp = makePredictor(model.record.engine, model.params, keepProb, 0).predict(toSparse(test, pixels));
    const images = Array.from({ length: 200 }, (_, s) => Array.from(test.pixels.subarray(s * 784, (s + 1) * 784)));
    const counts = confusionCounts(test.labels, mlp.predicted);
    const shots = mkdtempSync(join(tmpdir(), "views-"));
    const v = await exploreViews(join(out, "html"), shots, images, [4, 9], Math.min(50, counts[4][9]));
    assert.deepEqual(v.errors, []);
    assert.deepEqual(v.external, [], "nothing requested outside the report's folder");
    // grid: the best configuration first; a row, then a heatmap cell, select others and redraw the curves
    assert.match(v.grid.first, /^h=\d+, lr=[\d.]+, λ=[\d.e-]+$/);
    assert.notEqual(v.grid.afterRow, v.grid.first);
    assert.match(v.grid.afterCell, /^h=64, /, "the second panel's cell selects an h = 64 configuration");
    assert.ok(v.grid.curveTitle.startsWith(v.grid.afterCell), v.grid.curveTitle);
    // confusion: the clicked cell's images, as many as the matrix counts (at most 50)
    assert.equal(v.confusion.cell, "4,9");
    assert.equal(v.confusion.thumbs, v.confusion.expected);
    // draw a digit: the page's forward pass agrees with the library's on every one of 200 test images
    assert.deepEqual(v.digit.classified, Array.from(lib.predicted.subarray(0, 200)));
    assert.match(v.digit.afterStroke, /^[0-9]$/, "a stroke gives a prediction");
    assert.equal(v.digit.afterClear, "", "clear empties it");
    assert.match(v.landingPad, /^[0-9]$/, "the landing page's pad predicts too");
    assert.ok(v.forming.changed, "the slider redraws the tiles");
    assert.equal(v.forming.epoch, "0");
    for (const shot of v.screenshots) assertPicture(readFileSync(shot), shot);
    console.log(`screenshots of the interactive views: ${shots}`);
  },
);

test("a notebook's saved outputs draw every chart in a browser, from the plotly bundle they carry", async () => {
  assert.ok(ran, "needs the notebooks run above");
  for (const name of NOTEBOOK_FILES) {
    const p = await checkNotebookOutputs(join(out, name));
    assert.deepEqual(p.errors, [], `${name}: errors`);
    assert.deepEqual(p.external, [], `${name}: network requests`);
    assert.equal(p.drawn, p.charts, `${name}: ${p.drawn} of ${p.charts} charts drawn`);
  }
});

/** The plotly figures (as drawn: the spec in the chart's script) and PNG pictures a saved notebook shows. */
function notebookPictures(path: string): {
  charts: { data: unknown; layout: Record<string, unknown> }[];
  pngs: string[];
} {
  const nb = JSON.parse(readFileSync(path, "utf8"));
  const charts: { data: unknown; layout: Record<string, unknown> }[] = [],
    pngs: string[] = [];
  for (const c of nb.cells) {
    for (const o of (c.outputs ?? []) as { data?: Record<string, string | string[]> }[]) {
      const html = [o.data?.["text/html"] ?? ""].flat().join("");
      const at = html.indexOf("var f="),
        end = html.indexOf(";function draw(){");
      const widget = /data-widget="[^"]+"><\/div><script>\(function\(\)\{var data=(.*?);\n/s.exec(html);
      if (at >= 0 && end > at)
        charts.push(JSON.parse(html.slice(at + 6, end))); // "<\\/" is JSON for "</"
      else if (widget && JSON.parse(widget[1]).figure)
        charts.push(JSON.parse(widget[1]).figure); // a view drawn around a figure (Table 3's explorer)
      else if (o.data?.["image/png"]) pngs.push([o.data["image/png"]].flat().join("").trim());
    }
  }
  return { charts, pngs };
}

test(
  "each figure in figures/ is the notebook's: npm run figures builds it from the same registry entry with the " +
    "same parameters",
  () => {
    assert.ok(ran, "needs the notebooks run above");
    const dir = mkdtempSync(join(tmpdir(), "figures-"));
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "scripts", "run.js"), "figures", "--format", "json,png", "--out", dir],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, REPORT_PROFILE: "quick" } },
    );
    assert.equal(r.status, 0, r.stderr);
    const shown = NOTEBOOK_FILES.map((f) => notebookPictures(join(out, f)));
    const charts = shown.flatMap((s) => s.charts),
      pngs = new Set(shown.flatMap((s) => s.pngs));
    const exported = readdirSync(dir);
    const jsons = exported.filter((f) => f.endsWith(".json"));
    // class counts, Figure 1 twice, the seeds chart, Table 3, the framework's steps, Figures 2, 3 and 4, the ablations
    assert.equal(jsons.length, 10, jsons.join(", "));
    for (const f of jsons) {
      const fig = JSON.parse(readFileSync(join(dir, f), "utf8")) as { data: unknown; layout: Record<string, unknown> };
      const title = JSON.stringify(fig.layout.title);
      const same = charts.filter((c) => JSON.stringify(c.layout.title) === title);
      assert.equal(same.length, 1, `${f}: one notebook chart titled ${title}`);
      assert.deepEqual(same[0].data, fig.data, `${f}: the notebook draws the same traces`);
      for (const [k, v] of Object.entries(fig.layout)) assert.deepEqual(same[0].layout[k], v, `${f}: layout.${k}`);
    }
    // The pictures (sample digits, hidden units' tiles): the very bytes the notebook shows.
    for (const name of ["data-sample-digits.png", "hidden-unit-weights.png"]) {
      assert.ok(pngs.has(readFileSync(join(dir, name)).toString("base64")), `${name} is the notebook's picture`);
    }
  },
);

test("the exported figures in figures/ decode and are not blank", () => {
  const pngs = readdirSync(join(ROOT, "figures")).filter((f) => f.endsWith(".png"));
  assert.ok(pngs.length >= 9, `${pngs.length} PNGs`);
  for (const f of pngs) assertPicture(readFileSync(join(ROOT, "figures", f)), f);
  for (const f of pngs)
    assert.ok(readdirSync(join(ROOT, "figures")).includes(f.replace(/\.png$/, ".svg")), `${f} has an SVG twin`);
});

test(
  "a rebuild from the same results writes the same bytes: the quick profile twice, all files compared",
  { timeout: 600_000 },
  async () => {
    assert.ok(ran && rebuilt, "needs the notebooks run above");
    const r = await rebuilt;
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const files = filesBelow(out);
    assert.deepEqual(filesBelow(again), files, "the same files");
    assert.ok(files.length >= 10, files.join(", "));
    const differ = files.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(again, f))));
    assert.deepEqual(differ, [], "files whose bytes differ between two runs");
    // and nothing machine- or time-specific in a saved notebook
    for (const f of files.filter((f) => f.endsWith(".ipynb"))) {
      const text = readFileSync(join(out, f), "utf8");
      assert.doesNotMatch(
        text,
        /"execution": \{|iopub\.status|\d{4}-\d\d-\d\dT\d\d:\d\d/,
        `${f} records execution times`,
      );
    }
  },
);
