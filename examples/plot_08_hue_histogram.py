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
# The two most colourful training images whose main hues differ. (Grey pixels
# have hue 0 in this definition and all fall in the first, red, bin: a grey
# image has a histogram like a red one.)

from matplotlib.colors import rgb_to_hsv  # noqa: E402

from fastlin.features import color_histogram_hsv  # noqa: E402

hsv = rgb_to_hsv(X / 255.0)
colourful = ((hsv[..., 1] > 0.4) & (hsv[..., 2] > 0.25)).mean(axis=(1, 2))
main_bin = np.argmax(color_histogram_hsv(X, nbin=10), axis=1)  # the most common hue
first = int(np.argmax(colourful))
others = np.flatnonzero(np.abs(main_bin - main_bin[first]) >= 3)
second = int(others[np.argmax(colourful[others])])
for i in (first, second):
    fig = fastlin.plot.hue_histogram(X[i], nbin=10)
    fig.suptitle(f"a training image of class {names[y[i]]!r}")

# %%
# And, among the colourful images, the one whose hues are the most spread out
# (the largest entropy of its histogram).

H = color_histogram_hsv(X, nbin=10)
entropy = -(H * np.log(np.where(H > 0, H, 1))).sum(axis=1) * (colourful > 0.5)
i = int(np.argmax(entropy))
fig = fastlin.plot.hue_histogram(X[i], nbin=10)
fig.suptitle(f"a training image of class {names[y[i]]!r}")
