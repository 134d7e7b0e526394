"""Drop-in for the CS231n assignment code: change the imports, keep the notebook.

Same names, signatures, shapes and return values as the course's ``cs231n`` package
(``classifiers/linear_svm.py``, ``classifiers/softmax.py``, ``classifiers/linear_classifier.py``,
``gradient_check.py``, ``data_utils.py``), backed by fastlin's fused C kernels::

    # from cs231n.classifiers import LinearSVM
    # from cs231n.classifiers.linear_svm import svm_loss_vectorized
    from fastlin.compat.cs231n import LinearSVM, svm_loss_vectorized

Conventions kept: W is (D, C) and the bias is folded in (X carries a ones column); ``train``
samples minibatches with replacement and initialises W lazily as ``0.001 * np.random.randn``, so
``np.random.seed`` makes a run reproducible as before. The minibatch is not gathered: its row
indices go to the kernel as ``idx``.
"""

from __future__ import annotations

from random import randrange

import numpy as np

from .. import gradcheck as _gradcheck
from .. import reference as _reference
from ..datasets import load_cifar10 as _load_cifar10
from ..losses import softmax_loss as _softmax_loss
from ..losses import svm_loss as _svm_loss
from ._cs231n_features import color_histogram_hsv, extract_features, hog_feature

__all__ = [
    "svm_loss_naive",
    "svm_loss_vectorized",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
    "LinearClassifier",
    "LinearSVM",
    "Softmax",
    "eval_numerical_gradient",
    "grad_check_sparse",
    "load_CIFAR10",
    "hog_feature",
    "color_histogram_hsv",
    "extract_features",
]


def _same_dtype(W, X):
    W, X = np.asarray(W), np.asarray(X)
    if W.dtype != X.dtype:  # the course mixes freely; the kernels want one float type
        dt = np.result_type(W.dtype, X.dtype, np.float32)
        W, X = W.astype(dt, copy=False), X.astype(dt, copy=False)
    return W, X


# -- classifiers/linear_svm.py, classifiers/softmax.py -----------------------------------------


def svm_loss_vectorized(W, X, y, reg):
    """Structured SVM loss. W (D, C), X (N, D), y (N,) in [0, C), reg float.
    Returns ``(loss, dW)``, dW of W's shape."""
    W, X = _same_dtype(W, X)
    return _svm_loss(W, X, y, reg)


def svm_loss_naive(W, X, y, reg):
    """The course's loop version: explicit loops over rows and classes in NumPy
    (:func:`fastlin.reference.svm_loss_naive`), slow on purpose, so that a notebook
    timing it against :func:`svm_loss_vectorized` still shows what vectorizing buys."""
    return _reference.svm_loss_naive(W, X, y, reg)


def softmax_loss_vectorized(W, X, y, reg):
    """Softmax (cross-entropy) loss. W (D, C), X (N, D), y (N,), reg float -> ``(loss, dW)``."""
    W, X = _same_dtype(W, X)
    return _softmax_loss(W, X, y, reg)


def softmax_loss_naive(W, X, y, reg):
    """The course's loop version (:func:`fastlin.reference.softmax_loss_naive`), slow on
    purpose like :func:`svm_loss_naive`."""
    return _reference.softmax_loss_naive(W, X, y, reg)


# -- classifiers/linear_classifier.py ----------------------------------------------------------


