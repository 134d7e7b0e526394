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
# The greenest and the bluest training images. Dark and grey pixels have an
# unreliable hue, so the images are ranked by their share of green (or blue)
# among well-lit, saturated pixels.

from matplotlib.colors import rgb_to_hsv  # noqa: E402


def share(images, lo, hi):
    hsv = rgb_to_hsv(images / 255.0)
    ok = (hsv[..., 1] > 0.25) & (hsv[..., 2] > 0.25)
    inside = ok & (hsv[..., 0] * 360 >= lo) & (hsv[..., 0] * 360 < hi)
    return inside.mean(axis=(1, 2))


for colour, (lo, hi) in [("green", (75, 165)), ("blue", (190, 250))]:
    i = int(np.argmax(share(X, lo, hi)))
    fig = fastlin.plot.hue_histogram(X[i], nbin=10)
    fig.suptitle(f"the most {colour} training image (class {names[y[i]]!r})")
