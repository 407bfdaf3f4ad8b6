// The project's Jupyter kernel: tslab, started in the repository root. tslab compiles cells with
// rootDir = its working directory, so a notebook in notebooks/ could not import ../lib/*.ts;
// from the root it imports "./lib/...". Found by Jupyter through JUPYTER_PATH=<repo>/jupyter.
const path = require("path");
const root = path.resolve(__dirname, "..", "..", "..");
process.chdir(root);
const tslab = path.join(root, "node_modules", "tslab");
process.argv = [process.argv[0], path.join(tslab, "bin", "tslab"), "kernel", "--config-path", process.argv[2]];
// Errors raised after their cell returned (a timer, a promise rejected with nobody waiting): tslab
// prints them on whatever console is current, so one after the last cell, and a rejection, can be
// lost. They are kept here too, and the notebook runner asks for them once every cell has run
// (scripts/execute_notebook.py). Cells run in this process's global context.
// Not the kernel's own: tslab's sockets now and then reject a status message ("Socket is blocked
// by a bind or unbind operation", EBUSY), which concerns the kernel, not the notebook's output.
const late = (globalThis.__lateErrors = []);
const keep = (e) => {
  const stack = String((e && e.stack) || e);
  const thrownAt = stack.split("\n").find((line) => /^\s+at /.test(line)) || "";
  if (!/node_modules[\\/](tslab|zeromq)[\\/]/.test(thrownAt)) late.push(stack);
};
process.on("uncaughtException", keep);
process.on("unhandledRejection", keep);
// A kernel outlives whoever started it only by accident (its runner killed, the terminal closed:
// Jupyter starts it in a session of its own, out of reach of the group's signals). When its parent
// is gone it removes its connection file, which nobody else will now, and exits. The parent is the
// one Jupyter names (JPY_PARENT_PID), so a kernel whose runner died before it started sees it too.
const connectionFile = process.argv[4];
const parent = Number(process.env.JPY_PARENT_PID) || process.ppid;
const parentAlive = () => {
  try {
    process.kill(parent, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
};
setInterval(() => {
  if (parentAlive()) return;
  try {
    require("fs").rmSync(connectionFile, { force: true });
  } finally {
    process.exit(0);
  }
}, 500).unref();
// What tslab concluded about lib/ in an earlier kernel, reused where nothing it depends on changed.
require("./cache").install(root);
require(path.join(tslab, "dist", "main.js")).main();
