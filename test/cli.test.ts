import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, join, resolve } from "path";
import { runIdentity, runPath } from "../lib/experiment/runstore";

const ROOT = resolve(__dirname, "..");
// As npm run train runs it: the compiled CLI, through the launcher.
const run = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "scripts", "run.js"), "train", ...args], { cwd: ROOT, encoding: "utf8" });
const tmp = () => mkdtempSync(join(tmpdir(), "cli-"));

test("train CLI: a run writes its record; the same seed gives identical metrics", () => {
  const dir = tmp();
  const args = ["--data", "mnist", "--h", "16", "--epochs", "2", "--seed", "9"];
  const a = run([...args, "--out", join(dir, "a.json")]);
  const b = run([...args, "--out", join(dir, "b.json")]);
  assert.equal(a.status, 0, a.stderr);
  assert.match(
    a.stdout,
    /^h=16 lr=0\.01 lambda=0\.0005: best val acc 0\.\d{4} at epoch \d; test acc n\/a \(no test set\); [\d.]+ s\n$/,
  );
  const ra = JSON.parse(readFileSync(join(dir, "a.json"), "utf8")),
    rb = JSON.parse(readFileSync(join(dir, "b.json"), "utf8"));
  assert.deepEqual(ra.metrics, rb.metrics);
  assert.equal(ra.seed, 9);
  assert.equal(ra.data.checksum.length, 16);
  assert.equal(ra.metrics.valAcc.length, 3);
});

test("train CLI: bad input exits non-zero with one sentence and writes nothing", () => {
  const dir = tmp();
  const bad = join(dir, "bad");
  writeFileSync(join(dir, "train-images-idx3-ubyte"), Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]));
  const cases: [string[], RegExp][] = [
    [["--h", "0"], /h = 0 is out of range/],
    [["--keep-prob", "1.5"], /keep-prob = 1.5 is out of range/],
    [["--keep-prob", "0"], /keep-prob = 0 is out of range/],
    [["--lr", "0"], /lr = 0 is out of range/],
    [["--lr", "NaN"], /--lr "NaN" is not a finite decimal number/],
    [["--h", "0x10"], /--h "0x10" is not a finite decimal number/],
    [["--h", "-1"], /h = -1 is out of range/],
    [["--epochs", "1e9"], /epochs = 1000000000 is out of range; expected a whole number from 0 to 10000/],
    [["--out", ""], /--out is empty/],
    [
      ["--lr", "1e308", "--h", "16", "--epochs", "3"],
      /^error: h=16 lr=1e\+308 lambda=0\.0005 diverged: its validation loss is NaN at epoch 1; try a smaller lr or lambda\.$/m,
    ],
    [["--lambda", "1e308", "--h", "16"], /diverged: its validation loss is Infinity at epoch 0/],
    [["--data", "nowhere"], /data source "nowhere" is neither/],
    [["--data", dir], /is truncated inside its header|has no/],
    [["--pixels", "scaled"], /pixels = scaled is not a pixel scale/],
    [["--frobnicate"], /Unknown option '--frobnicate'/],
  ];
  const readOnly = join(dir, "read-only.json");
  writeFileSync(readOnly, "{}", { mode: 0o444 });
  cases.push([
    ["--out", readOnly],
    /cannot write --out .*read-only\.json: it is read-only; make it writable or choose another name\./,
  ]);
  for (const [args, message] of cases) {
    const given = (flag: string, value: string) => (args.includes(flag) ? [] : [flag, value]);
    const r = run([...args, ...given("--data", "mnist"), ...given("--epochs", "1"), ...given("--out", bad)]);
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, message);
    // one line besides the progress bar's (a run that diverges has started)
    assert.equal(
      r.stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("epoch ")).length,
      1,
      `one line: ${r.stderr}`,
    );
    assert.doesNotMatch(r.stderr, /    at /); // no stack trace
    assert.ok(!existsSync(bad), "no output file");
    assert.equal(readFileSync(readOnly, "utf8"), "{}", "the read-only file is untouched");
  }
});

const verify = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "scripts", "run.js"), "verify", ...args], { cwd: ROOT, encoding: "utf8" });

/**
 * A record with the validation accuracy of `epoch` moved by one image, `best` kept consistent: an
 * edit no loader can see.
 */
