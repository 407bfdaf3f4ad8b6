/**
 * Evaluation on several cores, behind the same synchronous call as on one. The main thread keeps
 * the first part of each set; each helper thread holds a copy of a later part in its own wasm
 * core. To evaluate, the main thread copies its current weights into memory shared with the
 * helpers, wakes them (Atomics), evaluates its own part meanwhile, and waits for theirs.
 * Every sample's cross-entropy comes back and is summed in sample order from 0, exactly as the
 * one-thread evaluation sums them, so the loss is bit-identical whatever the number of threads
 * (tested): a run's record does not depend on the machine's core count.
 * A page evaluates on one thread: its bundle takes the twin, evalpool.browser.ts, in this file's place.
 */
import { availableParallelism } from "os";
import { join } from "path";
import { Worker } from "worker_threads";
import { Evaluation } from "../mlp/evaluate";
import { SparseSet } from "../data/features";
import { WasmNet, WasmSet } from "./wasmcore";

/** How many threads can share an evaluation here: every core. */
export function evalThreadsAvailable(): number {
  return availableParallelism();
}

/** Slots of the control array shared with each helper. */
export const CTRL = { gen: 0, done: 1, ready: 2, which: 3, correct: 4, failed: 5 } as const;
const ANSWER_MS = 600_000; // an evaluation takes well under a second; this only ends a hang

/** What a helper receives at start (worker_threads' workerData). */
export interface HelperData {
  h: number;
  keepProb: number;
  parts: SparseSet[]; // its part of each set, in the order of the sets
  weights: SharedArrayBuffer; // float32, WasmNet.weightsLength
  ctrl: SharedArrayBuffer; // int32 x 8
  ce: SharedArrayBuffer; // float64, one per sample of its largest part
}

/**
 * Samples first .. first+count-1 of a set, as a set of their own: views of its entries (in shared
 * memory when toSparse made it, so a helper thread reads them without a copy), new row offsets.
 */
export function sliceSet(set: SparseSet, first: number, count: number): SparseSet {
  const lo = set.rowPtr[first],
    hi = set.rowPtr[first + count];
  const rowPtr = new Int32Array(count + 1);
  for (let s = 0; s <= count; s++) rowPtr[s] = set.rowPtr[first + s] - lo;
  return {
    n: count,
    rowPtr,
    index: set.index.subarray(lo, hi),
    value: set.value.subarray(lo, hi),
    labels: set.labels.slice(first, first + count),
  };
}

interface Helper {
  worker: Worker;
  ctrl: Int32Array;
  ce: Float64Array;
}

export class ParallelEvaluator {
  private readonly helpers: Helper[] = [];
  private readonly weights: Float32Array;
  private readonly cuts: number[][]; // per set: part boundaries, threads + 1 of them
  private readonly mine: Float64Array;
  private started = false;
  private whole = new Float64Array(0); // per-sample losses while the helpers start

  /** `threads` - 1 helpers share the work of `sets` (already loaded in `net`) with the main thread. */
  constructor(
    private readonly net: WasmNet,
    private readonly sets: { sparse: SparseSet; loaded: WasmSet }[],
    private readonly keepProb: number,
    threads: number,
  ) {
    this.cuts = sets.map(({ sparse }) =>
      Array.from({ length: threads + 1 }, (_, t) => Math.round((sparse.n * t) / threads)),
    );
    this.mine = new Float64Array(Math.max(...this.cuts.map((c) => c[1])));
    const weights = new SharedArrayBuffer(4 * net.weightsLength);
    this.weights = new Float32Array(weights);
    for (let t = 1; t < threads; t++) {
      const parts = sets.map(({ sparse }, k) =>
        sliceSet(sparse, this.cuts[k][t], this.cuts[k][t + 1] - this.cuts[k][t]),
      );
      const data: HelperData = {
        h: net.h,
        keepProb,
        parts,
        weights,
        ctrl: new SharedArrayBuffer(4 * 8),
        ce: new SharedArrayBuffer(8 * Math.max(...parts.map((p) => p.n))),
      };
      const worker = new Worker(join(__dirname, "evalworker.js"), { workerData: data });
      worker.unref(); // never keeps the process alive
      this.helpers.push({ worker, ctrl: new Int32Array(data.ctrl), ce: new Float64Array(data.ce) });
    }
  }

  /** Loss and accuracy of set `k`, with the main thread's current weights. */
  evaluate(k: number, lambda: number): Evaluation {
    const { net, helpers } = this;
    const cut = this.cuts[k];
    if (!this.ready()) {
      // Helpers still starting (loading code and their parts): the main thread evaluates the
      // whole set rather than wait. Same per-sample losses, summed in the same order: same numbers.
      const n = cut[cut.length - 1];
      if (this.whole.length < n) this.whole = new Float64Array(n);
      const correct = net.evaluatePart(this.sets[k].loaded, 0, n, this.keepProb, this.whole);
      let ce = 0;
      for (let s = 0; s < n; s++) ce += this.whole[s];
      return { loss: net.loss(ce, lambda, n), accuracy: correct / n, correct, n };
    }
    net.exportWeights(this.weights);
    for (const h of helpers) {
      Atomics.store(h.ctrl, CTRL.which, k);
      Atomics.add(h.ctrl, CTRL.gen, 1);
      Atomics.notify(h.ctrl, CTRL.gen);
    }
    let correct = net.evaluatePart(this.sets[k].loaded, 0, cut[1], this.keepProb, this.mine);
    let ce = 0;
    for (let s = 0; s < cut[1]; s++) ce += this.mine[s];
    const deadline = Date.now() + ANSWER_MS;
    helpers.forEach((h, t) => {
      const gen = Atomics.load(h.ctrl, CTRL.gen);
      for (let done = Atomics.load(h.ctrl, CTRL.done); done !== gen; done = Atomics.load(h.ctrl, CTRL.done)) {
        if (Atomics.load(h.ctrl, CTRL.failed) !== 0)
          throw new Error("an evaluation thread failed (see the message above).");
        if (Date.now() > deadline)
          throw new Error(`an evaluation thread did not answer within ${ANSWER_MS / 1000} s (it may have crashed).`);
        Atomics.wait(h.ctrl, CTRL.done, done, 1000);
      }
      correct += Atomics.load(h.ctrl, CTRL.correct);
      for (let s = 0, n = cut[t + 2] - cut[t + 1]; s < n; s++) ce += h.ce[s];
    });
    const n = cut[cut.length - 1];
    return { loss: net.loss(ce, lambda, n), accuracy: correct / n, correct, n };
  }

  /** Stop the helpers. */
  close(): void {
    for (const h of this.helpers) void h.worker.terminate();
    this.helpers.length = 0;
  }

  /** Whether every helper has loaded its parts (checked without waiting); a helper that failed to start is an error. */
  private ready(): boolean {
    if (this.started) return true;
    for (const h of this.helpers) {
      if (Atomics.load(h.ctrl, CTRL.failed) !== 0)
        throw new Error("an evaluation thread failed to start (see the message above).");
      if (Atomics.load(h.ctrl, CTRL.ready) === 0) return false;
    }
    return (this.started = true);
  }
}
