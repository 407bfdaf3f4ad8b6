/**
 * A random forest classifier for byte-valued features (MNIST pixels), written here because the
 * JavaScript libraries on npm sort feature values at every node and take far too long on
 * 48,000 x 784 (ml-random-forest). With bytes, a node's best split on a feature comes from one
 * pass that fills a 256 x 10 histogram of (value, class) counts; thresholds between consecutive
 * values give exactly the partitions an exact-split CART (scikit-learn's) considers.
 * Like scikit-learn's defaults: bootstrap samples, Gini impurity, sqrt(784) = 28 candidate
 * features per split, leaves predict class frequencies, the forest averages them.
 */
import { CLASSES, INPUT } from "../data/shapes";
import { Rng, makeRng } from "../common/rng";

export interface ForestOptions {
  trees: number;
  maxDepth: number; // Infinity: grow until leaves are pure
  maxFeatures?: number; // default floor(sqrt(784))
  seed: number;
}

/** A tree as flat arrays: node k splits on feature[k] at "pixel <= threshold[k]", or is a leaf (feature -1). */
interface Tree {
  feature: Int16Array;
  threshold: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  proba: Float32Array; // nodes x 10 (used at leaves)
}

export interface Forest {
  trees: Tree[];
}

class TreeBuilder {
  feature: number[] = [];
  threshold: number[] = [];
  left: number[] = [];
  right: number[] = [];
  proba: number[] = [];
  add(): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    for (let k = 0; k < CLASSES; k++) this.proba.push(0);
    return this.feature.length - 1;
  }
  done(): Tree {
    return {
      feature: Int16Array.from(this.feature),
      threshold: Uint8Array.from(this.threshold),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      proba: Float32Array.from(this.proba),
    };
  }
}

const gini = (counts: Float64Array | number[], n: number) => {
  if (n === 0) return 0;
  let s = 0;
  for (let k = 0; k < CLASSES; k++) s += (counts[k] / n) ** 2;
  return 1 - s;
};

/** Feature-major copy (784 x n): a node scans one feature's column, which stays in cache. */
function columns(pixels: Uint8Array, n: number): Uint8Array {
  const cols = new Uint8Array(n * INPUT);
  for (let s = 0; s < n; s++) for (let i = 0; i < INPUT; i++) cols[i * n + s] = pixels[s * INPUT + i];
  return cols;
}

