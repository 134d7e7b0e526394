"""Pure-NumPy reference implementations of every fastlin kernel, one module per family.

These are the oracles the tests compare the compiled kernels against, and usable on their own:
the ``*_naive`` loss functions loop over rows and classes exactly as the formulas read, the
``*_vectorized`` ones are the classic NumPy versions; the feature, sampling and bag-of-words
references are plain NumPy (or Python integers) written for clarity, not speed.

* :mod:`fastlin.reference.losses` -- SVM and softmax losses and gradients;
* :mod:`fastlin.reference.hog`, :mod:`fastlin.reference.colour` -- HOG and hue histograms;
* :mod:`fastlin.reference.sampling` -- the PCG32 minibatch sampler;
* :mod:`fastlin.reference.bow` -- patches, whitening, k-means and the encodings.
"""

from .bow import (KMEANS_STREAM, PATCHES_STREAM, bow_encode_reference, dense_patches_reference,
                  extract_patches_reference, kmeans_plusplus_reference, kmeans_step_reference,
                  normalize_patches_reference, patch_positions_reference, zca_fit_reference)
from .colour import color_histogram_hsv_reference, rgb_to_hue_reference
from .hog import (HOG_BLOCK_NORMS, hog_cell_histograms_reference, hog_gradients_reference,
                  hog_normalize_blocks_reference, hog_orientation_bins_reference, hog_reference)
from .losses import (softmax_loss_naive, softmax_loss_vectorized, svm_loss_naive,
                     svm_loss_vectorized)
from .sampling import PCG32, epoch_batches_reference, splitmix64

__all__ = [
    "svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "softmax_loss_vectorized",
    "HOG_BLOCK_NORMS", "hog_gradients_reference", "hog_orientation_bins_reference",
    "hog_cell_histograms_reference", "hog_normalize_blocks_reference", "hog_reference",
    "rgb_to_hue_reference", "color_histogram_hsv_reference",
    "splitmix64", "PCG32", "epoch_batches_reference",
    "PATCHES_STREAM", "KMEANS_STREAM", "patch_positions_reference", "extract_patches_reference",
    "dense_patches_reference", "normalize_patches_reference", "zca_fit_reference",
    "kmeans_step_reference", "kmeans_plusplus_reference", "bow_encode_reference",
]
