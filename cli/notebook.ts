/**
 * npm run notebook [-- JUPYTER_ARGS...]
 * Starts Jupyter Notebook (Debian's jupyter-notebook) on 127.0.0.1 in the repository, with the
 * project's kernel found through JUPYTER_PATH=<repo>/jupyter and made the default, and prints the
 * report's URL with its token. The report's notebooks are signed first (nbformat.sign, for the
 * user who runs this), so their saved charts show before anything is re-run, but only those whose
 * bytes this project wrote (lib/display/trust.ts): the committed ones and what the last
 * `npm run report` wrote. Any other is left untrusted (its HTML outputs sanitised, its scripts not
 * run) and named, with why. Signing records a notebook's hash in the user's Jupyter data folder;
 * the file is unchanged. Arguments go to Jupyter, e.g. `npm run notebook -- --port 8899 --no-browser`.
 */
import { spawn, spawnSync } from "child_process";
import { readFileSync } from "fs";
import { delimiter, join } from "path";
import { createInterface } from "readline";
import { InputError, exitOnInputError } from "../lib/common/errors";
import { ROOT } from "../lib/common/root";
import { decideTrust, readManifest } from "../lib/display/trust";
import { headBlobs } from "../lib/common/git";
import { REPORT_NOTEBOOKS, notebookFolder, notebookPath } from "../lib/report/notebooks";

const PYTHON = process.env.JUPYTER_PYTHON ?? "/usr/bin/python3";
const KERNEL = "mnist-report";

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log("usage: npm run notebook [-- JUPYTER_ARGS...]   e.g. npm run notebook -- --port 8899 --no-browser");
    return;
  }
  if (spawnSync(PYTHON, ["-c", "import notebook, nbformat.sign"]).status !== 0) {
    throw new InputError(
      `${PYTHON} has no Jupyter Notebook: install it with npm run setup (Debian's jupyter-notebook).`,
    );
  }
  const env = {
    ...process.env,
    JUPYTER_PATH: [join(ROOT, "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
  };
  // What Jupyter lists: the *.ipynb files at the top of notebooks/; a folder, a FIFO or a dangling
  // link of that name is named and left alone (opening a FIFO would wait for ever).
  const { files: notebooks, skipped } = notebookFolder(ROOT);
  for (const s of skipped) console.log(`skipped: ${s.path}: ${s.why}.`);
  const allowed = REPORT_NOTEBOOKS.map(notebookPath);
  const manifest = readManifest(ROOT, allowed);
  if (manifest.problem) console.log(`${manifest.problem}.`);
  const files = notebooks.map((path) => ({ path, bytes: readFileSync(join(ROOT, path)) }));
  const { trusted, copies, untrusted } = decideTrust(files, headBlobs(ROOT, "notebooks"), manifest.hashes);
  if (trusted.length > 0) {
    const signed = spawnSync(PYTHON, ["-m", "nbformat.sign", ...trusted.map((p) => join(ROOT, p))], {
      env,
      encoding: "utf8",
    });
    if (signed.status !== 0)
      throw new InputError(
        `signing the notebooks failed (${PYTHON} -m nbformat.sign): ` +
          `${(signed.stderr || signed.stdout).trim().split("\n").pop()}`,
      );
  }
  console.log(
    `${trusted.length + copies.length} of ${notebooks.length} notebooks in notebooks/ trusted for this user: the ` +
      `project wrote them, so their saved charts show without re-running.`,
  );
  for (const c of copies)
    console.log(
      `trusted as a copy: ${c.path} holds the bytes of ${c.of}, and Jupyter trusts a notebook by its content.`,
    );
  for (const u of untrusted) console.log(`not trusted: ${u.path}: ${u.why}.`);

  const jupyter = spawn(
    PYTHON,
    [
      "-m",
      "notebook",
      "--ip=127.0.0.1",
      `--MappingKernelManager.default_kernel_name=${KERNEL}`,
      ...(args.some((a) => a.startsWith("--notebook-dir")) ? [] : [`--notebook-dir=${ROOT}`]),
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []), // CI and containers run as root
      ...args,
    ],
    { cwd: ROOT, env, stdio: ["inherit", "inherit", "pipe"] },
  );
  // Jupyter logs to stderr; pass it on, and name the report's folder once the URL is known.
  let announced = false;
  createInterface({ input: jupyter.stderr! }).on("line", (line) => {
    process.stderr.write(line + "\n");
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)(?:tree)?\?token=(\w+)/.exec(line);
    if (url && !announced) {
      announced = true;
      console.log(
        `\nThe report: ${url[1]}tree/notebooks?token=${url[2]}\n(kernel "TypeScript (MNIST report)"; Ctrl-C twice ` +
          `stops the server)\n`,
      );
    }
  });
  // Ctrl-C reaches Jupyter from the terminal itself (it asks to confirm; twice skips that); other
  // signals sent to this process alone are passed on once.
  process.on("SIGINT", () => undefined);
  for (const signal of ["SIGTERM", "SIGHUP"] as const) process.once(signal, () => jupyter.kill(signal));
  jupyter.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

try {
  main();
} catch (e) {
  exitOnInputError(e);
}
