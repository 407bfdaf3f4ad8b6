/**
 * lib/baselines/: the testing section's comparison models, trained on the same images and cached.
 *
 * The testing section's baselines, each trained on the same training images and cached (see
 * cache.ts): the TensorFlow.js MLP by the original's recipe and by a minibatch recipe, logistic
 * regression, and the random forest with and without its depth limit.
 */
import { dirname, join } from "path";
import { toSparse } from "../data/features";
import { BaselineResult, CacheUse, cachedBaseline } from "./cache";
import { forestSize, predictForest, trainForest } from "./forest";
import { predictLogReg, trainLogReg } from "./logreg";
import { predictTfMlp, trainTfMlp } from "./tfmlp";
import { dropCheckpoint, trainOriginalRecipe } from "./tforiginal";
import {
  BaselineSets,
  BaselineSettings,
  Baselines,
  FOREST_DEPTHS,
  OriginalRecipe,
  baselineSpecs,
  originalRecipeSpec,
  readOriginalWeights,
} from "./results";
import { checkWritableDir, checkWritableFile, writeFileAtomic } from "../common/atomic";
import { sha256 } from "../data/checksum";
import { ROOT } from "../common/root";

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
  const { name, library, settings } = originalRecipeSpec(r);
  const key = JSON.stringify({ r, dataChecksum });
  const checkpoint = {
    path: join(ROOT, "build", "checkpoints", `${name}-${sha256(key).slice(0, 12)}.json`),
    key,
    every: 25,
  };
  const result = await cachedBaseline(
    cacheDir,
    name,
    library,
    settings,
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

/** Every baseline: a current cached result, or trained now (`retrain`: always trained). */
export async function baselines(
  sets: BaselineSets,
  dataChecksum: string,
  s: BaselineSettings,
  cacheDir: string,
  retrain: boolean,
  progress: (text: string) => void,
): Promise<Baselines> {
  const { train, test } = sets;
  const use = retrain ? "retrain" : "reuse";
  const specs = baselineSpecs(s);
  const cached = (
    key: keyof Baselines,
    fit: () => Promise<{ predicted: Uint8Array; notes?: Record<string, unknown> }>,
  ) => {
    const { name, library, settings } = specs[key];
    const fitted = async () => ({ ...(await fit()), labels: test.labels });
    return cachedBaseline(cacheDir, name, library, settings, dataChecksum, use, test.labels, fitted, progress);
  };
  const tfOriginal = await originalRecipeBaseline(sets, dataChecksum, s.tfOriginal, cacheDir, use, progress);
  const tfMlp = await cached("tfMlp", async () => {
    const net = await trainTfMlp(train, s.tfMlp, (e, loss) =>
      progress(`TensorFlow.js MLP: epoch ${e}/${s.tfMlp.epochs}, training loss ${loss.toFixed(4)}`),
    );
    return { ...predictTfMlp(net, test), notes: { lossPerEpoch: net.lossPerEpoch } };
  });
  progress("logistic regression (L-BFGS) ...");
  const logReg = await cached("logReg", async () => {
    const m = trainLogReg(toSparse(train), s.logReg.C, s.logReg.maxIter);
    return { ...predictLogReg(m, toSparse(test)), notes: m.fit };
  });
  const forest = (key: keyof typeof FOREST_DEPTHS) =>
    cached(key, async () => {
      const maxDepth = FOREST_DEPTHS[key];
      const f = trainForest(train.pixels, train.labels, { ...s.forest, maxDepth }, (t) =>
        progress(`random forest (max depth ${specs[key].settings.maxDepth}): tree ${t}/${s.forest.trees}`),
      );
      return { ...predictForest(f, test.pixels, test.n), notes: { nodes: forestSize(f) } };
    });
  const forestDepth5 = await forest("forestDepth5");
  const forestUnlimited = await forest("forestUnlimited");
  progress("baselines ready");
  return { tfOriginal, tfMlp, logReg, forestDepth5, forestUnlimited };
}
