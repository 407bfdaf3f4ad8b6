/**
 * The same numbers on every supported Node.js: a short run of each engine (and of the fast
 * engine's minibatch update) on this Node and on every binary listed in MNIST_REPORT_NODES
 * (colon-separated paths; .ci/run installs 22, 24 and 26 from the registry), records compared
 * metric by metric, bit for bit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");
const others = (process.env.MNIST_REPORT_NODES ?? "").split(":").filter(Boolean);

function run(node: string, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "nodes-"));
  const out = join(dir, "run.json");
  const r = spawnSync(
    node,
    [join(ROOT, "scripts", "run.js"), "train", "--data", "mnist", "--seed", "5", ...args, "--out", out],
    { cwd: ROOT, encoding: "utf8" },
  );
  assert.equal(r.status, 0, `${node}: ${r.stderr}`);
  const record = JSON.parse(readFileSync(out, "utf8"));
  rmSync(dir, { recursive: true, force: true });
  return { version: record.software.node as string, metrics: record.metrics, test: record.test };
}

test(
  "a short run gives bit-identical records on every supported Node.js (fast and reference engines, both updates)",
  { skip: others.length === 0 ? "MNIST_REPORT_NODES names no other Node.js binary (.ci/run sets it)" : false },
  () => {
    for (const args of [
      ["--h", "32", "--epochs", "3"],
      ["--h", "30", "--epochs", "2", "--minibatch"],
      ["--h", "16", "--epochs", "1", "--engine", "reference"],
    ]) {
      const here = run(process.execPath, args);
      let compared = 0;
      for (const node of others) {
        const there = run(node, args);
        if (there.version === here.version) continue; // the version under test itself
        assert.deepEqual(there.metrics, here.metrics, `${args.join(" ")}: Node ${there.version} vs ${here.version}`);
        compared++;
      }
      assert.ok(compared >= 1, "compared with at least one other Node.js version");
    }
  },
);

test(
  "the compressed plotly bundle that notebooks embed is the same bytes on every supported Node.js (its zlib)",
  { skip: others.length === 0 ? "MNIST_REPORT_NODES names no other Node.js binary (.ci/run sets it)" : false },
  () => {
    const digest = (node: string) => {
      const js =
        `require(${JSON.stringify(join(ROOT, "scripts", "compile.js"))}).ensureCompiled(); const h = ` +
        `require("crypto").createHash("sha256"); ` +
        `h.update(require(${JSON.stringify(join(ROOT, "build", "js", "lib", "display", "plot.js"))})` +
        `.plotlyLoaderHtml()); console.log(h.digest("hex"))`;
      const r = spawnSync(node, ["-e", js], { cwd: ROOT, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    const here = digest(process.execPath);
    for (const node of others) assert.equal(digest(node), here, node);
  },
);
