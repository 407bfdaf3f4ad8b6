import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { inflateSync } from "zlib";
import { PNG } from "pngjs";
import { exportOutputs } from "../lib/display/export";
import { classCountsChart } from "../lib/report/registry";
import { loadMnistPackage } from "../lib/data/sources";
import { splitTrainValidation } from "../lib/data/split";

const ROOT = resolve(__dirname, "..");

/** What a PDF holds: its pages' text operators (inflated content streams) and its images' sizes. */
function pdfContents(pdf: Buffer): {
  textShows: number;
  images: { width: number; height: number }[];
  fonts: number;
  page: number[];
} {
  const s = pdf.toString("latin1");
  let textShows = 0;
  for (const m of s.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length,
      end = s.indexOf("endstream", start);
    let body: Buffer;
    try {
      body = inflateSync(Buffer.from(s.slice(start, end), "latin1"));
    } catch {
      continue; // not a deflated stream (or a font)
    }
    const text = body.toString("latin1");
    if (/\bBT\b/.test(text)) textShows += (text.match(/T[jJ]\b/g) ?? []).length;
  }
  const images = [...s.matchAll(/\/Subtype\s*\/Image[\s\S]*?\/Width\s+(\d+)[\s\S]*?\/Height\s+(\d+)/g)].map((m) => ({
    width: +m[1],
    height: +m[2],
  }));
  const fonts = (s.match(/\/FontFile[23]?\b/g) ?? []).length;
  const page = (s.match(/\/MediaBox\s*\[([^\]]*)\]/)?.[1] ?? "").trim().split(/\s+/).map(Number);
  return { textShows, images, fonts, page };
}

const ds = loadMnistPackage();
const { train, val } = splitTrainValidation(ds.train, 1);
const counts = Object.values(classCountsChart.build({ train, val, test: null }, {}));

test(
  "a chart exports through headless Chromium to PNG, SVG, JSON and a vector PDF with selectable text, the same " +
    "bytes twice",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "export-")),
      again = mkdtempSync(join(tmpdir(), "export-"));
    const written = await exportOutputs(counts, dir, { formats: ["png", "svg", "pdf", "json"], scale: 1 });
    assert.deepEqual(
      written.map((p) => p.slice(dir.length + 1)),
      ["data-class-counts.png", "data-class-counts.svg", "data-class-counts.pdf", "data-class-counts.json"],
    );
    const png = PNG.sync.read(readFileSync(join(dir, "data-class-counts.png")));
    assert.equal(png.width, 1800); // 900 CSS pixels at twice their size
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 97)
      colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
    assert.ok(colours.size > 3, "not blank");
    const svg = readFileSync(join(dir, "data-class-counts.svg"), "utf8");
    assert.match(svg, /^<svg[\s\S]*class="trace bars"[\s\S]*<\/svg>$/);
    assert.match(svg, /Images per digit/); // its text was rendered (fonts present)
    const pdf = pdfContents(readFileSync(join(dir, "data-class-counts.pdf")));
    assert.ok(pdf.textShows >= 10, `text objects: ${pdf.textShows}`); // title, axis titles, tick labels
    assert.ok(pdf.fonts >= 1, "fonts embedded");
    assert.deepEqual(pdf.images, [], "no raster at all: vector");
    assert.deepEqual(pdf.page.map(Math.round).slice(2), [675, 301], "900 x 400 CSS pixels at 0.75 pt each (+1 px)");
    assert.deepEqual(
      JSON.parse(readFileSync(join(dir, "data-class-counts.json"), "utf8")),
      JSON.parse(JSON.stringify((counts[0] as { figure: object }).figure)),
    );
    await exportOutputs(counts, again, { formats: ["png", "svg", "pdf", "json"], scale: 2 });
    assert.deepEqual(
      readFileSync(join(again, "data-class-counts.pdf")),
      readFileSync(join(dir, "data-class-counts.pdf")),
      "a rebuild gives the same PDF bytes",
    );
    assert.equal(
      PNG.sync.read(readFileSync(join(again, "data-class-counts.png"))).width,
      3600,
      "--scale 2 doubles the PNG",
    );
  },
);

test("npm run figures lists the report's items, refuses unknown names, formats and scales in one sentence", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "scripts", "run.js"), "figures", ...args], { cwd: ROOT, encoding: "utf8" });
  const help = run("--help");
  assert.equal(help.status, 0);
  for (const n of ["figure1", "figure2", "figure3", "figure4", "table1", "table2", "table3"])
    assert.match(help.stdout, new RegExp(`\\n  ${n} +\\S`), n);
  for (const [args, message] of [
    [["--only", "figure7"], /"figure7" is not a report item; expected one of /],
    [["--format", "bmp"], /--format bmp is not a format; expected some of png, svg, pdf, json, csv\./],
    [["--scale", "1.5"], /--scale 1.5 is invalid; expected a whole number from 1 to 8\./],
  ] as const) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
});

test(
  "npm run figures leaves nothing in the system's temporary folder: Chromium's profile lives in build/ and goes " +
    "with it",
  () => {
    // A temporary folder of its own, so that what other tests leave in the system's at the same time is not counted.
    const temp = mkdtempSync(join(tmpdir(), "figures-tmp-"));
    const out = mkdtempSync(join(tmpdir(), "figures-"));
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "scripts", "run.js"), "figures", "--only", "class-counts", "--format", "png", "--out", out],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, TMPDIR: temp } },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(temp), [], "left in the temporary folder");
    rmSync(temp, { recursive: true, force: true });
    const profiles = join(ROOT, "build", "chromium-profiles");
    assert.deepEqual(
      existsSync(profiles) ? readdirSync(profiles).filter((d) => d.startsWith(`${r.pid}-`)) : [],
      [],
      "its profile removed",
    );
    rmSync(out, { recursive: true, force: true });
  },
);
