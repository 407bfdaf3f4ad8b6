/**
 * The fast core: wasm/core.ts (AssemblyScript) compiled to build/core.wasm with SIMD, float32,
 * and, for true minibatch SGD, wasm/minibatch.ts (build/minibatch.wasm) on the same memory.
 * The modules come from wasmfiles.ts (build/ in Node; embedded in a page's bundle).
 * Host side: lays out one network and its data sets in the module's memory, copies parameters in
 * and out as float64 Params, and runs steps and evaluations. The random draws (sample pick,
 * dropout mask) stay in TypeScript, so both engines consume the same random stream.
 */
import { INPUT } from "../data/shapes";
import { Evaluation, Predictions } from "../mlp/evaluate";
import { SparseSet } from "../data/features";
import { CLASSES } from "../data/shapes";
import { Params, zeroParams } from "../mlp/model";
import { WASM_PARTS, WasmPart, engineError, minibatchBase, wasmModule } from "./wasmfiles";

// The few WebAssembly declarations used here (tslab compiles without DOM or WebAssembly types).
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Instance: new (module: object, imports: object) => { exports: object };
};

/** A row of W2 in the module: the 10 classes padded to 12 floats (three SIMD vectors). */
const ROW2 = 12;

function instantiate(part: WasmPart, imports: object): { exports: object } {
  try {
    return new WebAssembly.Instance(wasmModule(part), imports);
  } catch (e) {
    throw engineError(`${WASM_PARTS[part].binary} does not instantiate (${(e as Error).message.replace(/\.$/, "")})`);
  }
}

interface Exports {
  memory: WasmMemory;
  heapBase(): number;
  setNet(
    hp: number,
    w1: number,
    b1: number,
    w2: number,
    b2: number,
    cw1: number,
    cb1: number,
    cw2: number,
    cb2: number,
    scratch: number,
  ): void;
  maskPtr(): number;
  step(idx: number, val: number, nnz: number, label: number, lr: number, lambdaOverB: number): number;
  evalWorkBytes(): number;
  evaluate(
    rowPtr: number,
    idx: number,
    val: number,
    labels: number,
    n: number,
    keepProb: number,
    outPred: number,
    outProb: number,
    outCe: number,
    work: number,
  ): number;
  correct(): number;
}

interface MinibatchExports {
  heapBase(): number;
  workBytes(hp: number): number;
  setNet(
    hp: number,
    w1: number,
    b1: number,
    w2: number,
    b2: number,
    cw1: number,
    cb1: number,
    cw2: number,
    cb2: number,
    grads: number,
  ): void;
  batchStep(
    rowPtr: number,
    idx: number,
    val: number,
    labels: number,
    samples: number,
    B: number,
    masks: number,
    lr: number,
    lambdaOverB: number,
  ): number;
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
  private readonly mb: MinibatchExports | null = null;
  private readonly grads: number; // the minibatch module's gradient sums and scratch
  private batchAt = 0; // batchStep()'s samples (u32) and masks (hp floats each), for up to batchCap samples
  private batchCap = 0;

  /** With `minibatch`, the minibatch module is loaded too, on this net's memory (batchStep()). */
  constructor(h: number, minibatch = false) {
    this.h = h;
    this.hp = Math.ceil(h / 4) * 4;
    const core = instantiate("core", {
      env: {
        abort: () => {
          throw new Error("wasm core aborted");
        },
      },
    });
    this.x = core.exports as unknown as Exports;
    this.top = align(this.x.heapBase());
    if (minibatch) {
      // Its static data is placed from --memoryBase on; it must not overlap the core's.
      const base = minibatchBase();
      if (!(base >= this.top))
        throw engineError(`build:minibatch places its data at ${base}, inside the core's (which ends at ${this.top})`);
      this.mb = instantiate("minibatch", { env: { memory: this.x.memory } }).exports as unknown as MinibatchExports;
      this.top = align(this.mb.heapBase());
    }
    const hp = this.hp;
    const sizes = { w1: INPUT * hp, b1: hp, w2: hp * ROW2, b2: CLASSES };
    this.ptr = {
      w1: this.alloc(4 * sizes.w1),
      b1: this.alloc(4 * sizes.b1),
      w2: this.alloc(4 * sizes.w2),
      b2: this.alloc(4 * 16),
      cw1: this.alloc(4 * sizes.w1),
      cb1: this.alloc(4 * sizes.b1),
      cw2: this.alloc(4 * sizes.w2),
      cb2: this.alloc(4 * 16),
      scratch: this.alloc(4 * (4 * hp + INPUT + 3 * 16) + INPUT),
    };
    this.grads = this.mb ? this.alloc(this.mb.workBytes(hp)) : 0;
    this.setNets();
    this.work = this.alloc(this.x.evalWorkBytes());
  }

