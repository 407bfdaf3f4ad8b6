/**
 * The set-up every command does first, so that a fresh clone needs no other step:
 *   1. Debian's system packages the report needs (below), installed as root, through sudo, or, where
 *      neither is possible, named in the one command to run (exit status 2);
 *   2. `npm ci`, when node_modules is absent or was installed from another package-lock.json;
 *   3. the build (WebAssembly and compiled CLIs), when it is missing.
 * When everything is in place it does nothing and prints nothing.
 *
 *   node scripts/setup.js              what `npm run report`, `npm test` and the other commands run
 *   node scripts/setup.js --installed  run by `npm ci` (prepare): node_modules now matches the lock
 *
 * Plain Node.js with no dependencies: it runs before node_modules exists.
 */
const { spawnSync } = require("child_process");
const { createHash } = require("crypto");
const { existsSync, readFileSync, writeFileSync } = require("fs");
const { join } = require("path");

const ROOT = join(__dirname, "..");
const LOCK = join(ROOT, "package-lock.json");
const MARK = join(ROOT, "node_modules", ".mnist-report-lock");

/** Each Debian package, and why the report needs it. */
const SYSTEM_PACKAGES = {
  "jupyter-nbconvert": "runs and renders the notebooks",
  "python3-nbclient": "runs the notebooks headless",
  "jupyter-client": "talks to the notebook kernel",
  "python3-ipykernel": "the notebook kernel protocol",
  "jupyter-notebook": "the front end of npm run notebook",
  "dataset-fashion-mnist": "a second data set the tests load",
  chromium: "draws the figures and runs the browser tests",
  "firefox-esr": "runs the retrain page's tests in Firefox",
  "fonts-dejavu-core": "the figures' font",
  "fonts-noto-cjk": "renders the original's author's name (Chinese) in the pages and exported figures",
};

const say = (line) => process.stderr.write(`setup: ${line}\n`);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: "inherit", ...opts });
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/** The packages dpkg does not report as installed ("install ok installed"; a removed one may keep its config). */
function missingPackages() {
  const names = Object.keys(SYSTEM_PACKAGES);
  const dpkg = existsSync("/usr/bin/dpkg-query") ? "/usr/bin/dpkg-query" : "dpkg-query";
  const q = spawnSync(dpkg, ["-W", "-f=${Package} ${Status}\\n", ...names], { encoding: "utf8" });
  if (q.error) return null; // not Debian: nothing to check with
  const ok = new Set(
    q.stdout
      .split("\n")
      .filter((l) => l.endsWith(" install ok installed"))
      .map((l) => l.split(" ")[0]),
  );
  return names.filter((n) => !ok.has(n));
}

/**
 * How to install the missing packages: as root directly, otherwise through sudo where it can ask
 * (a terminal) or needs no password; otherwise the one command for the user to run.
 */
function installPlan(missing, { root, sudo, tty, sudoWithoutPassword }) {
  if (missing.length === 0) return { kind: "none" };
  if (root) return { kind: "install", prefix: [] };
  if (sudo && (tty || sudoWithoutPassword())) return { kind: "install", prefix: ["sudo"] };
  const install = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  // Without sudo, the command is root's to run (e.g. after `su -`).
  return sudo
    ? { kind: "tell", command: install.replace(/apt-get/g, "sudo apt-get") }
    : { kind: "tell", command: install, asRoot: true };
}

function installSystemPackages() {
  const missing = missingPackages();
  if (missing === null) {
    say(
      `no dpkg here (not Debian): make sure Jupyter (nbclient, nbconvert, ipykernel, notebook) and Chromium are ` +
        `installed.`,
    );
    return;
  }
  const plan = installPlan(missing, {
    root: !process.getuid || process.getuid() === 0,
    sudo: has("sudo"),
    tty: Boolean(process.stdin.isTTY),
    sudoWithoutPassword: () => spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0,
  });
  if (plan.kind === "none") return;
  const what = missing.map((p) => `${p} (${SYSTEM_PACKAGES[p]})`).join(", ");
  if (plan.kind === "tell") {
    say(
      `the report needs from Debian: ${what}. Installing them needs root: run this once` +
        `${plan.asRoot ? " as root (there is no sudo here)" : ""}, then the command again:\n  ${plan.command}`,
    );
    process.exit(2);
  }
  say(`installing from Debian: ${what}.`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "--no-install-recommends", ...missing],
  ]) {
    const [cmd, ...rest] = [...plan.prefix, "apt-get", ...args];
    // apt's progress is long; shown only when it fails.
    const r = spawnSync(cmd, rest, { env, encoding: "utf8", stdio: ["inherit", "pipe", "pipe"], maxBuffer: 64 << 20 });
    if (r.status !== 0) {
      process.stderr.write((r.stdout + r.stderr).split("\n").slice(-20).join("\n") + "\n");
      say(`"${[cmd, ...rest].join(" ")}" failed (exit status ${r.status ?? r.signal}); the lines above are its last.`);
      process.exit(1);
    }
  }
  const still = missingPackages();
  if (still.length > 0) {
    say(`apt-get finished but ${still.join(", ")} is still not installed.`);
    process.exit(1);
  }
}

const lockDigest = () => createHash("sha256").update(readFileSync(LOCK)).digest("hex");

/**
 * The packages package.json names that node_modules lacks or holds at another version than the
 * lock's (a half-deleted or hand-edited node_modules), by their package.json: a cheap look at each.
 */
function damagedPackages() {
  const lock = JSON.parse(readFileSync(LOCK, "utf8"));
  const top = lock.packages[""];
  const names = Object.keys({ ...top.dependencies, ...top.devDependencies });
  return names.filter((name) => {
    try {
      const found = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
      return found !== lock.packages[`node_modules/${name}`]?.version;
    } catch {
      return true;
    }
  });
}

function installNodeModules() {
  let installed = null;
  try {
    installed = readFileSync(MARK, "utf8").trim();
  } catch {
    // absent: never installed, or installed before this check existed
  }
  const damaged = installed === lockDigest() ? damagedPackages() : [];
  if (installed === lockDigest() && damaged.length === 0) return;
  say(
    damaged.length > 0
      ? `node_modules is damaged (${damaged.slice(0, 3).join(", ")}${damaged.length > 3 ? ", ..." : ""} missing or ` +
          `not the locked version): running npm ci.`
      : existsSync(join(ROOT, "node_modules"))
        ? "node_modules does not match package-lock.json: running npm ci."
        : "no node_modules yet: running npm ci (pinned packages, then the build).",
  );
  const r = run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: ROOT });
  if (r.status !== 0) {
    say(`npm ci failed (exit status ${r.status ?? r.signal}); see its output above.`);
    process.exit(1);
  }
}

function build() {
  if (["core.wasm", "minibatch.wasm"].every((f) => existsSync(join(ROOT, "build", f)))) return;
  say("the WebAssembly build is missing: running npm run build.");
  const r = run("npm", ["run", "--silent", "build"], { cwd: ROOT });
  if (r.status !== 0) process.exit(1);
}

function ensure() {
  installSystemPackages();
  installNodeModules();
  build();
}

module.exports = { ensure, installPlan, damagedPackages, SYSTEM_PACKAGES };

if (require.main === module) {
  if (process.argv[2] === "--installed") writeFileSync(MARK, lockDigest() + "\n");
  else ensure();
}
