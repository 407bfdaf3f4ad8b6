// AssemblyScript: the fast training core, compiled to WebAssembly with SIMD (f32x4).
// The same algorithm as lib/forward.ts, lib/gradient.ts and lib/adagrad.ts (the readable float64
// reference), fused into single passes over float32 arrays. Memory is laid out by the host
// (lib/wasmcore.ts); the hidden size is padded to a multiple of 4 (hp) with all-zero units,
// which stay exactly zero and change nothing.

const INPUT: i32 = 784;
const CLASSES: i32 = 10;
const ROW2: usize = 48; // bytes of a W2 row: 10 classes padded to 12 floats (three vectors), padding 0
const DELTA: f32 = 1e-7;
// Flush-to-zero threshold (see flush()). float32's smallest normal number is 1.2e-38, but the
// update squares (lambda/B) w: for lambda/B >= 5e-6 (every lambda of the grid) that square
// leaves the normal range once |w| < 2.2e-14, so weights are flushed a little above that.
const FLUSH: f32 = 1e-13;

// The network's arrays (byte addresses), set by setNet().
let hp: i32 = 0;
let w1: usize = 0; // 784 x hp
let b1: usize = 0; // hp
let w2: usize = 0; // hp x 10
let b2: usize = 0; // 10
let cw1: usize = 0; // Adagrad accumulators, same shapes
let cb1: usize = 0;
let cw2: usize = 0;
let cb2: usize = 0;
let z1: usize = 0; // scratch: hp each
let a1: usize = 0;
let mask: usize = 0;
let d1: usize = 0;
let x: usize = 0; // 784: the current sample, dense
let z2: usize = 0; // 10 each
let p: usize = 0;
let d2: usize = 0;
let zeroRows: usize = 0; // 784 bytes: 1 where that row of W1 is known to be all zero

export function heapBase(): usize {
  return __heap_base;
}

export function setNet(
  hp_: i32, w1_: usize, b1_: usize, w2_: usize, b2_: usize, cw1_: usize, cb1_: usize, cw2_: usize, cb2_: usize, scratch: usize,
): void {
  hp = hp_; w1 = w1_; b1 = b1_; w2 = w2_; b2 = b2_; cw1 = cw1_; cb1 = cb1_; cw2 = cw2_; cb2 = cb2_;
  const step = <usize>hp << 2;
  z1 = scratch; a1 = z1 + step; mask = a1 + step; d1 = mask + step;
  x = d1 + step; z2 = x + (<usize>INPUT << 2); p = z2 + 64; d2 = p + 64; zeroRows = d2 + 64;
  memory.fill(zeroRows, 0, <usize>INPUT);
}

/** Address of the dropout mask (hp floats, 0 or 1) the host fills before each step. */
export function maskPtr(): usize {
  return mask;
}

/**
 * z1 = x W1 + b1 over the sample's lit pixels (idx: u16, val: f32). Blocks of 32 hidden units are
 * kept in eight registers across all lit pixels (one load per weight vector, no z1 traffic);
 * the summation order per unit is the same as the plain loop's.
 */
function hiddenInput(idx: usize, val: usize, nnz: i32): void {
  // Globals are read into locals once: the engine then keeps them in registers in the loops.
  const units = hp, weights = w1, out = z1, rowBytes = <usize>hp << 2;
  memory.copy(out, b1, rowBytes);
  let j = 0;
  for (; j + 32 <= units; j += 32) {
    const o = <usize>j << 2;
    let s0 = v128.load(out + o), s1 = v128.load(out + o, 16), s2 = v128.load(out + o, 32), s3 = v128.load(out + o, 48);
    let s4 = v128.load(out + o, 64), s5 = v128.load(out + o, 80), s6 = v128.load(out + o, 96), s7 = v128.load(out + o, 112);
    for (let e = 0; e < nnz; e++) {
      const xv = f32x4.splat(load<f32>(val + (<usize>e << 2)));
      const w = weights + <usize>load<u16>(idx + (<usize>e << 1)) * rowBytes + o;
      s0 = f32x4.add(s0, f32x4.mul(xv, v128.load(w)));
      s1 = f32x4.add(s1, f32x4.mul(xv, v128.load(w, 16)));
      s2 = f32x4.add(s2, f32x4.mul(xv, v128.load(w, 32)));
      s3 = f32x4.add(s3, f32x4.mul(xv, v128.load(w, 48)));
      s4 = f32x4.add(s4, f32x4.mul(xv, v128.load(w, 64)));
      s5 = f32x4.add(s5, f32x4.mul(xv, v128.load(w, 80)));
      s6 = f32x4.add(s6, f32x4.mul(xv, v128.load(w, 96)));
      s7 = f32x4.add(s7, f32x4.mul(xv, v128.load(w, 112)));
    }
    v128.store(out + o, s0); v128.store(out + o, s1, 16); v128.store(out + o, s2, 32); v128.store(out + o, s3, 48);
    v128.store(out + o, s4, 64); v128.store(out + o, s5, 80); v128.store(out + o, s6, 96); v128.store(out + o, s7, 112);
  }
  for (; j < units; j += 4) { // the last < 32 units (h not a multiple of 32)
    const o = <usize>j << 2;
    let acc = v128.load(out + o);
    for (let e = 0; e < nnz; e++) {
      const w = weights + <usize>load<u16>(idx + (<usize>e << 1)) * rowBytes + o;
      acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(val + (<usize>e << 2))), v128.load(w)));
    }
    v128.store(out + o, acc);
  }
}

