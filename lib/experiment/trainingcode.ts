/**
 * The training code's identity: what determines a run's numbers besides the WebAssembly modules
 * (which have theirs, `engineVersion`). It is derived, never declared: a hash of the minified
 * bundle of the training loop's whole import closure, and of the evaluation worker's (loaded by
 * path, so outside that closure), packages included. Minifying drops comments and formatting, so
 * editing those changes nothing; any other change gives another identity, and the records made by
 * the code before it are checked by recomputing a short prefix (verify.ts), not trusted unchecked.
 */
import { createHash } from "crypto";
import { ROOT } from "../common/root";

/** The entry points whose code computes a run's numbers. */
export const TRAINING_ENTRIES = ["lib/experiment/train.ts", "lib/engine/evalworker.ts"];

let memo: string | null = null;

/** 12 hex digits of SHA-256 over the minified bundles (`root`: another copy of the code, for tests). */
export function trainingCodeId(root = ROOT): string {
  if (root === ROOT && memo) return memo;
  // Loaded here only: the bundler is needed to name the code, never to run it.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const result = esbuild.buildSync({
    absWorkingDir: root, // paths inside the bundle are the repository's, wherever the clone lies
    entryPoints: TRAINING_ENTRIES,
    bundle: true,
    minify: true,
    platform: "node",
    format: "cjs",
    target: "es2022",
    outdir: "identity",
    external: ["esbuild"],
    legalComments: "none",
    charset: "utf8",
    preserveSymlinks: true, // node_modules reached through a link is named as if it were here
    write: false,
    logLevel: "silent",
  });
  const h = createHash("sha256");
  for (const f of [...result.outputFiles].sort((a, b) => a.path.localeCompare(b.path))) h.update(f.text).update("\0");
  const id = h.digest("hex").slice(0, 12);
  if (root === ROOT) memo = id;
  return id;
}
