/**
 * The training code's identity is derived from the code itself (lib/experiment/trainingcode.ts):
 * a comment changes nothing; a change to what the code does (here, the sample picks) gives another
 * identity, and the records made before it are then checked on a short prefix and caught, not
 * reused. Each variant of the code is a copy of lib/ in a temporary folder, run in its own process.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { makeConfig } from "../lib/mlp/config";
import { loadMnistPackage } from "../lib/data/sources";
import { sparseSplit } from "../lib/data/features";
import { train } from "../lib/experiment/train";

const ROOT = resolve(__dirname, "..");

/** A copy of the code (lib/, wasm/ and the built modules), with `edit` applied to train.ts. */
function copyOfCode(parent: string, name: string, edit?: (text: string) => string): string {
  const dir = join(parent, name);
  mkdirSync(join(dir, "build"), { recursive: true });
  for (const part of ["lib", "wasm", "package.json"]) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  for (const f of ["core.wasm", "minibatch.wasm"]) cpSync(join(ROOT, "build", f), join(dir, "build", f));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const trainTs = join(dir, "lib", "experiment", "train.ts");
  const before = readFileSync(trainTs, "utf8");
  const after = edit ? edit(before) : before;
  assert.ok(!edit || after !== before, `the edit of ${name} applies`);
  writeFileSync(trainTs, after);
  writeFileSync(
    join(dir, "check.ts"),
    `import { readFileSync } from "fs";
import { loadMnistPackage } from "./lib/data/sources";
import { trainingCodeId } from "./lib/experiment/trainingcode";
import { checkBuilds } from "./lib/experiment/verify";
(async () => {
  const record = JSON.parse(readFileSync(process.argv[2], "utf8"));
  const checks = await checkBuilds([record], loadMnistPackage(), undefined, process.argv[3]);
  const found = checks.map((c) => ({ reproduced: c.reproduced, detail: c.detail }));
  console.log(JSON.stringify({ code: trainingCodeId(), checks: found }));
})();
`,
  );
  return dir;
}

function check(dir: string, recordPath: string): { code: string; checks: { reproduced: boolean; detail: string }[] } {
  const r = spawnSync(
    join(ROOT, "node_modules", ".bin", "tsx"),
    ["check.ts", recordPath, join(dir, "build", "verified.json")],
    { cwd: dir, encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test(
  "the training code's identity is derived: a comment keeps it, a change to the sampling gives another, and the " +
    "stale records are caught",
  { timeout: 180_000 },
  async () => {
    const parent = mkdtempSync(join(tmpdir(), "identity-"));
    try {
      const ds = loadMnistPackage();
      const config = makeConfig({ h: 16, epochs: 2 });
      const { train: tr, val } = sparseSplit(ds.train, 7, config.pixels);
      const made = (
        await train(config, tr, val, {
          seed: 7,
          data: { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: val.n },
          evalThreads: 1,
        })
      ).record;
      const recordPath = join(parent, "record.json");
      writeFileSync(recordPath, JSON.stringify(made));

      const same = check(copyOfCode(parent, "same"), recordPath);
      const comment = check(
        copyOfCode(parent, "comment", (t) =>
          t.replace("Each batch gives ONE update", "Each batch gives exactly ONE update"),
        ),
        recordPath,
      );
      const sampling = check(
        copyOfCode(parent, "sampling", (t) =>
          t.replace('makeRng(opts.seed, "steps", key)', 'makeRng(opts.seed, "steps", `${key},picked anew`)'),
        ),
        recordPath,
      );

      assert.equal(comment.code, same.code, "a comment does not change the identity");
      assert.notEqual(sampling.code, same.code, "a change to the sampling does");
      // The record was made by this repository's code (another identity than the copies', whose
      // packages lie elsewhere), so each copy checks it: the same code reproduces it ...
      assert.notEqual(made.trainingCode, same.code);
      assert.equal(same.checks.length, 1);
      assert.equal(same.checks[0].reproduced, true, same.checks[0].detail);
      // ... the changed sampling does not, from the first epoch of updates on, and says where.
      assert.equal(sampling.checks[0].reproduced, false, sampling.checks[0].detail);
      assert.match(
        sampling.checks[0].detail,
        /does not reproduce the records of engine build \w+ with training code \w+: h=16 lr=0\.01 lambda=0\.0005: valLoss at epoch 1: /,
      );
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  },
);
