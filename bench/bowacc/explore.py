"""Quick feature comparison on a subset: codebook from 400,000 patches of the 49,000 training
images, encode the first --train images and the 1,000 validation images, exact ridge oracle.
Relative comparisons of preprocessing variants only (fewer training rows than the e2e).

    python bench/bowacc/explore.py --zca-eps 0.1 --norm-eps 10 [--train 20000] [--iters 10]
"""
import argparse
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zca-eps", type=float, default=0.1)
    ap.add_argument("--norm-eps", type=float, default=10.0)
    ap.add_argument("--train", type=int, default=20000)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--words", type=int, default=1600)
    ap.add_argument("--init", default="random")
    args = ap.parse_args()
    from fastlin import bow, cluster
    from fastlin.datasets import load_cifar10

    d = load_cifar10(split="train")
    X, y = d.X_train, d.y_train
    t0 = time.time()
    P = bow.random_patches(X[:49000], 6, 400_000, random_state=0)
    bow.normalize_patches(P, args.norm_eps, copy=False)
    m, W = bow.fit_zca(P, args.zca_eps)
    P = (P - m) @ W
    C = cluster.KMeans(args.words, init=args.init, max_iter=args.iters, tol=0,
                       random_state=0).fit(P).cluster_centers_
    del P
    kw = dict(eps=args.norm_eps, whiten_mean=m, whiten_matrix=W)
    Ftr = np.concatenate([bow.encode(X[i:i + 5000], C, 6, 1, **kw)
                          for i in range(0, args.train, 5000)])
    Fva = bow.encode(X[49000:50000], C, 6, 1, **kw)
    ytr, yva = y[:args.train], y[49000:50000]
    t1 = time.time()
    mu = Ftr.mean(0, dtype=np.float64)
    sd = np.sqrt(Ftr.var(0, dtype=np.float64) + 0.01)
    Ftr = ((Ftr - mu) / sd).astype(np.float32)
    Fva = ((Fva - mu) / sd).astype(np.float32)
    G = (Ftr.T @ Ftr).astype(np.float64)
    Y = -np.ones((len(ytr), 10), np.float32)
    Y[np.arange(len(ytr)), ytr] = 1
    e, V = np.linalg.eigh(G)
    VB = V.T @ (Ftr.T @ Y).astype(np.float64)
    res = []
    for lam in [3, 10, 30, 100, 300]:
        Wc = (V @ (VB / (e + lam)[:, None])).astype(np.float32)
        res.append(f"lam={lam:g}: {((Fva @ Wc).argmax(1) == yva).mean():.3f}")
    print(f"zca_eps={args.zca_eps} norm_eps={args.norm_eps} init={args.init} iters={args.iters} "
          f"words={args.words} train={args.train}: " + ", ".join(res)
          + f"  (features {t1 - t0:.0f} s, ridge {time.time() - t1:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
