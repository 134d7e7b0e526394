"""
Numerical and analytic gradients
================================

The gradient of the loss can be computed numerically, by centred
differences, one weight at a time: slow, approximate, but easy to get right.
The analytic gradient comes out of the loss kernel in the same pass as the
loss. The lecture's rule: always use the analytic gradient, and check it
against the numerical one (the *gradient check*).
"""

import time

import matplotlib.pyplot as plt
import numpy as np

import fastlin
from fastlin import gradcheck

rng = np.random.default_rng(0)
N, D, C = 200, 100, 10
X = rng.standard_normal((N, D))
y = rng.integers(0, C, N)
W = 1e-3 * rng.standard_normal((D, C))

# %%
# :func:`fastlin.gradcheck.grad_check_sparse` compares the two at random
# entries and prints the relative errors; with float64 they are about 1e-8
# or smaller (the SVM's hinge can give a larger one when a margin sits at a
# kink).

for name, kernel in [("svm", fastlin.svm_loss), ("softmax", fastlin.softmax_loss)]:
    _, dW = kernel(W, X, y, 1e-2)
    print(name)
    gradcheck.grad_check_sparse(lambda w: kernel(w, X, y, 1e-2)[0], W, dW, num_checks=5, seed=0)

# %%
# All entries at once: :func:`fastlin.gradcheck.numerical_gradient` costs
# two loss evaluations per weight.

f = lambda w: fastlin.softmax_loss(w, X, y, 1e-2)[0]  # noqa: E731
t0 = time.perf_counter()
num = gradcheck.numerical_gradient(f, W.copy())
t_num = time.perf_counter() - t0
t0 = time.perf_counter()
_, ana = fastlin.softmax_loss(W, X, y, 1e-2)
t_ana = time.perf_counter() - t0
rel = np.abs(num - ana) / np.maximum(1e-12, np.abs(num) + np.abs(ana))
print(f"numerical: {t_num:.3f} s, analytic: {t_ana * 1e3:.3f} ms, "
      f"largest relative error {rel.max():.1e}")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.hist(np.log10(rel.ravel() + 1e-16), bins=40, color="tab:blue")
ax.set_xlabel("log10 relative error, numerical vs analytic")
ax.set_ylabel("weights")
ax.set_title(f"softmax gradient check, all {W.size} weights")
fig.tight_layout()
