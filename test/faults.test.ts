/**
 * Faults and bad input, each as a reader or a hostile user would meet it: one sentence naming the
 * file or value (exit status 2 from the CLIs), before the work starts where that is knowable, no
 * temporary file left, no good file damaged. Then a property-style check: a few hundred randomly
 * mutated IDX files, model files and run records either load as valid or raise the project's
 * InputError naming the file, and nothing else.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { gzipSync } from "zlib";
import { InputError } from "../lib/common/errors";
import { loadIdxFolder, loadMnistPackage } from "../lib/data/sources";
import { buildItems } from "../lib/report/registry";
import { runIdentity, runPath } from "../lib/experiment/runstore";
import { planGrid, runGrid } from "../lib/experiment/runner";
import { parseIdx } from "../lib/data/idx";
import { loadModel } from "../lib/experiment/modelio";
import { makeRng } from "../lib/common/rng";
import { validateRunRecord } from "../lib/experiment/runrecord";
import { profile } from "../lib/experiment/profile";
import { selectBest, selectedModel } from "../lib/experiment/selected";
import { idxBytes } from "./helpers";

const ROOT = resolve(__dirname, "..");
const tmp = (name = "faults-") => mkdtempSync(join(tmpdir(), name));
const cli = (tool: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [join(ROOT, "scripts", "run.js"), tool, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
const isInputError = (path: string) => (e: unknown) => e instanceof InputError && e.message.includes(path);

/** Exit status 2, one line on stderr matching `message`, no stack trace. */
function refused(r: ReturnType<typeof cli>, message: RegExp): void {
  assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
  const lines = r.stderr
    .trim()
    .split("\n")
    .filter((l) => !/^epoch |^\(sources changed/.test(l));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], message);
  assert.doesNotMatch(r.stderr, /    at /);
}

const noTemp = (dir: string) =>
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes(".tmp-") || f.startsWith(".write-probe")),
    [],
    `temporary files left in ${dir}`,
  );

/** A folder of the four IDX files holding `n` small images (and 3 test images). */
function idxFolder(n: number): string {
  const dir = tmp("idx-");
  const rng = makeRng(1, "pixels");
  const images = (k: number) =>
    idxBytes(
      [k, 28, 28],
      Uint8Array.from({ length: k * 784 }, () => (rng() < 0.2 ? Math.floor(rng() * 256) : 0)),
    );
  const labels = (k: number) =>
    idxBytes(
      [k],
      Uint8Array.from({ length: k }, (_, i) => i % 10),
    );
  writeFileSync(join(dir, "train-images-idx3-ubyte"), images(n));
  writeFileSync(join(dir, "train-labels-idx1-ubyte"), labels(n));
  writeFileSync(join(dir, "t10k-images-idx3-ubyte"), images(3));
  writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), labels(3));
  return dir;
}

