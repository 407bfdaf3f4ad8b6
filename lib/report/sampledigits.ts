/** The data section's picture: the first training images of each digit, as MNIST stores them. */
import { CLASSES, LabelledSet } from "../data/shapes";
import { digitGridPng } from "../display/images";
import { ReportItem } from "./item";

export interface SampleDigitsParams {
  perClass: number; // images of each digit
  scale: number; // pixels per MNIST pixel
}

export const sampleDigits: ReportItem<{ train: LabelledSet }, SampleDigitsParams> = {
  name: "sample-digits",
  title: "the first training images of each digit",
  defaults: { perClass: 2, scale: 2 },
  build({ train }, { perClass, scale }) {
    return {
      picture: {
        kind: "png",
        file: "data-sample-digits",
        png: digitGridPng(train.pixels, firstOfEachClass(train.labels, perClass), CLASSES, scale),
        alt: `the first ${perClass} training images of each digit, 0 to 9, one digit per column`,
      },
    };
  },
};

/** The first `perClass` images of each digit, in digit order (one row per round). */
export function firstOfEachClass(labels: Uint8Array, perClass: number): number[] {
  const picked: number[][] = Array.from({ length: CLASSES }, () => []);
  for (let i = 0; i < labels.length; i++) if (picked[labels[i]].length < perClass) picked[labels[i]].push(i);
  const out: number[] = [];
  for (let r = 0; r < perClass; r++)
    for (let d = 0; d < CLASSES; d++) if (picked[d][r] !== undefined) out.push(picked[d][r]);
  return out;
}
