import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");
// As npm run train runs it: the compiled CLI, through the launcher.
const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "scripts", "run.js"), "train", ...args], { cwd: ROOT, encoding: "utf8" });
const tmp = () => mkdtempSync(join(tmpdir(), "cli-"));

test("train CLI: a run writes its record; the same seed gives identical metrics", () => {
  const dir = tmp();
  const args = ["--data", "mnist", "--h", "16", "--epochs", "2", "--seed", "9"];
  const a = run([...args, "--out", join(dir, "a.json")]);
  const b = run([...args, "--out", join(dir, "b.json")]);
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /^h=16 lr=0\.01 lambda=0\.0005: best val acc 0\.\d{4} at epoch \d; test acc n\/a \(no test set\); [\d.]+ s\n$/);
  const ra = JSON.parse(readFileSync(join(dir, "a.json"), "utf8")), rb = JSON.parse(readFileSync(join(dir, "b.json"), "utf8"));
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
    [["--data", "nowhere"], /data source "nowhere" is neither/],
    [["--data", dir], /is truncated inside its header|has no/],
    [["--pixels", "scaled"], /pixels = scaled is not a pixel scale/],
    [["--frobnicate"], /Unknown option '--frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const given = (flag: string, value: string) => (args.includes(flag) ? [] : [flag, value]);
    const r = run([...args, ...given("--data", "mnist"), ...given("--epochs", "1"), ...given("--out", bad)]);
    assert.equal(r.status, 2, `${args}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /    at /); // no stack trace
    assert.ok(!existsSync(bad), "no output file");
  }
});
