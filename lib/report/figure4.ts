/**
 * Figure 4: for a few test images, the digit, the hidden layer's input z1 and output a1 (times
 * keepProb, as at evaluation), each of h values reshaped to (h/8) x 8, and the three most
 * probable classes. The hidden layer comes computed (Predictor.predict with `hidden`).
 */
import { makeRng, permutation } from "../common/rng";
import { CLASSES, IMAGE_SIZE, INPUT, LabelledSet } from "../data/shapes";
import { DIVERGING, POSITIVE, maxAbs } from "../display/images";
import { Figure } from "../display/plot";
import type { Prediction } from "../engine/engine";
import { ReportItem } from "./item";
import { OKABE_ITO } from "../display/palette";

export interface Figure4Inputs {
  test: LabelledSet;
  hidden: NonNullable<Prediction["hidden"]>; // of the images to show, in order
  keepProb: number;
}

export interface Figure4Params {
  count: number; // how many test images (the original showed 4), a seeded choice
  indices: number[] | null; // or these test images
}

export const figure4: ReportItem<Figure4Inputs, Figure4Params> = {
  name: "figure4",
  title: "Figure 4: test images, their hidden layer (z1, a1) and top-3 classes",
  defaults: { count: 4, indices: null },
  build({ test, hidden, keepProb }) {
    const height = 260 * hidden.rows.length + 60;
    return {
      figure: {
        kind: "plotly",
        file: "figure4-hidden-layer",
        figure: figure4Figure(test, hidden, keepProb),
        height,
        exportSize: { width: 1200, height: 1100 },
      },
    };
  },
};

/** The test images Figure 4 shows: params.indices, or a seeded choice of params.count of the n. */
export function figure4Rows(n: number, seed: number, params: Figure4Params): number[] {
  return params.indices ?? Array.from(permutation(n, makeRng(seed, "figure4")).subarray(0, params.count));
}

export function figure4Figure(test: LabelledSet, hidden: Figure4Inputs["hidden"], keepProb: number): Figure {
  const { rows: indices } = hidden;
  const h = hidden.z1.length / indices.length,
    cols = 8,
    rows = Math.ceil(h / cols);
  const data: object[] = [],
    annotations: object[] = [];
  const layout: Record<string, unknown> = {
    title: { text: "Figure 4: a test image, its hidden layer's input z1 and output a1 (x p), and the top-3 classes" },
    showlegend: false,
    height: 260 * indices.length + 60,
    margin: { t: 80 },
  };
  const n = indices.length,
    rowH = 1 / n;
  const reshape = (v: Float64Array) =>
    Array.from({ length: rows }, (_, r) => Array.from(v.subarray(r * cols, Math.min(h, (r + 1) * cols))));
  indices.forEach((s, q) => {
    const z1 = hidden.z1.subarray(q * h, (q + 1) * h),
      a1 = hidden.a1.subarray(q * h, (q + 1) * h),
      p = hidden.p.subarray(q * CLASSES, (q + 1) * CLASSES);
    const top = Array.from(p)
      .map((v, k) => ({ k, p: v }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 3);
    const y1 = 1 - q * rowH,
      y0 = y1 - rowH * 0.7; // room below for the axis titles
    const digit = Array.from({ length: IMAGE_SIZE }, (_, y) =>
      Array.from(test.pixels.subarray(s * INPUT + y * IMAGE_SIZE, s * INPUT + (y + 1) * IMAGE_SIZE)),
    );
    const m = maxAbs(z1);
    // z1 on the blue-white-red scale around 0 and a1 (>= 0) on its white-red half, as the pad draws them.
    const bar = (x: number, title: string) => ({
      x,
      xanchor: "left",
      y: (y0 + y1) / 2,
      len: rowH * 0.8,
      thickness: 10,
      title: { text: title, side: "right" },
      tickfont: { size: 10 },
    });
    const panels: [object, number, number][] = [
      [
        {
          type: "heatmap",
          z: digit,
          colorscale: "Greys",
          reversescale: true,
          showscale: false,
          hovertemplate: "pixel (%{y}, %{x}): %{z}<extra></extra>",
        },
        0,
        0.2,
      ],
      [
        {
          type: "heatmap",
          z: reshape(z1),
          colorscale: DIVERGING,
          zmin: -m,
          zmax: m,
          colorbar: bar(0.475, "z1"),
          hovertemplate: "z1[%{y}*8+%{x}] = %{z:.2f}<extra></extra>",
        },
        0.27,
        0.47,
      ],
      [
        {
          type: "heatmap",
          z: reshape(a1),
          colorscale: POSITIVE,
          zmin: 0,
          zmax: m * keepProb,
          colorbar: bar(0.745, "a1 x p"),
          hovertemplate: "a1[%{y}*8+%{x}] = %{z:.2f}<extra></extra>",
        },
        0.54,
        0.74,
      ],
      [
        {
          type: "bar",
          x: top.map((t) => t.p),
          y: top.map((t) => String(t.k)),
          orientation: "h",
          marker: { color: OKABE_ITO.blue },
          hovertemplate: "class %{y}: %{x:.4f}<extra></extra>",
        },
        0.86,
        1,
      ],
    ];
    const unitRows = Array.from({ length: rows }, (_, r) => r).filter((r) => r % 4 === 0);
    // The rows share their axes: their x titles are written under the last row only.
    const xTitle = (text: string) => (q === n - 1 ? { title: { text } } : {});
    const axes: [object, object][] = [
      [
        { ...xTitle("pixel column"), showticklabels: false, ticks: "", showgrid: false, zeroline: false },
        {
          title: { text: "pixel row" },
          showticklabels: false,
          ticks: "",
          showgrid: false,
          zeroline: false,
          scaleanchor: `x${q * 4 + 1}`,
        },
      ],
      [
        { ...xTitle("unit: row start + column"), tickvals: [0, 7], ticktext: ["+0", "+7"] },
        { title: { text: "unit: row start" }, tickvals: unitRows, ticktext: unitRows.map((r) => String(r * cols)) },
      ],
      [{ ...xTitle("unit: row start + column"), tickvals: [0, 7], ticktext: ["+0", "+7"] }, { showticklabels: false }],
      [
        { ...xTitle("probability"), range: [0, 1] },
        { title: { text: "class" }, type: "category" },
      ],
    ];
    panels.forEach(([trace, x0, x1], c) => {
      const ax = q * 4 + c + 1;
      data.push({ ...trace, xaxis: `x${ax}`, yaxis: `y${ax}` });
      layout[`xaxis${ax}`] = { domain: [x0, x1], anchor: `y${ax}`, ...axes[c][0] };
      layout[`yaxis${ax}`] = {
        domain: [y0, y1],
        autorange: c === 3 ? undefined : "reversed",
        anchor: `x${ax}`,
        ...axes[c][1],
      };
    });
    const titles = [
      `test image ${s} (label ${test.labels[s]})`,
      "z1 (input)",
      "a1 x p (output)",
      "top-3 probabilities",
    ];
    titles.forEach((t, c) =>
      annotations.push({
        text: t,
        x: (panels[c][1] + panels[c][2]) / 2,
        y: y1 + 0.005,
        xref: "paper",
        yref: "paper",
        xanchor: "center",
        yanchor: "bottom",
        showarrow: false,
        font: { size: 12 },
      }),
    );
  });
  layout.annotations = annotations;
  return { data, layout };
}
