/**
 * Figure 3: W1 (shown transposed, h x 784), W2 (h x 10), b1 and b2, before and after training,
 * each pair on one symmetric colour scale (blue < 0 < red, white at 0) with a colour bar.
 */
import { CLASSES, INPUT } from "../data/shapes";
import { DIVERGING, dataUri, matrixPng, maxAbs } from "../display/images";
import { Figure } from "../display/plot";
import { Params } from "../mlp/model";
import { ReportItem } from "./item";

export interface Figure3Inputs {
  initial: Params; // the selected model before training
  params: Params; // and after
}

export const figure3: ReportItem<Figure3Inputs, Record<string, never>> = {
  name: "figure3",
  title: "Figure 3: the parameters before and after training",
  defaults: {},
  build({ initial, params }) {
    return {
      figure: {
        kind: "plotly",
        file: "figure3-parameters-before-after",
        figure: figure3Figure(initial, params),
        height: 900,
        exportSize: { width: 1200, height: 900 },
      },
    };
  },
};

/** W1 transposed (h x 784: one row per hidden unit) so that it fits a page's width. */
function transpose(w1: Float64Array, h: number): Float64Array {
  const t = new Float64Array(w1.length);
  for (let i = 0; i < INPUT; i++) for (let j = 0; j < h; j++) t[j * INPUT + i] = w1[i * h + j];
  return t;
}

/**
 * W1 is drawn as an image (100,000 values would make the notebook heavy); the others are
 * heatmaps with values on hover.
 */
export function figure3Figure(before: Params, after: Params): Figure {
  const h = before.h;
  const data: object[] = [],
    layout: Record<string, unknown> = {
      title: { text: "Figure 3: parameters before (left) and after (right) training" },
      images: [],
      showlegend: false,
      height: 900,
    };
  const images = layout.images as object[];
  const m1 = maxAbs(before.w1, after.w1),
    m2 = maxAbs(before.w2, after.w2),
    mb1 = maxAbs(before.b1, after.b1),
    mb2 = maxAbs(before.b2, after.b2);
  const scale = (m: number) => ({ colorscale: DIVERGING, zmin: -m, zmax: m });
  // Row 1: W1 before / after as images, with an invisible heatmap carrying the colour bar.
  [before, after].forEach((p, c) => {
    const ax = c + 1;
    const [xa, ya] = ax === 1 ? ["x", "y"] : [`x${ax}`, `y${ax}`];
    images.push({
      source: dataUri(matrixPng(transpose(p.w1, h), h, INPUT, m1)),
      xref: xa,
      yref: ya,
      x: 0,
      y: 0,
      sizex: INPUT,
      sizey: h,
      sizing: "stretch",
      layer: "below",
      xanchor: "left",
      yanchor: "top",
    });
    layout[ax === 1 ? "xaxis" : `xaxis${ax}`] = {
      domain: [c * 0.52, c * 0.52 + 0.42],
      range: [0, INPUT],
      title: { text: `W1${c ? " after" : " before"}: pixel` },
      showgrid: false,
      zeroline: false,
      anchor: ya,
    };
    layout[ax === 1 ? "yaxis" : `yaxis${ax}`] = {
      domain: [0.64, 1],
      range: [h, 0],
      title: { text: c ? "" : "hidden unit" },
      showgrid: false,
      zeroline: false,
      anchor: xa,
    };
  });
  data.push({
    type: "heatmap",
    z: [[-m1, m1]],
    x: [-10, -9],
    y: [1, 2],
    ...scale(m1),
    xaxis: "x",
    yaxis: "y",
    showscale: true,
    colorbar: { len: 0.36, y: 0.8, title: { text: "W1" } },
    hoverinfo: "skip",
    opacity: 0,
  });
  // Row 2, before / after: W2 (hidden unit x class), b1 beside it on the same hidden-unit axis, and
  // b2 under it on the same class axis (10 values, not stretched over the h units).
  const panels: {
    name: string;
    z: (p: Params) => number[][];
    m: number;
    x: [number, number];
    y: [number, number];
    ticks: "x" | "y" | "both" | "none";
  }[] = [
    {
      name: "W2",
      z: (p) => Array.from({ length: h }, (_, j) => Array.from(p.w2.subarray(j * CLASSES, (j + 1) * CLASSES))),
      m: m2,
      x: [0, 0.28],
      y: [0.1, 0.41],
      ticks: "both",
    },
    { name: "b1", z: (p) => Array.from(p.b1, (v) => [v]), m: mb1, x: [0.31, 0.35], y: [0.1, 0.41], ticks: "none" },
    { name: "b2", z: (p) => [Array.from(p.b2)], m: mb2, x: [0, 0.28], y: [0, 0.035], ticks: "x" },
  ];
  let ax = 3;
  panels.forEach(({ name, z, m, x, y, ticks }, k) => {
    [before, after].forEach((p, c) => {
      const off = c * 0.5,
        when = c ? " after" : " before";
      data.push({
        type: "heatmap",
        z: z(p),
        ...scale(m),
        xaxis: `x${ax}`,
        yaxis: `y${ax}`,
        showscale: c === 1,
        colorbar: { len: 0.14, y: [0.38, 0.22, 0.06][k], title: { text: name } },
        hovertemplate: `${name}${when} [%{y}, %{x}]: %{z:.4f}<extra></extra>`,
      });
      const xTitle = name === "W2" ? `W2${when}: class` : name === "b2" ? `b2${when}: class` : "b1";
      layout[`xaxis${ax}`] = {
        domain: [x[0] + off, x[1] + off],
        title: { text: xTitle },
        showticklabels: ticks === "x" || ticks === "both",
        side: name === "W2" ? "top" : "bottom",
        dtick: 1,
        anchor: `y${ax}`,
      };
      layout[`yaxis${ax}`] = {
        domain: y,
        autorange: "reversed",
        anchor: `x${ax}`,
        showticklabels: ticks === "both" && c === 0,
        title: { text: name === "W2" && c === 0 ? "hidden unit" : "" },
      };
      ax++;
    });
  });
  return { data, layout };
}
