/**
 * The pages' bundles: a page's entry point (lib/web/) and everything it imports, as one minified
 * script. One rule makes them browser code: where a module has a twin beside it, `name.browser.ts`
 * (same exports, no Node.js), the bundle takes the twin. A bundle may reach no other Node.js
 * module (esbuild refuses one for the browser), so nothing but the twins differs from what Node.js
 * runs: the training path itself is shared.
 */
import { existsSync } from "fs";
import { resolve } from "path";
import type { Plugin } from "esbuild";
import { ROOT } from "../common/root";
import { WasmPart, minibatchBase, wasmBuild, wasmBytes, wasmDefinition, WASM_PARTS } from "../engine/wasmfiles";
import { trainingCodeId } from "../experiment/trainingcode";
import { software } from "../common/provenance";

/** The twin a page takes for the module `path` imports (relative, no extension), if it has one. */
export function browserTwin(resolveDir: string, path: string): string | null {
  const twin = resolve(resolveDir, path) + ".browser.ts";
  return existsSync(twin) ? twin : null;
}

const twins: Plugin = {
  name: "browser-twins",
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.importer.includes("node_modules")) return undefined;
      const twin = browserTwin(args.resolveDir, args.path);
      return twin && twin !== args.importer ? { path: twin } : undefined;
    });
  },
};

/** A minified browser bundle (one script) of `entry`, with `define`d constants. */
export async function bundle(entry: string, define: Record<string, unknown>): Promise<string> {
  const esbuild = require("esbuild") as typeof import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "browser",
    format: "iife",
    target: ["chrome110", "firefox115"],
    plugins: [twins],
    define: Object.fromEntries(Object.entries(define).map(([k, v]) => [k, JSON.stringify(v)])),
    legalComments: "none",
    charset: "utf8",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/** A bundle of the training path (`entry`: the page's worker), with the wasm modules and their identities embedded. */
export function workerBundle(entry = "lib/web/retrainworker.ts"): Promise<string> {
  const wasm = (part: WasmPart) => ({
    base64: Buffer.from(wasmBytes(part)).toString("base64"),
    definition: wasmDefinition(part),
    build: wasmBuild(part),
    binary: WASM_PARTS[part].binary,
  });
  const sw = software();
  return bundle(entry, {
    __WASM__: { core: wasm("core"), minibatch: wasm("minibatch"), minibatchBase: minibatchBase() },
    __TRAINING_CODE__: trainingCodeId(),
    __SOFTWARE__: { report: sw.report, seedrandom: sw.seedrandom },
  });
}
