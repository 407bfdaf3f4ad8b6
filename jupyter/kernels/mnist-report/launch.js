// The project's Jupyter kernel: tslab, started in the repository root. tslab compiles cells with
// rootDir = its working directory, so a notebook in notebooks/ could not import ../lib/*.ts;
// from the root it imports "./lib/...". Found by Jupyter through JUPYTER_PATH=<repo>/jupyter.
const path = require("path");
const root = path.resolve(__dirname, "..", "..", "..");
process.chdir(root);
const tslab = path.join(root, "node_modules", "tslab");
process.argv = [process.argv[0], path.join(tslab, "bin", "tslab"), "kernel", "--config-path", process.argv[2]];
require(path.join(tslab, "dist", "main.js")).main();
