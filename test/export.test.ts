import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PNG } from "pngjs";
import { classCountsFigure } from "../lib/display/charts";
import { exportPlotly } from "../lib/display/export";

test("a plotly figure exports through headless Chromium to a non-blank PNG and an SVG", async () => {
  const dir = mkdtempSync(join(tmpdir(), "export-"));
  const figure = classCountsFigure([{ name: "a", counts: [5, 3, 8, 1, 0, 2, 9, 4, 6, 7] }]);
  const written = await exportPlotly([{ name: "counts", figure, width: 500, height: 300 }], dir);
  assert.deepEqual(written.map((p) => p.slice(dir.length + 1)), ["counts.png", "counts.svg"]);
  const png = PNG.sync.read(readFileSync(join(dir, "counts.png")));
  assert.equal(png.width, 1000); // scale 2
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 97) colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  assert.ok(colours.size > 3, "not blank");
  const svg = readFileSync(join(dir, "counts.svg"), "utf8");
  assert.match(svg, /^<svg[\s\S]*class="trace bars"[\s\S]*<\/svg>$/);
  assert.match(svg, /Images per digit/); // its text was rendered (fonts present)
});
