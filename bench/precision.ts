/**
 * npm run bench:precision [-- --epochs 30 --seeds 1,2,3 --h 128]
 * Does float32 (the wasm engine) change any conclusion? Trains the same configs with both
 * engines on the same seeds (same split, init, batches, picks and masks), two runs at a time,
 * and compares best validation and final test accuracy with their binomial standard errors
 * (validation only per epoch, to keep the float64 runs short).
 * Writes data/bench/precision.json.
 */
import { spawn } from "child_process";
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parseArgs } from "util";
import { writeFileAtomic } from "../lib/common/atomic";

const { values } = parseArgs({
  options: {
    epochs: { type: "string", default: "30" },
    seeds: { type: "string", default: "1,2,3" },
    h: { type: "string", default: "128" },
  },
});
const ROOT = join(__dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "precision-"));

function run(engine: string, seed: string): Promise<any> {
  const out = join(tmp, `${engine}-${seed}.json`);
  const args = [
    join(ROOT, "cli", "train.ts"),
    "--engine",
    engine,
    "--seed",
    seed,
    "--epochs",
    values.epochs!,
    "--h",
    values.h!,
    "--skip-train-eval",
    "--out",
    out,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), args, { stdio: ["ignore", "inherit", "ignore"] });
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(readFileSync(out, "utf8"))) : reject(new Error(`train exited ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  // The slow float64 runs first, two processes at a time (one per core).
  const jobs = ["reference", "wasm"].flatMap((engine) => values.seeds!.split(",").map((seed) => ({ engine, seed })));
  const results: Record<string, any> = {};
  const worker = async () => {
    for (let j = jobs.shift(); j; j = jobs.shift()) results[`${j.engine}-${j.seed}`] = await run(j.engine, j.seed);
  };
  await Promise.all([worker(), worker()]);
  const se = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);
  const rows = values.seeds!.split(",").map((seed) => {
    const f = results[`wasm-${seed}`],
      d = results[`reference-${seed}`];
    return {
      seed,
      "best val acc f32": `${f.best.valAcc.toFixed(4)} @${f.best.epoch}`,
      "best val acc f64": `${d.best.valAcc.toFixed(4)} @${d.best.epoch}`,
      "val diff": (f.best.valAcc - d.best.valAcc).toFixed(4),
      "val SE": se(d.best.valAcc, d.data.nVal).toFixed(4),
      "test f32": f.test.accuracy.toFixed(4),
      "test f64": d.test.accuracy.toFixed(4),
      "test SE": se(d.test.accuracy, d.test.n).toFixed(4),
      "seconds f32 / f64": `${f.seconds.toFixed(0)} / ${d.seconds.toFixed(0)}`,
    };
  });
  console.table(rows);
  writeFileAtomic(
    join(ROOT, "data", "bench", "precision.json"),
    JSON.stringify({ epochs: Number(values.epochs), h: Number(values.h), rows, runs: results }, null, 1) + "\n",
  );
}

main();
