/**
 * Saved models: a JSON file of metadata and two binary files of raw little-endian floats
 * (the trained and the initial parameters, each in the order w1, b1, w2, b2). No executable
 * content; the loader checks format, shapes, byte lengths, SHA-256 checksums and finiteness.
 *
 *   <name>.json          { format, h, dtype, shapes, weights: {file, sha256}, initial: {file, sha256}, record }
 *   <name>.weights.bin   trained parameters (after the last epoch, as the original saved)
 *   <name>.initial.bin   the same model's initial parameters (Figure 3's true "before")
 */
import { readFileSync, readdirSync, rmSync } from "fs";
import { basename, dirname, join } from "path";
import { writeFileAtomic } from "../common/atomic";
import { INPUT } from "../data/shapes";
import { InputError } from "../common/errors";
import { CLASSES } from "../data/shapes";
import { Params, tensors, zeroParams } from "../mlp/model";
import { validateRunRecord } from "./runrecord";
import { DType, MODEL_FORMAT, Meta, SavedModel, modelFiles } from "./modelformat";
import { sha256 } from "../data/checksum";

export { MODEL_FORMAT } from "./modelformat";
export type { DType, SavedModel } from "./modelformat";

/**
 * Write `<name>.json` and its two weight files so that a kill at any moment leaves either the
 * old model, complete, or the new one: the weight files are named by their content
 * (`<name>.weights-<sha>.bin`), so writing them never touches the files the current JSON names;
 * the JSON is then renamed over the old one in one step; only after that are the old weight
 * files removed. (Weight files of an interrupted save are left over, and removed by the next.)
 */
export function saveModel(path: string, m: SavedModel): void {
  const stem = path.replace(/\.json$/, "");
  const { meta, json, weights, initial } = modelFiles(basename(stem), m);
  const dir = dirname(path);
  writeFileAtomic(join(dir, meta.weights.file), weights);
  writeFileAtomic(join(dir, meta.initial.file), initial);
  writeFileAtomic(`${stem}.json`, json);
  const mine = new RegExp(
    `^${basename(stem).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(weights|initial)(-[0-9a-f]{12})?\\.bin$`,
  );
  for (const f of readdirSync(dir))
    if (mine.test(f) && f !== meta.weights.file && f !== meta.initial.file) rmSync(join(dir, f), { force: true });
}

function bad(path: string, what: string): never {
  throw new InputError(`${path} is not a valid model file: ${what}.`);
}

function readParams(path: string, file: string, sha: string, h: number, dtype: DType): Params {
  const full = join(dirname(path), file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(full);
  } catch {
    return bad(path, `its weights file ${full} is missing`);
  }
  const p = zeroParams(h);
  const size = dtype === "float32" ? 4 : 8;
  const n = tensors(p).reduce((s, a) => s + a.length, 0);
  if (bytes.length !== n * size)
    bad(path, `${full} holds ${bytes.length} bytes, expected ${n * size} (${n} ${dtype} values for h = ${h})`);
  if (sha256(bytes) !== sha) bad(path, `${full} does not match its SHA-256 checksum (corrupt or replaced)`);
  const copy = new Uint8Array(bytes); // aligned copy
  const values = dtype === "float32" ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
  let at = 0;
  for (const a of tensors(p)) {
    a.set(values.subarray(at, at + a.length));
    at += a.length;
  }
  if (!values.every(Number.isFinite)) bad(path, `${full} holds a non-finite value`);
  return p;
}

export function loadModel(path: string): SavedModel {
  let meta: Meta;
  try {
    meta = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
    return bad(path, missing ? "no such file" : "not JSON");
  }
  if (meta === null || typeof meta !== "object") bad(path, "not a JSON object");
  if (meta.format !== MODEL_FORMAT) bad(path, `format is ${JSON.stringify(meta.format)}, expected "${MODEL_FORMAT}"`);
  const h = meta.h;
  if (!Number.isInteger(h) || h < 1 || h > 4096) bad(path, `h = ${h} is not a whole number from 1 to 4096`);
  if (meta.dtype !== "float32" && meta.dtype !== "float64")
    bad(path, `dtype ${JSON.stringify(meta.dtype)} is neither "float32" nor "float64"`);
  const want = { w1: [INPUT, h], b1: [h], w2: [h, CLASSES], b2: [CLASSES] };
  if (JSON.stringify(meta.shapes) !== JSON.stringify(want))
    bad(path, `shapes ${JSON.stringify(meta.shapes)} do not match h = ${h} (expected ${JSON.stringify(want)})`);
  try {
    validateRunRecord(meta.record, "its run record");
  } catch (e) {
    bad(path, (e as Error).message.replace(/\.$/, ""));
  }
  if (meta.record.config.h !== h) bad(path, `its run record is for h = ${meta.record.config.h}, not ${h}`);
  for (const key of ["weights", "initial"] as const) {
    const f = meta[key]?.file;
    if (typeof f !== "string" || f === "")
      bad(path, `its ${key} file is not named (expected "${key}": {"file": "<name>.bin", "sha256": ...})`);
    // a plain name beside the JSON: a model file never reads outside its folder
    if (basename(f) !== f || f.startsWith("."))
      bad(path, `its ${key} file ${JSON.stringify(f)} is not a plain file name beside it`);
    if (typeof meta[key].sha256 !== "string" || !/^[0-9a-f]{64}$/.test(meta[key].sha256))
      bad(path, `its ${key} file has no SHA-256 checksum`);
  }
  return {
    params: readParams(path, meta.weights.file, meta.weights.sha256, h, meta.dtype),
    initial: readParams(path, meta.initial.file, meta.initial.sha256, h, meta.dtype),
    record: meta.record,
    dtype: meta.dtype,
  };
}
