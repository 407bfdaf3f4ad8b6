/**
 * npm run report [-- --only NAME[,NAME]] [--set NAME=VALUE ...] [--out-dir DIR]
 * Executes the report's notebooks (lib/report/notebooks.ts) headless through Jupyter (nbclient)
 * with the project's kernel, in place (or copies into --out-dir), and stops at the first failing cell,
 * printing the cell and the kernel's message. REPORT_PROFILE=quick|full (default full) sizes the
 * work. Before anything runs it says what the grid will read back and what it must compute.
 * Then it writes the HTML report: report/ from every notebook (in place), or DIR/html from the
 * executed copies; a full report of every notebook, in place, also exports the figures.
 * --set injects parameter values (papermill's convention) into copies: it needs --out-dir.
 * Two notebooks run at a time, each with its own kernel; a notebook after 02-training waits for
 * it, as it reads what 02 computes. SIGINT, SIGTERM or SIGHUP stops every process the command
 * started, kernels included, removes its temporary files and exits: a notebook is written whole or
 * not at all.
 */
import { ChildProcess, SpawnOptions, spawn, spawnSync } from "child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "fs";
import { tmpdir } from "os";
import { basename, delimiter, dirname, join, relative, resolve, sep } from "path";
import { parseFlags } from "../lib/common/args";
import { checkWritableDir } from "../lib/common/atomic";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { estimateSeconds, formatDuration, planGrid } from "../lib/experiment/runner";
import { modelStaleReason, selectBest } from "../lib/experiment/selected";
import { RunRecord } from "../lib/experiment/runrecord";
import { committedDataChanges } from "../lib/experiment/runstore";
import { NotebookCell, planInjection } from "../lib/report/parameters";
import { profile } from "../lib/experiment/profile";
import { ROOT } from "../lib/common/root";
import { recordWritten } from "../lib/display/trust";
import { editedNotebooks, reportNotebooks } from "../lib/report/notebooks";

const PYTHON = process.env.JUPYTER_PYTHON ?? "/usr/bin/python3"; // Debian's python3 has Jupyter; pyenv's may not
const USAGE =
  "usage: npm run report -- [--only NAME[,NAME...]] [--set NAME=VALUE ...] [--out-dir DIR]   " +
  "(REPORT_PROFILE=quick|full)";

/**
 * The children at work, and what to remove if the command is stopped. The kernels run in sessions
 * of their own (Jupyter starts them so), out of reach of a signal to this command's group, and
 * outlive a runner that was killed: they are found by their connection files, which live in this
 * command's own runtime folder (`runtime`), and stopped with the rest.
 */
const children = new Set<ChildProcess>();
let stopping: NodeJS.Signals | null = null,
  stoppedAt = 0;
const temporary = new Set<string>();
const runtime = mkdtempSync(join(tmpdir(), "report-runtime-"));
temporary.add(runtime);
/** Notebooks being written by the runner (`*.ipynb.tmp` beside their target): removed if it is killed mid-write. */
const outputDirs = new Set<string>();
// Output nobody reads any more (a closed terminal, `| head`) stops the command, quietly.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", () => (stopping ? undefined : stop("SIGTERM")));
// However the command ends, it leaves nothing running and nothing half-written behind.
process.on("exit", cleanUp);

/** The processes this command started that still run: the child at work, its descendants and the kernels. */
function ours(): number[] {
  const started = [...children].map((c) => c.pid).filter((p): p is number => p !== undefined);
  if (process.platform !== "linux") return started;
  const parent = new Map<number, number>(),
    kernels: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ");
      if (stat[0] === "Z") continue;
      parent.set(Number(d), Number(stat[1]));
      if (readFileSync(`/proc/${d}/cmdline`, "utf8").includes(runtime + sep)) kernels.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  const below = (p: number): number[] => [...parent].filter(([, pp]) => pp === p).flatMap(([c]) => [c, ...below(c)]);
  const roots = [...started, ...kernels];
  return [...new Set(roots.flatMap((p) => [p, ...below(p)]))].filter((p) => parent.has(p));
}

