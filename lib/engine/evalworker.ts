/**
 * An evaluation helper (lib/engine/evalpool.ts): loads its parts of the sets into its own wasm core,
 * then, each time the main thread bumps the generation counter, copies the shared weights in,
 * evaluates the requested part and writes each sample's cross-entropy and the number right back.
 */
import { workerData } from "worker_threads";
import { CTRL, HelperData } from "./evalpool";
import { WasmNet } from "./wasmcore";

const data = workerData as HelperData;
const ctrl = new Int32Array(data.ctrl);
try {
  const net = new WasmNet(data.h);
  const parts = data.parts.map((p) => net.loadSet(p));
  const weights = new Float32Array(data.weights),
    ce = new Float64Array(data.ce);
  Atomics.store(ctrl, CTRL.ready, 1);
  Atomics.notify(ctrl, CTRL.ready);
  for (let gen = 0; ;) {
    Atomics.wait(ctrl, CTRL.gen, gen); // sleeps until the main thread asks
    gen = Atomics.load(ctrl, CTRL.gen);
    net.importWeights(weights);
    const part = parts[Atomics.load(ctrl, CTRL.which)];
    Atomics.store(ctrl, CTRL.correct, net.evaluatePart(part, 0, part.n, data.keepProb, ce));
    Atomics.store(ctrl, CTRL.done, gen);
    Atomics.notify(ctrl, CTRL.done);
  }
} catch (e) {
  process.stderr.write(`evaluation thread: ${(e as Error).message}\n`);
  Atomics.store(ctrl, CTRL.failed, 1);
  Atomics.notify(ctrl, CTRL.ready);
}
