/**
 * npm run report [-- --only NAME] [--out-dir DIR]
 * Executes every notebook in notebooks/ headless through Jupyter (nbclient) with the project's
 * kernel, in order, in place (or into --out-dir), and stops at the first failing cell, printing
 * the cell and the kernel's message. REPORT_PROFILE=quick|full (default full) sizes the work.
 * After all notebooks, writes the HTML report (scripts/html_report.py) to report/, or to DIR/html
 * with --out-dir; a full report of every notebook, in place, then exports the figures (npm run figures).
 */
import { spawnSync } from "child_process";
import { readdirSync } from "fs";
import { basename, delimiter, join, resolve } from "path";
import { parseArgs } from "util";
import { InputError, exitOnInputError } from "../lib/errors";

const ROOT = resolve(__dirname, "..");
const PYTHON = process.env.JUPYTER_PYTHON ?? "/usr/bin/python3"; // Debian's python3 has Jupyter; pyenv's may not

function checkJupyter(): void {
  const r = spawnSync(PYTHON, ["-c", "import nbclient, nbformat"], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new InputError(
      `${PYTHON} cannot import nbclient: install Jupyter first (bash scripts/install-system-deps.sh, or set JUPYTER_PYTHON to a python3 that has nbclient).`,
    );
  }
}

export function notebooks(only?: string): string[] {
  const all = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
  const picked = only ? all.filter((f) => f.includes(only)) : all;
  if (picked.length === 0) throw new InputError(`no notebook in notebooks/ matches "${only}".`);
  return picked.map((f) => join("notebooks", f));
}

function main(): void {
  const { values } = parseArgs({ options: { only: { type: "string" }, "out-dir": { type: "string" } } });
  const profile = process.env.REPORT_PROFILE ?? "full";
  if (profile !== "quick" && profile !== "full") throw new InputError(`REPORT_PROFILE=${profile} is not a profile; expected "quick" or "full".`);
  checkJupyter();
  const env = { ...process.env, REPORT_PROFILE: profile, JUPYTER_PATH: [join(ROOT, "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter) };
  const list = notebooks(values.only);
  console.log(`Running ${list.length} notebook(s), profile ${profile}${values["out-dir"] ? `, into ${values["out-dir"]}` : ", in place"}.`);
  for (const [i, nb] of list.entries()) {
    const started = Date.now();
    const args = [join(ROOT, "scripts", "execute_notebook.py"), nb];
    if (values["out-dir"]) args.push("--output", join(resolve(values["out-dir"]), basename(nb)));
    process.stdout.write(`[${i + 1}/${list.length}] ${nb} ... `);
    const r = spawnSync(PYTHON, args, { cwd: ROOT, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const stderr = (r.stderr ?? "").split("\n").filter((l) => !/MissingIDFieldWarning|validate\(nb\)/.test(l)).join("\n").trim();
    if (r.status !== 0) {
      process.stdout.write("FAILED\n");
      process.stderr.write(stderr + "\n");
      process.exit(1);
    }
    process.stdout.write(`ok (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  // All notebooks: also the HTML report, beside them (--out-dir) or in report/.
  if (!values.only) {
    const executed = values["out-dir"] ? list.map((nb) => join(resolve(values["out-dir"]!), basename(nb))) : list;
    const htmlDir = values["out-dir"] ? join(resolve(values["out-dir"]), "html") : join(ROOT, "report");
    const mathjax = require.resolve("mathjax/es5/tex-svg-full.js"), plotly = require.resolve("plotly.js-cartesian-dist-min");
    const r = spawnSync(PYTHON, [join(ROOT, "scripts", "html_report.py"), htmlDir, plotly, mathjax, ...executed], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) {
      process.stderr.write(`HTML report failed:\n${(r.stderr || r.stdout).trim()}\n`);
      process.exit(1);
    }
    console.log(`HTML report: ${join(htmlDir, "index.html")}`);
  }
  // A full, in-place report also re-exports every figure to figures/ (from the results in data/).
  if (profile === "full" && !values["out-dir"] && !values.only) {
    const r = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "cli", "figures.ts")], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    exitOnInputError(e);
  }
}
