"""Alias of the bag-of-visual-words part of :mod:`fastlin.features` (kept for old imports)."""

from .features import dense_patches, fit_zca, normalize_patches, random_patches
from .features._bag_of_words import BagOfVisualWords, encode

__all__ = ["random_patches", "dense_patches", "normalize_patches", "fit_zca", "encode",
           "BagOfVisualWords"]
