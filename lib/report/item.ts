/**
 * What a report item is: one definition (Figure 1 .. 4, Table 1 .. 3 and what this reproduction
 * adds) that takes computed numbers and parameters and returns its outputs. The notebook shows
 * them (show, lib/display/output.ts) and `npm run figures` exports the very same outputs, so a
 * file in figures/ is by construction the notebook's figure with the same parameters. Items never
 * run a model: they receive predictions and records.
 */
import { Output } from "../display/output";

export type { FrameOutput, Output } from "../display/output";
export { show } from "../display/notebook";

export interface ReportItem<I, P> {
  name: string; // as the report calls it: "figure1", "table3", ...
  title: string; // one line, for --help
  defaults: P; // what the notebook's parameters cell starts from and npm run figures uses
  build(inputs: I, params: P): Record<string, Output>;
}
