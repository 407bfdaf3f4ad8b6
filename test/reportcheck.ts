/**
 * Opens the report in headless Chromium, as a reader would, and says what each page did: how many
 * charts it has and how many plotly drew, how many formulas MathJax typeset, what it logged as
 * errors, and any request that left the page's folder (there should be none: the report works
 * offline). Used by the browser tests, for the HTML report and for the notebooks' own outputs.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, join, resolve } from "path";
import { pathToFileURL } from "url";
import { BrowserContext } from "playwright-core";
import { launchChromium } from "../lib/display/chromium";

export interface PageCheck {
  page: string;
  charts: number; // chart containers on the page
  drawn: number; // of which plotly drew a non-empty SVG
  math: number; // formulas MathJax typeset
  errors: string[]; // console errors and uncaught exceptions
  external: string[]; // requests for anything but a file in the page's folder
}

async function withBrowser<T>(fn: (context: BrowserContext) => Promise<T>): Promise<T> {
  const { context, close } = await launchChromium();
  try {
    return await fn(context);
  } finally {
    await close();
  }
}

async function checkPage(context: BrowserContext, file: string, timeoutMs: number): Promise<PageCheck> {
  const folder = pathToFileURL(resolve(file, "..")).href + "/";
  const page = await context.newPage();
  const check: PageCheck = { page: basename(file), charts: 0, drawn: 0, math: 0, errors: [], external: [] };
  page.on("console", (m) => {
    if (m.type() === "error") check.errors.push(m.text());
  });
  page.on("pageerror", (e) => check.errors.push(String(e)));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(folder) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    check.external.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  // Charts draw as soon as plotly is there; MathJax typesets after load (a deferred script).
  await page
    .waitForFunction(
      () =>
        Array.from((globalThis as any).document.querySelectorAll("div[id^='plot-']")).every((c: any) =>
          c.querySelector("svg.main-svg"),
        ),
      undefined,
      { timeout: timeoutMs },
    )
    .catch(() => undefined); // the counts below tell what did not draw
  await page
    .evaluate(() => (globalThis as any).MathJax?.startup?.promise)
    .catch((e) => check.errors.push(`MathJax: ${e}`));
  Object.assign(
    check,
    await page.evaluate(() => {
      const d = (globalThis as any).document;
      const charts = Array.from(d.querySelectorAll("div[id^='plot-']")) as any[];
      const drawn = charts.filter((c) => {
        const svg = c.querySelector("svg.main-svg");
        return (
          svg &&
          svg.getBoundingClientRect().width > 0 &&
          c.querySelectorAll(".heatmaplayer *, .imagelayer *, .barlayer *, .scatterlayer *").length > 0
        );
      }).length;
      return { charts: charts.length, drawn, math: d.querySelectorAll("mjx-container").length };
    }),
  );
  await page.close();
  return check;
}

/** Every page of the HTML report in `dir`. */
export function checkHtmlReport(dir: string, timeoutMs = 60_000): Promise<PageCheck[]> {
  const pages = readdirSync(dir)
    .filter((f) => f.endsWith(".html"))
    .sort();
  return withBrowser(async (context) => {
    const checks: PageCheck[] = [];
    for (const name of pages) checks.push(await checkPage(context, join(resolve(dir), name), timeoutMs));
    return checks;
  });
}

/**
 * A saved notebook's HTML outputs, in order, on one page, as a Jupyter front end runs them
 * (each chart draws from the plotly bundle the first one carries).
 */
export function checkNotebookOutputs(ipynb: string, timeoutMs = 60_000): Promise<PageCheck> {
  const nb = JSON.parse(readFileSync(ipynb, "utf8"));
  const html: string[] = [];
  for (const cell of nb.cells)
    for (const o of cell.outputs ?? []) if (o.data?.["text/html"]) html.push([o.data["text/html"]].flat().join(""));
  const file = join(mkdtempSync(join(tmpdir(), "outputs-")), basename(ipynb).replace(/\.ipynb$/, ".html"));
  writeFileSync(
    file,
    `<!doctype html><html><head><meta charset="utf-8"></head><body>\n` +
      `${html.map((h) => `<div class="output">${h}</div>`).join("\n")}\n</body></html>\n`,
  );
  return withBrowser((context) => checkPage(context, file, timeoutMs));
}

