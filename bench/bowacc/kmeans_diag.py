"""Audit of the codebook: k-means on 400,000 normalised, whitened CIFAR-10 6x6 patches (as
BagOfVisualWords.fit draws them), inertia after every Lloyd step, cluster sizes, empty and
duplicate centres, centre norms.

    python bench/bowacc/kmeans_diag.py --init random --iters 10 [--save /tmp/bow2/C.npy]
"""
import argparse
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init", default="random")
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--words", type=int, default=1600)
    ap.add_argument("--patches", type=int, default=400_000)
    ap.add_argument("--save", default=None)
    args = ap.parse_args()
    from fastlin import bow, cluster
    from fastlin.datasets import load_cifar10

    X = load_cifar10(split="train").X_train[:49000]
    P = bow.random_patches(X, 6, args.patches, random_state=0)
    bow.normalize_patches(P, 10.0, copy=False)
    m, W = bow.fit_zca(P, 0.1)
    P = (P - m) @ W
    print(f"whitened patches: mean |mean| {np.abs(P.mean(0)).mean():.3g}, mean var "
          f"{P.var(0).mean():.3g}, mean row norm^2 {(P ** 2).sum(1).mean():.4g}")
    t0 = time.perf_counter()
    if args.init == "coates":
        init = (np.random.default_rng(0).normal(size=(args.words, P.shape[1])) * 0.1)
        init = init.astype(np.float32)
    else:
        init = args.init
    km = cluster.KMeans(args.words, init=init, max_iter=args.iters, tol=0.0, random_state=0)
    hist = []
    km.fit(P, callback=lambda it, inertia, shift: hist.append((inertia, shift)))
    t = time.perf_counter() - t0
    print(f"init={args.init} {km.n_iter_} steps, {t:.1f} s; inertia per step:")
    print("  " + " ".join(f"{h[0]:.5g}" for h in hist))
    print(f"final inertia {km.inertia_:.6g} (per patch {km.inertia_ / len(P):.4g})")
    counts = np.bincount(km.labels_, minlength=args.words)
    q = np.percentile(counts, [0, 1, 10, 50, 90, 99, 100])
    print(f"cluster sizes: min/p1/p10/median/p90/p99/max {q}; empty {int((counts == 0).sum())}, "
          f"<= 5: {int((counts <= 5).sum())}, <= 50: {int((counts <= 50).sum())}")
    C = km.cluster_centers_.astype(np.float64)
    norms = np.linalg.norm(C, axis=1)
    print(f"centre norms: min {norms.min():.3g} median {np.median(norms):.3g} max {norms.max():.3g}")
    G = C @ C.T
    d2 = norms[:, None] ** 2 + norms[None] ** 2 - 2 * G
    np.fill_diagonal(d2, np.inf)
    print(f"nearest-centre distance: min {np.sqrt(max(d2.min(), 0)):.3g}, "
          f"pairs closer than 1e-3: {int((d2 < 1e-6).sum() // 2)}")
    if args.save:
        np.save(args.save, km.cluster_centers_)


if __name__ == "__main__":
    main()
