"""The original's algorithm in plain numpy (float64, dense), as a speed reference for `npm run bench`.

Not part of the product: the report's numbers come from lib/. This mirrors the original's code
(raw pixels, one sample per update, dropout mask, L2 on both weight matrices, Adagrad), written
the way numpy code is usually written: whole-array expressions.

usage: python3 reference.py MNIST_DIR '{"hs": [32, 64, 128], "updates": 1000, "evalH": 128}'
Prints one JSON object with the timings.
   or: python3 reference.py run MNIST_DIR H EPOCHS
A whole training run as `npm run train` does it (load the four IDX files, split 4:1, then per
epoch: validation and training-set evaluation, 2,400 updates; last evaluation; the test set),
timed from outside as a whole process (`npm run bench` compares it with ours).
"""
import json
import os
import resource
import sys
import time

import numpy as np

DELTA = 1e-7


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


def blas_threads():
    """How many threads numpy's BLAS uses (OpenBLAS: every core unless told otherwise)."""
    try:
        from threadpoolctl import threadpool_info
        return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")
    except Exception:
        return int(os.environ.get("OPENBLAS_NUM_THREADS") or os.cpu_count())


def main():
    folder, opts = sys.argv[1], json.loads(sys.argv[2])
    images = read_idx(os.path.join(folder, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float64)
    labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte")).astype(np.int64)
    rng = np.random.default_rng(123)
    order = rng.permutation(len(images))
    train, val = order[:48000], order[48000:]
    Xt, Yt, Xv, Yv = images[train], labels[train], images[val], labels[val]
    out = {"numpy": np.__version__, "blasThreads": blas_threads(), "updateUs": {}}
    lr, lb, p = 0.01, 5e-4 / 20, 0.95
    for h in opts["hs"]:
        params = init(h, rng)
        acc = [np.zeros_like(t) for t in params]
        picks = rng.integers(0, 48000, opts["updates"] + 200)
        masks = (rng.random((opts["updates"] + 200, h)) < p).astype(np.float64)
        for k in range(200):  # warm-up
            step(params, acc, Xt[picks[k]], Yt[picks[k]], masks[k], lr, lb)
        t = time.perf_counter()
        for k in range(200, 200 + opts["updates"]):
            step(params, acc, Xt[picks[k]], Yt[picks[k]], masks[k], lr, lb)
        out["updateUs"][str(h)] = (time.perf_counter() - t) / opts["updates"] * 1e6
    h = opts["evalH"]
    params = init(h, rng)
    evaluate(params, Xv[:1000], Yv[:1000], p, 5e-4)
    t = time.perf_counter()
    evaluate(params, Xv, Yv, p, 5e-4)
    out["evalValSeconds"] = time.perf_counter() - t
    t = time.perf_counter()
    evaluate(params, Xt, Yt, p, 5e-4)
    out["evalTrainSeconds"] = time.perf_counter() - t
    # One epoch as the grid runs it: 2,400 updates, then validation and training-set evaluation.
    out["epochSeconds"] = {}
    for h in opts["hs"]:
        params = init(h, rng)
        acc = [np.zeros_like(x) for x in params]
        t = time.perf_counter()
        for k in range(2400):
            s = int(rng.integers(0, 48000))
            step(params, acc, Xt[s], Yt[s], (rng.random(h) < p).astype(np.float64), lr, lb)
        evaluate(params, Xv, Yv, p, 5e-4)
        evaluate(params, Xt, Yt, p, 5e-4)
        out["epochSeconds"][str(h)] = time.perf_counter() - t
    out["peakRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run(folder, h, epochs):
    images = read_idx(os.path.join(folder, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float64)
    labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte")).astype(np.int64)
    test_x = read_idx(os.path.join(folder, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float64)
    test_y = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte")).astype(np.int64)
    rng = np.random.default_rng(123)
    order = rng.permutation(len(images))
    Xt, Yt, Xv, Yv = images[order[:48000]], labels[order[:48000]], images[order[48000:]], labels[order[48000:]]
    lr, lam, p, B = 0.01, 5e-4, 0.95, 20
    params = init(h, rng)
    acc = [np.zeros_like(t) for t in params]
    batches = rng.permutation(48000).reshape(-1, B)
    for epoch in range(epochs):
        evaluate(params, Xv, Yv, p, lam)
        evaluate(params, Xt, Yt, p, lam)
        for batch in batches:
            s = batch[rng.integers(0, B)]
            step(params, acc, Xt[s], Yt[s], (rng.random(h) < p).astype(np.float64), lr, lam / B)
    evaluate(params, Xv, Yv, p, lam)
    evaluate(params, Xt, Yt, p, lam)
    print(json.dumps({"testAccuracy": evaluate(params, test_x, test_y, p, lam)[1]}))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