/** a1 = ReLU(z) * scale (z: a row of hp hidden inputs; scale: the mask, or keepProb everywhere); z2 = a1 W2 + b2; p = softmax; returns -log p[label]. */
function output(z: usize, label: i32, useMask: bool, keepProb: f32): f64 {
  const kp = f32x4.splat(keepProb);
  const zero = f32x4.splat(0);
  for (let j = 0; j < hp; j += 4) {
    const o = <usize>j << 2;
    const relu = f32x4.max(v128.load(z + o), zero);
    v128.store(a1 + o, f32x4.mul(relu, useMask ? v128.load(mask + o) : kp));
  }
  // z2 = b2 + sum_j a1_j W2[j, :], three vectors of four classes (the same order per class as a scalar loop).
  let q0 = v128.load(b2), q1 = v128.load(b2, 16), q2 = v128.load(b2, 32);
  const units = hp;
  for (let j = 0; j < units; j++) {
    // No test for a == 0 (about half the units after ReLU): adding 0 * W2 changes no sum, and the
    // unpredictable branch cost more than the multiply-adds it saved.
    const av = f32x4.splat(load<f32>(a1 + (<usize>j << 2)));
    const row = w2 + <usize>j * ROW2;
    q0 = f32x4.add(q0, f32x4.mul(av, v128.load(row)));
    q1 = f32x4.add(q1, f32x4.mul(av, v128.load(row, 16)));
    q2 = f32x4.add(q2, f32x4.mul(av, v128.load(row, 32)));
  }
  v128.store(z2, q0); v128.store(z2, q1, 16); v128.store(z2, q2, 32);
  // Stable softmax and log-sum-exp, in float64 (10 values: no cost).
  let max: f64 = load<f32>(z2);
  for (let k = 1; k < CLASSES; k++) max = Math.max(max, <f64>load<f32>(z2 + (<usize>k << 2)));
  let sum: f64 = 0;
  for (let k = 0; k < CLASSES; k++) {
    const e = Math.exp(<f64>load<f32>(z2 + (<usize>k << 2)) - max);
    store<f32>(p + (<usize>k << 2), <f32>e);
    sum += e;
  }
  for (let k = 0; k < CLASSES; k++) {
    // Raw pixels make the softmax very peaked (p ~ e^-100 is common): flush() tiny probabilities.
    store<f32>(p + (<usize>k << 2), flush(<f32>(<f64>load<f32>(p + (<usize>k << 2)) / sum)));
  }
  return Math.log(sum) + max - <f64>load<f32>(z2 + (<usize>label << 2));
}

/**
 * Flush-to-zero. Under L2 and Adagrad the weights of pixels that are (almost) never lit decay
 * geometrically towards 0: after ~10,000 updates 40% of W1 is below float32's smallest normal
 * number, and subnormal operands or results (in w, in (lambda/B) w, in its square) make each
 * SIMD operation ~100x slower. So a weight whose magnitude falls below FLUSH = 1e-13 is set to
 * exactly 0 (it then stays 0, and its row can be skipped, until its pixel lights up). Such a
 * weight moves z1 by at most 255e-13, below float32 resolution for any |z1| > 4e-4. Likewise
 * softmax probabilities below FLUSH are stored as 0. These are the only places the fast engine
 * alters a number on purpose; npm run bench:precision shows it changes no conclusion.
 */
