/**
 * Starts a command-line tool from its compiled JavaScript, in this one process:
 *   node scripts/run.js train --h 64 ...     (cli/train.ts; npm run train -- ... does this)
 *   node scripts/run.js bench/bench          (a path under the repository, without .ts)
 * What a fresh clone lacks is set up first (scripts/setup.js: system packages, npm ci, the build;
 * a no-op when all is there), then build/js is brought up to date (scripts/compile.js: a no-op
 * unless a source changed).
 */
const { existsSync, readFileSync } = require("fs");
const { join } = require("path");

const ROOT = join(__dirname, "..");
// Who started this process, as it starts: npm, when `npm run` did (see watchLauncher).
const LAUNCHER = process.ppid;
const name = process.argv[2] ?? "";
const rel = name.includes("/") ? name : `cli/${name}`;
if (!/^[a-z][\w/-]*$/.test(name) || !existsSync(join(ROOT, `${rel}.ts`))) {
  process.stderr.write(
    `error: "${name}" is not a tool; expected one of cli/*.ts (e.g. train, grid, report, figures, notebook) or a ` +
      `path such as bench/bench.\n`,
  );
  process.exit(2);
}
require("./setup").ensure();
const { ensureCompiled, OUT } = require("./compile"); // esbuild: in node_modules, there only now
if (ensureCompiled()) process.stderr.write("(sources changed: recompiled build/js)\n");
watchLauncher();
process.argv.splice(2, 1); // the tool sees its own arguments only
require(join(OUT, `${rel}.js`));

/**
 * Started by `npm run` (npm -> sh -> node), the work stops when npm does: npm passes SIGINT and
 * SIGTERM on, but when npm itself is killed (SIGKILL) this process would run on and later
 * overwrite its output. So, on Linux, it looks in on npm once a second. Not when started
 * otherwise (e.g. under nohup, the shell that started it may go on purpose).
 */
function watchLauncher() {
  if (!process.env.npm_lifecycle_event || process.platform !== "linux") return;
  // The parent now (process.ppid is read once, at start): another than at start means orphaned.
  const parentNow = () => Number(readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ")[1]);
  // Already orphaned (npm killed while this was setting up): nothing has started yet, so stop now.
  if (parentNow() !== LAUNCHER) {
    process.stderr.write("stopping: npm, which started this command, is gone.\n");
    process.exit(143);
  }
  const parentOf = (pid) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
  let npm = process.ppid; // npm's command line is its title, "npm run train ...", or node's argv with npm-cli.js
  try {
    for (
      let hops = 0;
      hops < 3 &&
      npm > 1 &&
      !/(^|\/)npm(\s|\0|$)|npm-cli\.js/.test(
        readFileSync(`/proc/${npm}/cmdline`, "utf8").split("\0").slice(0, 2).join("\0"),
      );
      hops++
    )
      npm = parentOf(npm);
  } catch {
    return; // no /proc: nothing to watch
  }
  if (npm <= 1) return;
  // Gone, or a zombie (killed, not yet reaped by its parent): /proc/<pid>/stat's state is Z.
  const alive = () => {
    try {
      return readFileSync(`/proc/${npm}/stat`, "utf8").split(") ")[1][0] !== "Z";
    } catch {
      return false;
    }
  };
  const watch = setInterval(() => {
    if (alive() && parentNow() === LAUNCHER) return;
    clearInterval(watch);
    process.stderr.write(`stopping: npm (pid ${npm}), which started this command, is gone.\n`);
    // as a SIGTERM, so that a tool that stops its children and removes its files does so
    process.kill(process.pid, "SIGTERM");
  }, 1000).unref();
}
