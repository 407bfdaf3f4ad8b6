/**
 * Pictures written straight to PNG (pngjs, no browser): digits, matrices on a diverging colour
 * scale, and the one nearest-neighbour enlargement every picture of the report goes through.
 */
import { PNG } from "pngjs";
import { IMAGE_SIZE, INPUT } from "../data/shapes";

export type Rgb = [number, number, number];

/**
 * Paint a rows x cols grid of values into `png` with its top-left corner at (x0, y0), value i
 * (row-major) as a scale x scale block of colour(i): the enlargement of every picture here.
 */
export function paintBlocks(
  png: PNG,
  x0: number,
  y0: number,
  rows: number,
  cols: number,
  scale: number,
  colour: (i: number) => Rgb,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const [red, green, blue] = colour(r * cols + c);
      for (let y = y0 + r * scale; y < y0 + (r + 1) * scale; y++) {
        for (let x = x0 + c * scale; x < x0 + (c + 1) * scale; x++) {
          const o = (y * png.width + x) * 4;
          png.data[o] = red;
          png.data[o + 1] = green;
          png.data[o + 2] = blue;
          png.data[o + 3] = 255;
        }
      }
    }
  }
}

/** A PNG enlarged `scale` times (each pixel a scale x scale block), e.g. for print. */
export function enlargePng(bytes: Uint8Array, scale: number): Uint8Array {
  if (scale === 1) return bytes;
  const src = PNG.sync.read(Buffer.from(bytes));
  const out = new PNG({ width: src.width * scale, height: src.height * scale });
  paintBlocks(out, 0, 0, src.height, src.width, scale, (i) => [
    src.data[i * 4],
    src.data[i * 4 + 1],
    src.data[i * 4 + 2],
  ]);
  return PNG.sync.write(out);
}

/**
 * A grid of digits, `cols` per row, each enlarged `scale` times with a 2-pixel gap; white ink
 * on black as MNIST stores it. `indices` picks the images of `pixels` (n x 784).
 */
export function digitGridPng(pixels: Uint8Array, indices: ArrayLike<number>, cols = 10, scale = 2): Uint8Array {
  return tilesPng(indices.length, cols, IMAGE_SIZE * scale, (png, q, x0, y0) => {
    const at = indices[q] * INPUT;
    paintBlocks(png, x0, y0, IMAGE_SIZE, IMAGE_SIZE, scale, (i) => [pixels[at + i], pixels[at + i], pixels[at + i]]);
  });
}

/** `count` square tiles of `size` pixels, `cols` per row, 2-pixel white gaps; draw(png, q, x0, y0) paints tile q. */
export function tilesPng(
  count: number,
  cols: number,
  size: number,
  draw: (png: PNG, q: number, x0: number, y0: number) => void,
): Uint8Array {
  const gap = 2,
    cell = size + gap,
    rows = Math.ceil(count / cols);
  const png = new PNG({ width: cols * cell + gap, height: rows * cell + gap });
  png.data.fill(255); // white background and gaps
  for (let q = 0; q < count; q++) draw(png, q, gap + (q % cols) * cell, gap + Math.floor(q / cols) * cell);
  return PNG.sync.write(png);
}

/** The blue-white-red scale as plotly heatmaps take it (the same as diverging()). */
export const DIVERGING = [
  [0, "rgb(0,0,255)"],
  [0.5, "rgb(255,255,255)"],
  [1, "rgb(255,0,0)"],
];
/**
 * DIVERGING's upper half, for values >= 0 beside signed ones on DIVERGING (Figure 4's a1 beside z1,
 * as the pad draws them).
 */
export const POSITIVE = [
  [0, "rgb(255,255,255)"],
  [1, "rgb(255,0,0)"],
];

/** RGB of v on a symmetric scale [-m, m]: blue, white, red. */
export function diverging(v: number, m: number, levels = 0): Rgb {
  let t = m > 0 ? Math.max(-1, Math.min(1, v / m)) : 0;
  if (levels > 0) t = Math.round(t * levels) / levels; // fewer colours: a far smaller PNG
  return t >= 0
    ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
    : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
}

/** A rows x cols matrix (row-major) as a PNG, each value one pixel (times `scale`). */
export function matrixPng(values: ArrayLike<number>, rows: number, cols: number, m: number, scale = 1): Uint8Array {
  const png = new PNG({ width: cols * scale, height: rows * scale });
  paintBlocks(png, 0, 0, rows, cols, scale, (i) => diverging(values[i], m, 8));
  return PNG.sync.write(png);
}

export const dataUri = (png: Uint8Array) => `data:image/png;base64,${Buffer.from(png).toString("base64")}`;

/** Largest |value| of several arrays (a shared colour scale). */
export function maxAbs(...arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
