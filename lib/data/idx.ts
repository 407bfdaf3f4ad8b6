/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian header (two zero bytes, a type code, the number of dimensions, each dimension as
 * a uint32) followed by the values. Only unsigned bytes (type 0x08) occur in these data sets.
 * Files may be raw or gzipped (detected by the gzip magic bytes, not by the name).
 */
import { Gunzip } from "fflate";
import { InputError } from "../common/errors";
import { IMAGE_SIZE, LabelledSet } from "./shapes";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
  bytes: Uint8Array; // the whole file as IDX (inflated, if it came gzipped): what identifies it
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
    throw new InputError(
      `${name} has magic number 0x${magic}; expected an unsigned-byte IDX file (0x00000801 .. 0x00000803).`,
    );
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
      `${name} holds ${actual} data bytes but its header (${dims.join(" x ")}) promises ${expected}; the file is ` +
        `${actual < expected ? "truncated" : "too long"}.`,
    );
  }
  // A plain Uint8Array, never a Buffer (whose slice() shares memory). Bytes that own their whole
  // buffer (a large file's) are viewed in place, sparing a copy (47 MB for MNIST's training images);
  // a small file's may be a slice of Node's shared pool, so they are copied.
  const owned = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
  const data = owned
    ? new Uint8Array(bytes.buffer, headerLength, expected)
    : new Uint8Array(bytes.subarray(headerLength));
  return { dims, data, bytes };
}

/** The largest IDX file this reader inflates (MNIST's largest is 47 MB). */
export const MAX_IDX_BYTES = 1 << 30;

/** The total length (header and data) that the header at the start of `head` promises, or null if it is not one. */
function promisedLength(head: Uint8Array): number | null {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || head[3] < 1 || head[3] > 3) return null;
  const headerLength = 4 + 4 * head[3];
  if (head.length < headerLength) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let n = 1;
  for (let d = 0; d < head[3]; d++) n *= view.getUint32(4 + 4 * d, false);
  return headerLength + n;
}

/**
 * Inflate a gzipped IDX file without trusting it: the output is checked as it comes, against the
 * total its header promises once the header has come out, so a small file that inflates to
 * gigabytes is refused at once instead of after filling memory. (fflate, not Node's zlib: this
 * reader also runs in a page, on the files a reader picks.)
 */
function gunzipCapped(bytes: Uint8Array, name: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0,
    promised: number | null = null;
  const tooLong = () =>
    new InputError(
      `${name} inflates to more than the ${promised} bytes its header promises (the file is corrupt or not an IDX ` +
        `file).`,
    );
  const notIdx = new Error("not an IDX header");
  const inflater = new Gunzip((chunk) => {
    chunks.push(chunk);
    total += chunk.length;
    if (promised === null && total >= 16) {
      promised = promisedLength(concat(chunks, 16));
      if (promised === null) throw notIdx; // parseIdx names what its first bytes are instead
      if (promised > MAX_IDX_BYTES)
        throw new InputError(
          `${name}'s header promises ${promised} bytes; this reader accepts IDX files up to ${MAX_IDX_BYTES} bytes.`,
        );
    }
    if (promised !== null && total > promised) throw tooLong();
  });
  try {
    const STEP = 1 << 16; // fed in steps, so a bomb is caught after one step's output
    for (let at = 0; at < bytes.length; at += STEP)
      inflater.push(bytes.subarray(at, at + STEP), at + STEP >= bytes.length);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e === notIdx) return concat(chunks, 16);
    throw new InputError(`${name} is not a valid gzip file (it is truncated or corrupt).`);
  }
  return concat(chunks, total);
}

/** The first `n` bytes of the chunks, as one array. */
function concat(chunks: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0, i = 0; at < n; at += chunks[i++].length) out.set(chunks[i].subarray(0, n - at), at);
  return out;
}

/** Images: an IDX array of n x rows x cols, returned flat (n x rows*cols). */
export function asImages(idx: IdxArray, name: string): { n: number; rows: number; cols: number; pixels: Uint8Array } {
  if (idx.dims.length !== 3)
    throw new InputError(`${name} has ${idx.dims.length} dimensions; expected 3 (n x rows x cols) for images.`);
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

/** An IDX image file and its labels as one set of 28 x 28 images, checked against each other. */
export function labelledSet(
  images: IdxArray,
  imagesName: string,
  labelsIdx: IdxArray,
  labelsName: string,
): LabelledSet {
  const img = asImages(images, imagesName);
  if (img.rows !== IMAGE_SIZE || img.cols !== IMAGE_SIZE) {
    throw new InputError(`${imagesName} holds ${img.rows} x ${img.cols} images; expected 28 x 28.`);
  }
  const labels = asLabels(labelsIdx, labelsName);
  if (labels.length !== img.n) {
    throw new InputError(
      `${labelsName} holds ${labels.length} labels but ${imagesName} holds ${img.n} images; they must match.`,
    );
  }
  return { n: img.n, pixels: img.pixels, labels };
}
