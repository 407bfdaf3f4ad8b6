/**
 * Evaluation over a whole set, with dropout replaced by scaling a1 by keepProb (as the original).
 * Loss on n samples = (sum of -log p_true + 0.5 lambda (|W1|^2 + |W2|^2)) / n, as in the report.
 */
import { activations, forward, hiddenInput } from "./forward";
import { SparseSet } from "../data/features";
import { CLASSES } from "../data/shapes";
import { Params, weightNorm2 } from "./model";
import { argmax } from "./softmax";

export interface Evaluation {
  loss: number;
  accuracy: number;
  correct: number;
  n: number;
}

export interface Predictions {
  predicted: Uint8Array; // n, argmax class
  probabilities: Float64Array; // n x 10
}

/** Loss and accuracy; pass `out` to also collect each sample's prediction and probabilities. */
export function evaluate(
  params: Params,
  set: SparseSet,
  keepProb: number,
  lambda: number,
  out?: Predictions,
): Evaluation {
  const act = activations(params.h);
  let ce = 0;
  let correct = 0;
  for (let s = 0; s < set.n; s++) {
    ce += forward(params, set, s, null, keepProb, act);
    const k = argmax(act.p);
    if (k === set.labels[s]) correct++;
    if (out) {
      out.predicted[s] = k;
      out.probabilities.set(act.p, s * CLASSES);
    }
  }
  const loss = (ce + 0.5 * lambda * weightNorm2(params)) / set.n;
  return { loss, accuracy: correct / set.n, correct, n: set.n };
}

/** The largest logit z2 over a set and the largest gap max(z2) - z2[label] (what -log p_true is made of). */
export function logitExtremes(params: Params, set: SparseSet, keepProb: number): { maxLogit: number; maxGap: number } {
  const act = activations(params.h);
  let maxLogit = -Infinity,
    maxGap = 0;
  for (let s = 0; s < set.n; s++) {
    forward(params, set, s, null, keepProb, act);
    const top = act.z2[argmax(act.z2)];
    maxLogit = Math.max(maxLogit, top);
    maxGap = Math.max(maxGap, top - act.z2[set.labels[s]]);
  }
  return { maxLogit, maxGap };
}

/** How many hidden units never fire (z1 <= 0) on any image of the set: dead ReLUs for these images. */
export function deadUnits(params: Params, set: SparseSet): number {
  const z1 = new Float64Array(params.h),
    alive = new Uint8Array(params.h);
  for (let s = 0; s < set.n; s++) {
    hiddenInput(params, set, s, z1);
    for (let j = 0; j < params.h; j++) if (z1[j] > 0) alive[j] = 1;
  }
  return alive.reduce((n, a) => n + (a ? 0 : 1), 0);
}
