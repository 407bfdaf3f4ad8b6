"""The original's algorithm in plain numpy (float64, dense), as a speed reference for `npm run bench`.

Not part of the product: the report's numbers come from lib/. Two ways of writing the same step:
  - "allocating": as the original's code is written (whole-array expressions, a new temporary
    for each), the way numpy is usually written;
  - "careful": as a careful numpy user writes it: every buffer allocated once, updated in place
    (np.outer(..., out=), np.sqrt(c, out=), ...).
Every figure is repeated (reps) and reported as all its repetitions; the caller takes medians.

usage: python3 reference.py update MNIST_DIR '{"hs": [32, 64, 128], "updates": 500, "reps": 5}'
       python3 reference.py eval MNIST_DIR '{"h": 128, "reps": 5}'
       python3 reference.py epoch MNIST_DIR '{"h": 128, "reps": 5}'
       python3 reference.py run MNIST_DIR H EPOCHS
`run` is a whole training run as `npm run train` does it (load the four IDX files, split 4:1,
then per epoch: validation and training-set evaluation, 2,400 updates; last evaluation; the test
set), timed from outside as a whole process. The BLAS threads and glibc's allocator are set by
the caller through the environment (OPENBLAS_NUM_THREADS, MALLOC_*); each answer says what it ran.
"""
import ctypes
import json
import os
import resource
import sys
import time

import numpy as np

DELTA = 1e-7
LR, LAMBDA, KEEP, B = 0.01, 5e-4, 0.95, 20


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def init(h, rng):
    u = lambda *shape: rng.uniform(-0.1, 0.1, shape) + 1e-4
    return [u(784, h), u(h), u(h, 10), u(10)]


def step(params, acc, x, y, mask, lr, lb):
    """The original's update, written as its code is: a new array for every intermediate."""
    w1, b1, w2, b2 = params
    z1 = x @ w1 + b1
    a1 = np.maximum(z1, 0) * mask
    z2 = a1 @ w2 + b2
    e = np.exp(z2 - z2.max())
    p = e / e.sum()
    d2 = p.copy()
    d2[y] -= 1
    d1 = (w2 @ d2) * (a1 > 0)
    grads = [np.outer(x, d1) + lb * w1, d1, np.outer(a1, d2) + lb * w2, d2]
    for theta, g, c in zip(params, grads, acc):
        c += g * g
        theta -= lr * g / (DELTA + np.sqrt(c))


class CarefulStep:
    """The same update with every buffer allocated once and every operation in place."""

    def __init__(self, h):
        self.z1, self.a1, self.d1, self.keep = np.empty(h), np.empty(h), np.empty(h), np.empty(h, dtype=bool)
        self.z2, self.d2 = np.empty(10), np.empty(10)
        self.g = [np.empty((784, h)), self.d1, np.empty((h, 10)), self.d2]
        self.t = [np.empty((784, h)), np.empty(h), np.empty((h, 10)), np.empty(10)]

    def __call__(self, params, acc, x, y, mask, lr, lb):
        w1, b1, w2, b2 = params
        z1, a1, d1, z2, d2 = self.z1, self.a1, self.d1, self.z2, self.d2
        np.dot(x, w1, out=z1)
        z1 += b1
        np.maximum(z1, 0, out=a1)
        a1 *= mask
        np.dot(a1, w2, out=z2)
        z2 += b2
        np.subtract(z2, z2.max(), out=d2)
        np.exp(d2, out=d2)
        d2 /= d2.sum()
        d2[y] -= 1
        np.dot(w2, d2, out=d1)
        np.greater(a1, 0, out=self.keep)
        d1 *= self.keep
        np.outer(x, d1, out=self.g[0])
        np.outer(a1, d2, out=self.g[2])
        for k in (0, 2):  # L2 on the weight matrices
            np.multiply(params[k], lb, out=self.t[k])
            self.g[k] += self.t[k]
        for theta, g, c, t in zip(params, self.g, acc, self.t):
            np.multiply(g, g, out=t)
            c += t
            np.sqrt(c, out=t)
            t += DELTA
            np.divide(g, t, out=t)
            t *= lr
            theta -= t


def evaluate(params, X, Y, keep_prob, lam, chunk=4000):
    w1, b1, w2, b2 = params
    ce, correct = 0.0, 0
    for s in range(0, len(X), chunk):
        a1 = np.maximum(X[s:s + chunk] @ w1 + b1, 0) * keep_prob
        z2 = a1 @ w2 + b2
        m = z2.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z2 - m).sum(axis=1)) + m[:, 0]
        y = Y[s:s + chunk]
        ce += float((lse - z2[np.arange(len(y)), y]).sum())
        correct += int((z2.argmax(axis=1) == y).sum())
    loss = (ce + 0.5 * lam * ((w1 ** 2).sum() + (w2 ** 2).sum())) / len(X)
    return loss, correct / len(X)


