/**
 * A clone of this repository as a reader leaves it after using the notebooks in Jupyter, made
 * through Jupyter itself (`npm run notebook` and its REST API, as the browser drives it):
 * - a checkpoint of every report notebook (`notebooks/.ipynb_checkpoints/`);
 * - an `Untitled.ipynb` they created, with a cell that fails;
 * - a committed notebook they edited and saved (`00-overview`: a sentence added to its first cell);
 * - Jupyter's own runtime files (a kernel session started and ended; they live in its runtime folder).
 * The clone holds the working tree's files, committed anew (so the tests see the code under test),
 * a copy of build/ and a link to node_modules/.
 */
import { spawn, spawnSync } from "child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { basename, dirname, join, resolve } from "path";

const ROOT = resolve(__dirname, "..");
export const EDITED = "00-overview";
/** The sentence the reader added to the edited notebook's first cell. */
export const EDIT = "A reader's own note, added in Jupyter.";

function run(cmd: string, args: string[], cwd: string, env = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

export async function usedClone(): Promise<string> {
  const clone = mkdtempSync(join(tmpdir(), "used-clone-"));
  const git = (...args: string[]) =>
    run("git", ["-c", "user.name=reader", "-c", "user.email=reader@example.org", ...args], clone);
  // The files of the working tree git knows or would add; a developer's own notebooks stay out.
  const files = run("git", ["ls-files", "-co", "--exclude-standard", "-z"], ROOT).split("\0").filter(Boolean);
  const untracked = new Set(run("git", ["ls-files", "-o", "--exclude-standard", "-z"], ROOT).split("\0"));
  for (const f of files) {
    if (!existsSync(join(ROOT, f)) || (untracked.has(f) && f.startsWith("notebooks/"))) continue;
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    cpSync(join(ROOT, f), join(clone, f), { preserveTimestamps: true });
  }
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "the code under test");
  // build/ as it is now, but for what other suites running beside this one create and remove there:
  // the browsers' profiles and half-written files (the kernel cache's, writeFileAtomic's)
  const passing = /^(chromium-profiles|firefox-profile-.*|.*\.tmp|.*\.tmp-\d+-\d+)$/;
  cpSync(join(ROOT, "build"), join(clone, "build"), {
    recursive: true,
    preserveTimestamps: true,
    filter: (source) => !passing.test(basename(source)),
  });
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"));
  // a link, which the pattern node_modules/ does not match
  appendFileSync(join(clone, ".git", "info", "exclude"), "/node_modules\n");

  // Jupyter, as `npm run notebook` starts it, with a home of its own (its data and runtime folders).
  const home = mkdtempSync(join(tmpdir(), "reader-home-"));
  const port = await freePort(),
    token = "reader";
  const jupyter = spawn(
    "npm",
    ["run", "--silent", "notebook", "--", "--no-browser", `--port=${port}`, `--NotebookApp.token=${token}`],
    { cwd: clone, env: { ...process.env, HOME: home }, stdio: "ignore", detached: true },
  );
  const exited = new Promise((r) => jupyter.once("exit", r));
  const stopped = () =>
    Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]).then(() => {
      try {
        process.kill(-jupyter.pid!, "SIGKILL"); // whatever did not stop in time
      } catch {
        // gone
      }
    });
  try {
    // Jupyter's JSON, as it comes
    const api = async (path: string, method = "GET", body?: unknown): Promise<any> => {
      const r = await fetch(`http://127.0.0.1:${port}/api/${path}`, {
        method,
        headers: { Authorization: `token ${token}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${method} /api/${path}: ${r.status} ${await r.text()}`);
      return r.status === 204 ? null : r.json();
    };
    for (let t = 0; ; t++) {
      try {
        await api("status");
        break;
      } catch (e) {
        if (t > 300) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const reportNotebooks = run("git", ["ls-files", "notebooks/*.ipynb"], clone).trim().split("\n");
    for (const nb of reportNotebooks) await api(`contents/${nb}/checkpoints`, "POST");
    // A new notebook, with a cell that fails, saved.
    const untitled = await api("contents/notebooks", "POST", { type: "notebook" });
    const content = untitled.content ?? (await api(`contents/${untitled.path}`)).content;
    content.cells = [{ cell_type: "code", source: 'throw new Error("my scratch cell")', metadata: {}, outputs: [] }];
    content.cells[0].execution_count = null;
    await api(`contents/${untitled.path}`, "PUT", { type: "notebook", content });
    // A committed notebook, edited and saved.
    const path = `notebooks/${EDITED}.ipynb`;
    const edited = (await api(`contents/${path}`)).content;
    const first = edited.cells.find((c: { cell_type: string }) => c.cell_type === "markdown");
    first.source = `${first.source}\n\n${EDIT}`;
    await api(`contents/${path}`, "PUT", { type: "notebook", content: edited });
    // A kernel session, started and ended.
    const kernel = { name: "mnist-report" };
    const session = await api("sessions", "POST", { path: untitled.path, type: "notebook", kernel });
    await api(`sessions/${session.id}`, "DELETE");
  } finally {
    try {
      process.kill(-jupyter.pid!, "SIGTERM");
    } catch {
      // gone
    }
    await stopped();
  }
  return clone;
}
