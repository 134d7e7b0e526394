# Classifier-vs-features check of bench/notes/bow.md; run from a scratch dir (e.g. /tmp/bowacc) after prep.py,
# which standardises /tmp/bowtmp/feats.*.npy (bench_bow.py --cache) into Ztr/Zva/ytr/yva.npy there.
import numpy as np, time, sys
from scipy.optimize import minimize
X = np.load("Ztr.npy", mmap_mode="r"); Xv = np.load("Zva.npy"); y = np.load("ytr.npy"); yv = np.load("yva.npy")
n = int(sys.argv[1]); C = float(sys.argv[2]); iters = int(sys.argv[3])
X = np.ascontiguousarray(X[:n]); y = y[:n]
Y = -np.ones((n, 10), np.float32); Y[np.arange(n), y] = 1
d = X.shape[1]
def f(wb):
    W = wb[:d*10].reshape(d, 10).astype(np.float32); b = wb[d*10:].astype(np.float32)
    m = np.maximum(0, 1 - Y * (X @ W + b))
    loss = 0.5 * np.sum(W.astype(np.float64)**2) + C * np.sum(m.astype(np.float64)**2)
    G = -2 * C * Y * m
    gW = X.T @ G + W; gb = G.sum(0)
    return loss, np.concatenate([gW.ravel(), gb]).astype(np.float64)
t = time.time(); it = [0]
def cb(wb):
    it[0] += 1
    if it[0] % 50 == 0:
        W = wb[:d*10].reshape(d, 10).astype(np.float32); b = wb[d*10:]
        print(it[0], "val", ((Xv @ W + b).argmax(1) == yv).mean(), "train5k", ((X[:5000] @ W + b).argmax(1) == y[:5000]).mean(), f"{time.time()-t:.0f}s", flush=True)
r = minimize(f, np.zeros(d*10+10), jac=True, method="L-BFGS-B", callback=cb, options=dict(maxiter=iters))
print(r.message, r.nit, f"{time.time()-t:.0f}s")