/** What the interactive views did when driven as a reader drives them (see exploreViews). */
export interface ViewsCheck {
  grid: { first: string; afterRow: string; afterCell: string; curveTitle: string };
  confusion: { cell: string; thumbs: number; expected: number };
  digit: { afterStroke: string; afterClear: string; classified: number[] };
  forming: { changed: boolean; epoch: string };
  landingPad: string; // the landing page's pad after the same stroke
  errors: string[];
  external: string[];
  screenshots: string[];
}

/**
 * Drive the report's interactive views in `dir` (the HTML report) with mouse events in headless
 * Chromium: a grid configuration clicked (a row, then a heatmap cell), a confusion cell clicked,
 * a vertical stroke drawn on the pad, the slider moved; `images` (784 values each) are classified
 * by the pad's own forward pass. Screenshots of each view go to `shots`.
 */
export function exploreViews(
  dir: string,
  shots: string,
  images: number[][],
  confusionCell: [number, number],
  expectedThumbs: number,
): Promise<ViewsCheck> {
  return withBrowser(async (context) => {
    const errors: string[] = [],
      external: string[] = [],
      screenshots: string[] = [];
    const open = async (name: string) => {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1200, height: 900 });
      const folder = pathToFileURL(resolve(dir)).href + "/";
      page.on("console", (m) => void (m.type() === "error" && errors.push(`${name}: ${m.text()}`)));
      page.on("pageerror", (e) => errors.push(`${name}: ${e}`));
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(folder) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
        external.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(join(resolve(dir), name)).href, { waitUntil: "load" });
      return page;
    };
    const ready = (page: import("playwright-core").Page, widget: string) =>
      page.waitForFunction(
        (w) => ((globalThis as any).document.querySelector(`[data-widget='${w}']`) as any)?.dataset.ready === "2",
        widget,
        { timeout: 60_000 },
      );
    const shoot = async (page: import("playwright-core").Page, widget: string) => {
      const path = join(shots, `${widget}.png`);
      await page.locator(`[data-widget='${widget}']`).screenshot({ path });
      screenshots.push(path);
    };
    /** The viewport position of a heatmap cell (category x, y) of the plotly chart `selector`. */
    const cellAt = (page: import("playwright-core").Page, selector: string, x: number, y: number, panel = "") =>
      page.evaluate(
        ({ selector, x, y, panel }) => {
          const gd = (globalThis as any).document.querySelector(selector) as any,
            xa = gd._fullLayout[`xaxis${panel}`],
            ya = gd._fullLayout[`yaxis${panel}`],
            r = gd.querySelector(".main-svg").getBoundingClientRect(); // the drawing, below the toolbar's band
          return { x: r.left + xa._offset + xa.l2p(x), y: r.top + ya._offset + ya.l2p(y) };
        },
        { selector, x, y, panel },
      );

    // The grid explorer (training section).
    let page = await open("02-training.html");
    await ready(page, "grid-explorer");
    const gx = page.locator("[data-widget='grid-explorer']");
    const first = (await gx.getAttribute("data-selected"))!;
    await gx.locator("tbody tr").last().click();
    const afterRow = (await gx.getAttribute("data-selected"))!;
    await gx.locator(".gx-grid").scrollIntoViewIfNeeded();
    // h = the second panel's, lr index 1, lambda index 2
    const c = await cellAt(page, "[data-widget='grid-explorer'] .gx-grid", 2, 1, "2");
    await page.mouse.click(c.x, c.y);
    await page
      .waitForFunction(
        (prev) =>
          ((globalThis as any).document.querySelector("[data-widget='grid-explorer']") as any).dataset.selected !==
          prev,
        afterRow,
        { timeout: 5000 },
      )
      .catch(() => undefined);
    const afterCell = (await gx.getAttribute("data-selected"))!;
    const curveTitle = (await gx.locator(".gx-curves .gtitle").textContent()) ?? "";
    await shoot(page, "grid-explorer");
    await page.close();

    // The confusion matrix's cells (testing section).
    page = await open("03-testing.html");
    await ready(page, "confusion-explorer");
    const cx = page.locator("[data-widget='confusion-explorer']");
    await cx.locator(".cx-matrix").scrollIntoViewIfNeeded();
    const m = await cellAt(page, "[data-widget='confusion-explorer'] .cx-matrix", confusionCell[1], confusionCell[0]);
    await page.mouse.click(m.x, m.y);
    await page
      .waitForFunction(
        (cell) =>
          ((globalThis as any).document.querySelector("[data-widget='confusion-explorer']") as any).dataset.cell ===
          cell,
        confusionCell.join(","),
        { timeout: 5000 },
      )
      .catch(() => undefined);
    const confusion = {
      cell: (await cx.getAttribute("data-cell"))!,
      thumbs: await cx.locator(".cx-thumb").count(),
      expected: expectedThumbs,
    };
    await shoot(page, "confusion-explorer");
    await page.close();

    // Draw a digit and the hidden units forming (visualisation, continued).
    const stroke = async (p: import("playwright-core").Page) => {
      const pad = p.locator("[data-testid=digit-pad]");
      await pad.scrollIntoViewIfNeeded();
      const box = (await pad.boundingBox())!;
      await p.mouse.move(box.x + box.width / 2, box.y + box.height * 0.2);
      await p.mouse.down();
      for (let k = 1; k <= 20; k++)
        await p.mouse.move(box.x + box.width / 2, box.y + box.height * (0.2 + (0.6 * k) / 20));
      await p.mouse.up();
      await p
        .waitForFunction(
          () =>
            ((globalThis as any).document.querySelector("[data-testid=digit-prediction]")?.textContent ?? "") !== "",
          undefined,
          { timeout: 5000 },
        )
        .catch(() => undefined);
      return (await p.locator("[data-testid=digit-prediction]").textContent()) ?? "";
    };
    page = await open("05-explore.html");
    await ready(page, "draw-a-digit");
    const classified = (await page.evaluate((imgs) => {
      const pad = ((globalThis as any).document.querySelector("[data-widget='draw-a-digit']") as any).digitPad;
      return imgs.map((x: number[]) => pad.classify(x).label);
    }, images)) as number[];
    const afterStroke = await stroke(page);
    await shoot(page, "draw-a-digit");
    await page.locator("[data-testid=digit-clear]").click();
    await page.waitForTimeout(100);
    const afterClear = (await page.locator("[data-testid=digit-prediction]").textContent()) ?? "";
    await ready(page, "hidden-units-forming");
    const tiles = () =>
      page.evaluate(() =>
        ((globalThis as any).document.querySelector("[data-widget='hidden-units-forming'] canvas") as any).toDataURL(),
      );
    const before = await tiles();
    await page.locator("[data-widget='hidden-units-forming'] input[type=range]").fill("0");
    const forming = {
      changed: (await tiles()) !== before,
      epoch: (await page.locator("[data-widget='hidden-units-forming']").getAttribute("data-epoch"))!,
    };
    await shoot(page, "hidden-units-forming");
    await page.close();

    // The landing page's pad.
    page = await open("index.html");
    await ready(page, "draw-a-digit");
    const landingPad = await stroke(page);
    const path = join(shots, "index.png");
    await page.screenshot({ path, fullPage: true });
    screenshots.push(path);
    await page.close();
    return {
      grid: { first, afterRow, afterCell, curveTitle },
      confusion,
      digit: { afterStroke, afterClear, classified },
      forming,
      landingPad,
      errors,
      external,
      screenshots,
    };
  });
}
