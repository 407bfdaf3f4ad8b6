// The limit line of `npm run bench`: the faithful update's inner operation alone, at full speed.
// Adagrad moves every parameter at every step: per element one square root and one division,
// step = g / (1e-7 + sqrt(c)). Here that is all there is: 4 independent f32x4 vectors per
// iteration (no dependency chain), data in L1 cache, result stored back. Time per element x the
// number of parameters is the least time any f32x4 implementation of one update can take.
export function sqrtDiv(ptr: usize, n: i32, reps: i32): void {
  const delta = f32x4.splat(1e-7);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i += 16) {
      const p = ptr + ((<usize>i) << 2);
      const a = v128.load(p),
        b = v128.load(p, 16),
        c = v128.load(p, 32),
        d = v128.load(p, 48);
      v128.store(p, f32x4.div(a, f32x4.add(delta, f32x4.sqrt(a))));
      v128.store(p, f32x4.div(b, f32x4.add(delta, f32x4.sqrt(b))), 16);
      v128.store(p, f32x4.div(c, f32x4.add(delta, f32x4.sqrt(c))), 32);
      v128.store(p, f32x4.div(d, f32x4.add(delta, f32x4.sqrt(d))), 48);
    }
  }
}
