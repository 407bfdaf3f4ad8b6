/**
 * lib/baselines/: the testing section's comparison models, trained on the same images and cached.
 *
 * The testing section's baselines, each trained on the same training images and cached (see
 * cache.ts): the TensorFlow.js MLP, logistic regression, and the random forest with and without
 * its depth limit.
 */
import { LabelledSet } from "../data/shapes";
import { toSparse } from "../data/features";
import { BaselineResult, Retrain, cachedBaseline } from "./cache";
import { forestSize, predictForest, trainForest } from "./forest";
import { predictLogReg, trainLogReg } from "./logreg";
import { TfMlpOptions, predictTfMlp, trainTfMlp } from "./tfmlp";

export interface BaselineSettings {
  tfMlp: TfMlpOptions;
  logReg: { C: number; maxIter: number };
  forest: { trees: number; seed: number };
}

export interface Baselines {
  tfMlp: BaselineResult;
  logReg: BaselineResult;
  forestDepth5: BaselineResult;
  forestUnlimited: BaselineResult;
}

export async function baselines(
  train: LabelledSet, test: LabelledSet, dataChecksum: string, s: BaselineSettings, cacheDir: string, retrain: Retrain, progress: (text: string) => void,
): Promise<Baselines> {
  const cached = (name: string, library: string, settings: object, fit: () => Promise<{ predicted: Uint8Array; notes?: Record<string, unknown> }>) =>
    cachedBaseline(cacheDir, name, library, settings as Record<string, unknown>, dataChecksum, retrain, test.labels, async () => ({ ...(await fit()), labels: test.labels }), progress);
  const tfMlp = await cached("tf-mlp", "@tensorflow/tfjs 4.22.0, WebAssembly backend", s.tfMlp, async () => {
    const net = await trainTfMlp(train, s.tfMlp, (e, loss) => progress(`TensorFlow.js MLP: epoch ${e}/${s.tfMlp.epochs}, training loss ${loss.toFixed(4)}`));
    return { ...predictTfMlp(net, test), notes: { lossPerEpoch: net.lossPerEpoch } };
  });
  progress("logistic regression (L-BFGS) ...");
  const logReg = await cached("logistic-regression", "this repository (lib/baselines/logreg.ts)", s.logReg, async () => {
    const m = trainLogReg(toSparse(train), s.logReg.C, s.logReg.maxIter);
    return { ...predictLogReg(m, toSparse(test)), notes: m.fit };
  });
  const forest = (maxDepth: number) => {
    const label = maxDepth === Infinity ? "none" : maxDepth;
    return cached(`random-forest-depth-${label}`, "this repository (lib/baselines/forest.ts)", { ...s.forest, maxDepth: label }, async () => {
      const f = trainForest(train.pixels, train.labels, { ...s.forest, maxDepth }, (t) => progress(`random forest (max depth ${label}): tree ${t}/${s.forest.trees}`));
      return { ...predictForest(f, test.pixels, test.n), notes: { nodes: forestSize(f) } };
    });
  };
  const forestDepth5 = await forest(5);
  const forestUnlimited = await forest(Infinity);
  progress("baselines ready");
  return { tfMlp, logReg, forestDepth5, forestUnlimited };
}