function growTree(
  cols: Uint8Array,
  labels: Uint8Array,
  sample: Int32Array,
  opts: Required<ForestOptions>,
  rng: Rng,
): Tree {
  const n0 = labels.length;
  const b = new TreeBuilder();
  const hist = new Float64Array(256 * CLASSES);
  const features = new Int32Array(INPUT);
  for (let i = 0; i < INPUT; i++) features[i] = i;
  // Depth-first with an explicit stack of (node, start, end, depth) over `sample` (partitioned in place).
  const stack: [number, number, number, number][] = [[b.add(), 0, sample.length, 0]];
  const counts = new Float64Array(CLASSES),
    leftCounts = new Float64Array(CLASSES);
  const keys = new Uint16Array(Math.max(sample.length, 2560)),
    weights = new Float64Array(2560);
  while (stack.length) {
    const [node, start, end, depth] = stack.pop()!;
    const n = end - start;
    counts.fill(0);
    for (let r = start; r < end; r++) counts[labels[sample[r]]]++;
    for (let k = 0; k < CLASSES; k++) b.proba[node * CLASSES + k] = counts[k] / n;
    const parent = gini(counts, n);
    if (depth >= opts.maxDepth || n < 2 || parent === 0) continue;
    // Best split over maxFeatures random features (partial Fisher-Yates draw).
    let bestGain = 1e-12,
      bestFeature = -1,
      bestThreshold = 0;
    for (let f = 0; f < opts.maxFeatures; f++) {
      const j = f + Math.floor(rng() * (INPUT - f));
      const feat = features[j];
      features[j] = features[f];
      features[f] = feat;
      // (value, class) pairs of this node, sorted by value: from a 256 x 10 histogram for large
      // nodes, by sorting packed keys (value * 16 + class) for small ones (most nodes of deep trees).
      let m = 0;
      if (n > 512) {
        hist.fill(0);
        for (let r = start; r < end; r++) hist[cols[feat * n0 + sample[r]] * CLASSES + labels[sample[r]]]++;
        for (let v = 0; v < 256; v++)
          for (let k = 0; k < CLASSES; k++)
            if (hist[v * CLASSES + k] > 0) {
              keys[m] = v * 16 + k;
              weights[m] = hist[v * CLASSES + k];
              m++;
            }
      } else {
        for (let r = start; r < end; r++) keys[r - start] = cols[feat * n0 + sample[r]] * 16 + labels[sample[r]];
        keys.subarray(0, n).sort();
        for (let r = 0; r < n; r++) {
          if (m > 0 && keys[m - 1] === keys[r]) weights[m - 1]++;
          else {
            keys[m] = keys[r];
            weights[m] = 1;
            m++;
          }
        }
      }
      if (keys[0] >> 4 === keys[m - 1] >> 4) continue; // constant here: no split
      leftCounts.fill(0);
      let nLeft = 0;
      for (let q = 0; q < m; q++) {
        leftCounts[keys[q] & 15] += weights[q];
        nLeft += weights[q];
        const v = keys[q] >> 4;
        if (q + 1 < m && keys[q + 1] >> 4 === v) continue; // split only between distinct values
        if (q + 1 === m) break; // everything on the left: no split
        const nRight = n - nLeft;
        let sl = 0,
          sr = 0;
        for (let k = 0; k < CLASSES; k++) {
          sl += leftCounts[k] * leftCounts[k];
          const rc = counts[k] - leftCounts[k];
          sr += rc * rc;
        }
        // Gini gain = parent - (nL/n) gini(L) - (nR/n) gini(R)
        const gain = parent - (nLeft - sl / nLeft) / n - (nRight - sr / nRight) / n;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = feat;
          bestThreshold = v;
        }
      }
    }
    if (bestFeature < 0) continue;
    // Partition sample[start..end) by pixel <= threshold.
    let i = start,
      j = end - 1;
    while (i <= j) {
      if (cols[bestFeature * n0 + sample[i]] <= bestThreshold) i++;
      else {
        const t = sample[i];
        sample[i] = sample[j];
        sample[j] = t;
        j--;
      }
    }
    const l = b.add(),
      r = b.add();
    b.feature[node] = bestFeature;
    b.threshold[node] = bestThreshold;
    b.left[node] = l;
    b.right[node] = r;
    stack.push([r, i, end, depth + 1], [l, start, i, depth + 1]);
  }
  return b.done();
}

export function trainForest(
  pixels: Uint8Array,
  labels: Uint8Array,
  opts: ForestOptions,
  onTree?: (t: number) => void,
): Forest {
  const o: Required<ForestOptions> = { maxFeatures: Math.floor(Math.sqrt(INPUT)), ...opts };
  const n = labels.length;
  const cols = columns(pixels, n);
  const trees: Tree[] = [];
  for (let t = 0; t < o.trees; t++) {
    const rng = makeRng(o.seed, "forest", `tree=${t}`);
    const sample = new Int32Array(n);
    for (let r = 0; r < n; r++) sample[r] = Math.floor(rng() * n); // bootstrap
    trees.push(growTree(cols, labels, sample, o, rng));
    onTree?.(t + 1);
  }
  return { trees };
}

/** Averaged class probabilities (n x 10) and the predicted classes. */
export function predictForest(
  forest: Forest,
  pixels: Uint8Array,
  n: number,
): { predicted: Uint8Array; probabilities: Float64Array } {
  const probabilities = new Float64Array(n * CLASSES);
  for (const t of forest.trees) {
    for (let s = 0; s < n; s++) {
      let k = 0;
      while (t.feature[k] >= 0) k = pixels[s * INPUT + t.feature[k]] <= t.threshold[k] ? t.left[k] : t.right[k];
      for (let c = 0; c < CLASSES; c++)
        probabilities[s * CLASSES + c] += t.proba[k * CLASSES + c] / forest.trees.length;
    }
  }
  const predicted = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (probabilities[s * CLASSES + c] > probabilities[s * CLASSES + best]) best = c;
    predicted[s] = best;
  }
  return { predicted, probabilities };
}

/** The number of nodes of every tree (for a summary). */
export function forestSize(f: Forest): number {
  return f.trees.reduce((s, t) => s + t.feature.length, 0);
}
