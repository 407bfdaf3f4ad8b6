/**
 * Gradient check: the backward pass against central finite differences of the same objective,
 *   L(theta) = CE(sample, fixed mask) + 0.5 (lambda/B)(|W1|^2 + |W2|^2),
 * in float64. Per tensor, the error is |g - g_fd| / (|g| + |g_fd|) (Euclidean norms), which stays
 * meaningful where individual entries are zero.
 */
import { SparseSet } from "../data/features";
import { activations, forward } from "./forward";
import { sampleGradient } from "./gradient";
import { Params, tensors, weightNorm2, zeroParams } from "./model";

export interface GradCheck {
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  max: number;
}

export function gradientCheck(
  params: Params,
  set: SparseSet,
  s: number,
  mask: Float64Array,
  keepProb: number,
  lambdaOverB: number,
  eps = 1e-5,
): GradCheck {
  const act = activations(params.h);
  const g = zeroParams(params.h);
  sampleGradient(params, set, s, mask, keepProb, lambdaOverB, act, g);
  const objective = () => forward(params, set, s, mask, keepProb, act) + 0.5 * lambdaOverB * weightNorm2(params);
  const names = ["w1", "b1", "w2", "b2"] as const;
  const theta = tensors(params),
    grad = tensors(g);
  const out = { max: 0 } as GradCheck;
  for (let q = 0; q < theta.length; q++) {
    let diff = 0,
      normA = 0,
      normN = 0;
    for (let i = 0; i < theta[q].length; i++) {
      const keep = theta[q][i];
      theta[q][i] = keep + eps;
      const up = objective();
      theta[q][i] = keep - eps;
      const down = objective();
      theta[q][i] = keep;
      const numeric = (up - down) / (2 * eps);
      diff += (grad[q][i] - numeric) ** 2;
      normA += grad[q][i] ** 2;
      normN += numeric ** 2;
    }
    const rel = Math.sqrt(diff) / (Math.sqrt(normA) + Math.sqrt(normN) || 1);
    out[names[q]] = rel;
    out.max = Math.max(out.max, rel);
  }
  return out;
}
