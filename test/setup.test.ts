/**
 * The set-up every command does first (scripts/setup.js): nothing to do and nothing said on a set-up
 * clone; otherwise system packages installed as root, through sudo, or named in one command.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
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
      assert.deepEqual(plan, {
        kind: "tell",
        command: "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium jupyter-notebook",
      });
    }
  },
);
