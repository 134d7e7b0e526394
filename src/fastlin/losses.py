"""Fused loss-and-gradient kernels of linear classifiers (public API).

Drop-in for the classic NumPy ``svm_loss_vectorized(W, X, y, reg)`` and
``softmax_loss_vectorized(W, X, y, reg)``: same arguments, same results, one
pass over X in C with OpenMP.
"""

import numpy as np

from ._ext import _loss
from ._validation import (check_float_array, check_index_array,
                          check_num_threads, check_scalar, rows_in_place)

__all__ = ["svm_loss", "softmax_loss"]


def _loss_and_grad(kind, W, X, y, reg, delta, b, idx, num_threads):
    X = check_float_array(X, "X", 2)
    N, D = X.shape
    W = check_float_array(W, "W", 2, dtype=X.dtype)
    if W.shape[0] != D:
        raise ValueError(f"W must have shape (D, C) with D = X.shape[1] = {D}, got {W.shape}")
    C = W.shape[1]
    if D == 0 or C == 0:
        raise ValueError(f"W must have at least one row and one column, got shape {W.shape}")
    reg = check_scalar(reg, "reg", minimum=0.0)
    delta = check_scalar(delta, "delta")
    nthreads = check_num_threads(num_threads)
    if b is not None:
        b = np.ascontiguousarray(check_float_array(b, "b", 1, dtype=X.dtype))
        if b.shape[0] != C:
            raise ValueError(f"b must have shape (C,) = ({C},), got {b.shape}")

    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != N:
        raise ValueError(f"y must have shape (N,) = ({N},), got {y.shape}")
    if idx is not None:
        idx = check_index_array(idx, "idx", N, what="row indices")
        if idx.shape[0] == 0:
            raise ValueError("idx must select at least one row, got an empty array")
        y = y[idx]
    elif N == 0:
        raise ValueError("X must have at least one row, got shape (0, %d)" % D)
    y = check_index_array(y, "y", C, what="class labels")

    X = rows_in_place(X)
    W = np.ascontiguousarray(W)
    dW = np.empty((D, C), dtype=X.dtype)
    db = np.empty(C, dtype=X.dtype) if b is not None else None
    loss = _loss.loss_grad(kind, W, b, X, idx, y, delta, reg, nthreads, dW, db)
    if b is not None:
        return loss, dW, db
    return loss, dW


def svm_loss(W, X, y, reg=0.0, *, delta=1.0, b=None, idx=None, num_threads=None):
    """Multiclass SVM (Weston-Watkins hinge) loss and its gradient.

    ``L = mean_i sum_{j != y_i} max(0, s_ij - s_iy_i + delta) + reg * sum(W**2)``
    with ``s = X @ W (+ b)``.

    Parameters
    ----------
    W : ndarray (D, C), float32 or float64
        Weights; same dtype as X.
    X : ndarray (N, D), float32 or float64
        Data. Read in place when its rows are contiguous; other layouts are
        copied first.
    y : ndarray (N,), integer
        Labels in [0, C).
    reg : float >= 0
        L2 regularisation strength.
    delta : float
        Margin.
    b : ndarray (C,), optional
        Unregularised bias; when given the gradient ``db`` is returned too.
    idx : ndarray (n,), integer, optional
        Rows of X (and y) to use, duplicates allowed; read in place.
    num_threads : int, optional
        OpenMP threads; None uses OpenMP's default (``OMP_NUM_THREADS``).

    Returns
    -------
    loss : float
    dW : ndarray (D, C), X.dtype
    db : ndarray (C,), X.dtype
        Only when ``b`` is given.
    """
    return _loss_and_grad(_loss.SVM, W, X, y, reg, delta, b, idx, num_threads)


def softmax_loss(W, X, y, reg=0.0, *, b=None, idx=None, num_threads=None):
    """Softmax cross-entropy loss and its gradient.

    ``L = mean_i -log(softmax(s_i)[y_i]) + reg * sum(W**2)`` with
    ``s = X @ W (+ b)``, computed with the max-subtraction trick, so it stays
    finite and accurate for scores of any magnitude.

    Parameters and returns as :func:`svm_loss` (without ``delta``).
    """
    return _loss_and_grad(_loss.SOFTMAX, W, X, y, reg, 1.0, b, idx, num_threads)
