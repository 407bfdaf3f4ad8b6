/**
 * The saved model's format (lib/experiment/modelio.ts writes and reads it in Node.js; the retrain
 * page makes the same files in the browser): its metadata and its two files of raw little-endian
 * floats, each named by its content.
 */
import { sha256 } from "../data/checksum";
import { CLASSES, INPUT } from "../data/shapes";
import { Params, tensors } from "../mlp/model";
import { RunRecord } from "./runrecord";

export const MODEL_FORMAT = "mnist-mlp-model/1";

export type DType = "float32" | "float64";

export interface SavedModel {
  params: Params;
  initial: Params;
  record: RunRecord;
  dtype: DType;
}

export interface Meta {
  format: string;
  h: number;
  dtype: DType;
  shapes: Record<"w1" | "b1" | "w2" | "b2", number[]>;
  weights: { file: string; sha256: string };
  initial: { file: string; sha256: string };
  record: RunRecord;
}

function toBytes(p: Params, dtype: DType): Uint8Array {
  const all = tensors(p);
  const n = all.reduce((s, a) => s + a.length, 0);
  const out = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  let at = 0;
  for (const a of all) {
    out.set(a, at);
    at += a.length;
  }
  return new Uint8Array(out.buffer); // little-endian on every platform Node.js runs on here
}

/** A model's three files as `<stem>.json` names them: the JSON text and the two weight files' bytes. */
export function modelFiles(
  stem: string,
  m: SavedModel,
): { meta: Meta; json: string; weights: Uint8Array; initial: Uint8Array } {
  const weights = toBytes(m.params, m.dtype),
    initial = toBytes(m.initial, m.dtype);
  const named = (kind: string, bytes: Uint8Array) => `${stem}.${kind}-${sha256(bytes).slice(0, 12)}.bin`;
  const meta: Meta = {
    format: MODEL_FORMAT,
    h: m.params.h,
    dtype: m.dtype,
    shapes: { w1: [INPUT, m.params.h], b1: [m.params.h], w2: [m.params.h, CLASSES], b2: [CLASSES] },
    weights: { file: named("weights", weights), sha256: sha256(weights) },
    initial: { file: named("initial", initial), sha256: sha256(initial) },
    record: m.record,
  };
  return { meta, json: JSON.stringify(meta, null, 1) + "\n", weights, initial };
}
