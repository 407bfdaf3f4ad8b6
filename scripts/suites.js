/**
 * The suites of test/, each file run by Node.js's test runner in a process of its own:
 *   node scripts/suites.js all    every suite (npm test)
 *   node scripts/suites.js unit   the suites that start no notebook, browser, command-line process
 *                                 or other Node.js version, for the inner loop of changing lib/
 *                                 (npm run test:unit)
 * Further arguments go to each runner (say, --test-name-pattern=...).
 *
 * Two files at a time, because a suite that drives the whole mostly waits on one process (a kernel,
 * a browser, a command): two keep both cores busy. The longest first, by the times of the last run
 * (build/suite-times.json; a file not timed yet counts as longest), so that no long suite starts
 * near the end. (Node's runner, given them all, would take them in name order.) Each file's output
 * is printed whole when it ends, then a summary; the exit status is 1 when any failed.
 */
const { spawn } = require("child_process");
const { readFileSync, readdirSync, renameSync, writeFileSync, mkdirSync } = require("fs");
const { join } = require("path");

const ROOT = join(__dirname, "..");
const LANES = 2;
// The suites that drive the whole: CLIs as processes, the notebooks through Jupyter, Chromium, other Node.js versions.
const WHOLE = new Set([
  "access",
  "cli",
  "export",
  "faults",
  "frontend",
  "grid",
  "identity",
  "interrupt",
  "kernel",
  "nodes",
  "notebooks",
  "reportset",
  "retrain",
]);

const which = process.argv[2];
if (which !== "all" && which !== "unit") {
  process.stderr.write(`error: expected "all" or "unit", not ${JSON.stringify(which ?? "")}.\n`);
  process.exit(2);
}
const TIMES = join(ROOT, "build", "suite-times.json");
let times = {};
try {
  times = JSON.parse(readFileSync(TIMES, "utf8"));
} catch {
  // no run timed yet
}
// Before any run has timed them (a fresh clone), the suites known to take longest go first, then
// the others that drive the whole, then the rest.
const FIRST = ["notebooks", "faults", "access", "retrain"];
/** A suite's time in the last run; one not timed yet ranks above every timed one. */
const rank = (name) => {
  if (Number.isFinite(times[name])) return times[name];
  const i = FIRST.indexOf(name);
  return 1e9 - (i >= 0 ? i : FIRST.length + (WHOLE.has(name) ? 0 : 1));
};
const queue = readdirSync(join(ROOT, "test"))
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => f.replace(/\.test\.ts$/, ""))
  .filter((name) => which === "all" || !WHOLE.has(name))
  .sort((a, b) => rank(b) - rank(a) || (a < b ? -1 : 1));

const tsx = join(ROOT, "node_modules", ".bin", "tsx");
const extra = process.argv.slice(3);
const running = new Set();
const results = [];
const started = Date.now();

function next() {
  const name = queue.shift();
  if (name === undefined) {
    if (running.size === 0) finish();
    return;
  }
  const t0 = Date.now();
  // In a process group of its own, so that a stop reaches the runner and all it started, once.
  const child = spawn(tsx, ["--test", "--test-reporter=tap", ...extra, join("test", `${name}.test.ts`)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d) => (out += d));
  let ended = false;
  const end = (status, signal) => {
    if (ended) return;
    ended = true;
    running.delete(child);
    const s = (Date.now() - t0) / 1000;
    const count = (what) => Number((new RegExp(`^# ${what} (\\d+)$`, "m").exec(out) ?? [])[1] ?? 0);
    const r = { name, s, ok: status === 0, pass: count("pass"), fail: count("fail"), skipped: count("skipped") };
    results.push(r);
    process.stdout.write(`\n## test/${name}.test.ts: ${r.ok ? "ok" : "FAILED"} in ${s.toFixed(0)} s\n${out}`);
    if (signal) process.stdout.write(`(ended by ${signal})\n`);
    if (!stopping) next();
    else if (running.size === 0) finish();
  };
  child.on("close", end);
  child.on("error", (e) => {
    out += `could not start ${tsx}: ${e.message}\n`;
    if (child.pid === undefined) end(null, null); // never started: no "close" to wait for
  });
}

function finish() {
  results.sort((a, b) => b.s - a.s);
  const failed = results.filter((r) => !r.ok);
  const sum = (k) => results.reduce((n, r) => n + r[k], 0);
  process.stdout.write(
    `\n# ${results.length} files in ${((Date.now() - started) / 1000).toFixed(0)} s, ${LANES} at a time: ` +
      `${sum("pass")} tests passed, ${sum("fail")} failed, ${sum("skipped")} skipped\n` +
      results.map((r) => `#   ${r.s.toFixed(0).padStart(4)} s  ${r.ok ? "ok    " : "FAILED"}  ${r.name}\n`).join(""),
  );
  // The times of this run order the next; a run of some tests only (extra arguments), or a file that
  // failed (perhaps early), is not a measure.
  if (extra.length === 0 && !stopping) {
    for (const r of results.filter((r) => r.ok)) times[r.name] = Math.round(r.s);
    try {
      mkdirSync(join(ROOT, "build"), { recursive: true });
      writeFileSync(`${TIMES}.tmp`, JSON.stringify(times, null, 1) + "\n");
      renameSync(`${TIMES}.tmp`, TIMES);
    } catch {
      // a build/ this user may not write: the next run takes the same order
    }
  }
  if (failed.length > 0) process.stdout.write(`# failed: ${failed.map((r) => r.name).join(", ")}\n`);
  // Not process.exit(): what was written to a pipe (npm test | tee) is flushed first.
  process.exitCode = stopping ? 130 : failed.length > 0 ? 1 : 0;
}

// Stopped (Ctrl-C, a closed terminal, a kill): the suites running are stopped too, their whole
// process groups (tsx passes INT and TERM on, not HUP: a HUP is passed as a TERM), and no other
// starts. A second signal leaves at once.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    for (const child of running) {
      try {
        process.kill(-child.pid, signal === "SIGHUP" ? "SIGTERM" : signal);
      } catch {
        // already gone
      }
    }
    if (running.size === 0) process.exit(130);
  });
}

for (let lane = 0; lane < LANES; lane++) next();
