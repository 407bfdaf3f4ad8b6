/**
 * The hidden units forming: the selected configuration's W1 at a handful of epochs, recorded
 * when the model is (re)trained, with how many hidden units never fire on the validation set at
 * each (dead ReLUs) and the weights' norms after every epoch. The snapshots are kept at display
 * precision only: each unit's column of W1 as integers -16..16 of its largest |weight| (the 33
 * levels the unit tiles draw), gzip-compressed, about 40 kB per snapshot at h = 128 instead of
 * 400 kB; the norms and dead-unit counts come from the full-precision weights.
 */
import { existsSync, readFileSync } from "fs";
import { gunzipSync, gzipSync } from "zlib";
import { writeFileAtomic } from "../common/atomic";
import { InputError } from "../common/errors";
import { INPUT } from "../data/shapes";
import { SparseSet } from "../data/features";
import { deadUnits } from "../mlp/evaluate";
import { Params } from "../mlp/model";

export const FORMING_FORMAT = "mnist-mlp-forming/1";
export const SNAPSHOT_EPOCHS = [0, 1, 2, 5, 10, 20, 50, 100, 200];
export const LEVELS = 16;

export interface Forming {
  format: string;
  h: number;
  nVal: number; // the validation images the dead units are counted on
  // w1: base64 gzip of Int8 784 x h (row-major), value x scale[j] / LEVELS
  snapshots: { epoch: number; dead: number; scale: number[]; w1: string }[];
  norms: { epoch: number[]; w1: number[]; w2: number[] }; // L2 norms after each epoch
}

/** W1 at display precision: per unit j, round(16 w / max|w_j|). */
export function quantiseW1(p: Params): { scale: number[]; q: Int8Array } {
  const { h, w1 } = p,
    scale = new Array(h).fill(0),
    q = new Int8Array(w1.length);
  for (let i = 0; i < INPUT; i++) for (let j = 0; j < h; j++) scale[j] = Math.max(scale[j], Math.abs(w1[i * h + j]));
  for (let i = 0; i < w1.length; i++) {
    const m = scale[i % h];
    q[i] = m > 0 ? Math.round((w1[i] / m) * LEVELS) : 0;
  }
  return { scale, q };
}

const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

/** Collects a Forming during train() (pass its onWeights), for a run of `epochs` epochs. */
export function formingRecorder(
  h: number,
  epochs: number,
  val: SparseSet,
): { onWeights(epoch: number, params: () => Params): void; result(): Forming } {
  const f: Forming = { format: FORMING_FORMAT, h, nVal: val.n, snapshots: [], norms: { epoch: [], w1: [], w2: [] } };
  const wanted = new Set([...SNAPSHOT_EPOCHS.filter((e) => e <= epochs), epochs]);
  return {
    onWeights(epoch, params) {
      const p = params();
      f.norms.epoch.push(epoch);
      f.norms.w1.push(norm(p.w1));
      f.norms.w2.push(norm(p.w2));
      if (!wanted.has(epoch)) return;
      const { scale, q } = quantiseW1(p);
      f.snapshots.push({ epoch, dead: deadUnits(p, val), scale, w1: gzipSync(q, { level: 9 }).toString("base64") });
    },
    result: () => f,
  };
}

export function formingPath(modelPath: string): string {
  return modelPath.replace(/\.json$/, "") + ".forming.json";
}

export function saveForming(path: string, f: Forming): void {
  writeFileAtomic(path, JSON.stringify(f) + "\n");
}

/**
 * The record beside a model of h hidden units trained `epochs` epochs; a file that does not fit is
 * refused in one sentence.
 */
export function loadForming(path: string, h: number, epochs: number): Forming {
  if (!existsSync(path)) throw new InputError(`${path} does not exist yet`);
  let f: Forming;
  try {
    f = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new InputError(`${path} is not JSON (damaged)`);
  }
  const bad = (why: string) => new InputError(`${path} is not the forming record of this model: ${why}.`);
  if (f.format !== FORMING_FORMAT) throw bad(`its format is ${JSON.stringify(f.format)}, expected ${FORMING_FORMAT}`);
  if (f.h !== h) throw bad(`h = ${f.h}, expected ${h}`);
  if (f.norms?.epoch?.length !== epochs + 1)
    throw bad(`it has norms for ${f.norms?.epoch?.length} epochs, expected ${epochs + 1}`);
  const last = f.snapshots?.[f.snapshots.length - 1];
  if (!last || last.epoch !== epochs) throw bad(`its last snapshot is not epoch ${epochs}`);
  for (const s of f.snapshots) {
    if (s.scale?.length !== h) throw bad(`snapshot ${s.epoch} has ${s.scale?.length} unit scales, expected ${h}`);
    let q: Buffer;
    try {
      q = gunzipSync(Buffer.from(s.w1, "base64"));
    } catch {
      throw bad(`snapshot ${s.epoch}'s W1 does not inflate`);
    }
    if (q.length !== INPUT * h) throw bad(`snapshot ${s.epoch}'s W1 has ${q.length} values, expected ${INPUT * h}`);
  }
  return f;
}