function editAccuracy(
  record: {
    metrics: { valAcc: number[]; epoch: number[] };
    best: { valAcc: number; epoch: number };
    data: { nVal: number };
  },
  epoch: number,
) {
  const n = record.data.nVal;
  record.metrics.valAcc[epoch] = (Math.round(record.metrics.valAcc[epoch] * n) + 1) / n;
  let b = 0;
  for (let e = 1; e < record.metrics.valAcc.length; e++) if (record.metrics.valAcc[e] > record.metrics.valAcc[b]) b = e;
  record.best = { valAcc: record.metrics.valAcc[b], epoch: record.metrics.epoch[b] };
}

test(
  "npm run verify: committed records recomputed bit for bit (a sample); an edited record is caught, a late edit " +
    "by --epochs all",
  () => {
    const sample = verify(["--sample", "2"]);
    assert.equal(sample.status, 0, sample.stdout + sample.stderr);
    assert.equal((sample.stdout.match(/^data\/runs\/h\d+-\S+\.json: bit-identical$/gm) ?? []).length, 2, sample.stdout);
    assert.match(sample.stdout, /All 2 bit-identical\./);

    // A committed record with one validation accuracy edited, consistently with its best.
    const dir = tmp();
    const committed = readdirSync(join(ROOT, "data", "runs")).sort()[0];
    const record = JSON.parse(readFileSync(join(ROOT, "data", "runs", committed), "utf8"));
    editAccuracy(record, 1);
    writeFileSync(join(dir, committed), JSON.stringify(record));
    const edited = verify(["--runs-dir", dir]);
    assert.equal(edited.status, 1, edited.stdout + edited.stderr);
    assert.match(edited.stdout, new RegExp(`${committed}: differs: valAcc at epoch 1: \\S+ here, \\S+ recorded`));
    assert.match(edited.stdout, /1 of 1 do not match the code\./);

    // An edit past the checked prefix needs the whole run: --epochs all.
    const late = tmp();
    assert.equal(
      run(["--data", "mnist", "--h", "16", "--epochs", "4", "--seed", "9", "--out", join(late, "run.json")]).status,
      0,
    );
    const quick = JSON.parse(readFileSync(join(late, "run.json"), "utf8"));
    rmSync(join(late, "run.json"));
    editAccuracy(quick, 4);
    // A store's record is named by what determines its numbers.
    const name = basename(runPath(late, runIdentity(quick.config, quick.seed, quick.data.checksum)));
    writeFileSync(join(late, name), JSON.stringify(quick));
    assert.equal(verify(["--runs-dir", late]).status, 0, "the first 2 epochs are untouched");
    const all = verify(["--runs-dir", late, "--epochs", "all"]);
    assert.equal(all.status, 1);
    assert.match(all.stdout, new RegExp(`${name.replace(/\./g, "\\.")}: differs: valAcc at epoch 4`));

    // A record under another run's name, or with a key no record has, is refused, never verified.
    const copies = tmp();
    const original = readFileSync(join(ROOT, "data", "runs", committed), "utf8");
    writeFileSync(join(copies, committed.replace(/^h\d+/, "h999")), original);
    writeFileSync(join(copies, committed), JSON.stringify({ ...JSON.parse(original), note: "hello" }));
    const refused = verify(["--runs-dir", copies]);
    assert.equal(refused.status, 2, refused.stdout + refused.stderr);
    assert.match(
      refused.stdout,
      new RegExp(`h999\\S+: not a valid record: \\S+ holds the record of ${committed}, not of`),
    );
    assert.match(refused.stdout, new RegExp(`${committed}: not a valid record: .*it has an unknown key "note"`));
    for (const [args, message] of [
      [["--epochs", "0"], "error: --epochs 0 is out of range; expected a whole number from 1 to 10000."],
      [
        ["--epochs", "100000000000000000000000"],
        /^error: --epochs 1000\d+ is out of range; expected a whole number from 1 to/,
      ],
      [["--epochs", "2", "--epochs", "3"], /^error: --epochs is given more than once, where it takes one value; usage: /],
      [["--runs-dir", join(ROOT, "package.json")], /^error: --runs-dir \S+package\.json is a file; expected a folder/],
      [
        ["--runs-dir", "/nonexistent"],
        "error: --runs-dir /nonexistent does not exist; expected a folder of run records.",
      ],
    ] as const) {
      const r = verify([...args]);
      assert.equal(r.status, 2, args.join(" "));
      if (typeof message === "string") assert.equal(r.stderr.trim(), message);
      else assert.match(r.stderr.trim(), message);
    }
  },
);
