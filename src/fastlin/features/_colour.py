"""Hue histograms of a batch of RGB images (the course's colour feature), fused
RGB -> hue -> bin in one C pass, in parallel over the batch.

The pure-NumPy oracle is :func:`fastlin.reference.color_histogram_hsv_reference`.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike

from .._ext import _features
from .._validation import check_num_threads
from ._images import _check_images

__all__ = ["color_histogram_hsv"]


def color_histogram_hsv(images: ArrayLike, nbin: int = 10, xmin: float = 0, xmax: float = 255,
                        normalized: bool = True, *, num_threads: int | None = None) -> np.ndarray:
    """Histogram of hue of a batch of RGB images: (N, nbin).

    The course definition: hue of ``matplotlib.colors.rgb_to_hsv(image / xmax)``
    times xmax, binned by ``np.linspace(xmin, xmax, nbin + 1)`` as
    ``np.histogram`` does (last bin closed, values outside dropped), computed
    in float64 with the same operations, so bins agree exactly.

    Parameters
    ----------
    images : (N, H, W, 3) uint8, float32 or float64 with values in [0, xmax]
    nbin : int >= 1
    xmin, xmax : float
    normalized : bool
        Rows are fractions of the counted pixels (sum to 1; an image with no
        pixel in [xmin, xmax] gives zeros), else raw counts. (The course
        multiplies raw counts by the bin width; see
        :mod:`fastlin.compat.cs231n` for that.)
    num_threads : None or int >= 1

    Returns
    -------
    hist : ndarray (N, nbin)
        float32 for uint8/float32 images, float64 for float64 images.
    """
    if isinstance(nbin, (bool, np.bool_)) or not isinstance(nbin, numbers.Integral):
        raise TypeError(f"nbin must be an int, got {nbin!r}")
    if not 1 <= nbin <= 2**20:
        raise ValueError(f"nbin must be in [1, {2**20}], got {nbin}")
    xmin, xmax = float(xmin), float(xmax)
    if not (np.isfinite(xmin) and np.isfinite(xmax) and xmax > 0 and xmin < xmax):
        raise ValueError(f"need finite xmin < xmax with xmax > 0, got xmin={xmin}, xmax={xmax}")
    nt = check_num_threads(num_threads)
    x = _check_images(images, colour=True)
    edges = np.linspace(xmin, xmax, int(nbin) + 1)
    out = np.empty((x.shape[0], int(nbin)), np.float64 if x.dtype == np.float64 else np.float32)
    _features.hue_histogram(x, edges, xmax, bool(normalized), nt, out)
    return out
