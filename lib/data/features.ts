/**
 * Model inputs. An MNIST digit is ~80% zero pixels, so each set is stored once in compressed
 * sparse rows: the forward pass and the x^T d1 term then touch only the ~150 lit pixels.
 * Skipping exact zeros changes no sum (v + 0 = v), so results equal the dense computation.
 */
import { INPUT, LabelledSet } from "./shapes";
import { splitRows } from "./split";

/** "raw": pixel values 0..255 as the original (faithful default); "unit": scaled to [0, 1]. */
export type PixelScale = "raw" | "unit";

export interface SparseSet {
  n: number;
  rowPtr: Int32Array; // n + 1; sample s has entries rowPtr[s] .. rowPtr[s+1]-1
  index: Uint16Array; // pixel index 0..783 of each entry, ascending within a sample
  value: Float64Array | Float32Array; // the input value x_i of each entry (float32 for raw pixels: 0..255 are exact)
  labels: Uint8Array;
}

/** A set (or its rows `rows`, in that order) in sparse form; `counts` is litPerImage(set), if known. */
export function toSparse(
  set: LabelledSet,
  pixels: PixelScale = "raw",
  rows?: ArrayLike<number>,
  counts = litPerImage(set),
): SparseSet {
  const n = rows ? rows.length : set.n;
  const rowPtr = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) rowPtr[r + 1] = rowPtr[r] + counts[rows ? rows[r] : r];
  const nnz = rowPtr[n];
  // In shared memory: evaluation helper threads (lib/engine/evalpool.ts) then read their part of a set
  // in place instead of receiving a copy (the whole training set's features; seconds of start-up).
  // Raw pixels are integers 0..255, exact in float32: half the memory, the same numbers.
  // (A page has no SharedArrayBuffer unless cross-origin isolated, and evaluates on one thread.)
  const Memory = typeof SharedArrayBuffer === "function" ? SharedArrayBuffer : ArrayBuffer;
  const index = new Uint16Array(new Memory(2 * nnz));
  const value = pixels === "raw" ? new Float32Array(new Memory(4 * nnz)) : new Float64Array(new Memory(8 * nnz));
  const scale = pixels === "raw" ? 1 : 255;
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const src = rows ? rows[r] : r;
    labels[r] = set.labels[src];
    let e = rowPtr[r];
    for (let i = 0, at = src * INPUT; i < INPUT; i++) {
      const b = set.pixels[at + i];
      if (b === 0) continue;
      index[e] = i; // ascending within the image
      value[e] = scale === 1 ? b : b / scale;
      e++;
    }
  }
  return { n, rowPtr, index, value, labels };
}

/** How many pixels of each image are not 0; read four at a time (most of an MNIST image is 0). */
function litPerImage(set: LabelledSet): Int32Array {
  const counts = new Int32Array(set.n);
  const p = set.pixels;
  if (p.byteOffset % 4 === 0) {
    const words = new Uint32Array(p.buffer, p.byteOffset, (set.n * INPUT) >> 2); // 784 = 4 x 196: rows start on words
    for (let s = 0, w = 0; s < set.n; s++) {
      let c = 0;
      for (const end = w + INPUT / 4; w < end; w++) {
        const v = words[w];
        if (v !== 0) c += (v & 0xff ? 1 : 0) + (v & 0xff00 ? 1 : 0) + (v & 0xff0000 ? 1 : 0) + (v >>> 24 ? 1 : 0);
      }
      counts[s] = c;
    }
  } else {
    for (let s = 0; s < set.n; s++) for (let i = s * INPUT; i < (s + 1) * INPUT; i++) if (p[i] !== 0) counts[s]++;
  }
  return counts;
}

/** The seeded 4:1 split of a set (as splitTrainValidation in lib/data/split.ts), straight to sparse form. */
export function sparseSplit(
  set: LabelledSet,
  seed: number | string,
  pixels: PixelScale,
): { train: SparseSet; val: SparseSet } {
  const rows = splitRows(set.n, seed),
    counts = litPerImage(set);
  return { train: toSparse(set, pixels, rows.train, counts), val: toSparse(set, pixels, rows.val, counts) };
}
