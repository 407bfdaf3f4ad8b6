/**
 * A page's twin of wasmfiles.ts (a page's bundle takes it in that file's place): the same exports,
 * from the modules' bytes and identities that lib/report/bundle.ts embedded in the bundle when it
 * built it from build/ (so a page runs exactly those binaries).
 */
import { InputError } from "../common/errors";

export type WasmModule = object;
export type WasmPart = "core" | "minibatch";

interface Embedded {
  base64: string;
  definition: string; // lib/engine/wasmfiles.ts's wasmDefinition(part) when the bundle was built
  build: string; // its wasmBuild(part)
  binary: string;
}
declare const __WASM__: { core: Embedded; minibatch: Embedded; minibatchBase: number };

export const WASM_PARTS: Record<WasmPart, { binary: string }> = { core: __WASM__.core, minibatch: __WASM__.minibatch };

export const wasmDefinition = (part: WasmPart): string => __WASM__[part].definition;
export const wasmBuild = (part: WasmPart): string => __WASM__[part].build;
export const minibatchBase = (): number => __WASM__.minibatchBase;

export function wasmBytes(part: WasmPart): Uint8Array {
  return Uint8Array.from(atob(__WASM__[part].base64), (c) => c.charCodeAt(0));
}

const compiled = new Map<WasmPart, WasmModule>();
export function wasmModule(part: WasmPart): WasmModule {
  if (!compiled.has(part)) {
    try {
      compiled.set(part, new WebAssembly.Module(wasmBytes(part)));
    } catch (e) {
      throw engineError(
        `this browser cannot compile ${__WASM__[part].binary} (${(e as Error).message.replace(/\.$/, "")}); it ` +
          `needs WebAssembly with SIMD`,
      );
    }
  }
  return compiled.get(part)!;
}

export function engineError(why: string): InputError {
  return new InputError(`the fast engine cannot start: ${why}.`);
}
