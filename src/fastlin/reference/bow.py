"""References of the bag-of-visual-words kernels (csrc/patches.c, csrc/kmeans.c,
csrc/encode.c): patches, contrast normalisation, ZCA whitening, the Lloyd step, k-means++ and
the hard and triangle encodings with region pooling. Plain float64 NumPy over whole arrays:
slow, obvious."""

import numpy as np

from .sampling import PCG32

__all__ = ["PATCHES_STREAM", "KMEANS_STREAM", "patch_positions_reference",
           "extract_patches_reference", "dense_patches_reference", "normalize_patches_reference",
           "zca_fit_reference", "kmeans_step_reference", "kmeans_plusplus_reference",
           "bow_encode_reference"]

PATCHES_STREAM = 0x70617463  # "patc", csrc/patches.h
KMEANS_STREAM = 0x6B6D65616E73  # "kmeans", csrc/kmeans.h


def patch_positions_reference(n, h, w, ph, pw, count, seed=0):
    """int64 (count, 3): (image, top, left) drawn as bounded(n), bounded(h-ph+1), bounded(w-pw+1)."""
    g = PCG32(seed, PATCHES_STREAM)
    out = np.empty((count, 3), dtype=np.int64)
    for i in range(count):
        out[i] = g.bounded(n), g.bounded(h - ph + 1), g.bounded(w - pw + 1)
    return out


def _as_nhwc(images):
    images = np.asarray(images)
    return images[..., None] if images.ndim == 3 else images


def extract_patches_reference(images, positions, patch_size):
    """float64 (count, ph*pw*C): images[i, y:y+ph, x:x+pw, :] flattened for each (i, y, x)."""
    images = _as_nhwc(images)
    ph, pw = patch_size
    D = ph * pw * images.shape[3]
    out = np.empty((len(positions), D))
    for k, (i, y, x) in enumerate(np.asarray(positions)):
        out[k] = images[i, y:y + ph, x:x + pw, :].reshape(-1)
    return out


def dense_patches_reference(images, patch_size, stride=1):
    """float64 (N, ny, nx, ph*pw*C): every patch on the stride grid, row-major positions."""
    images = _as_nhwc(images).astype(np.float64)
    ph, pw = patch_size
    n, h, w, c = images.shape
    ny, nx = (h - ph) // stride + 1, (w - pw) // stride + 1
    out = np.empty((n, ny, nx, ph * pw * c))
    for oy in range(ny):
        for ox in range(nx):
            y, x = oy * stride, ox * stride
            out[:, oy, ox] = images[:, y:y + ph, x:x + pw, :].reshape(n, -1)
    return out


def normalize_patches_reference(X, eps=10.0):
    """(x - mean) / sqrt(var + eps) per row (var: mean squared deviation), float64."""
    X = np.asarray(X, dtype=np.float64)
    return (X - X.mean(axis=1, keepdims=True)) / np.sqrt(X.var(axis=1, keepdims=True) + eps)


def zca_fit_reference(X, eps=0.1):
    """ZCA of the rows of X (Coates & Ng): mean m, P = V diag(1/sqrt(e + eps)) V^T for the
    eigen-decomposition V diag(e) V^T of the covariance (normalised by n - 1)."""
    X = np.asarray(X, dtype=np.float64)
    m = X.mean(axis=0)
    e, V = np.linalg.eigh(np.cov(X, rowvar=False))
    return m, (V * (1.0 / np.sqrt(e + eps))) @ V.T


def kmeans_step_reference(X, centers):
    """One Lloyd step from ``centers``: labels (first nearest centre), squared distances to it,
    per-cluster sums and counts, the new centres (the old one for an empty cluster) and the
    inertia, all from the full float64 distance matrix."""
    X = np.asarray(X, dtype=np.float64)
    C = np.asarray(centers, dtype=np.float64)
    d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    labels = d2.argmin(axis=1)
    mind = d2[np.arange(len(X)), labels]
    K = len(C)
    sums = np.zeros_like(C)
    np.add.at(sums, labels, X)
    counts = np.bincount(labels, minlength=K)
    new = C.copy()
    nz = counts > 0
    new[nz] = sums[nz] / counts[nz, None]
    return labels, mind, sums, counts, new, mind.sum()


def _uniform53(g):
    a, b = g.next_uint32() >> 5, g.next_uint32() >> 6
    return (a * 67108864.0 + b) / 9007199254740992.0


def kmeans_plusplus_reference(X, n_clusters, n_trials, seed=0):
    """Greedy k-means++ exactly as csrc/kmeans.h describes (scikit-learn's algorithm): row
    indices (int64) and the final potential. float64 distances; O(n_clusters * n * n_trials)."""
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    g = PCG32(seed, KMEANS_STREAM)

    def sqdist(i):
        return np.maximum(((X - X[i]) ** 2).sum(axis=1), 0.0)

    first = g.bounded(n)
    idx = [first]
    closest = sqdist(first)
    pot = closest.sum()
    for _ in range(1, n_clusters):
        cum = np.cumsum(closest)
        cands = []
        for _t in range(n_trials):
            u = _uniform53(g) * pot
            cands.append(min(int(np.searchsorted(cum, u, side="left")), n - 1))
        dists = [np.minimum(closest, sqdist(c)) for c in cands]
        pots = [d.sum() for d in dists]
        best = int(np.argmin(pots))
        idx.append(cands[best])
        closest, pot = dists[best], pots[best]
    return np.array(idx, dtype=np.int64), pot


def bow_encode_reference(images, centers, patch_size=(6, 6), stride=1, *, normalize=True,
                         eps=10.0, whiten_mean=None, whiten_matrix=None, encoding="triangle",
                         grid=2):
    """float64 (N, grid*grid*K): dense patches -> normalisation -> (x - m) @ P -> distances to the
    centres -> triangle ``max(0, mean(d) - d)`` or one-hot nearest -> sums over the grid x grid
    regions of positions (region of (oy, ox) = (oy*grid//ny, ox*grid//nx), row-major)."""
    P = dense_patches_reference(images, patch_size, stride)
    n, ny, nx, D = P.shape
    Z = P.reshape(-1, D)
    if normalize:
        Z = normalize_patches_reference(Z, eps)
    if whiten_mean is not None:
        Z = Z - np.asarray(whiten_mean, dtype=np.float64)
    if whiten_matrix is not None:
        Z = Z @ np.asarray(whiten_matrix, dtype=np.float64)
    C = np.asarray(centers, dtype=np.float64)
    K = len(C)
    d2 = (Z ** 2).sum(1)[:, None] - 2 * Z @ C.T + (C ** 2).sum(1)[None, :]
    if encoding == "triangle":
        d = np.sqrt(np.maximum(d2, 0))
        f = np.maximum(d.mean(axis=1, keepdims=True) - d, 0)
    else:
        f = np.zeros_like(d2)
        f[np.arange(len(f)), d2.argmin(axis=1)] = 1
    f = f.reshape(n, ny, nx, K)
    out = np.zeros((n, grid, grid, K))
    for oy in range(ny):
        for ox in range(nx):
            out[:, oy * grid // ny, ox * grid // nx] += f[:, oy, ox]
    return out.reshape(n, -1)


__all__ += ["patch_positions_reference", "extract_patches_reference", "dense_patches_reference",
            "normalize_patches_reference", "zca_fit_reference", "kmeans_step_reference",
            "kmeans_plusplus_reference", "bow_encode_reference"]