// 1. Result files are read through one validated loader, by identity.
test(
  "result files: the grid, the figures and the selection name the record they reject, and never draw a stale one",
  async () => {
    const runsDir = tmp("runs-"),
      modelPath = join(tmp("model-"), "selected.json");
    const spec = { hs: [16], lrs: [0.01], lambdas: [5e-4, 1e-3], epochs: 2, data: "mnist", seed: 11 };
    const prof = { ...profile("quick"), grid: spec, seed: spec.seed, runsDir, modelPath };
    const runs = await runGrid(spec, { runsDir, workers: 1 });
    const best = selectBest(runs);
    await selectedModel(spec, best, modelPath, { runsDir });
    const ds = loadMnistPackage();
    const pathOf = (r: (typeof runs)[number]) => runPath(runsDir, runIdentity(r.config, spec.seed, ds.checksum));
    const good = readFileSync(pathOf(best), "utf8");

    // junk beside the records is ignored by the figures (they read each config's record by identity) ...
    writeFileSync(join(runsDir, "junk.json"), "{}");
    const stale = { ...JSON.parse(good), engineVersion: "wasm-src-000000000000" };
    stale.metrics.valAcc = stale.metrics.valAcc.map(() => 1); // a stale record for the same config, "better"
    stale.best = { valAcc: 1, epoch: 0 };
    writeFileSync(join(runsDir, "old.json"), JSON.stringify(stale));
    const [figure1] = await buildItems(prof, ["figure1"]);
    const fig1 = JSON.stringify(figure1.outputs);
    assert.ok(!fig1.includes("[1,1,1]"), "the stale record is not drawn");

    // ... but a damaged record of the grid is named, by the figures and by the grid's plan
    writeFileSync(pathOf(best), "{}");
    await assert.rejects(
      buildItems(prof, ["figure1"]),
      (e) =>
        e instanceof InputError &&
        /is not a valid run record: trainingCode is missing/.test(e.message) &&
        e.message.includes(pathOf(best)),
    );
    const plan = await planGrid(spec, runsDir, false, 1);
    assert.match(plan.lines.join("\n"), /1 to compute \(1: .* is not a valid run record: trainingCode is missing\)/);

    // an edited accuracy is not a count of images out of the validation set: rejected before use
    const edited = JSON.parse(good);
    edited.metrics.valAcc[1] = 0.991234;
    writeFileSync(pathOf(best), JSON.stringify(edited));
    await assert.rejects(
      buildItems(prof, ["figure1"]),
      /is not a valid run record: a validation accuracy is not a count of correct images/,
    );

    // an edit that keeps the record consistent is caught when the selection retrains it: the file is named
    const subtle = JSON.parse(good);
    const k = subtle.metrics.valAcc.length - 1;
    subtle.metrics.valAcc[k] = Math.min(1, subtle.metrics.valAcc[k] + 1 / subtle.data.nVal);
    subtle.best = {
      valAcc: Math.max(...subtle.metrics.valAcc),
      epoch: subtle.metrics.valAcc.indexOf(Math.max(...subtle.metrics.valAcc)),
    };
    writeFileSync(pathOf(best), JSON.stringify(subtle));
    await assert.rejects(
      selectedModel(spec, validateRunRecord(subtle, "x"), join(tmp("model-"), "m.json"), { runsDir }),
      (e) =>
        e instanceof InputError &&
        e.message.includes(pathOf(best)) &&
        /does not reproduce its record .*valAcc at epoch 2/.test(e.message),
    );
    noTemp(runsDir);
  },
);

// 2. The data checksum does not depend on how the folder is spelled.
test(
  "data: the same folder spelled three ways has one checksum, and the expected-MD5 check " +
    "holds with a trailing slash",
  () => {
    const dir = idxFolder(30);
    const sums = [dir, `${dir}/`, join(dir, ".", ".").replace(/\/$/, "") + "/."].map((d) => loadIdxFolder(d).checksum);
    assert.equal(new Set(sums).size, 1, sums.join(" "));
    assert.throws(
      () => loadIdxFolder(`${dir}/`, "x", { "train-images-idx3-ubyte": "0".repeat(32) }),
      /has MD5 \w+; expected 0{32}/,
    );
  },
);

// 3. Too little data is refused before training.
test("data too small to train on is refused in one sentence before any work", () => {
  refused(
    cli("train", ["--data", idxFolder(5), "--epochs", "1"]),
    /^error: the training set has 4 images, fewer than one batch of 20/,
  );
  refused(
    cli("train", ["--data", idxFolder(30), "--batch", "25", "--epochs", "1"]),
    /^error: the training set has 24 images, fewer than one batch of 25/,
  );
  refused(
    cli("train", ["--data", idxFolder(4), "--batch", "1", "--epochs", "1"]),
    /^error: the validation set is empty/,
  );
  const noTest = idxFolder(30);
  writeFileSync(join(noTest, "t10k-images-idx3-ubyte"), idxBytes([0, 28, 28], new Uint8Array(0)));
  writeFileSync(join(noTest, "t10k-labels-idx1-ubyte"), idxBytes([0], new Uint8Array(0)));
  refused(cli("train", ["--data", noTest, "--epochs", "1"]), /^error: the test set is empty/);
});

