/**
 * The suites of test/, run by Node.js's test runner:
 *   node scripts/suites.js all    every suite, two files at a time (npm test)
 *   node scripts/suites.js unit   the suites that start no notebook, browser, command-line process
 *                                 or other Node.js version, for the inner loop of changing lib/
 *                                 (npm run test:unit)
 * Two at a time because a suite that drives the whole mostly waits on one process (a kernel, a
 * browser, a command): two keep both cores busy. (Node's runner takes the files in name order.)
 */
const { spawnSync } = require("child_process");
const { readdirSync } = require("fs");
const { join } = require("path");

const ROOT = join(__dirname, "..");
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
  "retrain",
]);

const which = process.argv[2];
if (which !== "all" && which !== "unit") {
  process.stderr.write(`error: expected "all" or "unit", not ${JSON.stringify(which ?? "")}.\n`);
  process.exit(2);
}
const names = readdirSync(join(ROOT, "test"))
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => f.replace(/\.test\.ts$/, ""))
  .filter((name) => which === "all" || !WHOLE.has(name))
  .sort();
const tsx = join(ROOT, "node_modules", ".bin", "tsx");
const files = names.map((n) => join("test", `${n}.test.ts`));
const args = ["--test", "--test-concurrency=2", ...process.argv.slice(3), ...files];
const r = spawnSync(tsx, args, { cwd: ROOT, stdio: "inherit" });
process.exit(r.status ?? 1);
