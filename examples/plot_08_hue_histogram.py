"""
The hue histogram
=================

A histogram of the hue of every pixel says which colours an image is made
of, whatever their place: a frog is mostly green, a ship on the sea mostly
blue. :func:`fastlin.plot.hue_histogram` draws an image beside its histogram
(:func:`fastlin.features.color_histogram_hsv`), each bar painted with its hue.
"""

import numpy as np
from _data import load_images

import fastlin.plot

X, y, X_val, y_val, names = load_images(n_train=5000, n_val=100)

# %%
# The greenest image of the data (a frog, on CIFAR-10), and a blue one.

from fastlin.features import color_histogram_hsv  # noqa: E402

H = color_histogram_hsv(X, nbin=10)
green, blue = int(np.argmax(H[:, 3])), int(np.argmax(H[:, 6]))
for i in (green, blue):
    fig = fastlin.plot.hue_histogram(X[i], nbin=10)
    fig.suptitle(f"a training image of class {names[y[i]]!r}")
