/**
 * Parameter pictures for the visualisation section: matrices as PNGs on a diverging colour scale
 * (blue < 0 < red, white at 0), written directly with pngjs (no browser needed), and the plotly
 * figures of Figures 3 and 4.
 */
import { PNG } from "pngjs";
import { IMAGE_SIZE, INPUT } from "../data/sources";
import { Figure } from "../display/plot";
import { CLASSES, Params } from "../mlp/model";
import { SparseSet } from "../data/features";
import { activations, forward } from "../mlp/forward";
import { makeRng, permutation } from "../common/rng";

/** The same blue-white-red scale for plotly heatmaps. */
const DIVERGING = [[0, "rgb(0,0,255)"], [0.5, "rgb(255,255,255)"], [1, "rgb(255,0,0)"]];

/** RGB of v on a symmetric scale [-m, m]: blue, white, red. */
export function diverging(v: number, m: number, levels = 0): [number, number, number] {
  let t = m > 0 ? Math.max(-1, Math.min(1, v / m)) : 0;
  if (levels > 0) t = Math.round(t * levels) / levels; // fewer colours: a far smaller PNG
  return t >= 0 ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))] : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
}

/** A rows x cols matrix (row-major) as a PNG, each value one pixel (times `scale`). */
export function matrixPng(values: ArrayLike<number>, rows: number, cols: number, m: number, scale = 1): Uint8Array {
  const png = new PNG({ width: cols * scale, height: rows * scale });
  for (let y = 0; y < rows * scale; y++) {
    for (let x = 0; x < cols * scale; x++) {
      const [r, g, b] = diverging(values[Math.floor(y / scale) * cols + Math.floor(x / scale)], m, 8);
      const o = (y * png.width + x) * 4;
      png.data[o] = r; png.data[o + 1] = g; png.data[o + 2] = b; png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export const dataUri = (png: Uint8Array) => `data:image/png;base64,${Buffer.from(png).toString("base64")}`;

/** Largest |value| of several arrays (a shared colour scale). */
export function maxAbs(...arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** W1 transposed (h x 784: one row per hidden unit) so that it fits a page's width. */
function transpose(w1: Float64Array, h: number): Float64Array {
  const t = new Float64Array(w1.length);
  for (let i = 0; i < INPUT; i++) for (let j = 0; j < h; j++) t[j * INPUT + i] = w1[i * h + j];
  return t;
}

/**
 * Figure 3: W1 (shown transposed, h x 784), W2 (h x 10), b1 and b2, before and after training,
 * each pair on one symmetric colour scale with a colour bar. W1 is drawn as an image (100,000
 * values would make the notebook heavy); the others are heatmaps with values on hover.
 */
export function figure3(before: Params, after: Params): Figure {
  const h = before.h;
  const data: object[] = [], layout: Record<string, unknown> = { title: { text: "Figure 3: parameters before (left) and after (right) training" }, images: [], showlegend: false, height: 900 };
  const images = layout.images as object[];
  const m1 = maxAbs(before.w1, after.w1), m2 = maxAbs(before.w2, after.w2), mb1 = maxAbs(before.b1, after.b1), mb2 = maxAbs(before.b2, after.b2);
  const scale = (m: number) => ({ colorscale: DIVERGING, zmin: -m, zmax: m });
  // Row 1: W1 before / after as images, with an invisible heatmap carrying the colour bar.
  [before, after].forEach((p, c) => {
    const ax = c + 1;
    const [xa, ya] = ax === 1 ? ["x", "y"] : [`x${ax}`, `y${ax}`];
    images.push({ source: dataUri(matrixPng(transpose(p.w1, h), h, INPUT, m1)), xref: xa, yref: ya, x: 0, y: 0, sizex: INPUT, sizey: h, sizing: "stretch", layer: "below", xanchor: "left", yanchor: "top" });
    layout[ax === 1 ? "xaxis" : `xaxis${ax}`] = { domain: [c * 0.52, c * 0.52 + 0.42], range: [0, INPUT], title: { text: `W1${c ? " after" : " before"}: pixel` }, showgrid: false, zeroline: false, anchor: ya };
    layout[ax === 1 ? "yaxis" : `yaxis${ax}`] = { domain: [0.6, 1], range: [h, 0], title: { text: c ? "" : "hidden unit" }, showgrid: false, zeroline: false, anchor: xa };
  });
  data.push({ type: "heatmap", z: [[-m1, m1]], x: [-10, -9], y: [1, 2], ...scale(m1), xaxis: "x", yaxis: "y", showscale: true, colorbar: { len: 0.36, y: 0.8, title: { text: "W1" } }, hoverinfo: "skip", opacity: 0 });
  // Row 2: W2, b1, b2 before / after as heatmaps.
  const panels: [string, (p: Params) => number[][], number, number, number][] = [
    ["W2", (p) => Array.from({ length: h }, (_, j) => Array.from(p.w2.subarray(j * CLASSES, (j + 1) * CLASSES))), m2, 0, 0.28],
    ["b1", (p) => Array.from(p.b1, (v) => [v]), mb1, 0.31, 0.36],
    ["b2", (p) => Array.from(p.b2, (v) => [v]), mb2, 0.39, 0.44],
  ];
  let ax = 3;
  for (const [name, z, m, x0, x1] of panels) {
    [before, after].forEach((p, c) => {
      const off = c * 0.5;
      data.push({ type: "heatmap", z: z(p), ...scale(m), xaxis: `x${ax}`, yaxis: `y${ax}`, showscale: c === 1, colorbar: { len: 0.16, y: [0.42, 0.25, 0.08][(ax - 3) >> 1], title: { text: name } }, hovertemplate: `${name}${c ? " after" : " before"} [%{y}, %{x}]: %{z:.4f}<extra></extra>` });
      // The narrow b1 and b2 panels get short titles (before / after: the column, as for W2).
      layout[`xaxis${ax}`] = { domain: [x0 + off, x1 + off], title: { text: name === "W2" ? `${name}${c ? " after" : " before"}` : name }, showticklabels: name === "W2", anchor: `y${ax}` };
      layout[`yaxis${ax}`] = { domain: [0, 0.5], autorange: "reversed", anchor: `x${ax}`, showticklabels: name === "W2" && c === 0 };
      ax++;
    });
  }
  return { data, layout };
}

/** Each hidden unit's incoming weights as a 28 x 28 tile (what the unit responds to), `cols` per row. */
export function unitTilesPng(p: Params, cols = 16, scale = 3): Uint8Array {
  const h = p.h, rows = Math.ceil(h / cols), gap = 2, cell = IMAGE_SIZE * scale + gap;
  const png = new PNG({ width: cols * cell + gap, height: rows * cell + gap });
  png.data.fill(255);
  for (let j = 0; j < h; j++) {
    let m = 0;
    for (let i = 0; i < INPUT; i++) m = Math.max(m, Math.abs(p.w1[i * h + j]));
    const x0 = gap + (j % cols) * cell, y0 = gap + Math.floor(j / cols) * cell;
    for (let y = 0; y < IMAGE_SIZE * scale; y++) {
      for (let x = 0; x < IMAGE_SIZE * scale; x++) {
        const i = Math.floor(y / scale) * IMAGE_SIZE + Math.floor(x / scale);
        const [r, g, b] = diverging(p.w1[i * h + j], m, 16);
        const o = ((y0 + y) * png.width + x0 + x) * 4;
        png.data[o] = r; png.data[o + 1] = g; png.data[o + 2] = b; png.data[o + 3] = 255;
      }
    }
  }
  return PNG.sync.write(png);
}

/**
 * Figure 4: for each chosen test image, the digit, the hidden layer's input z1 and output a1
 * (times keepProb, as at evaluation), each of h values reshaped to (h/8) x 8, and the three most
 * probable classes.
 */
export function figure4(params: Params, set: SparseSet, pixels: Uint8Array, indices: number[], keepProb: number): Figure {
  const h = params.h, cols = 8, rows = Math.ceil(h / cols);
  const act = activations(h);
  const data: object[] = [], annotations: object[] = [];
  const layout: Record<string, unknown> = { title: { text: "Figure 4: a test image, its hidden layer's input z1 and output a1 (x p), and the top-3 classes" }, showlegend: false, height: 260 * indices.length + 60, margin: { t: 80 } };
  const n = indices.length, rowH = 1 / n;
  const reshape = (v: Float64Array) => Array.from({ length: rows }, (_, r) => Array.from(v.subarray(r * cols, Math.min(h, (r + 1) * cols))));
  indices.forEach((s, q) => {
    forward(params, set, s, null, keepProb, act);
    const top = Array.from(act.p).map((p, k) => ({ k, p })).sort((a, b) => b.p - a.p).slice(0, 3);
    const y1 = 1 - q * rowH, y0 = y1 - rowH * 0.8;
    const digit = Array.from({ length: IMAGE_SIZE }, (_, y) => Array.from(pixels.subarray(s * INPUT + y * IMAGE_SIZE, s * INPUT + (y + 1) * IMAGE_SIZE)));
    const m = maxAbs(act.z1);
    const panels: [object, number, number][] = [
      [{ type: "heatmap", z: digit, colorscale: "Greys", reversescale: true, showscale: false, hovertemplate: "pixel (%{y}, %{x}): %{z}<extra></extra>" }, 0, 0.2],
      [{ type: "heatmap", z: reshape(act.z1), colorscale: DIVERGING, zmin: -m, zmax: m, showscale: false, hovertemplate: "z1[%{y}*8+%{x}] = %{z:.2f}<extra></extra>" }, 0.27, 0.47],
      [{ type: "heatmap", z: reshape(act.a1), colorscale: "Reds", zmin: 0, zmax: m * keepProb, showscale: false, hovertemplate: "a1[%{y}*8+%{x}] = %{z:.2f}<extra></extra>" }, 0.54, 0.74],
      [{ type: "bar", x: top.map((t) => t.p), y: top.map((t) => String(t.k)), orientation: "h", marker: { color: "#1f77b4" }, hovertemplate: "class %{y}: %{x:.4f}<extra></extra>" }, 0.8, 1],
    ];
    panels.forEach(([trace, x0, x1], c) => {
      const ax = q * 4 + c + 1;
      data.push({ ...trace, xaxis: `x${ax}`, yaxis: `y${ax}` });
      const isBar = c === 3;
      layout[`xaxis${ax}`] = { domain: [x0, x1], showticklabels: isBar, range: isBar ? [0, 1] : undefined, anchor: `y${ax}` };
      layout[`yaxis${ax}`] = { domain: [y0, y1], autorange: isBar ? undefined : "reversed", type: isBar ? "category" : undefined, showticklabels: isBar, anchor: `x${ax}`, ...(c === 0 ? { scaleanchor: `x${ax}` } : {}) };
    });
    const titles = [`test image ${s} (label ${set.labels[s]})`, "z1 (input)", "a1 x p (output)", "top-3 probabilities"];
    titles.forEach((t, c) => annotations.push({ text: t, x: (panels[c][1] + panels[c][2]) / 2, y: y1 + 0.005, xref: "paper", yref: "paper", xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 12 } }));
  });
  layout.annotations = annotations;
  return { data, layout };
}

/** Figure 4's default images: a seeded choice of `count` of the set's n images. */
export function figure4Indices(n: number, seed: number, count = 4): number[] {
  return Array.from(permutation(n, makeRng(seed, "figure4")).subarray(0, count));
}