class LinearClassifier:
    """The course's base class: ``W`` (D, C) is created by the first :meth:`train`."""

    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        """Minibatch SGD, batches drawn with replacement.

        X : (N, D) float; y : (N,) int labels in [0, C). Returns the list of per-iteration losses.
        """
        X = np.asarray(X)
        y = np.asarray(y)
        if y.dtype.kind in "iu" and y.dtype != np.intp and np.can_cast(y.dtype, np.intp):
            y = y.astype(np.intp)  # the kernel's label type, converted once and not per batch
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (N, D), got shape {X.shape}")
        if X.dtype.kind != "f":
            X = X.astype(np.float64)
        num_train, dim = X.shape
        num_classes = int(np.max(y)) + 1  # assume y takes values 0...K-1 where K is number of classes
        if self.W is None:
            self.W = 0.001 * np.random.randn(dim, num_classes)
        if self.W.dtype != X.dtype:
            self.W = self.W.astype(np.result_type(self.W.dtype, X.dtype))
            if X.dtype != self.W.dtype:
                X = X.astype(self.W.dtype)
        loss_history = []
        for it in range(num_iters):
            # the course's own draw, np.random.choice(num_train, batch_size), from NumPy's global
            # generator: after np.random.seed(s) the batches (and W) are those of the NumPy
            # assignment code, run for run. choice with replacement and no p is randint(0, n)
            # on the same (frozen, NEP 19) legacy stream, without choice's 3 us of overhead.
            idx = np.random.randint(0, num_train, batch_size)
            loss, grad = self._loss_idx(X, y, reg, idx)
            loss_history.append(loss)
            grad *= learning_rate
            self.W -= grad
            if verbose and it % 100 == 0:
                print("iteration %d / %d: loss %f" % (it, num_iters, loss))
        return loss_history

    def predict(self, X):
        """Labels (N,) of the highest score ``X @ W``."""
        return np.argmax(np.asarray(X).dot(self.W), axis=1)

    def loss(self, X_batch, y_batch, reg):
        """``(loss, dW)`` on a minibatch; subclasses override it."""
        raise NotImplementedError

    def _loss_idx(self, X, y, reg, idx):
        # subclasses that override loss() (course exercises) get the batch gathered, as before
        return self.loss(X[idx], y[idx], reg)


class LinearSVM(LinearClassifier):
    """Multiclass SVM loss (fused kernel)."""

    def loss(self, X_batch, y_batch, reg):
        return svm_loss_vectorized(self.W, X_batch, y_batch, reg)

    def _loss_idx(self, X, y, reg, idx):
        if type(self).loss is not LinearSVM.loss:
            return super()._loss_idx(X, y, reg, idx)
        return _svm_loss(self.W, X, y, reg, idx=idx)


class Softmax(LinearClassifier):
    """Softmax + cross-entropy loss (fused kernel)."""

    def loss(self, X_batch, y_batch, reg):
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)

    def _loss_idx(self, X, y, reg, idx):
        if type(self).loss is not Softmax.loss:
            return super()._loss_idx(X, y, reg, idx)
        return _softmax_loss(self.W, X, y, reg, idx=idx)


# -- gradient_check.py -------------------------------------------------------------------------


def eval_numerical_gradient(f, x, verbose=True, h=0.00001):
    """Centred-difference gradient of ``f`` at ``x`` (perturbed in place, restored).
    Prints every entry's index and value when ``verbose``. Returns an array of x's shape."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        grad[ix] = _gradcheck._centred_difference(f, x, ix, h)
        if verbose:
            print(ix, grad[ix])
        it.iternext()
    return grad


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5):
    """Compare ``analytic_grad`` with centred differences at ``num_checks`` random entries.

    Prints ``numerical: ... analytic: ..., relative error: ...`` for each (returns None).

    Entries are drawn with Python's :func:`random.randrange`, as the course does, so NumPy's
    global generator (initial weights, minibatches) is left exactly where the course leaves it.
    """
    for _ in range(num_checks):
        ix = tuple(randrange(m) for m in x.shape)
        num = _gradcheck._centred_difference(f, x, ix, h)
        ana = analytic_grad[ix]
        rel = abs(num - ana) / (abs(num) + abs(ana))
        print("numerical: %f analytic: %f, relative error: %e" % (num, ana, rel))


# -- data_utils.py -----------------------------------------------------------------------------


def load_CIFAR10(ROOT):
    """``Xtr, Ytr, Xte, Yte``: float64 (N, 32, 32, 3) images and int64 labels from the
    ``cifar-10-batches-py`` directory ``ROOT``. FileNotFoundError (naming the file) when
    ``test_batch`` or a training batch is missing."""
    d = _load_cifar10(ROOT, split="all")
    return (d.X_train.astype(np.float64), d.y_train, d.X_test.astype(np.float64), d.y_test)


# -- features.py (hog_feature, color_histogram_hsv, extract_features) -------------------------
# the course feature helpers, batch kernels underneath
