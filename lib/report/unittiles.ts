/** Each hidden unit's incoming weights (a column of W1) as a 28 x 28 tile: what the unit responds to. */
import { IMAGE_SIZE, INPUT } from "../data/shapes";
import { diverging, paintBlocks, tilesPng } from "../display/images";
import { Params } from "../mlp/model";
import { ReportItem } from "./item";

export interface UnitTilesParams {
  cols: number; // tiles per row
  scale: number; // pixels per weight
}

export const unitTiles: ReportItem<{ params: Params }, UnitTilesParams> = {
  name: "unit-tiles",
  title: "each hidden unit's incoming weights as a 28 x 28 tile",
  defaults: { cols: 16, scale: 2 },
  build({ params }, { cols, scale }) {
    return {
      picture: {
        kind: "png",
        file: "hidden-unit-weights",
        png: unitTilesPng(params, cols, scale),
        alt: `the incoming weights of each of the ${params.h} hidden units as a 28 x 28 tile, ${cols} tiles per row`,
      },
    };
  },
};

/** One tile per hidden unit, `cols` per row, each on its own symmetric colour scale. */
export function unitTilesPng(p: Params, cols: number, scale: number): Uint8Array {
  const h = p.h;
  return tilesPng(h, cols, IMAGE_SIZE * scale, (png, j, x0, y0) => {
    let m = 0;
    for (let i = 0; i < INPUT; i++) m = Math.max(m, Math.abs(p.w1[i * h + j]));
    paintBlocks(png, x0, y0, IMAGE_SIZE, IMAGE_SIZE, scale, (i) => diverging(p.w1[i * h + j], m, 16));
  });
}