// 4. Where results go is checked before the work, and a failed write leaves nothing behind.
test("write targets are checked before the work starts; no temporary file is left", () => {
  const dir = tmp();
  mkdirSync(join(dir, "a-folder"));
  writeFileSync(join(dir, "a-file"), "x");
  refused(
    cli("train", ["--data", "mnist", "--epochs", "1", "--out", join(dir, "a-folder")]),
    /^error: cannot write --out .*a-folder: it is a folder; expected a file name\.$/,
  );
  refused(
    cli("train", ["--data", "mnist", "--epochs", "1", "--out", join(dir, "a-file", "run.json")]),
    /^error: cannot write into the folder of .*: .*a-file is a file, not a folder\.$/,
  );
  refused(
    cli("grid", ["--profile", "quick", "--runs-dir", join(dir, "a-file")]),
    /^error: cannot write into --runs-dir .*a-file: .*a-file is a file, not a folder\.$/,
  );
  refused(
    cli("grid", ["--profile", "quick", "--runs-dir", join(dir, "runs"), "--model", join(dir, "a-folder")]),
    /^error: cannot write --model .*a-folder: it is a folder/,
  );
  refused(
    cli("figures", ["--out", join(dir, "a-file")]),
    /^error: cannot write into --out .*a-file: .*a-file is a file, not a folder\.$/,
  );
  refused(
    cli("report", ["--only", "00", "--out-dir", join(dir, "a-file")]),
    /^error: cannot write into --out-dir .*a-file: .*is a file, not a folder\.$/,
  );
  noTemp(dir);
  assert.ok(!existsSync(join(dir, "runs")), "nothing was computed");
});

