"""Audit: a literal NumPy port of Coates' kmeans_demo.m feature extraction beside fastlin.

extract_features(X, centroids, rfSize, CIFAR_DIM, M, P) of Coates, Lee & Ng's code, transcribed
(MATLAB column-major im2col, per-patch normalisation, whitening, z = sqrt(||x - c||^2), triangle
f = max(0, mean(z) - z), sums over quadrants with halves round(27/2) = 14), run with the SAME
whitening (M, P) and centroids as a fitted fastlin.features.BagOfVisualWords, then compared with
BagOfVisualWords.transform. Patch vectors: Coates flattens a patch column-major (row fastest, then
column, then channel), fastlin in (row, column, channel) order; the port maps fastlin's M, P and
centroids into Coates' order so that the same numbers meet.

    python bench/bowacc/coates_port.py [--images 20] [--words 1600] [--ddof 0]
"""
import argparse
import sys

import numpy as np


def im2col(A, r):
    """MATLAB im2col(A, [r r], 'sliding'): columns = r*r blocks, column-major inside a block,
    blocks ordered column-major over positions (top-left row index fastest)."""
    H, W = A.shape
    cols = []
    for j in range(W - r + 1):          # block column (slowest)
        for i in range(H - r + 1):      # block row (fastest)
            cols.append(A[i:i + r, j:j + r].reshape(-1, order="F"))
    return np.array(cols).T            # (r*r, positions)


def coates_extract(X, centroids, rf, M, P, ddof=1):
    """X: (N, 32, 32, 3) images, our (row, col, channel) layout; the rest in Coates' order."""
    k = centroids.shape[0]
    out = np.zeros((X.shape[0], 4 * k))
    for n in range(X.shape[0]):
        img = X[n].astype(np.float64)
        patches = np.vstack([im2col(img[:, :, ch], rf) for ch in range(3)]).T  # (729, 108)
        mu = patches.mean(1, keepdims=True)
        var = patches.var(1, ddof=ddof, keepdims=True)
        patches = (patches - mu) / np.sqrt(var + 10)
        patches = (patches - M) @ P
        xx = (patches ** 2).sum(1)[:, None]
        cc = (centroids ** 2).sum(1)[None, :]
        xc = patches @ centroids.T
        z = np.sqrt(cc + (xx - 2 * xc))
        mu = z.mean(1, keepdims=True)
        act = np.maximum(mu - z, 0)
        prows = pcols = 32 - rf + 1
        act = act.reshape(prows, pcols, k, order="F")   # MATLAB reshape (positions col-major)
        hr, hc = int(np.floor(prows / 2 + 0.5)), int(np.floor(pcols / 2 + 0.5))
        q1 = act[:hr, :hc].sum((0, 1))
        q2 = act[hr:, :hc].sum((0, 1))
        q3 = act[:hr, hc:].sum((0, 1))
        q4 = act[hr:, hc:].sum((0, 1))
        out[n] = np.concatenate([q1, q2, q3, q4])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=20)
    ap.add_argument("--words", type=int, default=1600)
    ap.add_argument("--patches", type=int, default=100_000)
    ap.add_argument("--kmeans-iter", type=int, default=3)
    ap.add_argument("--ddof", type=int, default=0)
    ap.add_argument("--dtype", default="float64")
    args = ap.parse_args()
    from fastlin.datasets import load_cifar10
    from fastlin.features import BagOfVisualWords

    d = load_cifar10(split="train")
    X = d.X_train[:49000]
    assert X.shape[1:] == (32, 32, 3) and X.dtype == np.uint8
    bovw = BagOfVisualWords(n_words=args.words, n_patches=args.patches,
                            kmeans_max_iter=args.kmeans_iter, random_state=0, dtype=np.dtype(args.dtype))
    bovw.fit(X)
    rf = 6
    # fastlin index of (row a, col b, channel ch) = (a*6 + b)*3 + ch; Coates' = a + 6*b + 36*ch
    perm = np.array([(a * rf + b) * 3 + ch for ch in range(3) for b in range(rf)
                     for a in range(rf)])  # Coates position -> fastlin index
    M = bovw.whiten_mean_[perm]
    P = bovw.whiten_matrix_[np.ix_(perm, perm)]
    C = bovw.cluster_centers_[:, perm]
    imgs = X[-args.images:]
    ref = coates_extract(imgs, C, rf, M, P, ddof=args.ddof)
    got = bovw.transform(imgs)
    k = args.words
    # Coates' quadrant order: q1 top-left, q2 bottom-left, q3 top-right, q4 bottom-right;
    # fastlin: top-left, top-right, bottom-left, bottom-right
    got_c = np.concatenate([got[:, 0:k], got[:, 2 * k:3 * k], got[:, k:2 * k], got[:, 3 * k:]], 1)
    err = np.abs(got_c - ref) / (np.abs(ref) + 1e-3 * np.abs(ref).max())
    print(f"{args.images} images, {args.dtype}, k={k}, ddof={args.ddof}: max rel err {err.max():.3g}, "
          f"mean |ref| {np.abs(ref).mean():.4g}, mean |fastlin| {np.abs(got).mean():.4g}, "
          f"allclose(rtol=1e-4): {np.allclose(got_c, ref, rtol=1e-4, atol=1e-6 * np.abs(ref).max())}")
    # also: whitened random patches of fit vs the encoder's patches: means/covariances
    return 0


if __name__ == "__main__":
    sys.exit(main())
