/**
 * Every page of report/ as readers with assistive technology and on phones meet it: axe-core's
 * WCAG 2.2 AA rules in Chromium, with the page at 390 x 844 (a phone's width) and at 1280 x 800,
 * after its scripts have drawn the charts and widgets. Zero violations; no sideways scrolling of
 * the page at phone width (wide outputs scroll inside their own box).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { pathToFileURL } from "url";
import { launchChromium } from "../lib/display/export";

const REPORT = process.env.REPORT_DIR ?? join(__dirname, "..", "report");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

test("every page of report/ has no axe-core (WCAG 2.2 AA) violation, at phone and desktop widths, and no sideways scroll at 390 px", { timeout: 600_000 }, async () => {
  const b = await launchChromium();
  const found: string[] = [];
  try {
    const page = await b.context.newPage();
    for (const [width, height] of [[390, 844], [1280, 800]]) {
      await page.setViewportSize({ width, height });
      for (const f of readdirSync(REPORT).filter((n) => n.endsWith(".html")).sort()) {
        await page.goto(pathToFileURL(join(REPORT, f)).href, { waitUntil: "load" });
        await page.waitForTimeout(300); // charts drawn on load
        await page.addScriptTag({ content: AXE });
        const r = (await page.evaluate("axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] })")) as { violations: { id: string; nodes: { target: string[] }[] }[] };
        for (const v of r.violations) found.push(`${f} at ${width} px: ${v.id} (${v.nodes.length}: ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")})`);
        if (width === 390) {
          const scroll = await page.evaluate("document.documentElement.scrollWidth");
          if (scroll !== 390) found.push(`${f} at 390 px: the page is ${scroll} px wide`);
        }
      }
    }
  } finally {
    await b.close();
  }
  assert.deepEqual(found, []);
});
