import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");

test("every notebook executes headless in the quick profile (into a temporary copy)", () => {
  const out = mkdtempSync(join(tmpdir(), "notebooks-"));
  const r = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "cli", "report.ts"), "--out-dir", out], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, REPORT_PROFILE: "quick" },
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const names = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  assert.ok(names.length >= 2);
  for (const name of names) {
    const nb = JSON.parse(readFileSync(join(out, name), "utf8"));
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    assert.ok(code.every((c: { execution_count: number | null }) => c.execution_count !== null), `${name}: every code cell ran`);
    assert.ok(code.some((c: { outputs: unknown[] }) => c.outputs.length > 0), `${name}: shows results`);
  }
});
