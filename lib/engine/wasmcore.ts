/**
 * The fast core: wasm/core.ts (AssemblyScript) compiled to build/core.wasm with SIMD, float32.
 * Host side: lays out one network and its data sets in the module's memory, copies parameters in
 * and out as float64 Params, and runs steps and evaluations. The random draws (sample pick,
 * dropout mask) stay in TypeScript, so both engines consume the same random stream.
 */
import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { setFlagsFromString } from "v8";
import { INPUT } from "../data/shapes";
import { Evaluation, Predictions } from "../mlp/evaluate";
import { SparseSet } from "../data/features";
import { InputError } from "../common/errors";
import { CLASSES } from "../data/shapes";
import { Params, zeroParams } from "../mlp/model";
import { ROOT } from "../common/root";

// The few WebAssembly declarations used here (tslab compiles without DOM or WebAssembly types).
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
};

/** A row of W2 in the module: the 10 classes padded to 12 floats (three SIMD vectors). */
const ROW2 = 12;

const WASM_PATH = join(ROOT, "build", "core.wasm");
let compiled: WasmModule | null = null;

const sha12 = (...parts: (string | Uint8Array)[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 12);
};

/**
 * What defines the fast engine's arithmetic: its source (wasm/core.ts), the pinned compiler's
 * version and the build command (flags). Two builds from the same definition have computed
 * identical numbers on every machine tried, but their bytes may differ (a fresh `npm ci` gave a
 * binary with another hash), so results are keyed by this, not by the binary; a record made by
 * another binary is checked by recomputing a short prefix (lib/experiment/verify.ts).
 */
let definition: string | null = null;
export function wasmCoreDefinition(): string {
  if (definition === null) {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const asc = JSON.parse(readFileSync(join(ROOT, "node_modules", "assemblyscript", "package.json"), "utf8")).version;
    definition = sha12(readFileSync(join(ROOT, "wasm", "core.ts")), `assemblyscript@${asc}`, pkg.scripts["build:wasm"]);
  }
  return definition;
}

/** Which binary ran (first 12 hex digits of build/core.wasm's SHA-256): recorded beside the definition. */
let build: string | null = null;
export function wasmCoreBuild(): string {
  if (!existsSync(WASM_PATH)) throw engineError(`${WASM_PATH} is missing (npm ci or npm run build makes it)`);
  build ??= createHash("sha256").update(readFileSync(WASM_PATH)).digest("hex").slice(0, 12);
  return build;
}

function wasmModule(): WasmModule {
  if (!compiled) {
    if (!existsSync(WASM_PATH)) throw engineError(`${WASM_PATH} is missing (npm ci or npm run build makes it)`);
    // Compile straight to optimised code: V8's baseline tier (Liftoff) would run the first,
    // long evaluate() calls several times slower until tier-up.
    setFlagsFromString("--no-liftoff");
    // Node 26's V8 (14.x) aborts the process ("Check failed: function_feedback != ...") when it
    // inlines this module's functions into each other; without inlining it runs, with the same
    // numbers and speed (the hot loops are single functions). V8 flags are process-wide, so this
    // also covers the helper threads; Node 20-24 accept the flag too.
    setFlagsFromString("--no-wasm-inlining");
    try {
      compiled = new WebAssembly.Module(readFileSync(WASM_PATH));
    } catch (e) {
      throw engineError(`${WASM_PATH} does not compile on Node ${process.version} (${(e as Error).message.replace(/\.$/, "")})`);
    }
  }
  return compiled;
}

/** The fast engine cannot start here: one sentence, with the way on. */
function engineError(why: string): InputError {
  return new InputError(`the fast engine ("wasm") cannot start: ${why}; run npm run build, or use the TypeScript engine (--engine reference, or ENGINE = "reference" in a notebook).`);
}

interface Exports {
  memory: WasmMemory;
  heapBase(): number;
  setNet(hp: number, w1: number, b1: number, w2: number, b2: number, cw1: number, cb1: number, cw2: number, cb2: number, scratch: number): void;
  maskPtr(): number;
  step(idx: number, val: number, nnz: number, label: number, lr: number, lambdaOverB: number): number;
  evalWorkBytes(): number;
  evaluate(rowPtr: number, idx: number, val: number, labels: number, n: number, keepProb: number, outPred: number, outProb: number, outCe: number, work: number): number;
  correct(): number;
}

/** A data set copied into the module's memory. */
export interface WasmSet {
  n: number;
  rowPtr: number;
  idx: number;
  val: number;
  labels: number;
  rows: Int32Array; // the host's copy of rowPtr (to find a sample's pixels)
}

