/**
 * The set-up every command does first (scripts/setup.js): nothing to do and nothing said on a set-up
 * clone; otherwise system packages installed as root, through sudo, or named in one command.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");
const { installPlan } = require(join(ROOT, "scripts", "setup.js"));

test("a set-up clone: the set-up does nothing and says nothing", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "setup.js")], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout + r.stderr, "");
});

test(
  "system packages: installed as root, through sudo where it can ask or needs no password, else the one command " +
    "to run",
  () => {
    const never = () => assert.fail("sudo -n is asked only when it decides");
    assert.deepEqual(installPlan([], { root: false, sudo: false, tty: false, sudoWithoutPassword: never }), {
      kind: "none",
    });
    assert.deepEqual(installPlan(["chromium"], { root: true, sudo: false, tty: false, sudoWithoutPassword: never }), {
      kind: "install",
      prefix: [],
    });
    assert.deepEqual(installPlan(["chromium"], { root: false, sudo: true, tty: true, sudoWithoutPassword: never }), {
      kind: "install",
      prefix: ["sudo"],
    });
    assert.deepEqual(
      installPlan(["chromium"], { root: false, sudo: true, tty: false, sudoWithoutPassword: () => true }),
      { kind: "install", prefix: ["sudo"] },
    );
    for (const sudo of [true, false]) {
      const plan = installPlan(["chromium", "jupyter-notebook"], {
        root: false,
        sudo,
        tty: false,
        sudoWithoutPassword: () => false,
      });
      // without sudo, the command is root's, with no sudo in it
      assert.deepEqual(
        plan,
        sudo
          ? {
              kind: "tell",
              command:
                "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium jupyter-notebook",
            }
          : {
              kind: "tell",
              command: "apt-get update && apt-get install -y --no-install-recommends chromium jupyter-notebook",
              asRoot: true,
            },
      );
    }
  },
);

test("a damaged node_modules (a package removed, or at another version than the lock's) is found", () => {
  const dir = mkdtempSync(join(tmpdir(), "setup-"));
  try {
    mkdirSync(join(dir, "scripts"));
    cpSync(join(ROOT, "scripts", "setup.js"), join(dir, "scripts", "setup.js"));
    const lock = {
      packages: {
        "": { dependencies: { a: "1.0.0", b: "2.0.0" }, devDependencies: { c: "3.0.0" } },
        "node_modules/a": { version: "1.0.0" },
        "node_modules/b": { version: "2.0.0" },
        "node_modules/c": { version: "3.0.0" },
      },
    };
    writeFileSync(join(dir, "package-lock.json"), JSON.stringify(lock));
    for (const [name, version] of [
      ["a", "1.0.0"],
      ["c", "3.0.1"],
    ]) {
      mkdirSync(join(dir, "node_modules", name), { recursive: true });
      writeFileSync(join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
    }
    assert.deepEqual(require(join(dir, "scripts", "setup.js")).damagedPackages(), ["b", "c"]);
    assert.deepEqual(require(join(ROOT, "scripts", "setup.js")).damagedPackages(), [], "this clone's is whole");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "a user who cannot write build/ gets one sentence from the compile step, not a stack trace",
  { skip: process.getuid?.() !== 0 && "needs root, to run the step as another user" },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "compile-"));
    try {
      chmodSync(dir, 0o755);
      for (const d of ["scripts", "lib", "cli", "bench", "build/js"]) mkdirSync(join(dir, d), { recursive: true });
      cpSync(join(ROOT, "scripts", "compile.js"), join(dir, "scripts", "compile.js"));
      writeFileSync(join(dir, "lib", "x.ts"), "export const x: number = 1;\n");
      // esbuild, copied: the user "nobody" may not be able to read this clone's folder
      for (const pkg of ["esbuild", "@esbuild"])
        cpSync(join(ROOT, "node_modules", pkg), join(dir, "node_modules", pkg), { recursive: true });
      const node = existsSync("/usr/bin/node") ? "/usr/bin/node" : process.execPath;
      const r = spawnSync(
        "runuser",
        // Debian's node where there is one: "nobody" may not reach a Node.js installed under /root
        ["-u", "nobody", "--", node, "-e", 'require("./scripts/compile").ensureCompiled()'],
        { cwd: dir, encoding: "utf8" },
      );
      assert.equal(r.status, 2, r.stderr);
      assert.match(
        r.stderr.trim(),
        /^error: cannot write the compiled tools into \S+build\/js \(EACCES\), which the changed sources need; run /,
      );
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
