/**
 * npm run report [-- --only NAME[,NAME]] [--set NAME=VALUE ...] [--out-dir DIR]
 * Executes the notebooks in notebooks/ headless through Jupyter (nbclient) with the project's
 * kernel, in order, in place (or copies into --out-dir), and stops at the first failing cell,
 * printing the cell and the kernel's message. REPORT_PROFILE=quick|full (default full) sizes the
 * work. Before anything runs it says what the grid will read back and what it must compute.
 * Then it writes the HTML report: report/ from every notebook (in place), or DIR/html from the
 * executed copies; a full report of every notebook, in place, also exports the figures.
 * --set injects parameter values (papermill's convention) into copies: it needs --out-dir.
 * SIGINT or SIGTERM stops the child at work (the notebook runner shuts its kernel down), removes
 * this command's temporary files and exits: a notebook is written whole or not at all.
 */
import { ChildProcess, SpawnOptions, spawn, spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, delimiter, join, resolve } from "path";
import { parseFlags } from "../lib/common/args";
import { checkWritableDir } from "../lib/common/atomic";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { estimateSeconds, formatDuration, planGrid } from "../lib/experiment/runner";
import { modelStaleReason, selectBest } from "../lib/experiment/selected";
import { RunRecord } from "../lib/experiment/runrecord";
import { planInjection } from "../lib/report/parameters";
import { profile } from "../lib/experiment/profile";
import { ROOT } from "../lib/common/root";
import { landingHtml } from "../lib/report/registry";
import { retrainFiles } from "../lib/report/retrain";
import { recordWritten } from "../lib/display/trust";

const PYTHON = process.env.JUPYTER_PYTHON ?? "/usr/bin/python3"; // Debian's python3 has Jupyter; pyenv's may not
const USAGE =
  "usage: npm run report -- [--only NAME[,NAME...]] [--set NAME=VALUE ...] [--out-dir DIR]   " +
  "(REPORT_PROFILE=quick|full)";

/** The child at work, and what to remove if the command is stopped. */
let current: ChildProcess | null = null;
let stopping: NodeJS.Signals | null = null;
const temporary = new Set<string>();

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = signal;
  if (!current) return finish();
  current.kill("SIGTERM");
  setTimeout(() => current?.kill("SIGKILL"), 5000).unref();
}

function finish(): never {
  for (const path of temporary) rmSync(path, { recursive: true, force: true });
  process.stderr.write(
    `\nstopped (${stopping}): nothing half-written was left; run the command again to make the report.\n`,
  );
  process.exit(stopping === "SIGINT" ? 130 : 143);
}

/** Runs a child to its end (its output collected unless `stdio` says otherwise); a stop ends it first. */
function runChild(
  cmd: string,
  args: string[],
  opts: SpawnOptions = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
    current = child;
    let stdout = "",
      stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (status) => {
      current = null;
      if (stopping) finish();
      resolvePromise({ status, stdout, stderr });
    });
  });
}

function checkJupyter(): void {
  const r = spawnSync(PYTHON, ["-c", "import nbclient, nbformat"], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new InputError(
      `${PYTHON} cannot import nbclient: install Jupyter first (npm run setup, or set JUPYTER_PYTHON to a python3 ` +
        `that has nbclient).`,
    );
  }
}

/** The notebooks to run: all, or those whose names contain one of `only`'s comma-separated parts. */
export function notebooks(only?: string): string[] {
  const all = readdirSync(join(ROOT, "notebooks"))
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  if (!only) return all.map((f) => join("notebooks", f));
  const parts = only
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of parts) {
    if (!all.some((f) => f.includes(p)))
      throw new InputError(
        `--only ${p}: no notebook in notebooks/ matches; they are ` +
          `${all.map((f) => f.replace(/\.ipynb$/, "")).join(", ")}.`,
      );
  }
  return all.filter((f) => parts.some((p) => f.includes(p))).map((f) => join("notebooks", f));
}

const parse = () =>
  parseFlags(
    {
      only: { type: "string" },
      "out-dir": { type: "string" },
      set: { type: "string", multiple: true },
      help: { type: "boolean" },
    },
    USAGE,
  );