@inline function flush(v: f32): f32 {
  return Mathf.abs(v) < FLUSH ? 0 : v;
}

/** Adagrad on one scalar: C += g^2; theta -= lr g / (delta + sqrt(C)). */
@inline function adagrad1(theta: usize, c: usize, g: f32, lr: f32): void {
  const cc = load<f32>(c) + g * g;
  store<f32>(c, cc);
  store<f32>(theta, flush(load<f32>(theta) - (lr * g) / (DELTA + Mathf.sqrt(cc))));
}

/** Adagrad on four lanes at `theta` (the same operations as adagrad1, lane by lane), with flush(). */
@inline function adagrad4(theta: usize, c: usize, g: v128, lrv: v128, delta: v128, tiny: v128): v128 {
  const cv = f32x4.add(v128.load(c), f32x4.mul(g, g));
  v128.store(c, cv);
  const nw = f32x4.sub(v128.load(theta), f32x4.div(f32x4.mul(lrv, g), f32x4.add(delta, f32x4.sqrt(cv))));
  const kept = v128.and(nw, f32x4.ge(f32x4.abs(nw), tiny)); // flush(): lanes below FLUSH become 0
  v128.store(theta, kept);
  return kept;
}

/**
 * The original's update from one sample (lit pixels idx/val, label) with the mask at maskPtr():
 * forward, backward, and Adagrad on every parameter, W1 dense (the L2 term touches every entry).
 * Returns the sample's cross-entropy.
 */
export function step(idx: usize, val: usize, nnz: i32, label: i32, lr: f32, lambdaOverB: f32): f64 {
  hiddenInput(idx, val, nnz);
  const ce = output(z1, label, true, 1);
  // d2 = p - onehot; d1 = (d2 W2^T) * [a1 > 0], both from the weights before this update.
  for (let k = 0; k < CLASSES; k++) {
    const q = <usize>k << 2;
    store<f32>(d2 + q, load<f32>(p + q) - (k == label ? <f32>1 : <f32>0));
  }
  for (let j = 0; j < hp; j++) {
    const row = w2 + <usize>j * ROW2;
    let back: f32 = 0;
    for (let k = 0; k < CLASSES; k++) back += load<f32>(d2 + (<usize>k << 2)) * load<f32>(row + (<usize>k << 2));
    store<f32>(d1 + (<usize>j << 2), load<f32>(a1 + (<usize>j << 2)) > 0 ? back : 0);
  }
  // W2, b2: g = a1_j d2_k + (lambda/B) W2;  g = d2. Vectors of four classes; the padding lanes
  // have d2 = 0 and W2 = 0, so their g is 0 and they stay 0.
  const lb = f32x4.splat(lambdaOverB);
  const lrv = f32x4.splat(lr);
  const delta = f32x4.splat(DELTA);
  const tiny = f32x4.splat(FLUSH);
  const g0 = v128.load(d2), g1 = v128.load(d2, 16), g2 = v128.load(d2, 32);
  for (let j = 0; j < hp; j++) {
    const av = f32x4.splat(load<f32>(a1 + (<usize>j << 2)));
    const o = <usize>j * ROW2;
    adagrad4(w2 + o, cw2 + o, f32x4.add(f32x4.mul(av, g0), f32x4.mul(lb, v128.load(w2 + o))), lrv, delta, tiny);
    adagrad4(w2 + o + 16, cw2 + o + 16, f32x4.add(f32x4.mul(av, g1), f32x4.mul(lb, v128.load(w2 + o + 16))), lrv, delta, tiny);
    adagrad4(w2 + o + 32, cw2 + o + 32, f32x4.add(f32x4.mul(av, g2), f32x4.mul(lb, v128.load(w2 + o + 32))), lrv, delta, tiny);
  }
  for (let k = 0; k < CLASSES; k++) adagrad1(b2 + (<usize>k << 2), cb2 + (<usize>k << 2), load<f32>(d2 + (<usize>k << 2)), lr);
  for (let j = 0; j < hp; j++) adagrad1(b1 + (<usize>j << 2), cb1 + (<usize>j << 2), load<f32>(d1 + (<usize>j << 2)), lr);
  // W1: g = x_i d1 + (lambda/B) W1 for every row; on unlit rows x_i = 0 and g = (lambda/B) W1 exactly.
  memory.fill(x, 0, <usize>INPUT << 2);
  for (let e = 0; e < nnz; e++) store<f32>(x + (<usize>load<u16>(idx + (<usize>e << 1)) << 2), load<f32>(val + (<usize>e << 2)));
  const rowBytes = <usize>hp << 2;
  for (let i = 0; i < INPUT; i++) {
    const xi = load<f32>(x + (<usize>i << 2));
    // A row whose weights are all exactly 0, for an unlit pixel: g = (lambda/B) * 0 = 0, so
    // neither C nor W can change. Skipping it is exact (most never-lit pixels end up here).
    if (xi == 0 && load<u8>(zeroRows + <usize>i) != 0) continue;
    const xv = f32x4.splat(xi);
    const w = w1 + <usize>i * rowBytes;
    const c = cw1 + <usize>i * rowBytes;
    let any = f32x4.splat(0);
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const g = f32x4.add(f32x4.mul(xv, v128.load(d1 + o)), f32x4.mul(lb, v128.load(w + o)));
      any = v128.or(any, adagrad4(w + o, c + o, g, lrv, delta, tiny));
    }
    store<u8>(zeroRows + <usize>i, v128.any_true(any) ? 0 : 1);
  }
  return ce;
}

