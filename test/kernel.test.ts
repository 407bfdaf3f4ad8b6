/**
 * The kernel's cache of tslab's work (jupyter/kernels/mnist-report/cache.js), on a small project of
 * two files: it changes nothing tslab makes of a cell, it is used, and nothing it depends on can
 * change unseen.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");
const CELL = 'import { area } from "./lib/a";\nconst x: number = area(2);\nx';
const B = "export interface Side { length: number }\nexport const side = (length: number): Side => ({ length });\n";
const A = 'import { side } from "./b";\nexport function area(n: number) {\n  return side(n).length ** 2;\n}\n';

interface Converted {
  diagnostics: string[];
  sideOutputs: [string, string][];
  output: string | null;
}

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "kernel-cache-"));
  mkdirSync(join(root, "lib"));
  writeFileSync(join(root, "lib", "a.ts"), A);
  writeFileSync(join(root, "lib", "b.ts"), B);
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

function convert(root: string, mode: "cached" | "plain", cell = CELL): Converted {
  const script = join(ROOT, "test", "fixtures", "tslabconvert.js");
  const r = spawnSync(process.execPath, [script, root, mode, cell], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const cacheDir = (root: string) => join(root, "build", "kernel-cache");

test("the kernel's cache of tslab's work: same output, used when nothing changed, not when a dependency did", () => {
  const root = project();
  try {
    const plain = convert(root, "plain");
    assert.deepEqual(plain.diagnostics, []);
    assert.deepEqual(
      plain.sideOutputs.map(([name]) => name),
      ["lib/a.js", "lib/b.js"],
    );
    assert.deepEqual(convert(root, "cached"), plain, "a first kernel: the same as tslab alone");
    const entries = readdirSync(cacheDir(root));
    assert.equal(entries.length, 2, "one entry per file: " + entries.join(", "));
    assert.deepEqual(convert(root, "cached"), plain, "a second kernel, from the cache: the same");

    // Used: a mark put into a kept file's CommonJS shows in what the next kernel is handed.
    for (const entry of entries) {
      const file = join(cacheDir(root), entry);
      const kept = JSON.parse(readFileSync(file, "utf8"));
      for (const out of Object.values(kept.cjs) as { text: string }[]) out.text += "// from the cache\n";
      writeFileSync(file, JSON.stringify(kept));
    }
    const marked = convert(root, "cached");
    assert.ok(
      marked.sideOutputs.every(([, js]) => js.endsWith("// from the cache\n")),
      "the kept JavaScript is what the kernel ran",
    );

    // A cell that declares globals could change what lib/ means: no entry is used for it.
    const globalCell = "declare global { interface Side { extra: string } }\n" + CELL;
    const withGlobals = convert(root, "cached", globalCell);
    assert.ok(
      withGlobals.sideOutputs.every(([, js]) => !js.includes("// from the cache")),
      "the cache is off while a cell declares globals",
    );

    // A change to b.ts makes a.ts wrong without touching a.ts: the error shows, nothing kept is used.
    const renamed = B.replace("length: number }", "size: number }").replace("({ length })", "({ size: length })");
    writeFileSync(join(root, "lib", "b.ts"), renamed);
    const broken = convert(root, "cached");
    assert.equal(broken.diagnostics.length, 1, broken.diagnostics.join("\n"));
    assert.match(broken.diagnostics[0], /length.*does not exist on type 'Side'/);
    // and once b.ts is as it was, the entries for it serve again
    writeFileSync(join(root, "lib", "b.ts"), B);
    assert.deepEqual(convert(root, "cached").diagnostics, []);

    // Another clone with a copy of build/: the same entries serve there (paths are relative).
    const other = project();
    try {
      cpSync(join(root, "build"), join(other, "build"), { recursive: true });
      const there = convert(other, "cached");
      assert.deepEqual(there.diagnostics, []);
      assert.ok(
        there.sideOutputs.some(([, js]) => js.endsWith("// from the cache\n")),
        "served in the copy",
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }

    // A global that a module declares (as some of @types/node's files do) is part of every key,
    // though a.ts does not import that module: a change to it shows a.ts's error.
    const g = (type: string) => `export {};\ndeclare global {\n  function twice(n: ${type}): number;\n}\n`;
    writeFileSync(join(root, "lib", "g.ts"), g("number"));
    writeFileSync(join(root, "lib", "a.ts"), A.replace("side(n).length ** 2", "twice(side(n).length)"));
    const withG = 'import "./lib/g";\n' + CELL;
    assert.deepEqual(convert(root, "cached", withG).diagnostics, []);
    writeFileSync(join(root, "lib", "g.ts"), g("string"));
    const changed = convert(root, "cached", withG);
    assert.equal(changed.diagnostics.length, 1, changed.diagnostics.join("\n"));
    assert.match(changed.diagnostics[0], /'number' is not assignable to parameter of type 'string'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
