"""Image features for linear classifiers, batch and parallel.

* :func:`hog` -- histograms of oriented gradients, scikit-image's ``skimage.feature.hog``
  semantics, plus signed orientations, interpolated votes and raw cell histograms;
* :func:`color_histogram_hsv` -- hue histograms (the course definition), fused RGB -> hue -> bin;
* :func:`extract_features` -- several feature functions stacked, in chunks, with progress;
* bags of visual words (Coates, Lee & Ng 2011): :func:`random_patches`, :func:`dense_patches`,
  :func:`normalize_patches`, :func:`fit_zca`, :func:`encode`;
* scikit-learn transformers :class:`HOG`, :class:`ColorHistogram`, :class:`BagOfVisualWords`
  (imported, with scikit-learn when installed, on first use).

Outputs are float32 for uint8/float32 images and float64 for float64 images.
The pure-NumPy oracles are in :mod:`fastlin.reference`.
"""

from .. import _lazy
from ._colour import color_histogram_hsv
from ._extract import extract_features
from ._hog import hog
from ._patches import dense_patches, fit_zca, normalize_patches, random_patches

__all__ = ["hog", "color_histogram_hsv", "extract_features", "random_patches", "dense_patches",
           "normalize_patches", "fit_zca", "encode", "HOG", "ColorHistogram", "BagOfVisualWords"]

# the transformers import scikit-learn (when installed): only on first use, so that
# ``import fastlin`` stays fast
__getattr__, __dir__ = _lazy.attach(__name__, {
    "HOG": "._transformers", "ColorHistogram": "._transformers",
    "BagOfVisualWords": "._bag_of_words", "encode": "._bag_of_words"})
