"""Several batch feature functions stacked into one matrix, in chunks, with progress."""

import numpy as np

__all__ = ["extract_features"]


def extract_features(images, feature_fns, *, batch_size=10000, progress=None, dtype=None):
    """Stack the features of several batch feature functions: (N, F1 + ... + Fk).

    images : array of N images (any shape the functions accept).
    feature_fns : callables mapping a batch of images to a 2-D (n, Fi) array,
        e.g. ``[hog, functools.partial(color_histogram_hsv, nbin=10)]``.
    batch_size : images per call, so that long runs show progress and the
        temporaries stay small.
    progress : None (a tqdm bar when tqdm is installed and there is more than
        one batch), True/False to force it on/off.
    dtype : output dtype (default: the result type of the first batch).
    """
    images = np.asarray(images)
    feature_fns = list(feature_fns)
    if not feature_fns:
        raise ValueError("feature_fns must hold at least one feature function")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    n = images.shape[0]
    starts = range(0, n, batch_size)
    if progress is None:
        progress = len(starts) > 1
    if progress:
        try:
            from tqdm.auto import tqdm
        except ImportError:   # the bar is optional: tqdm is not a dependency
            pass
        else:
            starts = tqdm(starts, total=len(starts), desc="features", unit="batch")
    out = None
    for s in starts:
        parts = [np.asarray(fn(images[s:s + batch_size])) for fn in feature_fns]
        for fn, p in zip(feature_fns, parts):
            if p.ndim != 2 or p.shape[0] != min(batch_size, n - s):
                raise ValueError(f"feature function {fn!r} returned shape {p.shape}, "
                                 f"expected (batch, features)")
        block = np.hstack(parts)
        if out is None:
            out = np.empty((n, block.shape[1]), dtype or block.dtype)
        out[s:s + block.shape[0]] = block
    if out is None:
        return np.empty((0, 0), dtype or np.float32)
    return out
