"""
The loss landscape
==================

The loss of a linear classifier is a function of its D x C weights: too many
dimensions to see, but slices of it are easy to draw. Following Li et al.
(2018, "Visualizing the Loss Landscape of Neural Nets"),
:func:`fastlin.plot.loss_landscape` draws the loss at ``W + a d1 + b d2`` for
random directions ``d1, d2`` whose class columns are scaled to those of ``W``
("filter normalisation"). The data are read once (the scores of ``W``, ``d1``
and ``d2``) and the fused kernel evaluates every grid point from them.
"""

# sphinx_gallery_thumbnail_number = 2

import matplotlib.pyplot as plt
import numpy as np
from _data import load_images

import fastlin
import fastlin.plot

X, y, X_val, y_val, names = load_images(n_train=2000, n_val=500)
X = X.reshape(len(X), -1).astype(np.float32) / 255 - 0.5

# %%
# One example and many
# --------------------
# For one image the SVM loss is a sum of hinges, so along a line it is
# piecewise linear, with a kink wherever a margin is crossed; averaged over
# more images it becomes a bowl, smooth for many. The softmax loss is
# smooth already.

svm = fastlin.LinearSVM(max_iter=5, random_state=0).fit(X, y)
softmax = fastlin.Softmax(max_iter=5, random_state=0).fit(X, y)
fig, axes = plt.subplots(1, 4, figsize=(15, 3.4))
for ax, model, n in [(axes[0], svm, 1), (axes[1], svm, 5), (axes[2], svm, len(X)),
                     (axes[3], softmax, len(X))]:
    fastlin.plot.loss_landscape(model, X[:n], y[:n], kind="1d", span=20, resolution=401, ax=ax)
    ax.set_title(f"{'SVM' if model is svm else 'softmax'} loss, {n} image{'s' * (n > 1)}")
fig.tight_layout()

# %%
# A plane, and the path of gradient descent
# -----------------------------------------
# Red is low, blue is high. The white line is the path of minibatch SGD from
# small random weights to ``W``, drawn on the plane of the path's two principal
# directions (``directions="pca"``, Li et al.'s section 7), where it lies.

rng = np.random.default_rng(0)
W = (1e-3 * rng.standard_normal((X.shape[1], 10))).astype(np.float32)
opt = fastlin.optim.SGD(learning_rate=0.05)
path = [W.copy()]
for t in range(200):
    idx = rng.integers(0, len(X), 100)
    _, dW = fastlin.softmax_loss(W, X, y, 1e-3, idx=idx)
    opt.step(W, dW)
    path.append(W.copy())

ax = fastlin.plot.loss_landscape(W, X, y, loss="softmax", reg=1e-3, directions="pca",
                                 span=1.2, resolution=41, path=path)
ax.set_title("softmax loss around the end of an SGD run")

# %%
# Around the same ``W``, along two random filter-normalised directions: a bowl.

ax = fastlin.plot.loss_landscape(W, X, y, loss="softmax", reg=1e-3, span=1.0, resolution=41)
ax.set_title("the same W, two random directions")
