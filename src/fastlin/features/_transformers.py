"""scikit-learn transformers over the feature kernels (HOG, ColorHistogram).

Kept apart from the kernels so that scikit-learn (slow to import) is only
imported when a transformer is first used: ``fastlin.features.HOG`` reaches
this module through the ``__getattr__`` of :mod:`fastlin.features`.
"""
import numpy as np

from ._colour import color_histogram_hsv
from ._hog import hog

__all__ = ["HOG", "ColorHistogram"]


def _as_images(X, image_shape):
    """(N, H, W[, C]) images from X, or from 2-D X (N, prod(image_shape))."""
    X = np.asarray(X)
    if X.ndim == 2:
        if image_shape is None:
            raise ValueError("2-D input needs image_shape, e.g. image_shape=(32, 32, 3)")
        shape = tuple(int(v) for v in image_shape)
        if int(np.prod(shape)) != X.shape[1]:
            raise ValueError(f"X has {X.shape[1]} columns but image_shape={shape} "
                             f"has {int(np.prod(shape))} values")
        return X.reshape((X.shape[0],) + shape)
    return X


from .._sklearn import BaseEstimator as _Base
from .._sklearn import TransformerMixin as _Mixin


class _ImageTransformer(_Mixin, _Base):
    """Stateless transformer over batches of images (fit only records the input size)."""

    def fit(self, X, y=None):
        X = _as_images(X, self.image_shape)
        self.n_features_in_ = int(np.prod(X.shape[1:]))
        self.transform(X[:1])          # parameter and shape errors at fit time
        return self


class HOG(_ImageTransformer):
    """scikit-learn transformer: images -> :func:`hog` features (N, F).

    Accepts (N, H, W[, C]) arrays, or 2-D (N, H*W*C) with ``image_shape``.
    """


    def __init__(self, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2),
                 block_norm="L2-Hys", transform_sqrt=False, signed=False, interpolate=False,
                 image_shape=None, num_threads=None):
        self.orientations = orientations
        self.pixels_per_cell = pixels_per_cell
        self.cells_per_block = cells_per_block
        self.block_norm = block_norm
        self.transform_sqrt = transform_sqrt
        self.signed = signed
        self.interpolate = interpolate
        self.image_shape = image_shape
        self.num_threads = num_threads

    def transform(self, X):
        return hog(_as_images(X, self.image_shape), self.orientations, self.pixels_per_cell,
                   self.cells_per_block, self.block_norm, self.transform_sqrt, True,
                   signed=self.signed, interpolate=self.interpolate,
                   num_threads=self.num_threads)


class ColorHistogram(_ImageTransformer):
    """scikit-learn transformer: RGB images -> :func:`color_histogram_hsv` (N, nbin).

    Accepts (N, H, W, 3) arrays, or 2-D (N, H*W*3) with ``image_shape``.
    """


    def __init__(self, nbin=10, xmin=0, xmax=255, normalized=True, image_shape=None,
                 num_threads=None):
        self.nbin = nbin
        self.xmin = xmin
        self.xmax = xmax
        self.normalized = normalized
        self.image_shape = image_shape
        self.num_threads = num_threads

    def transform(self, X):
        return color_histogram_hsv(_as_images(X, self.image_shape), self.nbin, self.xmin,
                                   self.xmax, self.normalized, num_threads=self.num_threads)
