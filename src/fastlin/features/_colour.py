"""Hue histograms of a batch of RGB images (the course's colour feature), fused
RGB -> hue -> bin in one C pass, in parallel over the batch.

The pure-NumPy oracle is :func:`fastlin.reference.color_histogram_hsv_reference`.
"""

import numbers

import numpy as np

from .._ext import _features
from .._validation import check_num_threads
from ._images import _check_images

__all__ = ["color_histogram_hsv"]


def color_histogram_hsv(images, nbin=10, xmin=0, xmax=255, normalized=True, *,
                        num_threads=None):
    """Histogram of hue of a batch of RGB images: (N, nbin).

    The course definition: hue of ``matplotlib.colors.rgb_to_hsv(image / xmax)``
    times xmax, binned by ``np.linspace(xmin, xmax, nbin + 1)`` as
    ``np.histogram`` does (last bin closed, values outside dropped), computed
    in float64 with the same operations, so bins agree exactly.

    images : (N, H, W, 3) uint8, float32 or float64 with values in [0, xmax].
    normalized : rows are fractions of the counted pixels (sum to 1; an image
        with no pixel in [xmin, xmax] gives zeros), else raw counts.  (The
        course multiplies raw counts by the bin width; see
        :mod:`fastlin.compat.cs231n` for that.)
    Returns float32 for uint8/float32 images, float64 for float64 images.
    """
    if isinstance(nbin, (bool, np.bool_)) or not isinstance(nbin, numbers.Integral):
        raise TypeError(f"nbin must be an int, got {nbin!r}")
    if nbin < 1:
        raise ValueError(f"nbin must be >= 1, got {nbin}")
    xmin, xmax = float(xmin), float(xmax)
    if not (np.isfinite(xmin) and np.isfinite(xmax) and xmax > 0 and xmin < xmax):
        raise ValueError(f"need finite xmin < xmax with xmax > 0, got xmin={xmin}, xmax={xmax}")
    nt = check_num_threads(num_threads)
    x = _check_images(images, colour=True)
    edges = np.linspace(xmin, xmax, int(nbin) + 1)
    out = np.empty((x.shape[0], int(nbin)), np.float64 if x.dtype == np.float64 else np.float32)
    _features.hue_histogram(x, edges, xmax, bool(normalized), nt, out)
    return out
