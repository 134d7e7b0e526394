"""Histograms of oriented gradients of a batch: scikit-image's ``skimage.feature.hog``
semantics (and vocabulary), plus signed orientations, interpolated votes and raw cell
histograms, one C pass per image, in parallel over the batch.

Outputs are float32 for uint8/float32 images and float64 for float64 images.
The pure-NumPy oracle is :func:`fastlin.reference.hog_reference`.
"""

import numbers

import numpy as np

from .._ext import _features
from .._validation import check_num_threads
from ._images import _check_images, _pair

__all__ = ["hog"]

_NORMS = {None: _features.NORM_NONE, "L1": _features.NORM_L1,
          "L1-sqrt": _features.NORM_L1_SQRT, "L2": _features.NORM_L2,
          "L2-Hys": _features.NORM_L2_HYS}


def _hog_params(orientations, pixels_per_cell, cells_per_block, block_norm,
                transform_sqrt, signed, interpolate):
    if isinstance(orientations, (bool, np.bool_)) or not isinstance(orientations, numbers.Integral):
        raise TypeError(f"orientations must be an int, got {orientations!r}")
    if not 1 <= orientations <= 360:
        raise ValueError(f"orientations must be in [1, 360], got {orientations}")
    if block_norm not in _NORMS:
        raise ValueError(f"block_norm must be one of 'L1', 'L1-sqrt', 'L2', 'L2-Hys' "
                         f"or None, got {block_norm!r}")
    cr, cc = _pair(pixels_per_cell, "pixels_per_cell")
    br, bc = _pair(cells_per_block, "cells_per_block")
    return (int(orientations), cr, cc, br, bc, _NORMS[block_norm], int(bool(transform_sqrt)),
            int(bool(signed)), int(bool(interpolate)))


def hog(images, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2),
        block_norm="L2-Hys", transform_sqrt=False, feature_vector=True, *,
        signed=False, interpolate=False, num_threads=None):
    """Histograms of oriented gradients of a batch of images.

    Parameters as ``skimage.feature.hog`` (colour images take, per pixel, the
    channel of largest gradient, as scikit-image does with ``channel_axis=-1``);
    the output matches it to ~1e-6.  A gradient within rounding (~1e-13
    degrees) of a bin edge goes to its exact bin, where scikit-image follows
    the last ulp of its float64 arctan2 (which differs between hosts).

    images : (N, H, W) grey or (N, H, W, C) colour; uint8, float32 or float64.
    orientations : number of bins over 0-180 degrees (0-360 when ``signed``).
    pixels_per_cell, cells_per_block : int or (rows, cols).
    block_norm : 'L1', 'L1-sqrt', 'L2', 'L2-Hys', or None for the raw cell
        histograms (each cell's magnitude sum divided by its pixel count).
    transform_sqrt : square root of the pixel values first (needs values >= 0).
    feature_vector : (N, F) if True, else (N, n_blocks_row, n_blocks_col,
        cells_row, cells_col, orientations) ((N, n_cells_row, n_cells_col,
        orientations) when block_norm is None).
    signed : bins over 0-360 degrees (gradient direction, not just orientation).
    interpolate : split each vote linearly between the two nearest bin centres.
    num_threads : None (OpenMP's default, honours OMP_NUM_THREADS) or >= 1.

    Returns float32 for uint8/float32 images, float64 for float64 images.
    Raises ValueError for images smaller than one block, or holding NaN/inf.
    """
    params = _hog_params(orientations, pixels_per_cell, cells_per_block, block_norm,
                         transform_sqrt, signed, interpolate)
    nt = check_num_threads(num_threads)
    x = _check_images(images)
    n, h, w, _ = x.shape
    fsize = _features.hog_feature_size(params, h, w)
    if fsize <= 0:
        cr, cc, br, bc = params[1:5]
        if block_norm is None:
            br = bc = 1
        hint = ("; a 3-D array is read as a batch of grey images (N, H, W): for one "
                f"colour image of shape {np.shape(images)} pass images[None]"
                if np.ndim(images) == 3 else "")
        raise ValueError(f"images of {h}x{w} pixels are too small for one block of "
                         f"{br}x{bc} cells of {cr}x{cc} pixels: they need at least "
                         f"{br * cr} rows and {bc * cc} columns{hint}")
    out = np.empty((n, fsize), np.float64 if x.dtype == np.float64 else np.float32)
    _features.hog(x, params, nt, out)
    if feature_vector:
        return out
    _, cr, cc, br, bc = params[:5]
    ncr, ncc = h // cr, w // cc
    if block_norm is None:
        return out.reshape(n, ncr, ncc, orientations)
    return out.reshape(n, ncr - br + 1, ncc - bc + 1, br, bc, orientations)
