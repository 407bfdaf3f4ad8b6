/**
 * The repository's root folder. Library files run from lib/ (as TypeScript, through tsx or the
 * tslab kernel) and from build/js/lib/ (compiled, for the CLIs' fast start), so paths to the
 * project's own files (build/core.wasm, wasm/, data/) start here, never at `__dirname/..`.
 */
import { existsSync } from "fs";
import { dirname, join } from "path";

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "wasm", "core.ts"))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the repository root above ${from}.`);
  }
}

export const ROOT = findRoot(__dirname);