let lastCorrect: i32 = 0;

/** Samples evaluated together (their hidden inputs, BLOCK x hp floats, stay in the L1 cache). */
const BLOCK: i32 = 32;

/** Bytes of working memory evaluate() needs at `work` (for the current hp). */
export function evalWorkBytes(): usize {
  return <usize>BLOCK * (<usize>hp << 2) + (<usize>(INPUT + 1) << 2) + <usize>BLOCK * <usize>INPUT * 8;
}

/**
 * z1 = X W1 + b1 for a block of m samples (their hidden inputs at zb, hp floats each), computed
 * pixel by pixel: the block's entries are first sorted by pixel (counting sort), then each row of
 * W1 is loaded into registers once and added to every sample of the block that lights that pixel.
 * Per sample and unit this is the same sum, in the same order (b1, then ascending pixels), as
 * hiddenInput(), so the results are bit-identical; but a W1 row is read once per block instead of
 * once per sample, which is what bounded hiddenInput() when evaluating whole sets.
 */
function hiddenInputBlock(rowPtr: usize, idx: usize, val: usize, first: i32, m: i32, work: usize): usize {
  const units = hp, weights = w1, rowBytes = <usize>hp << 2;
  const zb = work;
  const start = zb + <usize>BLOCK * rowBytes; // INPUT + 1 counters
  const entZ = start + (<usize>(INPUT + 1) << 2); // per entry: the byte offset of its sample's row in zb
  const entX = entZ + (<usize>BLOCK * <usize>INPUT << 2); // per entry: its value
  memory.fill(start, 0, <usize>(INPUT + 1) << 2);
  const lo = load<i32>(rowPtr + (<usize>first << 2)), hi = load<i32>(rowPtr + (<usize>(first + m) << 2));
  for (let e = lo; e < hi; e++) {
    const c = start + (<usize>(<i32>load<u16>(idx + (<usize>e << 1)) + 1) << 2);
    store<i32>(c, load<i32>(c) + 1);
  }
  for (let i = 1; i <= INPUT; i++) {
    const c = start + (<usize>i << 2);
    store<i32>(c, load<i32>(c) + load<i32>(c - 4));
  }
  // Fill, samples in order; afterwards start[i] is where pixel i's entries end (start[i-1] where they begin).
  for (let s = 0; s < m; s++) {
    const row = <usize>s * rowBytes;
    memory.copy(zb + row, b1, rowBytes);
    const a = load<i32>(rowPtr + (<usize>(first + s) << 2)), b = load<i32>(rowPtr + (<usize>(first + s + 1) << 2));
    for (let e = a; e < b; e++) {
      const c = start + (<usize>load<u16>(idx + (<usize>e << 1)) << 2);
      const at = <usize>load<i32>(c) << 2;
      store<i32>(c, load<i32>(c) + 1);
      store<u32>(entZ + at, <u32>row);
      store<f32>(entX + at, load<f32>(val + (<usize>e << 2)));
    }
  }
  let from = 0;
  for (let i = 0; i < INPUT; i++) {
    const to = load<i32>(start + (<usize>i << 2));
    if (to == from) continue;
    const wrow = weights + <usize>i * rowBytes;
    let j = 0;
    for (; j + 32 <= units; j += 32) {
      const o = <usize>j << 2;
      const w0 = v128.load(wrow + o), wv1 = v128.load(wrow + o, 16), wv2 = v128.load(wrow + o, 32), wv3 = v128.load(wrow + o, 48);
      const wv4 = v128.load(wrow + o, 64), wv5 = v128.load(wrow + o, 80), wv6 = v128.load(wrow + o, 96), wv7 = v128.load(wrow + o, 112);
      for (let e = from; e < to; e++) {
        const xv = f32x4.splat(load<f32>(entX + (<usize>e << 2)));
        const z = zb + <usize>load<u32>(entZ + (<usize>e << 2)) + o;
        v128.store(z, f32x4.add(v128.load(z), f32x4.mul(xv, w0)));
        v128.store(z, f32x4.add(v128.load(z, 16), f32x4.mul(xv, wv1)), 16);
        v128.store(z, f32x4.add(v128.load(z, 32), f32x4.mul(xv, wv2)), 32);
        v128.store(z, f32x4.add(v128.load(z, 48), f32x4.mul(xv, wv3)), 48);
        v128.store(z, f32x4.add(v128.load(z, 64), f32x4.mul(xv, wv4)), 64);
        v128.store(z, f32x4.add(v128.load(z, 80), f32x4.mul(xv, wv5)), 80);
        v128.store(z, f32x4.add(v128.load(z, 96), f32x4.mul(xv, wv6)), 96);
        v128.store(z, f32x4.add(v128.load(z, 112), f32x4.mul(xv, wv7)), 112);
      }
    }
    for (; j < units; j += 4) { // the last < 32 units (h not a multiple of 32)
      const o = <usize>j << 2;
      const w = v128.load(wrow + o);
      for (let e = from; e < to; e++) {
        const z = zb + <usize>load<u32>(entZ + (<usize>e << 2)) + o;
        v128.store(z, f32x4.add(v128.load(z), f32x4.mul(f32x4.splat(load<f32>(entX + (<usize>e << 2))), w)));
      }
    }
    from = to;
  }
  return zb;
}

