/**
 * The retrain page's comparison with the committed runs, pure (tested in Node.js,
 * test/pagelogic.test.ts): which committed run a run in the page must equal, whether each epoch so
 * far does, what the page says about it, and which committed run is nearest for the overlay.
 */
import type { Metrics } from "../experiment/runrecord";
import { TrainConfig, streamKey } from "../mlp/config";
import type { CommittedRun } from "../report/retrainpage";

/** A committed run of the same configuration (any epoch count), seed, data and engine definition. */
export function findCommitted(
  runs: CommittedRun[],
  config: TrainConfig,
  seed: number,
  checksum: string,
  engineVersion: string,
): CommittedRun | null {
  return (
    runs.find(
      (c) =>
        streamKey(c.config) === streamKey(config) &&
        c.seed === seed &&
        c.data.checksum === checksum &&
        c.engineVersion === engineVersion,
    ) ?? null
  );
}

const COMPARED = ["valLoss", "valAcc", "trainLoss", "trainAcc"] as const;

/** How epoch k of `metrics` differs from the committed run's, as the end of a sentence, or null if it does not. */
export function differenceAt(metrics: Metrics, c: CommittedRun, k: number): string | null {
  if (k > c.config.epochs) return null;
  for (const key of COMPARED) {
    const mine = metrics[key],
      theirs = c.metrics[key];
    if (mine && theirs && mine[k] !== theirs[k])
      return (
        `differs from the committed run ${c.file} first at epoch ${k}: ` +
        `${key} is ${mine[k]} here, ${theirs[k]} there.`
      );
  }
  return null;
}

/**
 * What the page says after epoch k (`differs`: the first difference found so far), or null when
 * there is nothing to say yet.
 */
export function comparisonText(
  c: CommittedRun | null,
  k: number,
  differs: string | null,
  final: boolean,
): string | null {
  if (!c)
    return final
      ? "No committed run has this configuration, seed, data and engine, so there is nothing to compare with (the " +
          "committed runs are on the full MNIST)."
      : null;
  if (differs) return `Your run ${differs}`;
  if (final)
    return (
      `Same as the committed run ${c.file}: every epoch identical (epochs 0 to ` +
      `${Math.min(k, c.config.epochs)} of its ${c.config.epochs}).`
    );
  return `Comparing with the committed run ${c.file}: epochs 0 to ${k} identical so far.`;
}

/** The committed run nearest to a configuration (the overlay's): fewest differing settings, then nearest h, lr, λ. */
export function nearest(runs: CommittedRun[], config: TrainConfig): CommittedRun | null {
  let best: CommittedRun | null = null,
    bestScore = Infinity;
  const log = (v: number) => Math.log(v + 1e-6);
  for (const c of runs) {
    const d = c.config;
    const score =
      (d.minibatch !== config.minibatch ? 10 : 0) +
      (d.pixels !== config.pixels ? 10 : 0) +
      (d.keepProb !== config.keepProb ? 5 : 0) +
      (d.batch !== config.batch ? 5 : 0) +
      Math.abs(Math.log(d.h / config.h)) +
      Math.abs(log(d.lr) - log(config.lr)) +
      Math.abs(log(d.lambda) - log(config.lambda));
    if (score < bestScore) [best, bestScore] = [c, score];
  }
  return best;
}
