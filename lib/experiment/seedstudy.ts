/**
 * The seed study (beyond the original): is the grid's ranking more than noise? The grid's top
 * configurations and the original's chosen one, each trained from several base seeds (every
 * random stream changes with the seed: split, initial weights, batches, picks, masks), through
 * the grid's runner (records keyed by what determines them, resumable, in parallel). The selected
 * configuration's runs are also scored on the test set at the end, for its test accuracy as a
 * distribution (the test set is used after selection only).
 */
import { InputError } from "../common/errors";
import { configKey } from "../mlp/config";
import { samePoint } from "./grid";
import { rankRuns } from "./runstore";
import { RunSet, planGrid, planRuns } from "./runner";
import { OriginalRun, loadOriginalRecord, originalChoice } from "./original";
import { Profile } from "./profile";
import { RunRecord } from "./runrecord";

/**
 * The study's runs, given the grid's records and the original's record; the selected
 * configuration's scored on the test set when the profile says so (the quick set has none).
 */
export function seedStudy(prof: Profile, grid: RunRecord[], original: OriginalRun[]): RunSet {
  const ranked = rankRuns(grid);
  const configs = ranked.slice(0, prof.seedStudy.top).map((r) => r.config);
  const o = originalChoice(original);
  const chosen = grid.find((r) => samePoint(r.config, o));
  if (chosen && !configs.some((c) => configKey(c) === configKey(chosen.config))) configs.push(chosen.config);
  const selected = configKey(ranked[0].config);
  return {
    data: prof.grid.data,
    jobs: configs.flatMap((config) =>
      prof.seedStudy.seeds.map((seed) => ({
        config,
        seed,
        withTest: prof.seedStudy.scoreTest && configKey(config) === selected,
      })),
    ),
  };
}

/**
 * The grid's and the study's records, read back, nothing computed (the training notebook or
 * npm run grid -- --seeds compute them); what is missing is named.
 */
export async function readStudy(prof: Profile): Promise<{ grid: RunRecord[]; study: RunRecord[] }> {
  const read = async (what: string, plan: Awaited<ReturnType<typeof planRuns>>) => {
    const missing = plan.records.filter((r) => !r).length;
    if (missing > 0)
      throw new InputError(
        `${missing} of the ${what}'s ${plan.records.length} runs are not in ${prof.runsDir} ` +
          `(${plan.reasons.find(Boolean)}): compute them first (notebook 02-training, or npm run grid -- --seeds).`,
      );
    return plan.records as RunRecord[];
  };
  const grid = await read("grid", await planGrid(prof.grid, prof.runsDir));
  const study = await read("seed study", await planRuns(seedStudy(prof, grid, loadOriginalRecord()), prof.runsDir));
  return { grid, study };
}
