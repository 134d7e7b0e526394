"""The CS231n course's feature functions, same signatures and numbers, faster.

Re-exported by :mod:`fastlin.compat.cs231n`.  The course code has quirks that
are kept here, and only here (``fastlin.features`` has none of them):

* ``hog_feature`` converts to grey with weights (0.299, 0.587, 0.144) (the
  blue weight is a typo of 0.114: they sum to 1.03); uses forward differences
  (``np.diff``), zero on the last row/column; orientation
  ``arctan2(gy, gx + 1e-15)`` in degrees ``+ 90``, i.e. in [0, 270]: only
  [0, 180) is binned, so gradients pointing left (half of them) are dropped,
  and so are those at exactly 0 degrees (``temp_ori > 0``) and vertical ones
  whose orientation rounds to 180; cells are 8x8 means, 9 bins of 20 degrees,
  no block normalisation; the cell grid is transposed in the output
  (column-major cells; the course errors on non-square images, this accepts
  them).  Grey 2-D input works here (the course calls the non-existent
  ``np.at_least_2d``).
* ``color_histogram_hsv``: with ``normalized=False`` the course returns counts
  multiplied by the bin width; with ``normalized=True`` fractions (via
  ``density`` times width); NaN when no pixel falls in [xmin, xmax].
"""

import numpy as np

from .. import features as _features


def _course_grey(im):
    return np.dot(im[..., :3], [0.299, 0.587, 0.144])


def hog_feature(im):
    """Course HOG of one image (H, W, 3) or (H, W): 9 * (H//8) * (W//8) float64 values."""
    im = np.asarray(im)
    image = _course_grey(im) if im.ndim == 3 else np.atleast_2d(im).astype(np.float64)
    sx, sy = image.shape
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[:, :-1] = np.diff(image, n=1, axis=1)
    gy[:-1, :] = np.diff(image, n=1, axis=0)
    mag = np.sqrt(gx ** 2 + gy ** 2)
    ori = np.arctan2(gy, gx + 1e-15) * (180 / np.pi) + 90
    ncx, ncy = sx // 8, sy // 8
    mag = mag[:ncx * 8, :ncy * 8]
    ori = ori[:ncx * 8, :ncy * 8]
    # bin i: 20 i <= ori < 20 (i + 1) and ori > 0, with the course's float edges
    edges = np.array([180 / 9 * i for i in range(10)])
    b = np.searchsorted(edges, ori, side="right") - 1
    valid = (ori > 0) & (ori < edges[-1]) & (b >= 0)
    votes = np.zeros((9,) + mag.shape)
    np.put_along_axis(votes, np.where(valid, b, 0)[None], np.where(valid, mag, 0.0)[None],
                      axis=0)
    cells = votes.reshape(9, ncx, 8, ncy, 8).mean(axis=(2, 4))     # (9, ncx, ncy)
    return cells.transpose(2, 1, 0).ravel()                        # transposed grid


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    """Course hue histogram of one RGB image (H, W, 3): nbin float64 values."""
    im = np.asarray(im)
    counts = _features.color_histogram_hsv(np.asarray(im, np.float64)[None], nbin, xmin, xmax,
                                           normalized=False)[0]
    width = np.diff(np.linspace(xmin, xmax, nbin + 1))
    if not normalized:
        return counts * width
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts / width / counts.sum() * width


def extract_features(imgs, feature_fns, verbose=False):
    """Course stacking: (N, F1 + ... + Fk) float64 from per-image feature functions.

    :func:`color_histogram_hsv` (plain or as a ``functools.partial`` with
    keyword arguments) runs as one batch kernel call; any other function is
    called image by image, as in the course.
    """
    imgs = np.asarray(imgs)
    n = imgs.shape[0]
    if n == 0:
        return np.array([])
    parts = []
    per_image = []   # (position in parts, fn) of the functions called image by image
    for fn in feature_fns:
        kw = _hue_keywords(fn)
        if kw is not None:
            parts.append(_batch_hue(imgs, **kw))
            continue
        first = np.asarray(fn(imgs[0].squeeze()))
        assert first.ndim == 1, "Feature functions must be one-dimensional"
        out = np.zeros((n, first.size))
        out[0] = first
        per_image.append((len(parts), fn))
        parts.append(out)
    if per_image:
        for i in range(1, n):   # one pass over the images, as the course: one progress line
            img = imgs[i].squeeze()
            for k, fn in per_image:
                parts[k][i] = fn(img)
            if verbose and i % 1000 == 999:
                print("Done extracting features for %d / %d images" % (i + 1, n))
    return np.hstack(parts)


def _hue_keywords(fn):
    """Keyword arguments when fn is color_histogram_hsv or a keyword partial of it."""
    import functools
    if fn is color_histogram_hsv:
        return {}
    if isinstance(fn, functools.partial) and fn.func is color_histogram_hsv and not fn.args:
        return dict(fn.keywords)
    return None


def _batch_hue(imgs, nbin=10, xmin=0, xmax=255, normalized=True):
    counts = _features.color_histogram_hsv(np.asarray(imgs, np.float64), nbin, xmin, xmax,
                                           normalized=False)
    width = np.diff(np.linspace(xmin, xmax, nbin + 1))
    if not normalized:
        return counts * width
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts / width / counts.sum(axis=1, keepdims=True) * width
