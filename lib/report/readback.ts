/**
 * What the report's items are built from, read back from the profile's committed results (no
 * retraining), once each, when first needed: the grid's records found by their identity (never
 * another file that happens to lie in the folder), the selected model checked to be the best
 * record's, the baselines' cached results, and the profile's data set (never one taken from a
 * record's contents).
 */
import { InputError } from "../common/errors";
import { Baselines, readBaselines } from "../baselines/results";
import { gridConfigs, pointText } from "../experiment/grid";
import { loadCachedRun, runIdentity, runPath } from "../experiment/runstore";
import { SavedModel } from "../experiment/modelio";
import { OriginalRun, loadOriginalRecord } from "../experiment/original";
import { readStudy } from "../experiment/seedstudy";
import { readAblations } from "../experiment/ablationstudy";
import { Profile, ReportSets, reportSets } from "../experiment/profile";
import { RunRecord } from "../experiment/runrecord";
import { predictWith, readSelected, selectBest } from "../experiment/selected";
import type { Prediction } from "../engine/engine";

/** What the items are built from, read back once each, when first needed. */
export class ReadBack {
  constructor(readonly prof: Profile) {}
  private memo = new Map<string, unknown>();
  private once<T>(key: string, f: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, f());
    return this.memo.get(key) as T;
  }
  get sets(): ReportSets {
    return this.once("sets", () => reportSets(this.prof.data, this.prof.seed));
  }
  get runs(): RunRecord[] {
    return this.once("runs", () =>
      gridConfigs(this.prof.grid).map((c) => {
        const id = runIdentity(c, this.prof.grid.seed, this.sets.ds.checksum);
        let why = `${runPath(this.prof.runsDir, id)} is missing`;
        const r = loadCachedRun(this.prof.runsDir, id, (reason) => (why = reason));
        if (!r)
          throw new InputError(
            `no current record for ${pointText(c)}: ${why}; compute the grid first (npm run grid, or npm run report).`,
          );
        return r;
      }),
    );
  }
  get best(): RunRecord {
    return selectBest(this.runs);
  }
  get original(): OriginalRun[] {
    return this.once("original", () => loadOriginalRecord());
  }
  get model(): SavedModel {
    return this.once("model", () => {
      const { model, why } = readSelected(this.best, this.prof.modelPath);
      if (!model)
        throw new InputError(
          `${this.prof.modelPath} is not the selected model: ${why}; rebuild it with npm run grid (or npm run report).`,
        );
      return model;
    });
  }
  study(): Promise<{ grid: RunRecord[]; study: RunRecord[] }> {
    return this.once("study", () => readStudy(this.prof));
  }
  ablations(): Promise<RunRecord[]> {
    return this.once("ablations", () => readAblations(this.prof, this.best.config));
  }
  get mlp(): Prediction {
    return this.once("mlp", () => predictWith(this.model, this.sets.test));
  }
  baselines(): Promise<Baselines> {
    const { sets, prof } = this;
    return this.once("baselines", () => readBaselines(sets, sets.ds.checksum, prof.baselines, prof.baselinesDir));
  }
}
