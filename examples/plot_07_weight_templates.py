"""
What the classifier learned
===========================

A linear classifier scores an image by the dot product of its pixels with one
row of weights per class, so each row can be shown as an image: a template
that the class's score matches against. Trained on pixels, the templates look
like blurred average pictures of their class (CIFAR-10's horse template has a
head on each side: horses face left and right).
"""

import numpy as np
from _data import load_images

import fastlin
import fastlin.plot

X, y, X_val, y_val, names = load_images(n_train=5000, n_val=1000)
mean = X.reshape(len(X), -1).mean(axis=0, dtype=np.float32)
Xf = X.reshape(len(X), -1).astype(np.float32) - mean
Xv = X_val.reshape(len(X_val), -1).astype(np.float32) - mean


# %%
# Softmax
# -------

softmax = fastlin.Softmax(reg=1e-3, learning_rate=1e-4, max_iter=10, random_state=0).fit(Xf, y)
print(f"Softmax: validation accuracy {softmax.score(Xv, y_val):.3f}")
fig = fastlin.plot.weight_templates(softmax, (32, 32, 3), names, ncols=5)

# %%
# Linear SVM
# ----------

svm = fastlin.LinearSVM(reg=1e-3, learning_rate=1e-4, max_iter=10, random_state=0).fit(Xf, y)
print(f"LinearSVM: validation accuracy {svm.score(Xv, y_val):.3f}")
fig = fastlin.plot.weight_templates(svm, (32, 32, 3), names, ncols=5)