/**
 * Evaluate a set in CSR form (rowPtr: i32[n+1], idx: u16, val: f32, labels: u8) with a1 scaled by
 * keepProb, BLOCK samples at a time (work: evalWorkBytes() of scratch). Returns the summed
 * cross-entropy (added sample by sample from 0); correct() gives the number right. When outCe is
 * non-zero, writes each sample's cross-entropy (f64) there, so that a set evaluated in parts can
 * be summed in the same order. When outPred is non-zero, writes each argmax (u8) there and the
 * probabilities (f32 x 10) to outProb.
 */
export function evaluate(rowPtr: usize, idx: usize, val: usize, labels: usize, n: i32, keepProb: f32, outPred: usize, outProb: usize, outCe: usize, work: usize): f64 {
  let ce: f64 = 0;
  let correct = 0;
  const rowBytes = <usize>hp << 2;
  for (let first = 0; first < n; first += BLOCK) {
    const m = min(BLOCK, n - first);
    const zb = hiddenInputBlock(rowPtr, idx, val, first, m, work);
    for (let t = 0; t < m; t++) {
      const s = first + t;
      const label = <i32>load<u8>(labels + <usize>s);
      const c = output(zb + <usize>t * rowBytes, label, false, keepProb);
      ce += c;
      if (outCe != 0) store<f64>(outCe + (<usize>s << 3), c);
      let best = 0;
      for (let k = 1; k < CLASSES; k++) if (load<f32>(p + (<usize>k << 2)) > load<f32>(p + (<usize>best << 2))) best = k;
      if (best == label) correct++;
      if (outPred != 0) {
        store<u8>(outPred + <usize>s, <u8>best);
        memory.copy(outProb + (<usize>(s * CLASSES) << 2), p, <usize>CLASSES << 2);
      }
    }
  }
  lastCorrect = correct;
  return ce;
}

export function correct(): i32 {
  return lastCorrect;
}
