"""Fused loss-and-gradient kernels of linear classifiers (public API).

Drop-in for the classic NumPy ``svm_loss_vectorized(W, X, y, reg)`` and
``softmax_loss_vectorized(W, X, y, reg)``: same arguments, same results, one
pass over X in C with OpenMP. :func:`svm_loss` also computes the One-vs-All and
Crammer-Singer multiclass SVM losses (``multi_class``), and the squared hinges (``loss``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._ext import _loss
from ._validation import (aligned, check_float_array, check_index_array,
                          check_num_threads, check_scalar, rows_in_place)

__all__ = ["svm_loss", "softmax_loss"]

# The multiclass SVM formulations of svm_loss ("ovr", scikit-learn's name, is also accepted for
# "one_vs_all") and its hinges, plain or squared.
_MULTI_CLASS = ("weston_watkins", "one_vs_all", "crammer_singer")
_SVM_LOSSES = ("hinge", "squared_hinge")
_SVM_KINDS = {
    ("weston_watkins", "hinge"): _loss.SVM,
    ("one_vs_all", "hinge"): _loss.SVM_ONE_VS_ALL,
    ("crammer_singer", "hinge"): _loss.SVM_CRAMMER_SINGER,
    ("weston_watkins", "squared_hinge"): _loss.SVM_SQUARED,
    ("one_vs_all", "squared_hinge"): _loss.SVM_ONE_VS_ALL_SQUARED,
    ("crammer_singer", "squared_hinge"): _loss.SVM_CRAMMER_SINGER_SQUARED,
}


def _svm_kind(multi_class, loss="hinge") -> int:
    """The kernel's kind of loss for ``multi_class`` and ``loss`` names; ValueError naming the
    argument."""
    if not isinstance(multi_class, str) or multi_class not in _MULTI_CLASS + ("ovr",):
        raise ValueError(f"multi_class must be one of {_MULTI_CLASS} (or 'ovr'), got "
                         f"{multi_class!r}")
    if not isinstance(loss, str) or loss not in _SVM_LOSSES:
        raise ValueError(f"loss must be one of {_SVM_LOSSES}, got {loss!r}")
    return _SVM_KINDS["one_vs_all" if multi_class == "ovr" else multi_class, loss]


def _loss_and_grad(kind, W, X, y, reg, delta, b, idx, num_threads):
    nthreads = check_num_threads(num_threads)
    # arguments already in the kernel's layout (a training loop's) go straight to it: the checks
    # below cost more than a small call's arithmetic
    out = _loss.loss_grad_ready(kind, W, X, y, reg, delta, b, idx, nthreads)
    if out is not None:
        return out
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
    if b is not None:
        b = aligned(check_float_array(b, "b", 1, dtype=X.dtype))
        if b.shape[0] != C:
            raise ValueError(f"b must have shape (C,) = ({C},), got {b.shape}")

    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != N:
        raise ValueError(f"y must have shape (N,) = ({N},), got {y.shape}")
    # the ranges of idx and y are checked by _loss.loss_grad, in one pass each
    if idx is not None:
        idx = check_index_array(idx, "idx", N, what="row indices", range_checked_later=True)
        if idx.shape[0] == 0:
            raise ValueError("idx must select at least one row, got an empty array")
        try:
            y = y[idx]
        except IndexError:  # an index >= N: the message names idx
            check_index_array(idx, "idx", N, what="row indices")
            raise
    elif N == 0:
        raise ValueError("X must have at least one row, got shape (0, %d)" % D)
    y = check_index_array(y, "y", C, what="class labels", range_checked_later=True)

    X = rows_in_place(X)
    W = aligned(W)
    dW = np.empty((D, C), dtype=X.dtype)
    db = np.empty(C, dtype=X.dtype) if b is not None else None
    loss = _loss.loss_grad(kind, W, b, X, idx, y, delta, reg, nthreads, dW, db)
    if b is not None:
        return loss, dW, db
    return loss, dW


def svm_loss(W: np.ndarray, X: np.ndarray, y: ArrayLike, reg: float = 0.0, *, delta: float = 1.0,
             b: np.ndarray | None = None, idx: ArrayLike | None = None,
             num_threads: int | None = None, multi_class: str = "weston_watkins",
             loss: str = "hinge") -> tuple:
    """Multiclass SVM (hinge or squared hinge) loss and its gradient.

    With scores ``s = X @ W (+ b)`` and, for row ``i``, ``y = y_i``, the loss is
    ``L = mean_i L_i + reg * sum(W**2)`` where ``L_i`` depends on ``multi_class``, written
    with ``h(m) = max(0, m)`` (``loss="hinge"``) or ``h(m) = max(0, m)**2``
    (``loss="squared_hinge"``):

    * ``"weston_watkins"`` (default): ``L_i = sum_{j != y} h(s_ij - s_iy + delta)``;
    * ``"one_vs_all"`` (alias ``"ovr"``): a binary hinge per class,
      ``L_i = sum_j h(delta - t_ij * s_ij)`` with ``t_ij = +1`` for ``j = y`` and
      ``-1`` otherwise;
    * ``"crammer_singer"``: only the highest-scoring wrong class counts,
      ``L_i = h(s_ik - s_iy + delta)`` with ``k = argmax_{j != y} s_ij``; among wrong
      classes of equal score ``k`` is the lowest index (with one class, ``L_i = 0``).

    The gradient is that of the active hinges (``dh/dm`` = 1, or ``2 m`` squared); a hinge at
    exactly 0 counts as inactive. The squared hinge is differentiable in the scores except,
    with Crammer-Singer, where two wrong classes tie for the highest score. scikit-learn's
    ``LinearSVC(loss="squared_hinge")`` (its default) is the One-vs-All squared hinge with
    ``delta = 1``, each class fitted separately.

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
    multi_class : {"weston_watkins", "one_vs_all", "crammer_singer"}
        The multiclass formulation (above).
    loss : {"hinge", "squared_hinge"}
        Each hinge as it is, or squared (above).

    Returns
    -------
    loss : float
    dW : ndarray (D, C), X.dtype
    db : ndarray (C,), X.dtype
        Only when ``b`` is given.
    """
    if (type(multi_class) is str and multi_class == "weston_watkins" and type(loss) is str
            and loss == "hinge"):  # the default, without the checks
        kind = _loss.SVM
    else:
        kind = _svm_kind(multi_class, loss)
    return _loss_and_grad(kind, W, X, y, reg, delta, b, idx, num_threads)


def softmax_loss(W: np.ndarray, X: np.ndarray, y: ArrayLike, reg: float = 0.0, *,
                 b: np.ndarray | None = None, idx: ArrayLike | None = None,
                 num_threads: int | None = None) -> tuple:
    """Softmax cross-entropy loss and its gradient.

    ``L = mean_i -log(softmax(s_i)[y_i]) + reg * sum(W**2)`` with
    ``s = X @ W (+ b)``, computed with the max-subtraction trick, so it stays
    finite and accurate for scores of any magnitude.

    Parameters and returns as :func:`svm_loss` (without ``delta``, ``multi_class`` and
    ``loss``).
    """
    return _loss_and_grad(_loss.SOFTMAX, W, X, y, reg, 1.0, b, idx, num_threads)
