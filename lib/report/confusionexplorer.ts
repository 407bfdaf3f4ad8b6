/**
 * Table 3 explored (testing section): clicking a cell of the confusion heatmap (true t,
 * predicted p) shows the test images in that cell (the first 50 by index, with the count) as
 * thumbnails titled with the probability the model gave its predicted class; a diagonal cell
 * shows a seeded sample of 50 correct ones. The thumbnails travel as one PNG sprite in the page.
 * Page script: web/confusionexplorer.js.
 */
import { PNG } from "pngjs";
import { makeRng, permutation } from "../common/rng";
import { CLASSES, IMAGE_SIZE, INPUT, LabelledSet } from "../data/shapes";
import { paintBlocks } from "../display/images";
import { pageScript, widgetHtml } from "../display/widget";
import { ReportItem } from "./item";
import { confusionCounts, confusionFigure } from "./table3";

export interface ConfusionExplorerInputs {
  test: LabelledSet;
  predicted: Uint8Array;
  probabilities: Float64Array; // n x 10
  seed: number; // the diagonal's sample
}

const PER_CELL = 50,
  SPRITE_COLS = 40;

export const confusionExplorer: ReportItem<ConfusionExplorerInputs, Record<string, never>> = {
  name: "confusion-explorer",
  title: "Table 3's cells opened: the test images in each (interactive)",
  defaults: {},
  build({ test, predicted, probabilities, seed }) {
    const counts = confusionCounts(test.labels, predicted);
    const members: number[][] = Array.from({ length: CLASSES * CLASSES }, () => []);
    for (let s = 0; s < test.n; s++) members[test.labels[s] * CLASSES + predicted[s]].push(s);
    const shown = members.map((m, cell) => {
      if (cell % (CLASSES + 1) !== 0) return m.slice(0, PER_CELL); // a mistake cell: the first 50
      const order = permutation(m.length, makeRng(seed, "confusion-explorer", `cell=${cell}`));
      return Array.from(order.subarray(0, Math.min(PER_CELL, m.length)), (i) => m[i]).sort((a, b) => a - b);
    });
    const images = shown.flat();
    const cells = shown.map((m) =>
      m.map((s) => [images.indexOf(s), s, Number(probabilities[s * CLASSES + predicted[s]].toFixed(3))]),
    );
    const figure = confusionFigure(counts);
    const data = { figure, counts, cells, sprite: spritePng(test, images), cols: SPRITE_COLS, size: IMAGE_SIZE };
    return {
      explorer: {
        kind: "widget",
        plotly: true,
        html: widgetHtml({ name: "confusion-explorer", script: pageScript("confusionexplorer"), data, plotly: true }),
        fallback: { figure, height: 600 },
      },
    };
  },
};

/** The chosen test images as one grey PNG, SPRITE_COLS per row, black ink on white (as Figure 2 draws them). */
function spritePng(test: LabelledSet, images: number[]): string {
  const rows = Math.max(1, Math.ceil(images.length / SPRITE_COLS));
  const png = new PNG({ width: SPRITE_COLS * IMAGE_SIZE, height: rows * IMAGE_SIZE });
  png.data.fill(255);
  images.forEach((s, q) => {
    const at = s * INPUT;
    paintBlocks(
      png,
      (q % SPRITE_COLS) * IMAGE_SIZE,
      Math.floor(q / SPRITE_COLS) * IMAGE_SIZE,
      IMAGE_SIZE,
      IMAGE_SIZE,
      1,
      (i) => {
        const v = 255 - test.pixels[at + i];
        return [v, v, v];
      },
    );
  });
  return `data:image/png;base64,${PNG.sync.write(png, { colorType: 0 }).toString("base64")}`;
}
