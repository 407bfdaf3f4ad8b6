import { gzipSync } from "zlib";

/** Build IDX bytes: magic 0x000008NN, the dims, then the data. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(head.buffer);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

export const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));
