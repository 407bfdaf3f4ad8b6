/**
 * npm run notebook trusts only notebooks whose bytes this project wrote: the committed blob or the
 * last report's output. A stranger's notebook and a committed one with an edited output stay untrusted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { decideTrust, gitBlobId, headBlobs, readManifest, recordWritten } from "../lib/display/trust";

const ROOT = resolve(__dirname, "..");

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

      const before = decideTrust(files(), headBlobs(dir, "notebooks"), readManifest(dir));
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
      recordWritten(dir, ["notebooks/01-model.ipynb"]);
      assert.deepEqual(decideTrust(files(), headBlobs(dir, "notebooks"), readManifest(dir)).trusted, [
        "notebooks/00-overview.ipynb",
        "notebooks/01-model.ipynb",
      ]);
      writeFileSync(join(dir, "notebooks", "01-model.ipynb"), committed.replace("overview", "mode1"));
      assert.deepEqual(decideTrust(files(), headBlobs(dir, "notebooks"), readManifest(dir)).trusted, [
        "notebooks/00-overview.ipynb",
      ]);

      // Outside a git checkout (a downloaded copy), only the report's manifest counts.
      assert.equal(headBlobs(tmpdir(), "notebooks").size, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
