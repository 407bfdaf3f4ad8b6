// AssemblyScript: true minibatch SGD for the fast engine (the ablation "the batch's average
// gradient"), compiled to build/minibatch.wasm with SIMD (f32x4). It works in build/core.wasm's
// memory (imported), on the network core.ts trains: the host (lib/engine/wasmcore.ts) passes the
// same addresses, so core's evaluate() sees what this module trained.
//
// It is a module of its own, and not a function added to core.ts, because core.ts's bytes define
// the engine behind every committed record (lib/engine/wasmcore.ts): an edit there would re-key
// them all. So the forward pass below repeats core.ts's (same operations, same order).
//
// One update per batch of B samples, as lib/engine/engine.ts's reference minibatch:
//   for each sample r (its own dropout mask r):  forward, d2 = p - onehot, d1 = (d2 W2^T) * [a1 > 0],
//     and add a1^T d2, d2, x^T d1, d1 to the sums of dW2, db2, dW1, db1;
//   g = sum / B + (lambda/B) W  (the mean of the B samples' gradients, each with the L2 term),
//   then Adagrad on every parameter, W1 dense.

const INPUT: i32 = 784;
const CLASSES: i32 = 10;
const ROW2: usize = 48; // bytes of a W2 row: 10 classes padded to 12 floats, as in core.ts
const DELTA: f32 = 1e-7;
const FLUSH: f32 = 1e-13; // core.ts's flush-to-zero threshold (see flush() there)

let hp: i32 = 0;
let w1: usize = 0; // the network and its Adagrad accumulators: core's arrays
let b1: usize = 0;
let w2: usize = 0;
let b2: usize = 0;
let cw1: usize = 0;
let cb1: usize = 0;
let cw2: usize = 0;
let cb2: usize = 0;
let gw1: usize = 0; // sums of the samples' data gradients, same shapes; zero between batches
let gb1: usize = 0;
let gw2: usize = 0;
let gb2: usize = 0;
let z1: usize = 0; // scratch: hp each
let a1: usize = 0;
let d1: usize = 0;
let z2: usize = 0; // 16 floats each
let p: usize = 0;
let d2: usize = 0;
let lit: usize = 0; // 784 bytes: 1 where some sample of the batch lights that pixel
let zeroRows: usize = 0; // 784 bytes: 1 where that row of W1 is known to be all zero

/** Bytes of memory setNet() needs at `grads` for hp hidden units (gradient sums and scratch). */
export function workBytes(hp_: i32): usize {
  const row = <usize>hp_ << 2;
  return <usize>INPUT * row + row + <usize>hp_ * ROW2 + 64 + 3 * row + 3 * 64 + 2 * <usize>INPUT;
}

/** The network's addresses (as given to core's setNet) and workBytes(hp) of zeroed memory at `grads`. */
export function setNet(
  hp_: i32, w1_: usize, b1_: usize, w2_: usize, b2_: usize, cw1_: usize, cb1_: usize, cw2_: usize, cb2_: usize, grads: usize,
): void {
  hp = hp_; w1 = w1_; b1 = b1_; w2 = w2_; b2 = b2_; cw1 = cw1_; cb1 = cb1_; cw2 = cw2_; cb2 = cb2_;
  const row = <usize>hp << 2;
  gw1 = grads; gb1 = gw1 + <usize>INPUT * row; gw2 = gb1 + row; gb2 = gw2 + <usize>hp * ROW2;
  z1 = gb2 + 64; a1 = z1 + row; d1 = a1 + row; z2 = d1 + row; p = z2 + 64; d2 = p + 64;
  lit = d2 + 64; zeroRows = lit + <usize>INPUT;
  memory.fill(grads, 0, workBytes(hp));
}

@inline function flush(v: f32): f32 {
  return Mathf.abs(v) < FLUSH ? 0 : v;
}

/** z1 = x W1 + b1 over the sample's lit pixels, eight vectors of units at a time (as core.ts). */
function hiddenInput(idx: usize, val: usize, nnz: i32): void {
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
  for (; j < units; j += 4) {
    const o = <usize>j << 2;
    let acc = v128.load(out + o);
    for (let e = 0; e < nnz; e++) {
      const w = weights + <usize>load<u16>(idx + (<usize>e << 1)) * rowBytes + o;
      acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(val + (<usize>e << 2))), v128.load(w)));
    }
    v128.store(out + o, acc);
  }
}

