import { test } from "node:test";
import assert from "node:assert/strict";
import { PNG } from "pngjs";
import { diverging, figure3, figure4, matrixPng, unitTilesPng } from "../lib/report/heatmaps";
import { initParams } from "../lib/mlp/model";
import { makeRng } from "../lib/common/rng";
import { loadMnistPackage } from "../lib/data/sources";
import { toSparse } from "../lib/data/features";

test("the diverging scale: blue below zero, white at zero, red above, clipped at the scale", () => {
  assert.deepEqual(diverging(0, 1), [255, 255, 255]);
  assert.deepEqual(diverging(1, 1), [255, 0, 0]);
  assert.deepEqual(diverging(-5, 1), [0, 0, 255]);
});

test("parameter pictures decode to the expected sizes and the figures have their panels", () => {
  const p = initParams(16, makeRng(1, "init"));
  const png = PNG.sync.read(Buffer.from(matrixPng(p.w1, 784, 16, 0.1)));
  assert.equal(png.width, 16);
  assert.equal(png.height, 784);
  const tiles = PNG.sync.read(Buffer.from(unitTilesPng(p, 8, 1)));
  assert.equal(tiles.width, 8 * 30 + 2);
  const f3 = figure3(p, p);
  assert.equal((f3.layout as { images: unknown[] }).images.length, 2); // W1 before and after
  assert.equal(f3.data.length, 1 + 6); // the W1 colour bar, then W2, b1, b2 twice
  const ds = loadMnistPackage();
  const f4 = figure4(p, toSparse(ds.train), ds.train.pixels, [0, 1], 0.95);
  assert.equal(f4.data.length, 2 * 4);
});
