/**
 * Draw a digit (visualisation section and the report's first page): a pad where a reader draws
 * with the mouse or a finger; the page prepares the drawing as MNIST's digits were prepared and
 * runs the selected model's forward pass on it, from the saved weights, with the equations of
 * lib/mlp/forward.ts (hidden layer x keepProb at evaluation). Page script: web/drawdigit.js.
 */
import { gzipSync } from "zlib";
import { CLASSES, INPUT } from "../data/shapes";
import { pageScript, widgetHtml } from "../display/widget";
import { SavedModel } from "../experiment/modelio";
import { ReportItem } from "./item";

export const drawDigit: ReportItem<{ model: SavedModel }, Record<string, never>> = {
  name: "draw-a-digit",
  title: "draw a digit; the selected model classifies it in the page (interactive)",
  defaults: {},
  build({ model }) {
    const data = padData(model);
    return {
      pad: {
        kind: "widget",
        plotly: false,
        html: widgetHtml({ name: "draw-a-digit", script: pageScript("drawdigit"), data, plotly: false }),
      },
    };
  },
};

/** What the pad's page script (web/drawdigit.js) takes: the model's settings and its weights, gzipped. */
export function padData(model: SavedModel) {
  const { h } = model.params,
    { keepProb, pixels } = model.record.config;
  // The weights as the model stores them (float32), in the order w1, b1, w2, b2.
  const all = new Float32Array(INPUT * h + h + h * CLASSES + CLASSES);
  let at = 0;
  for (const a of [model.params.w1, model.params.b1, model.params.w2, model.params.b2]) {
    all.set(a, at);
    at += a.length;
  }
  return {
    h,
    keepProb,
    unitPixels: pixels === "unit",
    weights: gzipSync(Buffer.from(all.buffer), { level: 9 }).toString("base64"),
    dtype: model.dtype,
  };
}
