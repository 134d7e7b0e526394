"""
Histograms of oriented gradients
================================

HOG (Dalal & Triggs 2005) describes every cell of an image (8 x 8 pixels by
default) by a histogram of the directions of its intensity gradients,
weighted by their strength. :func:`fastlin.plot.hog_glyphs` draws each cell's
histogram as a star of lines along the edges it stands for, as long as their
share of the largest bin, computed by :func:`fastlin.features.hog`; beside it,
scikit-image's own picture of the same descriptor.
"""

import matplotlib.pyplot as plt
from skimage import data
from skimage.feature import hog as skimage_hog

import fastlin.plot

image = data.astronaut()[::2, ::2]  # ships with scikit-image; 256 x 256
fig, axes = plt.subplots(1, 3, figsize=(13, 4.5))
fastlin.plot.hog_glyphs(image, orientations=9, pixels_per_cell=(8, 8), axes=axes[:2])
_, picture = skimage_hog(image, orientations=9, pixels_per_cell=(8, 8), visualize=True,
                         channel_axis=-1)
axes[2].imshow(picture, cmap="gray")
axes[2].set_title("scikit-image's hog(visualize=True)")
axes[2].axis("off")
fig.tight_layout()

# %%
# At CIFAR-10's size, 32 x 32 pixels make 4 x 4 cells; signed orientations
# (18 bins over 360 degrees) tell a dark-to-light edge from a light-to-dark one.

from _data import load_images  # noqa: E402

X, y, _, _, names = load_images(n_train=100, n_val=10)
fig = fastlin.plot.hog_glyphs(X[0], orientations=18, signed=True)
fig.suptitle(f"a 32 x 32 image of class {names[y[0]]!r}, 18 signed bins")
