"""
Minibatch gradient descent
==========================

The gradient of the loss over all training images is the mean of their
gradients; a few hundred of them give a good estimate at a fraction of the
cost. fastlin's estimators draw each minibatch as row indices (in C, seeded)
and the kernel reads those rows in place. Here the same softmax classifier
runs two epochs with batches of 10, 100 and 1000 images: small batches make
many cheap, noisy updates; large batches few, accurate ones.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from _data import load_images

import fastlin
import fastlin.plot

X, y, X_val, y_val, names = load_images(n_train=5000, n_val=1000)
X = X.reshape(len(X), -1).astype(np.float32) / 255 - 0.5
X_val = X_val.reshape(len(X_val), -1).astype(np.float32) / 255 - 0.5

# %%
# Two epochs with Adam at a constant rate, for three batch sizes. The
# smoothed curve of the 10-image batches averages over more updates.

fig, axes = plt.subplots(3, 1, figsize=(8, 10))
for ax, batch in zip(axes, [10, 100, 1000]):
    clf = fastlin.Softmax(learning_rate=1e-3, optimizer="adam", schedule="constant",
                          average=False, batch_size=batch, max_iter=2, random_state=0)
    t0 = time.perf_counter()
    clf.fit(X, y)
    seconds = time.perf_counter() - t0
    fastlin.plot.loss_history(clf, weight=0.98 if batch == 10 else 0.9, ax=ax)
    acc = clf.score(X_val, y_val)
    ax.set_title(f"batch {batch}: {clf.t_} updates, {seconds:.2f} s")
    print(f"batch {batch:4d}: {clf.t_:4d} updates in {seconds:.2f} s, "
          f"validation accuracy {acc:.3f}")
fig.tight_layout()