def blas():
    """The BLAS numpy runs: OpenBLAS's threads and the kernel (core) it chose, read from the library."""
    out = {"threads": int(os.environ.get("OPENBLAS_NUM_THREADS") or os.cpu_count())}
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and line.split()[-1].startswith("/")})
    for lib in libs:
        try:
            so = ctypes.CDLL(lib)
            # numpy's wheels rename OpenBLAS's symbols (scipy_openblas_..._64_ / 64_); a system one has the plain names
            for corename, threads in (("scipy_openblas_get_corename64_", "scipy_openblas_get_num_threads64_"), ("openblas_get_corename", "openblas_get_num_threads")):
                fn = getattr(so, corename, None)
                if fn:
                    fn.restype = ctypes.c_char_p
                    out["core"] = fn().decode()
                    out["threads"] = getattr(so, threads)()
                    return out
        except OSError:
            pass
    return out


def data(folder):
    images = read_idx(os.path.join(folder, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float64)
    labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte")).astype(np.int64)
    rng = np.random.default_rng(123)
    order = rng.permutation(len(images))
    return images[order[:48000]], labels[order[:48000]], images[order[48000:]], labels[order[48000:]], rng


def bench_update(folder, opts):
    """Both variants at every h, their repetitions interleaved in time (rep 1 of each, then rep 2,
    ...), so that a slow spell of this shared machine falls on all of them alike."""
    Xt, Yt, _, _, rng = data(folder)
    n, reps = opts["updates"], opts["reps"]
    runs = {}
    for variant in ("allocating", "careful"):
        for h in opts["hs"]:
            params = init(h, np.random.default_rng(h))
            picks = rng.integers(0, 48000, 200 + n * reps)
            runs[variant, h] = {
                "params": params, "acc": [np.zeros_like(t) for t in params], "step": step if variant == "allocating" else CarefulStep(h),
                "picks": picks, "masks": (rng.random((len(picks), h)) < KEEP).astype(np.float64), "us": [],
            }
    def go(run, lo, hi):
        params, acc, update, picks, masks = run["params"], run["acc"], run["step"], run["picks"], run["masks"]
        for k in range(lo, hi):
            update(params, acc, Xt[picks[k]], Yt[picks[k]], masks[k], LR, LAMBDA / B)
    for run in runs.values():
        go(run, 0, 200)  # warm-up, and past the first large steps
    for r in range(reps):
        for run in runs.values():
            t = time.perf_counter()
            go(run, 200 + r * n, 200 + (r + 1) * n)
            run["us"].append((time.perf_counter() - t) / n * 1e6)
    return {"updateUs": {v: {str(h): runs[v, h]["us"] for h in opts["hs"]} for v in ("allocating", "careful")}}


def bench_eval(folder, opts):
    Xt, Yt, Xv, Yv, rng = data(folder)
    params = init(opts["h"], rng)
    evaluate(params, Xv[:2000], Yv[:2000], KEEP, LAMBDA)
    val, train = [], []
    for _ in range(opts["reps"]):
        t = time.perf_counter()
        evaluate(params, Xv, Yv, KEEP, LAMBDA)
        val.append(time.perf_counter() - t)
        t = time.perf_counter()
        evaluate(params, Xt, Yt, KEEP, LAMBDA)
        train.append(time.perf_counter() - t)
    return {"evalValSeconds": val, "evalTrainSeconds": train}


def bench_epoch(folder, opts):
    """One epoch as npm run train runs it: 2,400 updates, then validation and training-set evaluation."""
    Xt, Yt, Xv, Yv, rng = data(folder)
    h = opts["h"]
    params = init(h, rng)
    acc = [np.zeros_like(x) for x in params]
    update = CarefulStep(h) if opts.get("careful") else step
    reps = []
    for _ in range(opts["reps"]):
        t = time.perf_counter()
        for _ in range(2400):
            s = int(rng.integers(0, 48000))
            update(params, acc, Xt[s], Yt[s], (rng.random(h) < KEEP).astype(np.float64), LR, LAMBDA / B)
        evaluate(params, Xv, Yv, KEEP, LAMBDA)
        evaluate(params, Xt, Yt, KEEP, LAMBDA)
        reps.append(time.perf_counter() - t)
    return {"epochSeconds": reps}


def run(folder, h, epochs):
    Xt, Yt, Xv, Yv, rng = data(folder)
    test_x = read_idx(os.path.join(folder, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float64)
    test_y = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte")).astype(np.int64)
    params = init(h, rng)
    acc = [np.zeros_like(t) for t in params]
    update = CarefulStep(h)
    batches = rng.permutation(48000).reshape(-1, B)
    for _ in range(epochs):
        evaluate(params, Xv, Yv, KEEP, LAMBDA)
        evaluate(params, Xt, Yt, KEEP, LAMBDA)
        for batch in batches:
            s = batch[rng.integers(0, B)]
            update(params, acc, Xt[s], Yt[s], (rng.random(h) < KEEP).astype(np.float64), LR, LAMBDA / B)
    evaluate(params, Xv, Yv, KEEP, LAMBDA)
    evaluate(params, Xt, Yt, KEEP, LAMBDA)
    return {"testAccuracy": evaluate(params, test_x, test_y, KEEP, LAMBDA)[1]}


def main(argv):
    mode, folder = argv[0], argv[1]
    if mode == "run":
        out = run(folder, int(argv[2]), int(argv[3]))
    else:
        out = {"update": bench_update, "eval": bench_eval, "epoch": bench_epoch}[mode](folder, json.loads(argv[2]))
    malloc = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}
    out.update({"numpy": np.__version__, "blas": blas(), "malloc": malloc, "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
