/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian header (two zero bytes, a type code, the number of dimensions, each dimension as
 * a uint32) followed by the values. Only unsigned bytes (type 0x08) occur in these data sets.
 * Files may be raw or gzipped (detected by the gzip magic bytes, not by the name).
 */
import { gunzipSync, constants as zlibConstants } from "zlib";
import { InputError } from "../common/errors";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parse IDX bytes (raw or gzipped); `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (isGzip(bytes)) bytes = gunzipCapped(bytes, name);
  if (bytes.length < 4) throw new InputError(`${name} is too short to be an IDX file (${bytes.length} bytes).`);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UBYTE || bytes[3] < 1 || bytes[3] > 3) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    throw new InputError(`${name} has magic number 0x${magic}; expected an unsigned-byte IDX file (0x00000801 .. 0x00000803).`);
  }
  const ndim = bytes[3];
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) throw new InputError(`${name} is truncated inside its header.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndim; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual !== expected) {
    throw new InputError(
      `${name} holds ${actual} data bytes but its header (${dims.join(" x ")}) promises ${expected}; the file is ${actual < expected ? "truncated" : "too long"}.`,
    );
  }
  // A plain Uint8Array, never a Buffer (whose slice() shares memory). Bytes that own their whole
  // buffer (a large file's) are viewed in place, sparing a copy (47 MB for MNIST's training images,
  // ~0.15 s of page faults); a small file's may be a slice of Node's shared pool, so they are copied.
  const owned = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
  const data = owned ? new Uint8Array(bytes.buffer, headerLength, expected) : new Uint8Array(bytes.subarray(headerLength));
  return { dims, data };
}

/** The largest IDX file this reader inflates (MNIST's largest is 47 MB). */
export const MAX_IDX_BYTES = 1 << 30;

/** The header's length and the total length it promises, from the first bytes of a file. */
function promisedLength(head: Uint8Array): number | null {
  if (head.length < 4 || head[3] < 1 || head[3] > 3) return null;
  const headerLength = 4 + 4 * head[3];
  if (head.length < headerLength) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let n = 1;
  for (let d = 0; d < head[3]; d++) n *= view.getUint32(4 + 4 * d, false);
  return headerLength + n;
}

/**
 * Inflate a gzipped IDX file without trusting it: first only its first kilobyte (enough for the
 * header), then the whole file with the output capped at what the header promises, so a small
 * file that inflates to gigabytes is refused at once instead of after filling memory.
 */
function gunzipCapped(bytes: Uint8Array, name: string): Uint8Array {
  const corrupt = () => new InputError(`${name} is not a valid gzip file (it is truncated or corrupt).`);
  let head: Uint8Array;
  try {
    head = gunzipSync(bytes.subarray(0, 1024), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    throw corrupt();
  }
  const promised = promisedLength(head);
  if (promised !== null && promised > MAX_IDX_BYTES) throw new InputError(`${name}'s header promises ${promised} bytes; this reader accepts IDX files up to ${MAX_IDX_BYTES} bytes.`);
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(promised ?? head.length, 1) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
      throw new InputError(`${name} inflates to more than the ${promised ?? head.length} bytes its header promises (the file is corrupt or not an IDX file).`);
    }
    throw corrupt();
  }
}

/** Images: an IDX array of n x rows x cols, returned flat (n x rows*cols). */
export function asImages(idx: IdxArray, name: string): { n: number; rows: number; cols: number; pixels: Uint8Array } {
  if (idx.dims.length !== 3) throw new InputError(`${name} has ${idx.dims.length} dimensions; expected 3 (n x rows x cols) for images.`);
  const [n, rows, cols] = idx.dims;
  return { n, rows, cols, pixels: idx.data };
}

/** Labels: an IDX array of n values, each in 0 .. numClasses-1. */
export function asLabels(idx: IdxArray, name: string, numClasses = 10): Uint8Array {
  if (idx.dims.length !== 1) throw new InputError(`${name} has ${idx.dims.length} dimensions; expected 1 for labels.`);
  const labels = idx.data;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= numClasses) {
      throw new InputError(`${name} has label ${labels[i]} at index ${i}; expected labels 0..${numClasses - 1}.`);
    }
  }
  return labels;
}
