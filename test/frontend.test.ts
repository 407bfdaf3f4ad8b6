/**
 * The tweak loop as a reader does it: `npm run notebook` over a copy of the notebooks, the model
 * notebook opened in headless Chromium, its parameters cell edited, Cell > Run All, and the
 * retrained chart checked; then a committed notebook opened without running, its saved charts
 * drawn (they are signed, so trusted). The server is stopped at the end, also on failure.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "child_process";
import { createHash } from "crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { Page } from "playwright-core";
import { launchChromium } from "../lib/display/chromium";

const ROOT = resolve(__dirname, "..");
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

/** Start `npm run notebook`'s CLI over `dir`; resolves with the base URL and token once it listens. */
function startServer(
  dir: string,
  port: number,
  env: NodeJS.ProcessEnv,
): { proc: ChildProcess; ready: Promise<{ base: string; token: string }>; log: string[] } {
  const proc = spawn(
    process.execPath,
    [join(ROOT, "scripts", "run.js"), "notebook", "--port", String(port), "--no-browser", `--notebook-dir=${dir}`],
    { cwd: ROOT, env, detached: true },
  );
  const log: string[] = [];
  const ready = new Promise<{ base: string; token: string }>((ok, fail) => {
    const onData = (b: Buffer) => {
      log.push(b.toString());
      const m = /The report: (http:\/\/127\.0\.0\.1:\d+\/)tree\/notebooks\?token=(\w+)/.exec(log.join(""));
      if (m) ok({ base: m[1], token: m[2] });
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.on("exit", (code) => fail(new Error(`notebook server exited (${code}): ${log.join("")}`)));
    setTimeout(() => fail(new Error(`notebook server did not start in 60 s: ${log.join("")}`)), 60_000).unref();
  });
  return { proc, ready, log };
}

/** Jupyter's own shutdown (it stops its kernels), then the process group, whatever is left. */
async function stopServer(proc: ChildProcess, started?: { base: string; token: string }): Promise<void> {
  const exited = new Promise<void>((ok) => (proc.exitCode !== null ? ok() : proc.on("exit", () => ok())));
  if (started)
    await fetch(`${started.base}api/shutdown?token=${started.token}`, { method: "POST" }).catch(() => undefined);
  await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000).unref())]);
  try {
    process.kill(-proc.pid!, "SIGKILL");
  } catch {
    // already gone
  }
  proc.stdout?.destroy();
  proc.stderr?.destroy();
}

/** What a notebook page shows: charts drawn (with their titles), error and stderr outputs. */
async function pageState(page: Page) {
  return page.evaluate(() => {
    const d = (globalThis as any).document;
    const charts = Array.from(d.querySelectorAll("div[id^='plot-']")) as any[];
    return {
      charts: charts.length,
      drawn: charts.filter(
        (c) =>
          c.querySelector("svg.main-svg") &&
          c.querySelectorAll(".scatterlayer .trace, .heatmaplayer *, .barlayer *, .imagelayer *").length > 0,
      ).length,
      titles: charts.map((c) => c.querySelector(".gtitle")?.textContent ?? ""),
      errors: Array.from(d.querySelectorAll(".output_error, .output_stderr")).map((e: any) =>
        e.textContent.slice(0, 400),
      ),
      trusted: (globalThis as any).Jupyter?.notebook?.trusted,
    };
  });
}

test(
  "front end: npm run notebook serves the report; editing 01-model's parameters and running all cells retrains and " +
    "redraws its chart",
  { timeout: 300_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "frontend-"));
    cpSync(join(ROOT, "notebooks"), join(dir, "notebooks"), { recursive: true });
    const jupyterData = join(dir, ".jupyter-data");
    mkdirSync(jupyterData);
    // The quick profile keeps its results in TMPDIR: its own here, apart from the other tests'.
    mkdirSync(join(dir, "tmp"));
    const committed = sha(join(ROOT, "notebooks", "01-model.ipynb"));
    const env = {
      ...process.env,
      TMPDIR: join(dir, "tmp"),
      REPORT_PROFILE: "quick",
      JUPYTER_DATA_DIR: jupyterData,
      JUPYTER_RUNTIME_DIR: join(jupyterData, "runtime"),
      JUPYTER_CONFIG_DIR: join(dir, ".jupyter-config"),
    };
    const server = startServer(dir, await freePort(), env);
    const browser = await launchChromium();
    let started: { base: string; token: string } | undefined;
    try {
      started = await server.ready;
      const { base, token } = started;
      const page = await browser.context.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(String(e)));

      // 1. The model notebook: a smaller net for fewer epochs, then Cell > Run All.
      await page.goto(`${base}notebooks/notebooks/01-model.ipynb?token=${token}`);
      await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?.kernel?.is_connected?.(), undefined, {
        timeout: 60_000,
      });
      const edited = await page.evaluate(() => {
        const cell = (globalThis as any).Jupyter.notebook
          .get_cells()
          .find((c: any) => (c.metadata.tags ?? []).includes("parameters"));
        const text = cell
          .get_text()
          .replace(/^let h: number = .*$/m, "let h: number = 24;")
          .replace(/^let epochs: number = .*$/m, "let epochs: number = 3;");
        cell.set_text(text);
        return text;
      });
      assert.match(edited, /let h: number = 24;/);
      assert.match(edited, /let epochs: number = 3;/);
      await page.click("#celllink");
      await page.click("#run_all_cells");
      await page.waitForFunction(
        () => {
          const nb = (globalThis as any).Jupyter.notebook;
          const code = nb.get_cells().filter((c: any) => c.cell_type === "code");
          return !nb.kernel_busy && code.every((c: any) => typeof c.input_prompt_number === "number");
        },
        undefined,
        { timeout: 180_000, polling: 500 },
      );
      await page.waitForTimeout(500); // the last chart's draw
      const after = await pageState(page);
      assert.deepEqual(after.errors, [], "no error or stderr output");
      assert.deepEqual(pageErrors, [], "no uncaught exception in the page");
      assert.equal(after.charts, 1, "one training chart");
      assert.equal(after.drawn, 1, "the training chart is drawn, with traces");
      assert.match(
        after.titles[0],
        /^h=24, lr=0\.01, lambda=0\.0005, 3 epochs on mnist$/,
        `chart title: ${after.titles[0]}`,
      );
      assert.equal(sha(join(ROOT, "notebooks", "01-model.ipynb")), committed, "the committed notebook is untouched");

      // 2. A committed notebook opened as saved: trusted, every chart drawn without running anything.
      await page.goto(`${base}notebooks/notebooks/02-training.ipynb?token=${token}`);
      await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?._fully_loaded, undefined, {
        timeout: 60_000,
      });
      await page
        .waitForFunction(
          () =>
            Array.from((globalThis as any).document.querySelectorAll("div[id^='plot-']")).every((c: any) =>
              c.querySelector("svg.main-svg"),
            ),
          undefined,
          { timeout: 60_000 },
        )
        .catch(() => undefined);
      const saved = await pageState(page);
      assert.equal(saved.trusted, true, "signed by npm run notebook");
      assert.ok(saved.charts >= 2, `${saved.charts} charts`);
      assert.equal(saved.drawn, saved.charts, `${saved.drawn} of ${saved.charts} saved charts drawn`);
      await page.close();
    } finally {
      await browser.close();
      await stopServer(server.proc, started);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
