"""Bag of visual words on a dask X: each chunk draws its share of the random patches where it
lives; only the patches come to the client."""

from __future__ import annotations

import numpy as np

from .._dask import _dask, _rows

__all__ = ["sample_patches"]


def _chunk_patches(X, image_shape, patch, count, seed, dtype, num_threads):
    from ._images import _check_images
    from ._patches import random_patches
    from ._transformers import _as_images

    images = _check_images(_as_images(X, image_shape), "X")
    if images.dtype != np.uint8 and not np.isfinite(images).all():
        raise ValueError("X holds NaN or infinite values")
    return random_patches(images, patch, count, random_state=seed, dtype=dtype,
                          num_threads=num_threads)


def sample_patches(X, image_shape, patch, n_patches, seed, dtype, num_threads):
    """``n_patches`` random patches of the images of a dask X: each chunk draws its share
    (multinomial in the chunk sizes) on its worker with seed ``seed + chunk index``; a single
    chunk gives exactly ``random_patches(images, patch, n_patches, random_state=seed)``."""
    dask = _dask()[0]
    X = _rows(X, "X")
    sizes = np.array(X.chunks[0], dtype=np.int64)
    counts = np.random.default_rng(seed).multinomial(n_patches, sizes / sizes.sum())
    parts = [dask.delayed(_chunk_patches)(xb, image_shape, patch, int(c), seed + k, dtype,
                                          num_threads)
             for k, (xb, c) in enumerate(zip(X.to_delayed().ravel(), counts)) if c]
    return np.concatenate(dask.compute(*parts))
