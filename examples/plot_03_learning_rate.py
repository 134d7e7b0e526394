"""
The learning rate
=================

The step size of gradient descent is the first hyperparameter to set. Too
small, and the loss barely moves in the time you have; too large, and it
jumps around or explodes; in between, it falls fast and then levels off. The
same softmax classifier is trained here with plain SGD (constant rate) at four
learning rates, and :func:`fastlin.plot.loss_history` draws the loss of every
update with its moving average.
"""

import matplotlib.pyplot as plt
import numpy as np
from _data import load_images

import fastlin
import fastlin.plot

X, y, X_val, y_val, names = load_images(n_train=5000, n_val=1000)
X = X.reshape(len(X), -1).astype(np.float32) / 255 - 0.5
X_val = X_val.reshape(len(X_val), -1).astype(np.float32) / 255 - 0.5

# %%
# Plain SGD with a constant rate, four epochs of 200-image minibatches, and
# the validation accuracy after each epoch (red, right axis).

rates = {"too low": 1e-3, "low": 1e-2, "good": 1e-1, "too high": 1.0}
fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
for ax, (label, lr) in zip(axes.ravel(), rates.items()):
    clf = fastlin.Softmax(learning_rate=lr, optimizer="sgd", schedule="constant",
                          average=False, batch_size=200, max_iter=4, reg=1e-4,
                          random_state=0)
    clf.fit(X, y, X_val=X_val, y_val=y_val)
    fastlin.plot.loss_history(clf, ax=ax)
    ax.right_ax.set_ylim(0, 1)
    ax.set_title(f"{label}: learning rate {lr:g}")
    print(f"learning rate {lr:g}: final loss {np.mean(clf.loss_history_[-10:]):.3f}, "
          f"validation accuracy {clf.validation_scores_[-1]:.3f}")
fig.tight_layout()
