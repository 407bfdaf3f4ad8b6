/** The data section's chart: images per digit in the training, validation and test sets. */
import { LabelledSet } from "../data/shapes";
import { classCounts } from "../data/split";
import { ReportItem } from "./item";

export interface ClassCountsInputs {
  train: LabelledSet;
  val: LabelledSet;
  test: LabelledSet | null; // null: the data source has no test set
}

export const classCountsChart: ReportItem<ClassCountsInputs, Record<string, never>> = {
  name: "class-counts",
  title: "images per digit in the training, validation and test sets",
  defaults: {},
  build({ train, val, test }) {
    const sets = [
      { name: "training", counts: classCounts(train) },
      { name: "validation", counts: classCounts(val) },
    ];
    if (test) sets.push({ name: "test", counts: classCounts(test) });
    const figure = {
      data: sets.map((s) => ({ type: "bar", name: s.name, x: s.counts.map((_, d) => String(d)), y: s.counts })),
      layout: {
        barmode: "group",
        title: { text: "Images per digit" },
        xaxis: { title: { text: "digit" }, type: "category" },
        yaxis: { title: { text: "images" } },
      },
    };
    return {
      chart: {
        kind: "plotly",
        file: "data-class-counts",
        figure,
        height: 360,
        exportSize: { width: 900, height: 400 },
      },
    };
  },
};
