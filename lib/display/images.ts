/** Digits as pictures: a grid of 28 x 28 images written straight to PNG (no browser needed). */
import { PNG } from "pngjs";
import { IMAGE_SIZE, INPUT } from "../data/sources";

/**
 * A grid of digits, `cols` per row, each enlarged `scale` times with a 2-pixel gap; white ink
 * on black as MNIST stores it. `indices` picks the images of `pixels` (n x 784).
 */
export function digitGridPng(pixels: Uint8Array, indices: ArrayLike<number>, cols = 10, scale = 2): Uint8Array {
  const gap = 2;
  const cell = IMAGE_SIZE * scale + gap;
  const rows = Math.ceil(indices.length / cols);
  const png = new PNG({ width: cols * cell + gap, height: rows * cell + gap });
  png.data.fill(255); // white background and gaps
  for (let q = 0; q < indices.length; q++) {
    const x0 = gap + (q % cols) * cell, y0 = gap + Math.floor(q / cols) * cell;
    drawDigit(png, pixels, indices[q] * INPUT, x0, y0, scale);
  }
  return PNG.sync.write(png);
}

function drawDigit(png: PNG, pixels: Uint8Array, at: number, x0: number, y0: number, scale: number): void {
  for (let y = 0; y < IMAGE_SIZE * scale; y++) {
    for (let x = 0; x < IMAGE_SIZE * scale; x++) {
      const v = pixels[at + Math.floor(y / scale) * IMAGE_SIZE + Math.floor(x / scale)];
      const o = ((y0 + y) * png.width + x0 + x) * 4;
      png.data[o] = png.data[o + 1] = png.data[o + 2] = v;
      png.data[o + 3] = 255;
    }
  }
}

/** The first `perClass` images of each digit, in digit order (for a sample grid). */
export function firstOfEachClass(labels: Uint8Array, perClass: number): number[] {
  const picked: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < labels.length; i++) if (picked[labels[i]].length < perClass) picked[labels[i]].push(i);
  const out: number[] = [];
  for (let r = 0; r < perClass; r++) for (let d = 0; d < 10; d++) if (picked[d][r] !== undefined) out.push(picked[d][r]);
  return out;
}
