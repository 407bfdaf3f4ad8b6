/**
 * The baselines' settings and their cached results, read back without training anything: all the
 * report's pages need. Training them (all.ts) needs TensorFlow.js, whose type declarations are some
 * six hundred files that a notebook's kernel would otherwise parse and track before its first cell;
 * only the testing notebook, which may train them, imports all.ts.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { CLASSES, INPUT, LabelledSet } from "../data/shapes";
import { BaselineResult, cachedBaseline } from "./cache";
import { InputError } from "../common/errors";
import { sha256 } from "../data/checksum";

/** The TensorFlow.js MLP trained by minibatches (tfmlp.ts). */
export interface TfMlpOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  layers?: number[]; // hidden sizes, default [256, 512]
  decayAfter?: number; // from this epoch on (1-based), lr is multiplied by decayFactor
  decayFactor?: number;
}

/** The TensorFlow.js MLP trained by the original's recipe (tforiginal.ts). */
export interface OriginalRecipe {
  steps: number;
  lr: number;
  seed: number;
  chunk: number; // images per piece of the full-batch gradient
  validateEvery: number;
}

/** What the original's recipe records step by step (its baseline record's notes). */
export interface OriginalCurves {
  loss: number[]; // loss[s]: mean training cross-entropy at the start of step s + 1
  trainAccuracy: number[]; // the same weights' accuracy on the training images
  validation: [step: number, accuracy: number][]; // after `step` steps (0: the initial weights)
  stepSeconds: number[]; // wall time of each step, for the record
}

/** The original recipe's layer sizes, 784-256-512-10. */
export const ORIGINAL_SIZES = [INPUT, 256, 512, CLASSES];
/** The shapes of w1, b1, ... b3, in that order (as the weights file holds them). */
export const ORIGINAL_SHAPES = ORIGINAL_SIZES.slice(1).flatMap((n, l) => [[ORIGINAL_SIZES[l], n], [n]]);

export interface BaselineSettings {
  tfOriginal: OriginalRecipe;
  tfMlp: TfMlpOptions;
  logReg: { C: number; maxIter: number };
  forest: { trees: number; seed: number };
}

export interface Baselines {
  tfOriginal: BaselineResult;
  tfMlp: BaselineResult;
  logReg: BaselineResult;
  forestDepth5: BaselineResult;
  forestUnlimited: BaselineResult;
}

export interface BaselineSets {
  train: LabelledSet;
  val: LabelledSet;
  test: LabelledSet;
}

/** A baseline as its cache names it: the file's name, what trained it, what determines it. */
export interface BaselineSpec {
  name: string;
  library: string;
  settings: Record<string, unknown>;
}

const TFJS = "@tensorflow/tfjs 4.22.0, WebAssembly backend";
/** The two random forests' depth limits. */
export const FOREST_DEPTHS = { forestDepth5: 5, forestUnlimited: Infinity } as const;
const forestSpec = (s: BaselineSettings, maxDepth: number): BaselineSpec => {
  const label = maxDepth === Infinity ? "none" : maxDepth;
  return {
    name: `random-forest-depth-${label}`,
    library: "this repository (lib/baselines/forest.ts)",
    settings: { ...s.forest, maxDepth: label },
  };
};

/** The framework MLP by the original's recipe. */
export const originalRecipeSpec = (r: OriginalRecipe): BaselineSpec => ({
  name: "tf-mlp-original",
  library: TFJS,
  settings: { ...r },
});

/** The five baselines under these settings, in the order they are trained. */
export function baselineSpecs(s: BaselineSettings): Record<keyof Baselines, BaselineSpec> {
  return {
    tfOriginal: originalRecipeSpec(s.tfOriginal),
    tfMlp: { name: "tf-mlp", library: TFJS, settings: { ...s.tfMlp } },
    logReg: { name: "logistic-regression", library: "this repository (lib/baselines/logreg.ts)", settings: s.logReg },
    forestDepth5: forestSpec(s, FOREST_DEPTHS.forestDepth5),
    forestUnlimited: forestSpec(s, FOREST_DEPTHS.forestUnlimited),
  };
}

/** The weights file's bytes as w1 ... b3. */
export function weightsOf(bytes: Uint8Array): Float32Array[] {
  const sizes = ORIGINAL_SHAPES.map((shape) => shape.reduce((a, b) => a * b));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (all.length !== sizes.reduce((a, b) => a + b))
    throw new Error(`a weights file of ${bytes.length} bytes is not a ${ORIGINAL_SIZES.join("-")} network's.`);
  let at = 0;
  return sizes.map((n) => all.subarray(at, (at += n)));
}

/**
 * The framework MLP's weights (w1 ... b3), read from the file its record names and checked
 * against the SHA-256 the record gives: a weights file that is not the record's is refused.
 */
export function readOriginalWeights(cacheDir: string, record: BaselineResult): Float32Array[] {
  const named = record.notes.weights as { file?: unknown; sha256?: unknown } | undefined;
  if (typeof named?.file !== "string" || typeof named.sha256 !== "string" || /[\\/]/.test(named.file))
    throw new InputError(`the record of ${record.name} in ${cacheDir} names no weights file with its SHA-256.`);
  const path = join(cacheDir, named.file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new InputError(`${path} is missing; its record (${record.name}.json) names it: restore it from git.`);
  }
  if (sha256(bytes) !== named.sha256)
    throw new InputError(
      `${path} is not the weights its record names (SHA-256 ${sha256(bytes).slice(0, 12)}..., the record says ` +
        `${named.sha256.slice(0, 12)}...): restore it (git checkout -- ${path}), or remove the record ` +
        `${join(cacheDir, `${record.name}.json`)} and run npm run framework to train both anew.`,
    );
  return weightsOf(bytes);
}

/** Every baseline's current cached result, or an error naming the first that has none (nothing is trained). */
export async function readBaselines(
  sets: BaselineSets,
  dataChecksum: string,
  s: BaselineSettings,
  cacheDir: string,
): Promise<Baselines> {
  const specs = baselineSpecs(s);
  const read = async (key: keyof Baselines) => {
    const { name, library, settings } = specs[key];
    return cachedBaseline(cacheDir, name, library, settings, dataChecksum, "readOnly", sets.test.labels, () => {
      throw new Error("a read-only cache does not train"); // cachedBaseline refuses before it would
    });
  };
  const tfOriginal = await read("tfOriginal");
  readOriginalWeights(cacheDir, tfOriginal); // the weights its record names, checked whenever the record is read
  return {
    tfOriginal,
    tfMlp: await read("tfMlp"),
    logReg: await read("logReg"),
    forestDepth5: await read("forestDepth5"),
    forestUnlimited: await read("forestUnlimited"),
  };
}