async function main(): Promise<void> {
  const values = parse();
  if (values.help) return void console.log(USAGE);
  const prof = profile();
  const outDir = values["out-dir"] ? resolve(values["out-dir"]) : null;
  const settings = values.set ?? [];
  if (settings.length > 0 && !outDir)
    throw new InputError(
      "--set runs copies of the notebooks with other values and never changes the committed ones, so it needs " +
        "--out-dir DIR.",
    );
  const list = notebooks(values.only);
  const injections = planInjection(
    list.map((nb) => ({ name: basename(nb, ".ipynb"), cells: JSON.parse(readFileSync(join(ROOT, nb), "utf8")).cells })),
    settings,
  );
  checkJupyter();
  if (outDir) checkWritableDir(outDir, "--out-dir");

  console.log(`Running ${list.length} notebook(s), profile ${prof.name}${outDir ? `, into ${outDir}` : ", in place"}.`);
  if (list.some((nb) => nb.includes("02-training"))) {
    // Say what the training notebook will read back and what it must compute, before it starts.
    const plan = await planGrid(prof.grid, prof.runsDir, false, undefined, (line) => console.log(`grid: ${line}`));
    for (const line of plan.lines) console.log(`grid: ${line}`);
    if (plan.records.every(Boolean)) {
      const best = selectBest(plan.records as RunRecord[]);
      const why = modelStaleReason(best, prof.modelPath);
      if (why)
        console.log(
          `model: ${prof.modelPath} will be retrained from its seed, as ${why}: about ` +
            `${formatDuration(estimateSeconds([best.config], plan.ds.train.n, 1))}.`,
        );
      else console.log(`model: ${prof.modelPath} is the selected configuration's (read back).`);
    }
  }
  const env = {
    ...process.env,
    REPORT_PROFILE: prof.name,
    JUPYTER_PATH: [join(ROOT, "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
  };
  for (const [i, nb] of list.entries()) {
    const started = Date.now();
    const args = [join(ROOT, "scripts", "execute_notebook.py"), nb];
    if (outDir) args.push("--output", join(outDir, basename(nb)));
    if (injections[i]) args.push("--inject", injections[i]!);
    process.stdout.write(`[${i + 1}/${list.length}] ${nb}${injections[i] ? ` (with ${settings.join(" ")})` : ""} ... `);
    const r = await runChild(PYTHON, args, { cwd: ROOT, env });
    const stderr = (r.stderr ?? "")
      .split("\n")
      .filter((l) => !/MissingIDFieldWarning|validate\(nb\)/.test(l))
      .join("\n")
      .trim();
    if (r.status !== 0) {
      process.stdout.write("FAILED\n");
      process.stderr.write(stderr + "\n");
      process.exit(1);
    }
    process.stdout.write(`ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    // Written in place by the project: npm run notebook may trust these bytes.
    if (!outDir) recordWritten(ROOT, [nb]);
  }
  // The HTML report: of the executed copies (DIR/html), or of every notebook in place (report/).
  const pages = outDir ? list.map((nb) => join(outDir, basename(nb))) : notebooks().map((nb) => join(ROOT, nb));
  const htmlDir = outDir ? join(outDir, "html") : join(ROOT, "report");
  const mathjax = require.resolve("mathjax/es5/tex-svg-full.js"),
    plotly = require.resolve("plotly.js-cartesian-dist-min");
  // Its first page: the headline results and the draw-a-digit pad, from the profile's results.
  const landingDir = mkdtempSync(join(tmpdir(), "landing-"));
  temporary.add(landingDir);
  const landing = join(landingDir, "landing.html");
  writeFileSync(landing, await landingHtml(prof));
  // The retrain page and its scripts, from the profile's committed results.
  const extra = join(landingDir, "extra");
  mkdirSync(extra);
  for (const [name, text] of Object.entries(await retrainFiles(prof))) writeFileSync(join(extra, name), text);
  const r = await runChild(PYTHON, [join(ROOT, "scripts", "html_report.py"), htmlDir, plotly, mathjax, ...pages], {
    cwd: ROOT,
    env: { ...process.env, LANDING_HTML: landing, EXTRA_DIR: extra },
  });
  rmSync(landingDir, { recursive: true, force: true });
  temporary.delete(landingDir);
  if (r.status !== 0) {
    process.stderr.write(`HTML report failed:\n${(r.stderr || r.stdout).trim()}\n`);
    process.exit(1);
  }
  console.log(`HTML report: ${join(htmlDir, "index.html")}`);
  // A full, in-place report of every notebook also re-exports every figure to figures/ (from data/).
  if (prof.name === "full" && !outDir && !values.only) {
    const f = await runChild(
      process.execPath,
      [...process.execArgv, join(__dirname, "figures" + (__filename.endsWith(".ts") ? ".ts" : ".js"))],
      { cwd: ROOT, stdio: "inherit" },
    );
    if (f.status !== 0) process.exit(f.status ?? 1);
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(signal));
main().catch(exitOnInputError);