// 6. Command-line parsing.
test("CLIs: --help prints usage; unknown options, missing values and unsafe seeds are one sentence each", () => {
  for (const tool of ["report", "figures", "grid", "train"]) {
    const r = cli(tool, ["--help"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: npm run /, tool);
    refused(cli(tool, ["--frobnicate"]), /^error: Unknown option '--frobnicate'.*; usage: npm run /);
  }
  refused(cli("figures", ["--out"]), /^error: Option '--out <value>' argument missing; usage: npm run figures/);
  refused(cli("report", ["--out-dir"]), /^error: Option '--out-dir <value>' argument missing; usage: npm run report/);
  refused(
    cli("train", ["--data", "mnist", "--seed", "9007199254740993"]),
    /^error: --seed 9007199254740993 is out of range; expected a whole number from 0 to 9007199254740991\.$/,
  );
  refused(cli("nosuchtool", []), /^error: "nosuchtool" is not a tool/);
});

// 7. The notebook runner.
test(
  "the notebook runner names the cell when the kernel dies or an exception surfaces late, and checks its output " +
    "first",
  () => {
    const dir = tmp("nb-");
    const notebook = (name: string, cells: string[]) => {
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: "mnist-report", display_name: "x", language: "typescript" } },
        cells: cells.map((c, i) => ({
          cell_type: "code",
          id: `c${i}`,
          metadata: {},
          execution_count: null,
          outputs: [],
          source: c,
        })),
      };
      writeFileSync(join(dir, name), JSON.stringify(nb));
      return join(dir, name);
    };
    const run = (path: string, out: string, jupyterPath = join(ROOT, "jupyter")) =>
      spawnSync("/usr/bin/python3", [join(ROOT, "scripts", "execute_notebook.py"), path, "--output", out], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, JUPYTER_PATH: jupyterPath },
      });
    // A kernel that fails to come up the first time (as tslab's sockets have, now and then) is started again.
    const flaky = join(dir, "flaky", "kernels", "mnist-report");
    mkdirSync(flaky, { recursive: true });
    writeFileSync(
      join(flaky, "start.sh"),
      `#!/bin/sh\nif [ ! -e "${dir}/tried" ]; then touch "${dir}/tried"; exit 3; fi\nexec node ` +
        `"${join(ROOT, "jupyter", "kernels", "mnist-report", "launch.js")}" "$1"\n`,
      { mode: 0o755 },
    );
    writeFileSync(
      join(flaky, "kernel.json"),
      JSON.stringify({
        argv: [join(flaky, "start.sh"), "{connection_file}"],
        display_name: "flaky",
        language: "typescript",
      }),
    );
    const again = run(
      notebook("again.ipynb", ['console.log("ran")']),
      join(dir, "again.out.ipynb"),
      join(dir, "flaky"),
    );
    assert.equal(again.status, 0, again.stderr);
    assert.match(
      again.stderr,
      /again\.ipynb: the kernel did not start \(Kernel died before replying to kernel_info\); starting another\./,
    );
    assert.match(readFileSync(join(dir, "again.out.ipynb"), "utf8"), /"ran\\n"/);
    const die = run(
      notebook("die.ipynb", ['console.log("a")', "process.exit(3)", 'console.log("never")']),
      join(dir, "die.out.ipynb"),
    );
    assert.equal(die.status, 1);
    assert.match(die.stderr.split("\n")[0], /die\.ipynb: cell 2 failed: the kernel died while running it/);
    const late = run(
      notebook("late.ipynb", [
        // the timer fires while the next cell runs (it starts well within 2 s, even on a loaded machine)
        'setTimeout(() => { throw new Error("late failure"); }, 2000); console.log("returned")',
        "await new Promise((r) => setTimeout(r, 6000));",
      ]),
      join(dir, "late.out.ipynb"),
    );
    assert.equal(late.status, 1);
    assert.match(late.stderr.split("\n")[0], /late\.ipynb: cell 2 failed: an exception thrown asynchronously/);
    assert.match(late.stderr, /late failure/);
    // ... and after the last cell, a timer's exception or a promise rejected with nobody waiting
    for (const [name, cell, message] of [
      [
        "timer",
        'setTimeout(() => { throw new Error("after the end"); }, 100); console.log("returned")',
        "after the end",
      ],
      ["rejection", 'Promise.reject(new Error("nobody waited")); console.log("returned")', "nobody waited"],
    ]) {
      const r = run(notebook(`${name}.ipynb`, ['console.log("first")', cell]), join(dir, `${name}.out.ipynb`));
      assert.equal(r.status, 1, r.stderr);
      assert.match(
        r.stderr.split("\n")[0],
        new RegExp(`${name}\\.ipynb: an exception was thrown asynchronously, after its cell returned`),
      );
      assert.match(r.stderr, new RegExp(`^Error: ${message}$`, "m"));
      assert.ok(!existsSync(join(dir, `${name}.out.ipynb`)), "no output for a failed run");
    }
    writeFileSync(join(dir, "a-file"), "x");
    const unwritable = run(notebook("ok.ipynb", ['console.log("fine")']), join(dir, "a-file", "ok.ipynb"));
    assert.equal(unwritable.status, 2);
    assert.match(
      unwritable.stderr.trim(),
      /^cannot write .*a-file\/ok\.ipynb: a part of its path is a file, not a folder\.$/,
    );
    assert.ok(
      !existsSync(join(dir, "die.out.ipynb")) && !existsSync(join(dir, "late.out.ipynb")),
      "no output for a failed run",
    );
  },
);

// 9. Resource limits.
test("a small gzip that inflates far beyond what its header promises is refused at once", () => {
  const header = idxBytes([10, 28, 28], new Uint8Array(0));
  const big = new Uint8Array(256 << 20);
  big.set(header);
  const bomb = gzipSync(big, { level: 9 });
  assert.ok(bomb.length < 1 << 20);
  assert.throws(
    () => parseIdx(bomb, "bomb.gz"),
    /^InputError: bomb\.gz inflates to more than the 7856 bytes its header promises/,
  );
  const huge = idxBytes([4_000_000, 28, 28], new Uint8Array(0));
  assert.throws(
    () => parseIdx(gzipSync(huge), "huge.gz"),
    /huge\.gz's header promises 3136000016 bytes; this reader accepts IDX files up to/,
  );
});

