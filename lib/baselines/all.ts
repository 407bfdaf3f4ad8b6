/**
 * lib/baselines/: the testing section's comparison models, trained on the same images and cached.
 *
 * The testing section's baselines, each trained on the same training images and cached (see
 * cache.ts): the TensorFlow.js MLP by the original's recipe and by a minibatch recipe, logistic
 * regression, and the random forest with and without its depth limit.
 */
import { readFileSync } from "fs";
import { dirname, join } from "path";
import { LabelledSet } from "../data/shapes";
import { toSparse } from "../data/features";
import { BaselineResult, CacheUse, cachedBaseline } from "./cache";
import { forestSize, predictForest, trainForest } from "./forest";
import { predictLogReg, trainLogReg } from "./logreg";
import { TfMlpOptions, predictTfMlp, trainTfMlp } from "./tfmlp";
import { OriginalRecipe, dropCheckpoint, trainOriginalRecipe, weightsOf } from "./tforiginal";
import { checkWritableDir, checkWritableFile, writeFileAtomic } from "../common/atomic";
import { InputError } from "../common/errors";
import { sha256 } from "../data/checksum";
import { ROOT } from "../common/root";

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

const TFJS = "@tensorflow/tfjs 4.22.0, WebAssembly backend";

/**
 * The framework MLP by the original's recipe (tforiginal.ts): cached like the others, its weights
 * beside the record (`<name>.weights.bin`, float32 w1 b1 w2 b2 w3 b3, named by SHA-256 in the
 * record's notes), its checkpoint in build/ so that an interrupted run resumes.
 */
export async function originalRecipeBaseline(
  sets: BaselineSets,
  dataChecksum: string,
  r: OriginalRecipe,
  cacheDir: string,
  use: CacheUse,
  progress: (text: string) => void,
): Promise<BaselineResult> {
  const name = "tf-mlp-original";
  const key = JSON.stringify({ r, dataChecksum });
  const checkpoint = {
    path: join(ROOT, "build", "checkpoints", `${name}-${sha256(key).slice(0, 12)}.json`),
    key,
    every: 25,
  };
  const result = await cachedBaseline(
    cacheDir,
    name,
    TFJS,
    r as unknown as Record<string, unknown>,
    dataChecksum,
    use,
    sets.test.labels,
    async () => {
      // Where it will write, checked before the first of its long steps.
      checkWritableDir(dirname(checkpoint.path), "the checkpoints' folder");
      checkWritableFile(join(cacheDir, `${name}.weights.bin`), "the weights file");
      const started = Date.now();
      const out = await trainOriginalRecipe(sets, r, checkpoint, (step, c, from) => {
        if (from > 0 && step === from + 1) progress(`resumed from ${checkpoint.path} after step ${from}`);
        const perStep = (Date.now() - started) / 1000 / (step - from);
        const left = Math.round(((r.steps - step) * perStep) / 60);
        progress(
          `TensorFlow.js MLP, the original's recipe: step ` +
            `${step}/${r.steps}${from ? ` (resumed after ${from})` : ""}, loss ${c.loss[step - 1].toFixed(4)}, ` +
            `validation accuracy ${c.validation.at(-1)![1].toFixed(4)} (after ${c.validation.at(-1)![0]}), about ` +
            `${left} min left`,
        );
      });
      const bytes = new Uint8Array(out.weights.reduce((n, w) => n + w.byteLength, 0));
      out.weights.reduce(
        (at, w) => (bytes.set(new Uint8Array(w.buffer, w.byteOffset, w.byteLength), at), at + w.byteLength),
        0,
      );
      writeFileAtomic(join(cacheDir, `${name}.weights.bin`), bytes);
      return {
        predicted: out.predicted,
        labels: sets.test.labels,
        seconds: out.seconds,
        notes: { ...out.curves, weights: { file: `${name}.weights.bin`, sha256: sha256(bytes) } },
      };
    },
    progress,
  );
  dropCheckpoint(checkpoint.path); // only once the record is written: until then, the run can resume
  readOriginalWeights(cacheDir, result); // the weights its record names, checked whenever the record is read
  return result;
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

/** Every baseline: a current cached result, or trained now (`retrain`: always trained). */
export function baselines(
  sets: BaselineSets,
  dataChecksum: string,
  s: BaselineSettings,
  cacheDir: string,
  retrain: boolean,
  progress: (text: string) => void,
): Promise<Baselines> {
  return baselinesFrom(sets, dataChecksum, s, cacheDir, retrain ? "retrain" : "reuse", progress);
}

/** Every baseline's current cached result, or an error naming the first that has none (nothing is trained). */
export function readBaselines(
  sets: BaselineSets,
  dataChecksum: string,
  s: BaselineSettings,
  cacheDir: string,
): Promise<Baselines> {
  return baselinesFrom(sets, dataChecksum, s, cacheDir, "readOnly", () => undefined);
}

async function baselinesFrom(
  sets: BaselineSets,
  dataChecksum: string,
  s: BaselineSettings,
  cacheDir: string,
  use: CacheUse,
  progress: (text: string) => void,
): Promise<Baselines> {
  const { train, test } = sets;
  const cached = (
    name: string,
    library: string,
    settings: object,
    fit: () => Promise<{ predicted: Uint8Array; notes?: Record<string, unknown> }>,
  ) =>
    cachedBaseline(
      cacheDir,
      name,
      library,
      settings as Record<string, unknown>,
      dataChecksum,
      use,
      test.labels,
      async () => ({ ...(await fit()), labels: test.labels }),
      progress,
    );
  const tfOriginal = await originalRecipeBaseline(sets, dataChecksum, s.tfOriginal, cacheDir, use, progress);
  const tfMlp = await cached("tf-mlp", TFJS, s.tfMlp, async () => {
    const net = await trainTfMlp(train, s.tfMlp, (e, loss) =>
      progress(`TensorFlow.js MLP: epoch ${e}/${s.tfMlp.epochs}, training loss ${loss.toFixed(4)}`),
    );
    return { ...predictTfMlp(net, test), notes: { lossPerEpoch: net.lossPerEpoch } };
  });
  progress("logistic regression (L-BFGS) ...");
  const logReg = await cached(
    "logistic-regression",
    "this repository (lib/baselines/logreg.ts)",
    s.logReg,
    async () => {
      const m = trainLogReg(toSparse(train), s.logReg.C, s.logReg.maxIter);
      return { ...predictLogReg(m, toSparse(test)), notes: m.fit };
    },
  );
  const forest = (maxDepth: number) => {
    const label = maxDepth === Infinity ? "none" : maxDepth;
    return cached(
      `random-forest-depth-${label}`,
      "this repository (lib/baselines/forest.ts)",
      { ...s.forest, maxDepth: label },
      async () => {
        const f = trainForest(train.pixels, train.labels, { ...s.forest, maxDepth }, (t) =>
          progress(`random forest (max depth ${label}): tree ${t}/${s.forest.trees}`),
        );
        return { ...predictForest(f, test.pixels, test.n), notes: { nodes: forestSize(f) } };
      },
    );
  };
  const forestDepth5 = await forest(5);
  const forestUnlimited = await forest(Infinity);
  progress("baselines ready");
  return { tfOriginal, tfMlp, logReg, forestDepth5, forestUnlimited };
}
