/**
 * npm run notebook trusts only notebooks whose bytes this project wrote: the committed blob or the
 * last report's output. A stranger's notebook and a committed one with an edited output stay untrusted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { REPORT_MANIFEST, decideTrust, readManifest, recordWritten } from "../lib/display/trust";
import { changedSinceCommit, gitBlobId, headBlobs } from "../lib/common/git";
import { committedDataChanges } from "../lib/experiment/runstore";
import { REPORT_NOTEBOOKS, notebookFolder, notebookPath } from "../lib/report/notebooks";

const ROOT = resolve(__dirname, "..");
const ALLOWED = REPORT_NOTEBOOKS.map(notebookPath);

function git(dir: string, ...args: string[]) {
  const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], {
    cwd: dir,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("git's blob id is what git hash-object prints", () => {
  const bytes = readFileSync(join(ROOT, "notebooks", "00-overview.ipynb"));
  const dir = mkdtempSync(join(tmpdir(), "trust-"));
  try {
    writeFileSync(join(dir, "x"), bytes);
    assert.equal(
      gitBlobId(bytes),
      spawnSync("git", ["hash-object", join(dir, "x")], { encoding: "utf8" }).stdout.trim(),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  "only the project's own notebooks are trusted: committed or written by the last report; a stranger's and an " +
    "edited one are not",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "trust-"));
    try {
      mkdirSync(join(dir, "notebooks"));
      const committed = readFileSync(join(ROOT, "notebooks", "00-overview.ipynb"), "utf8");
      writeFileSync(join(dir, "notebooks", "00-overview.ipynb"), committed);
      writeFileSync(join(dir, "notebooks", "01-model.ipynb"), committed);
      git(dir, "init", "-q");
      git(dir, "add", "notebooks");
      git(dir, "commit", "-qm", "notebooks");

      // A committed notebook with one saved output edited to run a script; a stranger's notebook.
      const nb = JSON.parse(committed);
      const withOutput = nb.cells.find((c: { outputs?: unknown[] }) => (c.outputs ?? []).length > 0);
      withOutput.outputs = [
        {
          output_type: "display_data",
          metadata: {},
          data: { "text/html": "<script>fetch('/api/kernels', {method: 'POST'})</script>" },
        },
      ];
      writeFileSync(join(dir, "notebooks", "01-model.ipynb"), JSON.stringify(nb, null, 1) + "\n");
      writeFileSync(join(dir, "notebooks", "stranger.ipynb"), JSON.stringify(nb, null, 1) + "\n");
      const files = () =>
        ["00-overview.ipynb", "01-model.ipynb", "stranger.ipynb"].map((f) => ({
          path: `notebooks/${f}`,
          bytes: readFileSync(join(dir, "notebooks", f)),
        }));

      const before = decideTrust(files(), headBlobs(dir, "notebooks"), readManifest(dir, ALLOWED).hashes);
      assert.deepEqual(before.trusted, ["notebooks/00-overview.ipynb"]);
      assert.deepEqual(
        before.untrusted.map((u) => u.path),
        ["notebooks/01-model.ipynb", "notebooks/stranger.ipynb"],
      );
      assert.match(
        before.untrusted[0].why,
        /^changed since it was written: run `npm run report` to rebuild it, or trust it yourself with `jupyter trust`$/,
      );
      assert.match(before.untrusted[1].why, /^not written by this project/);

      // What a report wrote is trusted (here: the project rewrote 01-model), until it is edited again.
      writeFileSync(join(dir, "notebooks", "01-model.ipynb"), committed.replace("overview", "model"));
      recordWritten(dir, ["notebooks/01-model.ipynb"], ALLOWED);
      assert.deepEqual(decideTrust(files(), headBlobs(dir, "notebooks"), readManifest(dir, ALLOWED).hashes).trusted, [
        "notebooks/00-overview.ipynb",
        "notebooks/01-model.ipynb",
      ]);
      writeFileSync(join(dir, "notebooks", "01-model.ipynb"), committed.replace("overview", "mode1"));
      assert.deepEqual(decideTrust(files(), headBlobs(dir, "notebooks"), readManifest(dir, ALLOWED).hashes).trusted, [
        "notebooks/00-overview.ipynb",
      ]);

      // Outside a git checkout (a downloaded copy), only the report's manifest counts.
      assert.equal(headBlobs(tmpdir(), "notebooks").size, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "the report's manifest may name only the report's notebooks by their committed names, with a SHA-256; anything " +
    "else and none of it counts",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "trust-"));
    try {
      mkdirSync(join(dir, "build"));
      const write = (m: unknown) => writeFileSync(join(dir, REPORT_MANIFEST), JSON.stringify(m));
      const good = "a".repeat(64);
      write({ "notebooks/01-model.ipynb": good });
      assert.deepEqual(readManifest(dir, ALLOWED), { hashes: new Map([["notebooks/01-model.ipynb", good]]) });
      for (const [bad, says] of [
        [
          { "notebooks/01-model.ipynb": good, "notebooks/evil.ipynb": good },
          /names "notebooks\/evil\.ipynb", which is not one of the report's notebooks/,
        ],
        [{ "notebooks/01-model.ipynb": "abc" }, /names "notebooks\/01-model\.ipynb" without a SHA-256/],
        [[good], /is not a JSON object/],
      ] as const) {
        write(bad);
        const m = readManifest(dir, ALLOWED);
        assert.equal(m.hashes.size, 0, JSON.stringify(bad));
        assert.match(m.problem ?? "", says);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("a copy of a trusted notebook is named as trusted (Jupyter trusts by content), not as untrusted", () => {
  const bytes = readFileSync(join(ROOT, "notebooks", "00-overview.ipynb"));
  const head = new Map([["notebooks/00-overview.ipynb", gitBlobId(bytes)]]); // as if committed so
  const d = decideTrust(
    [
      { path: "notebooks/00-overview.ipynb", bytes },
      { path: "notebooks/copy.ipynb", bytes },
      { path: "notebooks/other.ipynb", bytes: Buffer.from("{}") },
    ],
    head,
    new Map(),
  );
  assert.deepEqual(d.trusted, ["notebooks/00-overview.ipynb"]);
  assert.deepEqual(d.copies, [{ path: "notebooks/copy.ipynb", of: "notebooks/00-overview.ipynb" }]);
  assert.deepEqual(
    d.untrusted.map((u) => u.path),
    ["notebooks/other.ipynb"],
  );
});

test("notebooks/ as Jupyter lists it: *.ipynb files; a folder, FIFO or dangling link so named is skipped", () => {
  const dir = mkdtempSync(join(tmpdir(), "folder-"));
  try {
    mkdirSync(join(dir, "notebooks", ".ipynb_checkpoints"), { recursive: true });
    writeFileSync(join(dir, "notebooks", "a.ipynb"), "{}");
    writeFileSync(join(dir, "notebooks", "notes.txt"), "");
    mkdirSync(join(dir, "notebooks", "folder.ipynb"));
    symlinkSync(join(dir, "nowhere"), join(dir, "notebooks", "dangling.ipynb"));
    symlinkSync(join(dir, "notebooks", "a.ipynb"), join(dir, "notebooks", "link.ipynb"));
    assert.equal(spawnSync("mkfifo", [join(dir, "notebooks", "fifo.ipynb")]).status, 0);
    const { files, skipped } = notebookFolder(dir);
    assert.deepEqual(files, ["notebooks/a.ipynb", "notebooks/link.ipynb"]);
    assert.deepEqual(skipped, [
      { path: "notebooks/dangling.ipynb", why: "a link to nothing, not a notebook file" },
      { path: "notebooks/fifo.ipynb", why: "neither a file nor a folder, not a notebook file" },
      { path: "notebooks/folder.ipynb", why: "a folder, not a notebook file" },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the report's notebooks are exactly the committed ones", () => {
  assert.deepEqual(
    [...headBlobs(ROOT, "notebooks").keys()].filter((p) => p.endsWith(".ipynb")).sort(),
    REPORT_NOTEBOOKS.map(notebookPath),
  );
});

test("what under data/ is not as committed is named, with the command that restores or re-checks it", () => {
  const dir = mkdtempSync(join(tmpdir(), "committed-"));
  try {
    mkdirSync(join(dir, "data", "runs"), { recursive: true });
    for (const f of ["a.json", "b.json", "c.json"]) writeFileSync(join(dir, "data", "runs", f), `{"${f}":1}\n`);
    git(dir, "init", "-q");
    git(dir, "add", "data");
    git(dir, "commit", "-qm", "records");
    rmSync(join(dir, "data", "runs", "a.json"));
    writeFileSync(join(dir, "data", "runs", "b.json"), '{"b.json":2}\n');
    assert.deepEqual(changedSinceCommit(dir, "data"), { missing: ["data/runs/a.json"], edited: ["data/runs/b.json"] });
    assert.deepEqual(committedDataChanges(dir, "data"), [
      "data/runs/a.json is committed but missing: git checkout -- data/runs/a.json restores it.",
      "data/runs/b.json differs from its committed version: npm run verify -- --only b.json --epochs all " +
        "re-verifies it fully.",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