// 10. Stopping what you started stops the work.
test("SIGKILL or SIGINT to npm alone stops npm run train too; its output is never written", async () => {
  for (const signal of ["SIGKILL", "SIGINT"] as const) {
    const dir = tmp();
    const out = join(dir, "run.json");
    const npm = spawn(
      "npm",
      ["run", "-s", "train", "--", "--data", "mnist", "--h", "64", "--epochs", "400", "--out", out],
      { cwd: ROOT, stdio: "ignore", detached: true },
    );
    const running = () => spawnSync("pgrep", ["-f", out]).stdout.toString().trim();
    for (let t = 0; t < 100 && !/\d/.test(running()); t++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500)); // training
    assert.match(running(), /\d/, `${signal}: started`);
    process.kill(npm.pid!, signal); // npm alone: SIGINT reaches the training only as npm passes it on
    for (let t = 0; t < 50 && running(); t++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(running(), "", `${signal}: no process left working on it`);
    assert.ok(!existsSync(out), `${signal}: nothing written`);
    noTemp(dir);
  }
});

// Property-style: random mutations of valid files either load or are refused as bad input naming the file.
test(
  "a few hundred mutated IDX files, model files and run records: each loads or raises an " +
    "InputError naming the file",
  () => {
    const rng = makeRng(2026, "mutations");
    const int = (n: number) => Math.floor(rng() * n);
    const valid = idxBytes(
      [3, 28, 28],
      Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 251),
    );
    for (let k = 0; k < 300; k++) {
      let bytes = Uint8Array.from(valid);
      const kind = int(4);
      if (kind === 0) for (let m = 0; m <= int(3); m++) bytes[int(16)] = int(256); // the header
      if (kind === 1) bytes = bytes.subarray(0, int(bytes.length)); // truncated
      if (kind === 2) for (let m = 0; m <= int(3); m++) bytes[int(16)] = [0, 1, 3, 8, 0xff][int(5)];
      const gz = rng() < 0.4;
      let file: Uint8Array = gz ? gzipSync(bytes) : bytes;
      // corrupt stream
      if (gz && kind === 3) file = Uint8Array.from(file).map((b, i) => (i > 10 && rng() < 0.01 ? int(256) : b));
      try {
        const r = parseIdx(file, `f${k}`);
        assert.equal(
          r.data.length,
          r.dims.reduce((a, b) => a * b, 1),
          `f${k}`,
        );
      } catch (e) {
        assert.ok(e instanceof InputError && e.message.startsWith(`f${k}`), `f${k}: ${(e as Error).stack}`);
      }
    }

    const modelDir = tmp("fuzz-model-");
    for (const f of readdirSync(join(ROOT, "data", "models")))
      copyFileSync(join(ROOT, "data", "models", f), join(modelDir, f));
    const meta = JSON.parse(readFileSync(join(modelDir, "selected.json"), "utf8"));
    const weird = [null, 0, -1, 1e9, 0.5, "", "x", "../selected.json", [], {}, true, NaN];
    const paths: string[][] = [];
    const walk = (v: any, p: string[]) => {
      if (p.length > 0) paths.push(p);
      if (v && typeof v === "object" && p.length < 4)
        for (const key of Object.keys(v).slice(0, 12)) walk(v[key], [...p, key]);
    };
    walk(meta, []);
    for (let k = 0; k < 200; k++) {
      const m = structuredClone(meta);
      const p = paths[int(paths.length)];
      let at = m;
      for (const key of p.slice(0, -1)) at = at[key];
      if (rng() < 0.3) delete at[p[p.length - 1]];
      else at[p[p.length - 1]] = weird[int(weird.length)];
      const path = join(modelDir, `m${k}.json`);
      writeFileSync(path, JSON.stringify(m));
      try {
        loadModel(path);
      } catch (e) {
        assert.ok(isInputError(path)(e), `${p.join(".")}: ${(e as Error).stack}`);
      }
      try {
        validateRunRecord(m.record, `record${k}`);
      } catch (e) {
        assert.ok(isInputError(`record${k}`)(e), `${p.join(".")}: ${(e as Error).stack}`);
      }
    }
  },
);
