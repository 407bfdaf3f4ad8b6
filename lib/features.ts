/**
 * Model inputs. An MNIST digit is ~80% zero pixels, so each set is stored once in compressed
 * sparse rows: the forward pass and the x^T d1 term then touch only the ~150 lit pixels.
 * Skipping exact zeros changes no sum (v + 0 = v), so results equal the dense computation.
 */
import { INPUT, LabelledSet } from "./data";

/** "raw": pixel values 0..255 as the original (faithful default); "unit": scaled to [0, 1]. */
export type PixelScale = "raw" | "unit";

export interface SparseSet {
  n: number;
  rowPtr: Int32Array; // n + 1; sample s has entries rowPtr[s] .. rowPtr[s+1]-1
  index: Uint16Array; // pixel index 0..783 of each entry, ascending within a sample
  value: Float64Array; // the input value x_i of each entry
  labels: Uint8Array;
}

export function toSparse(set: LabelledSet, pixels: PixelScale = "raw"): SparseSet {
  let nnz = 0;
  for (let k = 0; k < set.pixels.length; k++) if (set.pixels[k] !== 0) nnz++;
  const rowPtr = new Int32Array(set.n + 1);
  const index = new Uint16Array(nnz);
  const value = new Float64Array(nnz);
  let e = 0;
  for (let s = 0; s < set.n; s++) {
    rowPtr[s] = e;
    for (let i = 0; i < INPUT; i++) {
      const b = set.pixels[s * INPUT + i];
      if (b === 0) continue;
      index[e] = i;
      value[e] = pixels === "raw" ? b : b / 255;
      e++;
    }
  }
  rowPtr[set.n] = e;
  return { n: set.n, rowPtr, index, value, labels: set.labels };
}
