/**
 * Grid-style epochs with the fast engine, as a separate process (bench.ts runs one per core
 * at once to measure the real parallel throughput). Prints JSON: each epoch's seconds, peak RSS.
 * usage: node scripts/run.js bench/epoch H EPOCHS EVAL_THREADS
 */
import { makeConfig } from "../lib/mlp/config";
import { loadMnistData } from "../lib/data/sources";
import { sparseSplit } from "../lib/data/features";
import { train } from "../lib/experiment/train";

async function main(): Promise<void> {
  const h = Number(process.argv[2] ?? 128),
    epochs = Number(process.argv[3] ?? 2),
    evalThreads = Number(process.argv[4] ?? 1);
  const ds = loadMnistData();
  const { train: tr, val: va } = sparseSplit(ds.train, 123, "raw");
  // An epoch: from one evaluation to the next, i.e. 2,400 updates, then the validation and training-set evaluations.
  const marks: number[] = [];
  const r = await train(makeConfig({ h, epochs }), tr, va, {
    seed: 123,
    evalThreads,
    data: { name: ds.name, checksum: ds.checksum, nTrain: tr.n, nVal: va.n },
    onEpoch: () => marks.push(performance.now()),
  });
  const epochSeconds = marks.slice(1).map((t, k) => (t - marks[k]) / 1000);
  process.stdout.write(
    JSON.stringify({
      h,
      epochs,
      epochSeconds,
      valAcc: r.record.best.valAcc,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    }) + "\n",
  );
}

main();
