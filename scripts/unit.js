/**
 * npm run test:unit: the suites of test/ that start no notebook, browser, command-line process or
 * other Node.js version, for the inner loop of changing lib/. `npm test` runs every suite.
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

const suites = readdirSync(join(ROOT, "test"))
  .filter((f) => f.endsWith(".test.ts") && !WHOLE.has(f.replace(/\.test\.ts$/, "")))
  .sort()
  .map((f) => join("test", f));
const tsx = join(ROOT, "node_modules", ".bin", "tsx");
const r = spawnSync(tsx, ["--test", ...suites], { cwd: ROOT, stdio: "inherit" });
process.exit(r.status ?? 1);
