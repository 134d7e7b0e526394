"""Patches of a batch of images and their preprocessing: random and dense patches (C,
parallel), per-patch contrast normalisation, ZCA whitening.

Outputs are float32 for uint8/float32 images and float64 for float64 images (or ``dtype``).
The NumPy oracles are in :mod:`fastlin.reference`.
"""

import numpy as np

from .._ext import _bow
from .._validation import check_float_array, check_int, check_num_threads, check_scalar, random_seed
from ._images import _check_images, _pair

__all__ = ["random_patches", "dense_patches", "normalize_patches", "fit_zca"]


def _out_dtype(images, dtype):
    if dtype is None:
        return np.dtype(np.float64) if images.dtype == np.float64 else np.dtype(np.float32)
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def _prepare(images, dtype, name="images"):
    """Images (N, H, W, C) whose pixel type the kernels take for the output dtype, and dtype."""
    a = _check_images(images, name)
    dt = _out_dtype(a, dtype)
    if a.dtype != np.uint8 and a.dtype != dt:
        a = a.astype(dt)
    if a.dtype != np.uint8 and a.size and not np.isfinite(a).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    return a, dt


def _patch_shape(patch_size, images, name="patch_size"):
    ph, pw = _pair(patch_size, name)
    h, w = images.shape[1], images.shape[2]
    if ph > h or pw > w:
        raise ValueError(f"{name}={patch_size!r} is larger than the images ({h} x {w} pixels)")
    return ph, pw


def random_patches(images, patch_size=6, n_patches=400_000, *, random_state=None, dtype=None,
                   num_threads=None, return_positions=False):
    """``n_patches`` patches (n_patches, ph*pw*C) at random positions of random images.

    Positions are drawn uniformly (with replacement) from fastlin's PCG32 stream seeded by
    ``random_state`` (see ``csrc/patches.h``); a patch is ``images[i, y:y+ph, x:x+pw, :]``
    flattened. With ``return_positions`` the (n_patches, 3) int64 (image, top, left) array is
    returned too.
    """
    a, dt = _prepare(images, dtype)
    ph, pw = _patch_shape(patch_size, a)
    count = check_int(n_patches, "n_patches", 0)
    if a.shape[0] == 0:
        raise ValueError("images must hold at least one image")
    if a.shape[0] >= 2**32:
        raise ValueError("images: at most 2**32 - 1 images")
    nt = check_num_threads(num_threads)
    pos = np.empty((count, 3), dtype=np.int64)
    _bow.patch_positions(a.shape[0], a.shape[1], a.shape[2], ph, pw, random_seed(random_state), pos)
    out = np.empty((count, ph * pw * a.shape[3]), dtype=dt)
    _bow.patches(a, ph, pw, pos, nt, out)
    return (out, pos) if return_positions else out


def _grid_shape(h, w, ph, pw, stride):
    return (h - ph) // stride + 1, (w - pw) // stride + 1


def dense_patches(images, patch_size=6, stride=1, *, dtype=None, num_threads=None):
    """Every patch on the ``stride`` grid: (N, ny, nx, ph*pw*C), ny = (H - ph)//stride + 1."""
    a, dt = _prepare(images, dtype)
    ph, pw = _patch_shape(patch_size, a)
    s = check_int(stride, "stride", 1)
    ny, nx = _grid_shape(a.shape[1], a.shape[2], ph, pw, s)
    D = ph * pw * a.shape[3]
    out = np.empty((a.shape[0] * ny * nx, D), dtype=dt)
    _bow.dense_patches(a, ph, pw, s, check_num_threads(num_threads), out)
    return out.reshape(a.shape[0], ny, nx, D)


def normalize_patches(X, eps=10.0, *, copy=True, num_threads=None):
    """Per-row contrast normalisation ``(x - mean) / sqrt(var + eps)`` (var: mean squared
    deviation; eps = 10 suits 0-255 pixel values). float32/float64 (N, D); in place when
    ``copy=False`` and X is a writeable float array with contiguous rows."""
    X = check_float_array(X, "X", 2)
    eps = check_scalar(eps, "eps", minimum=0.0)
    if not np.isfinite(X).all():
        raise ValueError("X holds NaN or infinite values")
    if copy or X.strides[1] != X.itemsize or not X.flags.writeable or X.strides[0] < 0:
        X = np.array(X, order="C", copy=True)
    if eps == 0 and X.shape[1] and (X.max(1) == X.min(1)).any():
        raise ValueError("eps=0 with a constant patch: the normalisation divides by zero")
    _bow.normalize_patches(X, eps, check_num_threads(num_threads))
    return X


def fit_zca(X, eps=0.1, *, chunk_size=65536):
    """ZCA whitening of the rows of X: ``(mean, P)`` with ``z = (x - mean) @ P`` (Coates & Ng:
    P = V diag(1/sqrt(e + eps)) V^T for the eigen-decomposition of the covariance, normalised by
    n - 1). The covariance is accumulated in float64 chunk by chunk; mean and P have X's dtype."""
    X = check_float_array(X, "X", 2)
    eps = check_scalar(eps, "eps", minimum=0.0)
    n, D = X.shape
    if n < 2:
        raise ValueError(f"fit_zca needs at least 2 rows, got {n}")
    s = np.zeros(D)
    G = np.zeros((D, D))
    for i in range(0, n, chunk_size):
        b = X[i:i + chunk_size].astype(np.float64)
        if not np.isfinite(b).all():
            raise ValueError("X holds NaN or infinite values")
        s += b.sum(0)
        G += b.T @ b
    m = s / n
    cov = (G - n * np.outer(m, m)) / (n - 1)
    e, V = np.linalg.eigh((cov + cov.T) / 2)
    e = np.maximum(e, 0)
    if eps == 0 and (e <= 0).any():
        raise ValueError("eps=0 with a singular covariance: the whitening is undefined")
    P = (V * (1.0 / np.sqrt(e + eps))) @ V.T
    return m.astype(X.dtype), P.astype(X.dtype)
