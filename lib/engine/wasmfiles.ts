/**
 * Where the fast core's WebAssembly comes from in Node.js: build/core.wasm and build/minibatch.wasm,
 * read and compiled once per process, with the identities a run record names them by. A page's
 * bundle (lib/report/bundle.ts) takes its twin, wasmfiles.browser.ts, in this file's place: the
 * same exports, from bytes and identities embedded at build time.
 */
import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { setFlagsFromString } from "v8";
import { InputError } from "../common/errors";
import { ROOT } from "../common/root";

// The one WebAssembly declaration used here (tslab compiles without DOM or WebAssembly types).
export type WasmModule = object;
declare const WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule };

/**
 * The two WebAssembly modules: the core (wasm/core.ts: the original's single-sample update and
 * evaluation) and the true-minibatch update (wasm/minibatch.ts), which works in the core's memory.
 * Each is built by its own package.json script.
 */
export type WasmPart = "core" | "minibatch";
export const WASM_PARTS: Record<WasmPart, { source: string; binary: string; script: string }> = {
  core: { source: "wasm/core.ts", binary: "build/core.wasm", script: "build:wasm" },
  minibatch: { source: "wasm/minibatch.ts", binary: "build/minibatch.wasm", script: "build:minibatch" },
};

const sha12 = (...parts: (string | Uint8Array)[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 12);
};

const buildScript = (part: WasmPart): string =>
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts[WASM_PARTS[part].script];

/**
 * What defines a module's arithmetic: its source, the pinned compiler's version and its build
 * command (flags). Two builds from the same definition have computed identical numbers on every
 * machine tried, but their bytes may differ (a fresh `npm ci` gave a binary with another hash),
 * so results are keyed by this, not by the binary; a record made by another binary is checked by
 * recomputing a short prefix (lib/experiment/verify.ts).
 */
const definitions = new Map<WasmPart, string>();
export function wasmDefinition(part: WasmPart): string {
  if (!definitions.has(part)) {
    const asc = JSON.parse(readFileSync(join(ROOT, "node_modules", "assemblyscript", "package.json"), "utf8")).version;
    definitions.set(
      part,
      sha12(readFileSync(join(ROOT, WASM_PARTS[part].source)), `assemblyscript@${asc}`, buildScript(part)),
    );
  }
  return definitions.get(part)!;
}

/** Which binary ran (first 12 hex digits of its SHA-256): recorded beside the definition. */
const builds = new Map<WasmPart, string>();
export function wasmBuild(part: WasmPart): string {
  if (!builds.has(part)) builds.set(part, createHash("sha256").update(wasmBytes(part)).digest("hex").slice(0, 12));
  return builds.get(part)!;
}

/** A module's bytes as built. */
export function wasmBytes(part: WasmPart): Uint8Array {
  const path = join(ROOT, WASM_PARTS[part].binary);
  if (!existsSync(path)) throw engineError(`${path} is missing (npm ci or npm run build makes it)`);
  return readFileSync(path);
}

/** Where the minibatch module places its static data (its build's --memoryBase): after the core's. */
export function minibatchBase(): number {
  return Number(/--memoryBase (\d+)/.exec(buildScript("minibatch"))?.[1]);
}

const compiled = new Map<WasmPart, WasmModule>();
export function wasmModule(part: WasmPart): WasmModule {
  if (!compiled.has(part)) {
    // Compile straight to optimised code: V8's baseline tier (Liftoff) would run the first,
    // long evaluate() calls several times slower until tier-up.
    setFlagsFromString("--no-liftoff");
    // Node 26's V8 (14.x) aborts the process ("Check failed: function_feedback != ...") when it
    // inlines this module's functions into each other; without inlining it runs, with the same
    // numbers and speed (the hot loops are single functions). V8 flags are process-wide, so this
    // also covers the helper threads; Node 20-24 accept the flag too.
    setFlagsFromString("--no-wasm-inlining");
    const bytes = wasmBytes(part);
    try {
      compiled.set(part, new WebAssembly.Module(bytes));
    } catch (e) {
      throw engineError(
        `${WASM_PARTS[part].binary} does not compile on Node ${process.version} ` +
          `(${(e as Error).message.replace(/\.$/, "")})`,
      );
    }
  }
  return compiled.get(part)!;
}

/** The fast engine cannot start here: one sentence, with the way on. */
export function engineError(why: string): InputError {
  return new InputError(
    `the fast engine ("wasm") cannot start: ${why}; run npm run build, or use the TypeScript engine (--engine ` +
      `reference, or ENGINE = "reference" in a notebook).`,
  );
}
