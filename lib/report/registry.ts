/**
 * Every figure of the report, rebuilt from the results in data/ (no retraining): the plotly
 * figures with a file name and a size for export, and the pictures that are PNGs already.
 */
import { classCounts, loadDataset, splitTrainValidation } from "../data/sources";
import { classCountsFigure, figure1, figure1Models } from "../display/charts";
import { confusionCounts, confusionFigure } from "./table3";
import { InputError } from "../common/errors";
import { gridConfigs, loadCachedRun, runIdentity, runPath } from "../experiment/grid";
import { Profile, profile } from "../experiment/profile";
import { figure3, figure4, figure4Indices, unitTilesPng } from "./heatmaps";
import { digitGridPng, firstOfEachClass } from "../display/images";
import { mistakesFigure, pickMistakes } from "./figure2";
import { loadOriginalRecord } from "../experiment/original";
import { Figure } from "../display/plot";
import { modelPredictions, readSelected, selectBest } from "../experiment/selected";
import { toSparse } from "../data/features";

export interface NamedFigure {
  name: string; // file name without extension
  figure: Figure;
  width: number;
  height: number;
}

export interface ReportFigures {
  plotly: NamedFigure[];
  png: { name: string; png: Uint8Array }[];
}

/**
 * The report's figures from the profile's results (full: `data/runs`, `data/models/selected.json`,
 * official MNIST): the record of each of the grid's configurations, found by its identity (never
 * another file that happens to lie in the folder), and the selected model, checked to be the
 * best record's. The data set is the profile's, never taken from a record's contents.
 */
export function reportFigures(prof: Profile = profile()): ReportFigures {
  const { seed, modelPath } = prof;
  const ds = loadDataset(prof.data);
  const runs = gridConfigs(prof.grid).map((c) => {
    const id = runIdentity(c, prof.grid.seed, ds.checksum);
    let why = `${runPath(prof.runsDir, id)} is missing`;
    const r = loadCachedRun(prof.runsDir, id, (reason) => (why = reason));
    if (!r) throw new InputError(`no current record for h=${c.h} lr=${c.lr} lambda=${c.lambda}: ${why}; compute the grid first (npm run grid, or npm run report).`);
    return r;
  });
  const best = selectBest(runs);
  const { model, why } = readSelected(best, modelPath);
  if (!model) throw new InputError(`${modelPath} is not the selected model: ${why}; rebuild it with npm run grid (or npm run report).`);
  const original = loadOriginalRecord();
  const models = figure1Models(runs, original, [...prof.grid.hs].reverse().map((h) => ({ h, lr: best.config.lr, lambda: best.config.lambda })));
  const split = splitTrainValidation(ds.train, seed);
  const test = ds.test ?? split.val;
  const predictions = modelPredictions(model, test);
  const mistakes = pickMistakes(test.labels, predictions.predicted, predictions.probabilities, 30, "random", seed);
  const figure4Images = figure4Indices(test.n, seed, 4);
  const counts = [{ name: "training", counts: classCounts(split.train) }, { name: "validation", counts: classCounts(split.val) }];
  if (ds.test) counts.push({ name: "test", counts: classCounts(ds.test) });
  return {
    plotly: [
      { name: "data-class-counts", figure: classCountsFigure(counts), width: 900, height: 400 },
      { name: "figure1-training-curves-cropped", figure: figure1(models, true), width: 1200, height: 560 },
      { name: "figure1-training-curves-full", figure: figure1(models, false), width: 1200, height: 560 },
      { name: "figure2-misclassified-test-images", figure: mistakesFigure(test.pixels, mistakes, 10), width: 1200, height: 520 },
      { name: "table3-confusion-matrix", figure: confusionFigure(confusionCounts(test.labels, predictions.predicted)), width: 700, height: 640 },
      { name: "figure3-parameters-before-after", figure: figure3(model.initial, model.params), width: 1200, height: 900 },
      { name: "figure4-hidden-layer", figure: figure4(model.params, toSparse(test, model.record.config.pixels), test.pixels, figure4Images, model.record.config.keepProb), width: 1200, height: 1100 },
    ],
    png: [
      { name: "data-sample-digits", png: digitGridPng(split.train.pixels, firstOfEachClass(split.train.labels, 2), 10, 2) },
      { name: "hidden-unit-weights", png: unitTilesPng(model.params, 16, 3) },
    ],
  };
}
