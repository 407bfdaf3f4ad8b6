/**
 * Model inputs. An MNIST digit is ~80% zero pixels, so each set is stored once in compressed
 * sparse rows: the forward pass and the x^T d1 term then touch only the ~150 lit pixels.
 * Skipping exact zeros changes no sum (v + 0 = v), so results equal the dense computation.
 */
import { INPUT, LabelledSet, splitRows } from "./data";

/** "raw": pixel values 0..255 as the original (faithful default); "unit": scaled to [0, 1]. */
export type PixelScale = "raw" | "unit";

export interface SparseSet {
  n: number;
  rowPtr: Int32Array; // n + 1; sample s has entries rowPtr[s] .. rowPtr[s+1]-1
  index: Uint16Array; // pixel index 0..783 of each entry, ascending within a sample
  value: Float64Array | Float32Array; // the input value x_i of each entry (float32 for raw pixels: 0..255 are exact)
  labels: Uint8Array;
}

/** A set (or its rows `rows`, in that order) in sparse form. */
export function toSparse(set: LabelledSet, pixels: PixelScale = "raw", rows?: ArrayLike<number>): SparseSet {
  const n = rows ? rows.length : set.n;
  const row = (r: number) => (rows ? rows[r] : r);
  let nnz = 0;
  if (rows) for (let r = 0; r < n; r++) nnz += countNonZero(set.pixels.subarray(row(r) * INPUT, (row(r) + 1) * INPUT));
  else nnz = countNonZero(set.pixels);
  // In shared memory: evaluation helper threads (lib/evalpool.ts) then read their part of a set
  // in place instead of receiving a copy (~100 MB for MNIST's training set; seconds of start-up).
  // Raw pixels are integers 0..255, exact in float32: half the memory, the same numbers.
  const rowPtr = new Int32Array(n + 1);
  const index = new Uint16Array(new SharedArrayBuffer(2 * nnz));
  const value = pixels === "raw" ? new Float32Array(new SharedArrayBuffer(4 * nnz)) : new Float64Array(new SharedArrayBuffer(8 * nnz));
  const scale = pixels === "raw" ? 1 : 255;
  const labels = new Uint8Array(n);
  let e = 0;
  for (let r = 0; r < n; r++) {
    rowPtr[r] = e;
    const at = row(r) * INPUT;
    labels[r] = set.labels[row(r)];
    for (let i = 0; i < INPUT; i++) {
      const b = set.pixels[at + i];
      if (b === 0) continue;
      index[e] = i;
      value[e] = scale === 1 ? b : b / scale;
      e++;
    }
  }
  rowPtr[n] = e;
  return { n, rowPtr, index, value, labels };
}

/** The seeded 4:1 split of a set (as splitTrainValidation in lib/data.ts), straight to sparse form. */
export function sparseSplit(set: LabelledSet, seed: number | string, pixels: PixelScale): { train: SparseSet; val: SparseSet } {
  const rows = splitRows(set.n, seed);
  return { train: toSparse(set, pixels, rows.train), val: toSparse(set, pixels, rows.val) };
}

/** How many bytes are not 0; four at a time where four are 0 (most of an MNIST image is 0). */
function countNonZero(bytes: Uint8Array): number {
  let nnz = 0, k = 0;
  if (bytes.byteOffset % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
    for (let w = 0; w < words.length; w++) {
      const v = words[w];
      if (v !== 0) nnz += (v & 0xff ? 1 : 0) + (v & 0xff00 ? 1 : 0) + (v & 0xff0000 ? 1 : 0) + (v >>> 24 ? 1 : 0);
    }
    k = words.length * 4;
  }
  for (; k < bytes.length; k++) if (bytes[k] !== 0) nnz++;
  return nnz;
}
