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
import { launchChromium } from "../lib/display/export";

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
    .waitForFunction(() => Array.from((globalThis as any).document.querySelectorAll("div[id^='plot-']")).every((c: any) => c.querySelector("svg.main-svg")), undefined, { timeout: timeoutMs })
    .catch(() => undefined); // the counts below tell what did not draw
  await page.evaluate(() => (globalThis as any).MathJax?.startup?.promise).catch((e) => check.errors.push(`MathJax: ${e}`));
  Object.assign(
    check,
    await page.evaluate(() => {
      const d = (globalThis as any).document;
      const charts = Array.from(d.querySelectorAll("div[id^='plot-']")) as any[];
      const drawn = charts.filter((c) => {
        const svg = c.querySelector("svg.main-svg");
        return svg && svg.getBoundingClientRect().width > 0 && c.querySelectorAll(".heatmaplayer *, .imagelayer *, .barlayer *, .scatterlayer *").length > 0;
      }).length;
      return { charts: charts.length, drawn, math: d.querySelectorAll("mjx-container").length };
    }),
  );
  await page.close();
  return check;
}

/** Every page of the HTML report in `dir`. */
export function checkHtmlReport(dir: string, timeoutMs = 60_000): Promise<PageCheck[]> {
  const pages = readdirSync(dir).filter((f) => f.endsWith(".html")).sort();
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
  for (const cell of nb.cells) for (const o of cell.outputs ?? []) if (o.data?.["text/html"]) html.push([o.data["text/html"]].flat().join(""));
  const file = join(mkdtempSync(join(tmpdir(), "outputs-")), basename(ipynb).replace(/\.ipynb$/, ".html"));
  writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"></head><body>\n${html.map((h) => `<div class="output">${h}</div>`).join("\n")}\n</body></html>\n`);
  return withBrowser((context) => checkPage(context, file, timeoutMs));
}
