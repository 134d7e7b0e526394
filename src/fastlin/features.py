"""Image features for linear classifiers: HOG and hue histograms, batch and parallel.

* :func:`hog` -- histograms of oriented gradients of a batch, scikit-image's
  ``skimage.feature.hog`` semantics (and vocabulary), plus signed orientations,
  interpolated votes and raw cell histograms;
* :func:`color_histogram_hsv` -- histogram of hue of a batch of RGB images, the
  classic course definition, fused RGB -> hue -> bin;
* :func:`extract_features` -- several feature functions stacked, in chunks, with
  an optional progress bar;
* :class:`HOG`, :class:`ColorHistogram` -- scikit-learn transformers (defined in
  :mod:`fastlin._transformers`, imported with scikit-learn on first use).

Outputs are float32 for uint8/float32 images and float64 for float64 images.
The pure-NumPy oracles are in :mod:`fastlin.reference`.
"""

import numbers

import numpy as np

from . import _features
from ._validation import check_num_threads

__all__ = ["hog", "color_histogram_hsv", "extract_features", "HOG", "ColorHistogram"]

_NORMS = {None: _features.NORM_NONE, "L1": _features.NORM_L1,
          "L1-sqrt": _features.NORM_L1_SQRT, "L2": _features.NORM_L2,
          "L2-Hys": _features.NORM_L2_HYS}
_PIXEL_DTYPES = (np.dtype(np.uint8), np.dtype(np.float32), np.dtype(np.float64))


def _check_images(images, name="images", colour=None):
    """Return a native-endian uint8/float32/float64 4-D view (N, H, W, C) of `images`.

    colour=None accepts (N, H, W) grey or (N, H, W, C); colour=True requires
    (N, H, W, 3).  Other integer and bool dtypes are converted to float32
    (their values are exact there up to 2**24); anything else is rejected.
    """
    a = np.asarray(images)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers (uint8, float32 or float64), "
                        f"got dtype {a.dtype}")
    if a.dtype.kind == "f" and a.dtype.itemsize not in (4, 8):
        raise TypeError(f"{name} must be uint8, float32 or float64, got dtype {a.dtype}")
    if a.dtype not in _PIXEL_DTYPES:
        if a.dtype.kind == "f" or a.dtype == np.dtype(np.uint8).newbyteorder():
            a = a.astype(a.dtype.newbyteorder("="))
        else:
            a = a.astype(np.float32)
    if colour:
        if a.ndim != 4 or a.shape[3] != 3:
            raise ValueError(f"{name} must be RGB images of shape (N, H, W, 3), "
                             f"got shape {a.shape}")
    elif a.ndim == 3:
        a = a[..., None]
    elif a.ndim != 4:
        raise ValueError(f"{name} must be (N, H, W) grey or (N, H, W, C) colour images, "
                         f"got shape {a.shape}")
    if a.shape[3] < 1:
        raise ValueError(f"{name} must have at least one channel, got shape {a.shape}")
    item = a.itemsize
    if not a.flags.aligned or any(s % item for s in a.strides):
        a = np.ascontiguousarray(a)
    return a


def _pair(value, name):
    if isinstance(value, numbers.Integral):
        value = (value, value)
    try:
        a, b = value
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}") from None
    for v in (a, b):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
        if v < 1:
            raise ValueError(f"{name} must be >= 1, got {value!r}")
    return int(a), int(b)


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

    Parameters
    ----------
    images : (N, H, W) grey or (N, H, W, C) colour; uint8, float32 or float64
    orientations : int
        Number of bins over 0-180 degrees (0-360 when ``signed``).
    pixels_per_cell, cells_per_block : int or (rows, cols)
    block_norm : 'L1', 'L1-sqrt', 'L2', 'L2-Hys', or None
        None gives the raw cell histograms (each cell's magnitude sum divided
        by its pixel count).
    transform_sqrt : bool
        Square root of the pixel values first (needs values >= 0).
    feature_vector : bool
        (N, F) if True, else (N, n_blocks_row, n_blocks_col, cells_row,
        cells_col, orientations) ((N, n_cells_row, n_cells_col, orientations)
        when block_norm is None).
    signed : bool
        Bins over 0-360 degrees (gradient direction, not just orientation).
    interpolate : bool
        Split each vote linearly between the two nearest bin centres.
    num_threads : None or int >= 1
        None: OpenMP's default (honours OMP_NUM_THREADS).

    Returns
    -------
    features : ndarray
        float32 for uint8/float32 images, float64 for float64 images.

    Raises
    ------
    ValueError
        For images smaller than one block, or holding NaN/inf.
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


def color_histogram_hsv(images, nbin=10, xmin=0, xmax=255, normalized=True, *,
                        num_threads=None):
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


def extract_features(images, feature_fns, *, batch_size=10000, progress=None, dtype=None):
    """Stack the features of several batch feature functions: (N, F1 + ... + Fk).

    Parameters
    ----------
    images : array of N images (any shape the functions accept)
    feature_fns : list of callables
        Each maps a batch of images to a 2-D (n, Fi) array, e.g.
        ``[hog, functools.partial(color_histogram_hsv, nbin=10)]``.
    batch_size : int
        Images per call, so that long runs show progress and the temporaries
        stay small.
    progress : None or bool
        None: a tqdm bar when tqdm is installed and there is more than one
        batch; True/False to force it on/off.
    dtype : output dtype (default: the result type of the first batch)
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


def __getattr__(name):
    # the transformers import scikit-learn (when installed): only on first use,
    # so that ``import fastlin`` stays fast
    if name in ("HOG", "ColorHistogram"):
        from . import _transformers
        return getattr(_transformers, name)
    if name == "BagOfVisualWords":  # issue 5, in fastlin.bow
        from .bow import BagOfVisualWords
        return BagOfVisualWords
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + ["HOG", "ColorHistogram", "BagOfVisualWords"])