  /** Give both modules the network's addresses (this also resets their per-run state: zero rows, gradient sums). */
  private setNets(): void {
    const { hp, ptr: p } = this;
    this.x.setNet(hp, p.w1, p.b1, p.w2, p.b2, p.cw1, p.cb1, p.cw2, p.cb2, p.scratch);
    this.mb?.setNet(hp, p.w1, p.b1, p.w2, p.b2, p.cw1, p.cb1, p.cw2, p.cb2, this.grads);
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
    const w1 = this.f32(this.ptr.w1, INPUT * hp),
      w2 = this.f32(this.ptr.w2, hp * ROW2);
    w1.fill(0);
    w2.fill(0);
    for (let i = 0; i < INPUT; i++) for (let j = 0; j < this.h; j++) w1[i * hp + j] = p.w1[i * this.h + j];
    // padding stays zero
    for (let j = 0; j < this.h; j++) for (let k = 0; k < CLASSES; k++) w2[j * ROW2 + k] = p.w2[j * CLASSES + k];
    this.f32(this.ptr.b1, hp).fill(0).set(p.b1);
    this.f32(this.ptr.b2, CLASSES).set(p.b2);
    for (const [at, n] of [
      [this.ptr.cw1, INPUT * hp],
      [this.ptr.cb1, hp],
      [this.ptr.cw2, hp * ROW2],
      [this.ptr.cb2, CLASSES],
    ])
      this.f32(at, n).fill(0);
    this.setNets(); // forgets which rows are zero
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
    const rowPtr = this.alloc(4 * (set.n + 1)),
      idx = this.alloc(2 * nnz),
      val = this.alloc(4 * nnz),
      labels = this.alloc(set.n);
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

  /**
   * True minibatch SGD: one update from the mean gradient of `samples` (indices into a loaded
   * set), sample r with dropout mask masks[r * h .. (r + 1) * h) (0/1). Needs a net made with
   * `minibatch`. Returns the batch's summed cross-entropy before the update.
   */
  batchStep(set: WasmSet, samples: Uint32Array, masks: Float64Array, lr: number, lambdaOverB: number): number {
    if (!this.mb) throw new Error("this net was made without the minibatch module (new WasmNet(h, true)).");
    const B = samples.length,
      { h, hp } = this;
    if (masks.length !== B * h) throw new Error(`expected ${B} masks of ${h} units, got ${masks.length} values.`);
    if (B > this.batchCap) {
      this.batchAt = this.alloc(4 * B + 4 * B * hp);
      this.batchCap = B;
      this.f32(this.batchAt + 4 * B, B * hp).fill(0); // the padding units' mask entries stay 0
    }
    new Uint32Array(this.x.memory.buffer, this.batchAt, B).set(samples);
    const m = this.f32(this.batchAt + 4 * this.batchCap, B * hp);
    for (let r = 0; r < B; r++) m.set(masks.subarray(r * h, (r + 1) * h), r * hp);
    return this.mb.batchStep(
      set.rowPtr,
      set.idx,
      set.val,
      set.labels,
      this.batchAt,
      B,
      this.batchAt + 4 * this.batchCap,
      lr,
      lambdaOverB,
    );
  }

  /** Loss and accuracy of a loaded set (a1 scaled by keepProb), optionally with predictions. */
  evaluate(set: WasmSet, keepProb: number, lambda: number, out?: Predictions): Evaluation {
    let pred = 0,
      prob = 0;
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
    return [
      [ptr.w1, INPUT * hp],
      [ptr.b1, hp],
      [ptr.w2, hp * ROW2],
      [ptr.b2, CLASSES],
    ];
  }

  /** |W1|^2 + |W2|^2 of the float32 weights (padding is zero). */
  private weightNorm2(): number {
    let s = 0;
    for (const a of [this.f32(this.ptr.w1, INPUT * this.hp), this.f32(this.ptr.w2, this.hp * ROW2)])
      for (let i = 0; i < a.length; i++) s += a[i] * a[i];
    return s;
  }
}

function align(n: number): number {
  return Math.ceil(n / 16) * 16;
}
