/**
 * The ablations (beyond the original): the selected configuration trained faithfully and with one
 * of the original's untested choices changed at a time, from the seed study's base seeds, through
 * the grid's runner: the batch's mean gradient instead of one random sample per batch (true
 * minibatch SGD, on the fast engine's minibatch module), pixels scaled to [0, 1] instead of raw
 * 0..255, no dropout (keepProb = 1), no L2 (lambda = 0). The faithful runs are the seed study's.
 */
import { TrainConfig, makeConfig } from "../mlp/config";
import { RunSet, planRuns } from "./runner";
import { InputError } from "../common/errors";
import { RunRecord } from "./runrecord";
import { Profile } from "./profile";

export interface Variant {
  name: string;
  config: TrainConfig;
}

/** The faithful configuration and each single change. */
export function ablationVariants(selected: TrainConfig): Variant[] {
  return [
    { name: "faithful (the original's choices)", config: selected },
    { name: "the batch's mean gradient", config: makeConfig({ ...selected, minibatch: true }) },
    { name: "pixels in [0, 1]", config: makeConfig({ ...selected, pixels: "unit" }) },
    { name: "no dropout (keepProb = 1)", config: makeConfig({ ...selected, keepProb: 1 }) },
    { name: "no L2 (λ = 0)", config: makeConfig({ ...selected, lambda: 0 }) },
  ];
}

/**
 * Every variant from every base seed of the seed study. The faithful runs are the seed study's
 * runs of the selected configuration, so they are scored on the test set as those are: whichever
 * study runs first then makes the record the other reads back.
 */
export function ablationStudy(prof: Profile, selected: TrainConfig): RunSet {
  const jobs = ablationVariants(selected).flatMap((v, i) =>
    prof.seedStudy.seeds.map((seed) => ({ config: v.config, seed, withTest: i === 0 && prof.seedStudy.scoreTest })),
  );
  return { data: prof.grid.data, jobs };
}

/** The study's records (in its job order) grouped by variant, each in seed order. */
export function byVariant(
  prof: Profile,
  selected: TrainConfig,
  records: RunRecord[],
): { name: string; runs: RunRecord[] }[] {
  const n = prof.seedStudy.seeds.length;
  return ablationVariants(selected).map((v, i) => ({ name: v.name, runs: records.slice(i * n, (i + 1) * n) }));
}

/** The ablations' records, read back (computed by notebook 06 or npm run grid -- --ablations). */
export async function readAblations(prof: Profile, selected: TrainConfig): Promise<RunRecord[]> {
  const plan = await planRuns(ablationStudy(prof, selected), prof.runsDir);
  const missing = plan.records.filter((r) => !r).length;
  if (missing > 0)
    throw new InputError(
      `${missing} of the ablations' ${plan.records.length} runs are not in ${prof.runsDir} ` +
        `(${plan.reasons.find(Boolean)}): compute them first (notebook 06-ablations, or npm run grid -- --ablations).`,
    );
  return plan.records as RunRecord[];
}
