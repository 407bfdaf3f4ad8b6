/**
 * The framework MLP's run by the original's recipe, step by step: the training loss of every
 * full-batch Adam step (left) and the accuracy on the training images (every step) and the
 * validation images (every few steps) (right). Read from its cached result's notes.
 */
import type { BaselineResult } from "../baselines/cache";
import type { OriginalCurves } from "../baselines/results";
import { OKABE_ITO } from "../display/palette";
import { ReportItem } from "./item";
import { thousands } from "../common/format";

export interface FrameworkStepsInputs {
  tfOriginal: BaselineResult;
}

export const frameworkSteps: ReportItem<FrameworkStepsInputs, Record<string, never>> = {
  name: "framework-steps",
  title: "the framework MLP trained by the original's recipe: loss and accuracy at every full-batch step",
  defaults: {},
  build({ tfOriginal }) {
    const c = tfOriginal.notes as unknown as OriginalCurves;
    const steps = c.loss.map((_, s) => s); // loss[s] is that of the weights after s steps
    const line = (name: string, x: number[], y: number[], color: string, axis: string) => ({
      type: "scatter",
      mode: "lines",
      name,
      x,
      y,
      line: { color },
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
    });
    const figure = {
      data: [
        line("training loss", steps, c.loss, OKABE_ITO.blue, ""),
        line("training accuracy", steps, c.trainAccuracy, OKABE_ITO.blue, "2"),
        line(
          "validation accuracy",
          c.validation.map((v) => v[0]),
          c.validation.map((v) => v[1]),
          OKABE_ITO.vermillion,
          "2",
        ),
      ],
      layout: {
        title: { text: `Framework MLP, the original's recipe: ${thousands(c.loss.length)} full-batch Adam steps` },
        xaxis: { domain: [0, 0.45], title: { text: "Adam steps taken" } },
        xaxis2: { domain: [0.55, 1], title: { text: "Adam steps taken" } },
        // a label at each power of ten only
        yaxis: { title: { text: "training loss (cross-entropy)" }, type: "log", dtick: 1 },
        yaxis2: { title: { text: "accuracy" }, anchor: "x2", range: [0.8, 1] },
      },
    };
    return {
      chart: { kind: "plotly", file: "framework-steps", figure, height: 420, exportSize: { width: 1000, height: 420 } },
    };
  },
};