export class WasmNet {
  readonly h: number;
  readonly hp: number; // h padded to a multiple of 4 with all-zero units
  private readonly x: Exports;
  private top: number;
  private readonly ptr: Record<"w1" | "b1" | "w2" | "b2" | "cw1" | "cb1" | "cw2" | "cb2" | "scratch", number>;
  private readonly work: number; // evaluate()'s scratch

  constructor(h: number) {
    this.h = h;
    this.hp = Math.ceil(h / 4) * 4;
    const module = wasmModule();
    let instance: { exports: object };
    try {
      instance = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error("wasm core aborted"); } } });
    } catch (e) {
      throw engineError(`build/core.wasm does not instantiate (${(e as Error).message.replace(/\.$/, "")})`);
    }
    this.x = instance.exports as unknown as Exports;
    this.top = align(this.x.heapBase());
    const hp = this.hp;
    const sizes = { w1: INPUT * hp, b1: hp, w2: hp * ROW2, b2: CLASSES };
    this.ptr = {
      w1: this.alloc(4 * sizes.w1), b1: this.alloc(4 * sizes.b1), w2: this.alloc(4 * sizes.w2), b2: this.alloc(4 * 16),
      cw1: this.alloc(4 * sizes.w1), cb1: this.alloc(4 * sizes.b1), cw2: this.alloc(4 * sizes.w2), cb2: this.alloc(4 * 16),
      scratch: this.alloc(4 * (4 * hp + INPUT + 3 * 16) + INPUT),
    };
    const p = this.ptr;
    this.x.setNet(hp, p.w1, p.b1, p.w2, p.b2, p.cw1, p.cb1, p.cw2, p.cb2, p.scratch);
    this.work = this.alloc(this.x.evalWorkBytes());
  }

  /** Reserve `bytes` (16-aligned, zeroed) in the module's memory, growing it as needed. */
  private alloc(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes);
    const need = this.top - this.x.memory.buffer.byteLength;
    if (need > 0) this.x.memory.grow(Math.ceil(need / 65536));
    return at;
  }

  private f32(at: number, n: number): Float32Array {
    return new Float32Array(this.x.memory.buffer, at, n);
  }

  /** Load parameters (rounded to float32) and reset the Adagrad accumulators to zero. */
  setParams(p: Params): void {
    if (p.h !== this.h) throw new Error(`parameters have h = ${p.h}; this net has h = ${this.h}.`);
    const { hp } = this;
    const w1 = this.f32(this.ptr.w1, INPUT * hp), w2 = this.f32(this.ptr.w2, hp * ROW2);
    w1.fill(0);
    w2.fill(0);
    for (let i = 0; i < INPUT; i++) for (let j = 0; j < this.h; j++) w1[i * hp + j] = p.w1[i * this.h + j];
    for (let j = 0; j < this.h; j++) for (let k = 0; k < CLASSES; k++) w2[j * ROW2 + k] = p.w2[j * CLASSES + k]; // padding stays zero
    this.f32(this.ptr.b1, hp).fill(0).set(p.b1);
    this.f32(this.ptr.b2, CLASSES).set(p.b2);
    for (const [at, n] of [[this.ptr.cw1, INPUT * hp], [this.ptr.cb1, hp], [this.ptr.cw2, hp * ROW2], [this.ptr.cb2, CLASSES]]) this.f32(at, n).fill(0);
    const q = this.ptr;
    this.x.setNet(hp, q.w1, q.b1, q.w2, q.b2, q.cw1, q.cb1, q.cw2, q.cb2, q.scratch); // forgets which rows are zero
  }

  /** The current parameters as float64 (unpadded). */
  params(): Params {
    const { h, hp } = this;
    const p = zeroParams(h);
    const w1 = this.f32(this.ptr.w1, INPUT * hp);
    for (let i = 0; i < INPUT; i++) for (let j = 0; j < h; j++) p.w1[i * h + j] = w1[i * hp + j];
    p.b1.set(this.f32(this.ptr.b1, h));
    const w2 = this.f32(this.ptr.w2, hp * ROW2);
    for (let j = 0; j < h; j++) for (let k = 0; k < CLASSES; k++) p.w2[j * CLASSES + k] = w2[j * ROW2 + k];
    p.b2.set(this.f32(this.ptr.b2, CLASSES));
    return p;
  }

  /** Copy a set's sparse rows into the module (values rounded to float32; exact for pixels). */
  loadSet(set: SparseSet): WasmSet {
    const nnz = set.rowPtr[set.n];
    const rowPtr = this.alloc(4 * (set.n + 1)), idx = this.alloc(2 * nnz), val = this.alloc(4 * nnz), labels = this.alloc(set.n);
    const buf = this.x.memory.buffer; // after every alloc (growing detaches old views)
    new Int32Array(buf, rowPtr, set.n + 1).set(set.rowPtr);
    new Uint16Array(buf, idx, nnz).set(set.index);
    new Float32Array(buf, val, nnz).set(set.value);
    new Uint8Array(buf, labels, set.n).set(set.labels);
    return { n: set.n, rowPtr, idx, val, labels, rows: set.rowPtr };
  }

  /** The original's single-sample update with the given 0/1 mask; returns the sample's cross-entropy. */
  step(set: WasmSet, s: number, label: number, mask: Float64Array, lr: number, lambdaOverB: number): number {
    this.f32(this.x.maskPtr(), this.hp).set(mask);
    const start = set.rows[s];
    return this.x.step(set.idx + 2 * start, set.val + 4 * start, set.rows[s + 1] - start, label, lr, lambdaOverB);
  }

  /** Loss and accuracy of a loaded set (a1 scaled by keepProb), optionally with predictions. */
  evaluate(set: WasmSet, keepProb: number, lambda: number, out?: Predictions): Evaluation {
    let pred = 0, prob = 0;
    if (out) {
      pred = this.alloc(set.n);
      prob = this.alloc(4 * set.n * CLASSES);
    }
    const ce = this.x.evaluate(set.rowPtr, set.idx, set.val, set.labels, set.n, keepProb, pred, prob, 0, this.work);
    if (out) {
      out.predicted.set(new Uint8Array(this.x.memory.buffer, pred, set.n));
      out.probabilities.set(new Float32Array(this.x.memory.buffer, prob, set.n * CLASSES));
      this.top = pred; // release the scratch
    }
    const correct = this.x.correct();
    return { loss: this.loss(ce, lambda, set.n), accuracy: correct / set.n, correct, n: set.n };
  }

  /**
   * Samples first .. first+count-1 of a loaded set: each sample's cross-entropy into `ce` (from
   * ce[0]), and the number classified right. For evaluating a set in parts (lib/engine/evalpool.ts).
   */
  evaluatePart(set: WasmSet, first: number, count: number, keepProb: number, ce: Float64Array): number {
    const at = this.alloc(8 * count);
    this.x.evaluate(set.rowPtr + 4 * first, set.idx, set.val, set.labels + first, count, keepProb, 0, 0, at, this.work);
    ce.set(new Float64Array(this.x.memory.buffer, at, count));
    this.top = at;
    return this.x.correct();
  }

  /** The mean loss as the original defines it: (sum of cross-entropies + lambda/2 |W|^2) / n. */
  loss(ce: number, lambda: number, n: number): number {
    return (ce + 0.5 * lambda * this.weightNorm2()) / n;
  }

  /** Length of the weights as one float32 vector (W1, b1, W2, b2 as laid out here, padding included). */
  get weightsLength(): number {
    return INPUT * this.hp + this.hp + this.hp * ROW2 + CLASSES;
  }

  /** Copy the weights into `to` (weightsLength floats), e.g. a buffer shared with a worker. */
  exportWeights(to: Float32Array): void {
    let o = 0;
    for (const [at, n] of this.weightBlocks()) {
      to.set(this.f32(at, n), o);
      o += n;
    }
  }

  /** The inverse of exportWeights (Adagrad accumulators untouched). */
  importWeights(from: Float32Array): void {
    let o = 0;
    for (const [at, n] of this.weightBlocks()) {
      this.f32(at, n).set(from.subarray(o, o + n));
      o += n;
    }
  }

  private weightBlocks(): [number, number][] {
    const { hp, ptr } = this;
    return [[ptr.w1, INPUT * hp], [ptr.b1, hp], [ptr.w2, hp * ROW2], [ptr.b2, CLASSES]];
  }

  /** |W1|^2 + |W2|^2 of the float32 weights (padding is zero). */
  private weightNorm2(): number {
    let s = 0;
    for (const a of [this.f32(this.ptr.w1, INPUT * this.hp), this.f32(this.ptr.w2, this.hp * ROW2)]) for (let i = 0; i < a.length; i++) s += a[i] * a[i];
    return s;
  }
}

function align(n: number): number {
  return Math.ceil(n / 16) * 16;
}
