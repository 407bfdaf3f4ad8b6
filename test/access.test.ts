/**
 * Every page of report/ as readers with assistive technology and on phones meet it: axe-core's
 * WCAG 2.2 AA rules in Chromium, with the page at 390 x 844 (a phone's width) and at 1280 x 800,
 * after its scripts have drawn the charts and widgets. Zero violations; no sideways scrolling of
 * the page at phone width (wide outputs scroll inside their own box); a section page shows its
 * text before the chart library runs. And the interactive views by keyboard alone.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { pathToFileURL } from "url";
import { launchChromium } from "../lib/display/chromium";

const REPORT = process.env.REPORT_DIR ?? join(__dirname, "..", "report");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

test(
  "every page of report/ has no axe-core (WCAG 2.2 AA) violation, on a phone and a desktop, and no sideways scroll " +
    "on the phone",
  { timeout: 600_000 },
  async () => {
    const found: string[] = [];
    // A phone as Chromium emulates one (its viewport meta honoured, touch, a dense screen), then a desktop.
    for (const device of [
      { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
      { viewport: { width: 1280, height: 800 } },
    ]) {
      const width = device.viewport.width;
      const b = await launchChromium(device);
      try {
        const page = await b.context.newPage();
        for (const f of readdirSync(REPORT)
          .filter((n) => n.endsWith(".html"))
          .sort()) {
          await page.goto(pathToFileURL(join(REPORT, f)).href, { waitUntil: "load" });
          // A section page draws its text before the chart library runs (which then draws the charts).
          if (/^\d\d-/.test(f)) {
            await page.waitForFunction("window.__plotlyAt !== undefined && !(window.__plotlyQueue || []).length");
            const order = (await page.evaluate(
              "[performance.getEntriesByName('first-contentful-paint')[0]?.startTime, window.__plotlyAt]",
            )) as number[];
            if (!(order[0] < order[1]))
              found.push(`${f}: first text at ${order[0]} ms, not before plotly.js ran at ${order[1]} ms`);
          }
          await page.waitForTimeout(300); // widgets drawn
          await page.addScriptTag({ content: AXE });
          const r = (await page.evaluate(
            "axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] })",
          )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
          for (const v of r.violations)
            found.push(
              `${f} at ${width} px: ${v.id} (${v.nodes.length}: ${v.nodes
                .slice(0, 2)
                .map((n) => n.target.join(" "))
                .join(", ")})`,
            );
          // Every chart's title inside its chart (wrapped at a phone's width), and the toolbar above it.
          const charts = (await page.evaluate(`Array.from(document.querySelectorAll(".js-plotly-plot")).map((gd) => {
            const svg = gd.querySelector(".main-svg")?.getBoundingClientRect(), t = gd.querySelector(".gtitle");
            const bar = gd.querySelector(".modebar")?.getBoundingClientRect(), r = t?.getBoundingClientRect();
            return [t ? t.textContent : "", !svg || !r || (r.left >= svg.left - 1 && r.right <= svg.right + 1 &&
              r.top >= svg.top - 1), !svg || !bar || bar.bottom <= svg.top + 1];
          })`)) as [string, boolean, boolean][];
          for (const [title, inside, above] of charts) {
            if (!inside) found.push(`${f} at ${width} px: the title "${title}" runs out of its chart`);
            if (!above) found.push(`${f} at ${width} px: the toolbar of the chart "${title}" is not above it`);
          }
          if (width === 390) {
            const scroll = (await page.evaluate(
              "[document.documentElement.scrollWidth, window.innerWidth]",
            )) as number[];
            if (scroll[0] !== 390 || scroll[1] !== 390)
              found.push(`${f} on a 390 px phone: the page is ${scroll[0]} px wide, laid out at ${scroll[1]} px`);
          }
        }
      } finally {
        await b.close();
      }
    }
    assert.deepEqual(found, []);
  },
);

test(
  "the interactive views by keyboard alone: a row of the grid explorer, a cell of the confusion matrix, a digit " +
    "drawn on the pad",
  { timeout: 300_000 },
  async () => {
    const b = await launchChromium();
    try {
      const page = await b.context.newPage();
      const open = (f: string) => page.goto(pathToFileURL(join(REPORT, f)).href, { waitUntil: "load" });

      await open("02-training.html");
      await page.waitForSelector(".gx-table tr[data-index='3']");
      const before = await page.getAttribute(".gx-table tr[data-index='3']", "aria-current");
      assert.equal(before, null);
      await page.focus(".gx-table tr[data-index='3']");
      await page.keyboard.press("Enter");
      assert.equal(
        await page.getAttribute(".gx-table tr[data-index='3']", "aria-current"),
        "true",
        "Enter selects the focused row",
      );
      assert.match(
        (await page.textContent(".gx-status"))!,
        /^selected h=\d+, lr=[\d.]+, λ=[\d.e-]+: rank 4, /,
        "and says so to a screen reader",
      );

      await open("03-testing.html");
      await page.waitForSelector(".cx-true");
      await page.focus(".cx-true");
      await page.keyboard.press("Home"); // 0
      for (let k = 0; k < 4; k++) await page.keyboard.press("ArrowDown");
      await page.focus(".cx-pred");
      await page.keyboard.press("End"); // 9
      await page.focus(".cx-show");
      await page.keyboard.press("Enter");
      assert.match((await page.textContent(".cx-title"))!, /^True 4, predicted 9: /);

      await open("index.html");
      await page.waitForSelector("[data-testid=digit-pad]");
      await page.waitForFunction(
        `document.querySelector("[data-testid=digit-pad]").closest(".report-widget").dataset.ready === "2"`,
      );
      await page.focus("[data-testid=digit-pad]");
      await page.keyboard.press("Space"); // the pen down at the top middle
      for (let k = 0; k < 12; k++) await page.keyboard.press("ArrowDown"); // a vertical stroke: a 1
      await page.keyboard.press("Space");
      await page.waitForFunction(`document.querySelector("[data-testid=digit-prediction]").textContent !== ""`);
      assert.equal(
        await page.textContent("[data-testid=digit-prediction]"),
        "1",
        "a vertical stroke drawn by keyboard reads as 1",
      );
    } finally {
      await b.close();
    }
  },
);

test(
  "the original author's name renders in its own script: its glyphs are drawn, not the boxes of a missing font",
  { timeout: 120_000 },
  async () => {
    const b = await launchChromium();
    try {
      const page = await b.context.newPage();
      await page.goto(pathToFileURL(join(REPORT, "00-overview.html")).href, { waitUntil: "load" });
      const name = await page.textContent("span[lang=zh]");
      assert.ok(name && /^[\u4e00-\u9fff]+$/.test(name), `a Chinese name, marked lang="zh": ${name}`);
      // Each character drawn in the span's font, beside a code point no font has (drawn as a box):
      // with a CJK font installed, every character's pixels differ from the box's.
      const distinct = (await page.evaluate(`(() => {
      const span = document.querySelector("span[lang=zh]"), font = getComputedStyle(span).font;
      const draw = (t) => {
        const c = document.createElement("canvas");
        c.width = c.height = 64;
        const g = c.getContext("2d");
        g.font = font.replace(/\\d+(\\.\\d+)?px/, "48px");
        g.fillText(t, 4, 52);
        return Array.from(g.getImageData(0, 0, 64, 64).data).join(",");
      };
      const box = draw("\\u{10FFFD}");
      return Array.from(span.textContent).map((ch) => draw(ch) !== box);
    })()`)) as boolean[];
      assert.deepEqual(
        distinct,
        Array.from(name).map(() => true),
      );
    } finally {
      await b.close();
    }
  },
);

test("the first page opens with what the reproduction found, on the first screen of a desktop", async () => {
  const b = await launchChromium({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await b.context.newPage();
    await page.goto(pathToFileURL(join(REPORT, "index.html")).href, { waitUntil: "load" });
    const found = (await page.evaluate(`(() => {
      const h2 = document.querySelector("h2"), list = document.querySelector("ul.findings");
      return {
        first: h2 && h2.textContent,
        items: list ? Array.from(list.querySelectorAll("li"), (li) => li.textContent) : [],
        bottom: list ? list.getBoundingClientRect().bottom : Infinity,
      };
    })()`)) as { first: string | null; items: string[]; bottom: number };
    assert.equal(found.first, "What we found", "the first heading");
    assert.ok(found.items.length >= 2, found.items.join("\n"));
    for (const s of found.items) assert.match(s, /\d/, "each finding gives its numbers");
    assert.ok(found.bottom <= 800, `the findings end ${found.bottom} px down, below the first screen`);
  } finally {
    await b.close();
  }
});

test(
  "a section page shows no code until asked: each cell's disclosure and the page's switch open it, by keyboard",
  async () => {
    const b = await launchChromium({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await b.context.newPage();
      // the code editors a reader sees (a folded cell's content is laid out but not drawn)
      const shown = () =>
        page.evaluate(
          `Array.from(document.querySelectorAll(".jp-InputArea-editor")).filter((e) => e.checkVisibility()).length`,
        ) as Promise<number>;
      for (const f of readdirSync(REPORT).filter((n) => /^\d\d-.*\.html$/.test(n))) {
        await page.goto(pathToFileURL(join(REPORT, f)).href, { waitUntil: "load" });
        const cells = (await page.evaluate(`document.querySelectorAll("details.code-cell").length`)) as number;
        assert.ok(cells > 0, `${f}: code cells`);
        assert.equal(await shown(), 0, `${f}: code shown by default`);
        // The first cell's own disclosure, by keyboard: its summary focused, Enter.
        await page.focus("details.code-cell > summary");
        await page.keyboard.press("Enter");
        assert.equal(await shown(), 1, `${f}: the first cell's code after Enter on its summary`);
        await page.keyboard.press("Enter");
        // The page's switch, reached by Tab from the first link of the navigation bar.
        await page.focus("nav.report-nav a");
        const onSwitch = () => page.evaluate(`document.activeElement.matches("button.show-code")`);
        for (let n = 0; n < 30 && !(await onSwitch()); n++) await page.keyboard.press("Tab");
        assert.ok(await onSwitch(), `${f}: the switch is reached by Tab`);
        await page.keyboard.press("Enter");
        assert.equal(await shown(), cells, `${f}: every cell's code after the switch`);
        assert.equal(await page.getAttribute("button.show-code", "aria-pressed"), "true");
        await page.keyboard.press("Enter");
        assert.equal(await shown(), 0, `${f}: folded again`);
      }
    } finally {
      await b.close();
    }
  },
);
