/**
 * Compiled JavaScript for the command-line tools: every .ts file of lib/, cli/ and bench/,
 * transpiled by esbuild (types stripped, one file per file, CommonJS) into build/js/. A CLI then
 * starts with plain `node` instead of compiling TypeScript at each start, and so
 * does each of its worker threads. `npm ci` builds it (npm run build); scripts/run.js rebuilds it
 * whenever a source file changed (it compares a stamp of every source's path, size and mtime),
 * so the compiled code is never older than the TypeScript beside it. Type checking stays with tsc.
 */
const { existsSync, readdirSync, statSync, readFileSync, writeFileSync, renameSync, mkdirSync, rmSync } = require("fs");
const { createHash } = require("crypto");
const { join, relative } = require("path");

const ROOT = join(__dirname, "..");
const OUT = join(ROOT, "build", "js");
const STAMP = join(OUT, ".stamp");
const DIRS = ["lib", "cli", "bench"];

function sources() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  for (const d of DIRS) walk(join(ROOT, d));
  return out;
}

/** A digest of every source's path, size and mtime (and of this script): what the build was made from. */
function stampOf(files) {
  const h = createHash("sha256");
  for (const f of [__filename, ...files]) {
    const s = statSync(f);
    h.update(`${relative(ROOT, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest("hex");
}

function upToDate(files) {
  try {
    return readFileSync(STAMP, "utf8") === stampOf(files);
  } catch {
    return false;
  }
}

/** Transpile every source (each file written atomically; the stamp last). */
function compile(files) {
  const esbuild = require("esbuild");
  for (const f of files) {
    const out = join(OUT, relative(ROOT, f)).replace(/\.ts$/, ".js");
    const result = esbuild.transformSync(readFileSync(f, "utf8"), {
      loader: "ts",
      format: "cjs",
      platform: "node",
      target: "node20",
      sourcefile: relative(ROOT, f),
      tsconfigRaw: { compilerOptions: { esModuleInterop: true } },
    });
    mkdirSync(join(out, ".."), { recursive: true });
    const tmp = `${out}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, result.code);
      renameSync(tmp, out);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  removeOrphans(files);
  const tmp = `${STAMP}.tmp-${process.pid}`;
  writeFileSync(tmp, stampOf(files));
  renameSync(tmp, STAMP);
}

/** Compiled files whose source is gone (a file moved or removed): deleted, so nothing can load them. */
function removeOrphans(files) {
  const wanted = new Set(files.map((f) => join(OUT, relative(ROOT, f)).replace(/\.ts$/, ".js")));
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js") && !wanted.has(p)) rmSync(p, { force: true });
    }
  };
  for (const d of DIRS) if (existsSync(join(OUT, d))) walk(join(OUT, d));
}

/** Make build/js current; returns true when it had to compile. */
function ensureCompiled() {
  const files = sources();
  if (upToDate(files)) return false;
  try {
    compile(files);
  } catch (e) {
    if (!["EACCES", "EPERM", "EROFS", "ENOSPC"].includes(e.code)) throw e;
    const fix = e.code === "ENOSPC" ? "free some disk space" : "run it as a user who can write build/";
    process.stderr.write(
      `error: cannot write the compiled tools into ${OUT} (${e.code}), which the changed sources need; ${fix}.\n`,
    );
    process.exit(2);
  }
  return true;
}

module.exports = { ensureCompiled, OUT };

if (require.main === module) {
  const started = Date.now();
  const n = sources().length;
  const built = ensureCompiled();
  console.log(
    built
      ? `compiled ${n} TypeScript files to build/js in ${Date.now() - started} ms`
      : `build/js is up to date (${n} TypeScript files)`,
  );
}
