"""
Random search, then gradient descent
====================================

The lecture's first attempt at finding weights ``W`` is to guess: draw many
random ``W = 1e-4 * randn(D, C)``, keep the one of lowest loss. On CIFAR-10
pixels the best guess scores about 15 % (chance is 10 %). The second attempt
follows the gradient, one minibatch at a time. Both are run here on the same
data, with the same loss kernel (:func:`fastlin.svm_loss`), and their
validation accuracy is drawn against the number of candidates or updates.
"""

import numpy as np
from _data import load_images

import fastlin.plot

X, y, X_val, y_val, names = load_images(n_train=5000, n_val=1000)

# %%
# Pixels as rows, centred on the mean image, with a bias column of ones (the
# "bias trick" of the lecture).


def rows(images, mean):
    X = images.reshape(len(images), -1).astype(np.float32) - mean
    return np.hstack([X, np.ones((len(X), 1), np.float32)])


mean = X.reshape(len(X), -1).mean(axis=0, dtype=np.float32)
X, X_val = rows(X, mean), rows(X_val, mean)

# %%
# :func:`fastlin.plot.random_search_vs_descent` runs :func:`fastlin.random_search`
# in rounds (keeping the best ``W`` of all rounds, each candidate scored on 1000
# training images) and minibatch SGD
# (:class:`fastlin.optim.SGD`) with the lecture's settings.

ax = fastlin.plot.random_search_vs_descent(
    X, y, X_val, y_val, num_candidates=1000, num_rows=1000, num_updates=1000, batch_size=200,
    learning_rate=1e-7, reg=2.5e4, n_points=10, chance=0.1)
c = ax.curves
print(f"random search, best of 1000: {c.search_acc[-1]:.3f} validation accuracy")
print(f"gradient descent, 1000 updates: {c.descent_acc[-1]:.3f}")
