"""Dask support shared by the estimators and transformers: recognising dask collections
(without importing dask), row-chunked input, lazy maps over row chunks and tree reductions.

Dask itself is optional (``pip install "fastlin[dask]"``) and imported only when a dask
collection is passed. Training on dask arrays is in :mod:`fastlin.linear_model._dask`.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["is_dask_collection", "map_rows", "tree_reduce", "SPLIT_EVERY"]

#: partial results combined per task in the tree reductions
SPLIT_EVERY = 8


def is_dask_collection(x) -> bool:
    """True for dask collections; never imports dask for anything else."""
    if not type(x).__module__.startswith("dask"):
        return False
    from dask.base import is_dask_collection as _is

    return _is(x)


def _dask():
    try:
        import dask
        import dask.array as da
    except ImportError:  # pragma: no cover - exercised only without dask
        raise ImportError("dask arrays need Dask: pip install 'fastlin[dask]'") from None
    return dask, da


def _rows(X, name, ndim=None):
    """X as a dask array chunked by rows only (one chunk along every other axis)."""
    dask, da = _dask()
    if not isinstance(X, da.Array):
        raise TypeError(f"{name} must be a dask array (or a NumPy array), got {type(X).__name__}")
    if ndim is not None and X.ndim not in ndim:
        raise ValueError(f"{name} must be {' or '.join(map(str, ndim))}-D, got shape {X.shape}")
    if any(math.isnan(c) for c in X.chunks[0]):
        raise ValueError(f"{name} has unknown chunk sizes; call {name}.compute_chunk_sizes() first")
    if any(len(c) > 1 for c in X.chunks[1:]):
        X = X.rechunk({i: -1 for i in range(1, X.ndim)})
    return X


def map_rows(func, X, *, n_features=None, image_shape=None, sample=None):
    """Lazy ``func`` over the row chunks of a dask X: a dask array with X's row chunks.

    The output's shape and dtype come from ``func`` applied to ``sample`` (default: one row of
    zeros shaped like X's rows) on the client: (n,) or (n, F) outputs.
    ``n_features``: the row size X must have (checked now, not when computing).
    """
    _, da = _dask()
    X = _rows(X, "X")
    if n_features is not None and X.ndim == 2 and X.shape[1] != n_features:
        raise ValueError(f"X has {X.shape[1]} features, but the estimator is expecting "
                         f"{n_features} features as input")
    if sample is None:
        sample = np.zeros((1,) + X.shape[1:], dtype=X.dtype)
    out = np.asarray(func(sample))
    drop = list(range(1, X.ndim)) if out.ndim == 1 else list(range(2, X.ndim))
    chunks = (X.chunks[0],) if out.ndim == 1 else (X.chunks[0], (out.shape[1],))
    kw = {"drop_axis": drop} if drop else {}
    if out.ndim == 2 and X.ndim == 1:
        kw = {"new_axis": [1]}
    return X.map_blocks(func, chunks=chunks, dtype=out.dtype,
                        meta=np.empty((0,) * out.ndim, dtype=out.dtype), **kw)


def tree_reduce(dask, combine, parts):
    """Delayed ``combine(*group)`` over groups of SPLIT_EVERY parts until one is left."""
    while len(parts) > 1:
        parts = [dask.delayed(combine, pure=True)(*parts[i:i + SPLIT_EVERY])
                 for i in range(0, len(parts), SPLIT_EVERY)]
    return parts[0]