/** a1 = ReLU(z1) * mask; z2 = a1 W2 + b2; p = softmax(z2); returns -log p[label]. */
function output(mask: usize, label: i32): f64 {
  const zero = f32x4.splat(0);
  for (let j = 0; j < hp; j += 4) {
    const o = <usize>j << 2;
    v128.store(a1 + o, f32x4.mul(f32x4.max(v128.load(z1 + o), zero), v128.load(mask + o)));
  }
  let q0 = v128.load(b2), q1 = v128.load(b2, 16), q2 = v128.load(b2, 32);
  for (let j = 0; j < hp; j++) {
    const av = f32x4.splat(load<f32>(a1 + (<usize>j << 2)));
    const row = w2 + <usize>j * ROW2;
    q0 = f32x4.add(q0, f32x4.mul(av, v128.load(row)));
    q1 = f32x4.add(q1, f32x4.mul(av, v128.load(row, 16)));
    q2 = f32x4.add(q2, f32x4.mul(av, v128.load(row, 32)));
  }
  v128.store(z2, q0); v128.store(z2, q1, 16); v128.store(z2, q2, 32);
  let max: f64 = load<f32>(z2);
  for (let k = 1; k < CLASSES; k++) max = Math.max(max, <f64>load<f32>(z2 + (<usize>k << 2)));
  let sum: f64 = 0;
  for (let k = 0; k < CLASSES; k++) {
    const e = Math.exp(<f64>load<f32>(z2 + (<usize>k << 2)) - max);
    store<f32>(p + (<usize>k << 2), <f32>e);
    sum += e;
  }
  for (let k = 0; k < CLASSES; k++) store<f32>(p + (<usize>k << 2), flush(<f32>(<f64>load<f32>(p + (<usize>k << 2)) / sum)));
  return Math.log(sum) + max - <f64>load<f32>(z2 + (<usize>label << 2));
}

/** Add one sample's data gradient (lit pixels idx/val, label, its mask) to the sums; returns its cross-entropy. */
function accumulate(idx: usize, val: usize, nnz: i32, label: i32, mask: usize): f64 {
  hiddenInput(idx, val, nnz);
  const ce = output(mask, label);
  for (let k = 0; k < CLASSES; k++) {
    const q = <usize>k << 2;
    const d = load<f32>(p + q) - (k == label ? <f32>1 : <f32>0);
    store<f32>(d2 + q, d);
    store<f32>(gb2 + q, load<f32>(gb2 + q) + d);
  }
  for (let j = 0; j < hp; j++) {
    const row = w2 + <usize>j * ROW2;
    let back: f32 = 0;
    for (let k = 0; k < CLASSES; k++) back += load<f32>(d2 + (<usize>k << 2)) * load<f32>(row + (<usize>k << 2));
    const q = <usize>j << 2;
    const d = load<f32>(a1 + q) > 0 ? back : 0;
    store<f32>(d1 + q, d);
    store<f32>(gb1 + q, load<f32>(gb1 + q) + d);
  }
  // dW2 += a1^T d2 (the padding lanes of d2 are 0).
  const g0 = v128.load(d2), g1 = v128.load(d2, 16), g2 = v128.load(d2, 32);
  for (let j = 0; j < hp; j++) {
    const av = f32x4.splat(load<f32>(a1 + (<usize>j << 2)));
    const o = gw2 + <usize>j * ROW2;
    v128.store(o, f32x4.add(v128.load(o), f32x4.mul(av, g0)));
    v128.store(o, f32x4.add(v128.load(o, 16), f32x4.mul(av, g1)), 16);
    v128.store(o, f32x4.add(v128.load(o, 32), f32x4.mul(av, g2)), 32);
  }
  // dW1 += x^T d1, on the lit rows only.
  const rowBytes = <usize>hp << 2;
  for (let e = 0; e < nnz; e++) {
    const i = <usize>load<u16>(idx + (<usize>e << 1));
    store<u8>(lit + i, 1);
    const xv = f32x4.splat(load<f32>(val + (<usize>e << 2)));
    const g = gw1 + i * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += 16) v128.store(g + o, f32x4.add(v128.load(g + o), f32x4.mul(xv, v128.load(d1 + o))));
  }
  return ce;
}