function signalAll(signal: NodeJS.Signals): void {
  for (const pid of ours()) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * A first signal asks everything this command started to stop and gives it a moment (the runner
 * removes a notebook it was writing); whatever still runs after that, or at a second signal, is
 * killed, and the command exits. Nothing waits on an event that may never come.
 */
function stop(signal: NodeJS.Signals): void {
  // One Ctrl-C can arrive twice (from the terminal to the group, and passed on by npm): a second
  // signal counts from half a second on.
  if (stopping) return void (Date.now() - stoppedAt > 500 && finish());
  stopping = signal;
  stoppedAt = Date.now();
  if (ours().length === 0) return finish();
  signalAll("SIGTERM");
  setTimeout(finish, 2000);
}

function cleanUp(): void {
  signalAll("SIGKILL");
  for (const dir of outputDirs) {
    try {
      for (const f of readdirSync(dir)) if (f.endsWith(".ipynb.tmp")) rmSync(join(dir, f), { force: true });
    } catch {
      // not made yet
    }
  }
  for (const path of temporary) rmSync(path, { recursive: true, force: true });
}

function finish(): never {
  process.stderr.write(
    `\nstopped (${stopping}): nothing half-written was left; run the command again to make the report.\n`,
  );
  process.exit(stopping === "SIGINT" ? 130 : stopping === "SIGHUP" ? 129 : 143);
}

/**
 * Runs a child to its end (its output collected unless `stdio` says otherwise); a stop ends it
 * first. It ends at the child's exit: output still held open by a process the child left behind
 * is waited for a moment, not for ever.
 */
function runChild(
  cmd: string,
  args: string[],
  opts: SpawnOptions = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
    children.add(child);
    let stdout = "",
      stderr = "",
      done = false;
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const end = (status: number | null) => {
      if (done) return;
      done = true;
      children.delete(child);
      if (stopping) finish();
      resolvePromise({ status, stdout, stderr });
    };
    child.on("close", end);
    child.on("exit", (status) => {
      if (stopping) return end(status);
      setTimeout(() => end(status), 2000).unref();
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

/** A report notebook's cells; one sentence when it is not a notebook file (a folder, a FIFO, not JSON). */
function readNotebookCells(nb: string): NotebookCell[] {
  const path = join(ROOT, nb);
  if (!existsSync(path)) throw new InputError(`${nb} is missing: git checkout -- ${nb} restores it.`);
  if (!statSync(path).isFile()) throw new InputError(`${nb} is not a file: git checkout -- ${nb} restores it.`);
  try {
    return JSON.parse(readFileSync(path, "utf8")).cells;
  } catch {
    throw new InputError(`${nb} is not a notebook (not JSON): git checkout -- ${nb} restores it.`);
  }
}

/** `path` with links resolved, as far as it exists (the rest appended). */
function realPathOf(path: string): string {
  if (existsSync(path)) return realpathSync(path);
  const parent = dirname(path);
  return parent === path ? path : join(realPathOf(parent), basename(path));
}

/**
 * --out-dir gets copies of notebooks and their pages, so it must hold nothing of the report's
 * own: not inside the folders the report writes nor one that holds them, not a folder with
 * committed files; links are followed.
 */
function checkOutDir(outDir: string, given: string): void {
  const within = (dir: string, of: string) => dir === of || dir.startsWith(of + sep);
  const real = realPathOf(outDir);
  const own = ["notebooks", "report", "figures", "data"]
    .map((d) => realPathOf(join(ROOT, d)))
    .find((d) => within(d, real) || within(real, d));
  if (own)
    throw new InputError(
      `--out-dir ${given}: ${real === own ? "is" : within(real, own) ? "is inside" : "holds"} the report's own ` +
        `${basename(own)}/ folder, which copies must never change; name a new folder, e.g. --out-dir /tmp/my-report.`,
    );
  const root = realPathOf(ROOT);
  if (within(real, root)) {
    const files = spawnSync("git", ["ls-files", "--", relative(root, real) || "."], { cwd: ROOT, encoding: "utf8" });
    const first = files.stdout.split("\n").find(Boolean);
    if (first)
      throw new InputError(
        `--out-dir ${given}: holds committed files (${first} among them), which copies must never change; name a ` +
          `new folder, e.g. --out-dir /tmp/my-report.`,
      );
  }
  checkWritableDir(outDir, "--out-dir");
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
  if (values["out-dir"] === "") throw new InputError("--out-dir is empty; expected the folder to write copies into.");
  const outDir = values["out-dir"] ? resolve(values["out-dir"]) : null;
  const settings = values.set ?? [];
  if (settings.length > 0 && !outDir)
    throw new InputError(
      "--set runs copies of the notebooks with other values and never changes the committed ones, so it needs " +
        "--out-dir DIR.",
    );
  const list = reportNotebooks(values.only);
  const injections = planInjection(
    list.map((nb) => ({ name: basename(nb, ".ipynb"), cells: readNotebookCells(nb) })),
    settings,
  );
  checkJupyter();
  if (outDir) checkOutDir(outDir, values["out-dir"]!);

  console.log(`Running ${list.length} notebook(s), profile ${prof.name}${outDir ? `, into ${outDir}` : ", in place"}.`);
  for (const line of committedDataChanges(ROOT, "data")) console.log(`warning: ${line}`);
  const edited = editedNotebooks(ROOT, list);
  if (edited.length > 0)
    console.log(
      `Edited since the commit, run as they are now: ${edited.map((nb) => basename(nb, ".ipynb")).join(", ")}.`,
    );
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
    // The kernels' connection files (jupyter_client writes them as the runner's temporary files)
    // go into this command's runtime folder, which goes with it; the kernels' own TMPDIR is the
    // reader's (the quick profile keeps its results there).
    JUPYTER_RUNTIME_DIR: runtime,
    REPORT_RUNTIME_DIR: runtime,
  };
  outputDirs.add(outDir ?? join(ROOT, "notebooks"));
  // Two notebooks at a time: each has its own kernel, and a notebook reads only what 02-training
  // computes (the grid, the selected model, the seed study) besides its own results, so the ones
  // after 02 wait for it. With --set, one at a time, in order.
  const jobs = settings.length === 0 ? 2 : 1;
  const training = list.findIndex((nb) => nb.includes("02-training"));
  let trained: Promise<void> = Promise.resolve();
  let next = 0;
  const runOne = async (i: number) => {
    if (training >= 0 && i > training) await trained;
    const nb = list[i];
    const started = Date.now();
    const args = [join(ROOT, "scripts", "execute_notebook.py"), nb];
    if (outDir) args.push("--output", join(outDir, basename(nb)));
    if (injections[i]) args.push("--inject", injections[i]!);
    const name = `[${i + 1}/${list.length}] ${nb}${injections[i] ? ` (with ${settings.join(" ")})` : ""}`;
    if (jobs === 1) process.stdout.write(`${name} ... `);
    const r = await runChild(PYTHON, args, { cwd: ROOT, env });
    const stderr = (r.stderr ?? "")
      .split("\n")
      .filter((l) => !/MissingIDFieldWarning|validate\(nb\)/.test(l))
      .join("\n")
      .trim();
    if (r.status !== 0) {
      process.stdout.write(jobs === 1 ? "FAILED\n" : `${name} ... FAILED\n`);
      process.stderr.write(stderr + "\n");
      process.exit(1); // the other notebook at work, if any, is stopped on the way out
    }
    const took = `ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`;
    process.stdout.write(jobs === 1 ? took : `${name} ... ${took}`);
    // Written in place by the project: npm run notebook may trust these bytes.
    if (!outDir) recordWritten(ROOT, [nb], reportNotebooks());
  };
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < list.length) {
        const i = next++;
        const done = runOne(i);
        if (i === training) trained = done;
        await done;
      }
    }),
  );
  // The HTML report: of the executed copies (DIR/html), or of every notebook in place (report/).
  const pages = outDir ? list.map((nb) => join(outDir, basename(nb))) : reportNotebooks().map((nb) => join(ROOT, nb));
  const htmlDir = outDir ? join(outDir, "html") : join(ROOT, "report");
  const mathjax = require.resolve("mathjax/es5/tex-svg-full.js"),
    plotly = require.resolve("plotly.js-cartesian-dist-min");
  // Its first page: the headline results and the draw-a-digit pad, from the profile's results.
  const landingDir = mkdtempSync(join(tmpdir(), "landing-"));
  temporary.add(landingDir);
  const landing = join(landingDir, "landing.html");
  // Loaded here, not at the top: the report's items bring every table and chart library, seconds of
  // start-up that a refused flag or a plain notebook run should not wait for.
  const { landingHtml } = require("../lib/report/landing") as typeof import("../lib/report/landing");
  const { retrainFiles } = require("../lib/report/retrainpage") as typeof import("../lib/report/retrainpage");
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

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));
main().catch(exitOnInputError);
