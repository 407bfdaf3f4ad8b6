/**
 * Starts a command-line tool from its compiled JavaScript, in this one process:
 *   node scripts/run.js train --h 64 ...     (cli/train.ts; npm run train -- ... does this)
 *   node scripts/run.js bench/bench          (a path under the repository, without .ts)
 * build/js is brought up to date first (scripts/compile.js: a no-op unless a source changed).
 */
const { existsSync } = require("fs");
const { join } = require("path");
const { ensureCompiled, OUT } = require("./compile");

const ROOT = join(__dirname, "..");
const name = process.argv[2] ?? "";
const rel = name.includes("/") ? name : `cli/${name}`;
if (!/^[a-z][\w/-]*$/.test(name) || !existsSync(join(ROOT, `${rel}.ts`))) {
  process.stderr.write(`error: "${name}" is not a tool; expected one of cli/*.ts (e.g. train, grid, report, figures, notebook) or a path such as bench/bench.\n`);
  process.exit(2);
}
if (ensureCompiled()) process.stderr.write("(sources changed: recompiled build/js)\n");
process.argv.splice(2, 1); // the tool sees its own arguments only
require(join(OUT, `${rel}.js`));