/** Adagrad on four lanes at `theta` (core.ts's adagrad4), with flush(). */
@inline function adagrad4(theta: usize, c: usize, g: v128, lrv: v128, delta: v128, tiny: v128): v128 {
  const cv = f32x4.add(v128.load(c), f32x4.mul(g, g));
  v128.store(c, cv);
  const nw = f32x4.sub(v128.load(theta), f32x4.div(f32x4.mul(lrv, g), f32x4.add(delta, f32x4.sqrt(cv))));
  const kept = v128.and(nw, f32x4.ge(f32x4.abs(nw), tiny));
  v128.store(theta, kept);
  return kept;
}

/**
 * One update from a batch: `samples` (u32 indices into the set: rowPtr i32[n+1], idx u16, val f32,
 * labels u8), B of them, with B dropout masks of hp floats each at `masks` (drawn by the host, in
 * sample order). Returns the batch's summed cross-entropy (before the update).
 */
export function batchStep(rowPtr: usize, idx: usize, val: usize, labels: usize, samples: usize, B: i32, masks: usize, lr: f32, lambdaOverB: f32): f64 {
  const rowBytes = <usize>hp << 2;
  let ce: f64 = 0;
  for (let r = 0; r < B; r++) {
    const s = <usize>load<u32>(samples + (<usize>r << 2));
    const a = load<i32>(rowPtr + (s << 2)), b = load<i32>(rowPtr + (s << 2) + 4);
    ce += accumulate(idx + (<usize>a << 1), val + (<usize>a << 2), b - a, <i32>load<u8>(labels + s), masks + <usize>r * rowBytes);
  }
  const inv = f32x4.splat(<f32>1 / <f32>B);
  const invB: f32 = <f32>1 / <f32>B;
  const lb = f32x4.splat(lambdaOverB);
  const lrv = f32x4.splat(lr);
  const delta = f32x4.splat(DELTA);
  const tiny = f32x4.splat(FLUSH);
  const zero = f32x4.splat(0);
  // W2 and b2, then b1: g = sum / B (+ (lambda/B) W for the weights); the sums are reset to 0.
  for (let o: usize = 0; o < <usize>hp * ROW2; o += 16) {
    adagrad4(w2 + o, cw2 + o, f32x4.add(f32x4.mul(v128.load(gw2 + o), inv), f32x4.mul(lb, v128.load(w2 + o))), lrv, delta, tiny);
    v128.store(gw2 + o, zero);
  }
  for (let k = 0; k < CLASSES; k++) {
    const q = <usize>k << 2;
    const g = load<f32>(gb2 + q) * invB;
    const c = load<f32>(cb2 + q) + g * g;
    store<f32>(cb2 + q, c);
    store<f32>(b2 + q, flush(load<f32>(b2 + q) - (lr * g) / (DELTA + Mathf.sqrt(c))));
    store<f32>(gb2 + q, 0);
  }
  for (let o: usize = 0; o < rowBytes; o += 16) {
    adagrad4(b1 + o, cb1 + o, f32x4.mul(v128.load(gb1 + o), inv), lrv, delta, tiny);
    v128.store(gb1 + o, zero);
  }
  // W1, every row: g = sum / B + (lambda/B) W1 where the batch lit the pixel, (lambda/B) W1 elsewhere.
  for (let i = 0; i < INPUT; i++) {
    const w = w1 + <usize>i * rowBytes, c = cw1 + <usize>i * rowBytes;
    let any = zero;
    if (load<u8>(lit + <usize>i) != 0) {
      const g = gw1 + <usize>i * rowBytes;
      for (let o: usize = 0; o < rowBytes; o += 16) {
        any = v128.or(any, adagrad4(w + o, c + o, f32x4.add(f32x4.mul(v128.load(g + o), inv), f32x4.mul(lb, v128.load(w + o))), lrv, delta, tiny));
        v128.store(g + o, zero);
      }
      store<u8>(lit + <usize>i, 0);
    } else {
      // Unlit and all zero: g = 0, nothing can change (exact, as in core.ts).
      if (load<u8>(zeroRows + <usize>i) != 0) continue;
      for (let o: usize = 0; o < rowBytes; o += 16) any = v128.or(any, adagrad4(w + o, c + o, f32x4.mul(lb, v128.load(w + o)), lrv, delta, tiny));
    }
    store<u8>(zeroRows + <usize>i, v128.any_true(any) ? 0 : 1);
  }
  return ce;
}

/**
 * Where this module's static data (AssemblyScript's Math.exp and Math.log tables) ends. They are
 * placed by the build from byte 16384 on (--memoryBase), above core.ts's own static data, in the
 * memory the two modules share; the host allocates above both.
 */
export function heapBase(): usize {
  return __heap_base;
}
