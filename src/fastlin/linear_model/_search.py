"""Random search over weight matrices: the lecture's first, deliberately bad, optimizer."""

from __future__ import annotations

import numbers
from functools import partial
from typing import NamedTuple

import numpy as np

from ..losses import _svm_kind, softmax_loss
from ..losses import svm_loss as _svm_loss
from ..sampling import BatchSampler, seed_from_random_state

__all__ = ["random_search", "RandomSearchResult"]


class RandomSearchResult(NamedTuple):
    W: np.ndarray  #: (D, C) the candidate with the lowest loss
    loss: float  #: its loss
    losses: np.ndarray  #: float64 (num_candidates,), the loss of every candidate in order


def random_search(X: np.ndarray, y: np.ndarray, *, num_classes: int | None = None, loss: str = "svm",
                  num_candidates: int = 1000, scale: float = 1e-4, reg: float = 0.0,
                  num_rows: int = 2000, random_state=None, num_threads: int | None = None,
                  multi_class: str = "weston_watkins",
                  svm_loss: str = "hinge") -> RandomSearchResult:
    """Draw ``num_candidates`` random ``W = scale * randn(D, C)``, keep the one of lowest loss.

    As in the lecture (``bestloss`` over 1000 tries of ``0.0001 * randn``); on CIFAR-10 raw pixels
    the best W scores about 15 % (chance is 10 %). Each candidate is scored by the fused kernel on
    the same ``num_rows`` rows of X, passed as ``idx`` (read in place, never copied).

    X : float32/float64 (N, D); y : int (N,) labels in [0, C).
    num_classes : C, default ``y.max() + 1``.  loss : "svm" or "softmax".
    multi_class, svm_loss : with ``loss="svm"``, the multiclass formulation and the hinge
    ("hinge" or "squared_hinge") of :func:`fastlin.svm_loss` (its ``multi_class`` and ``loss``).
    num_rows : rows that score each candidate (a random subset drawn once), None for all N.
    Returns a :class:`RandomSearchResult` ``(W, loss, losses)``.
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype.kind != "f":
        raise ValueError(f"X must be a 2-D float32/float64 array, got {X.dtype} {X.shape}")
    y = np.asarray(y)
    if y.dtype.kind not in "iu" or y.shape != (X.shape[0],):
        raise ValueError(f"y must hold ({X.shape[0]},) integer labels, got {y.dtype} {y.shape}")
    if loss not in ("svm", "softmax"):
        raise ValueError(f"loss must be 'svm' or 'softmax', got {loss!r}")
    if not isinstance(svm_loss, str) or svm_loss not in ("hinge", "squared_hinge"):
        raise ValueError(f"svm_loss must be 'hinge' or 'squared_hinge', got {svm_loss!r}")
    _svm_kind(multi_class)  # ValueError naming multi_class
    if isinstance(num_candidates, bool) or not isinstance(num_candidates, numbers.Integral) or num_candidates < 1:
        raise ValueError(f"num_candidates must be an integer >= 1, got {num_candidates!r}")
    if not (isinstance(scale, numbers.Real) and np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a finite number > 0, got {scale!r}")
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
    N, D = X.shape
    seed = seed_from_random_state(random_state)
    idx = None
    if num_rows is not None:
        if isinstance(num_rows, bool) or not isinstance(num_rows, numbers.Integral) or num_rows < 1:
            raise ValueError(f"num_rows must be None or an integer >= 1, got {num_rows!r}")
        if num_rows < N:
            idx = np.sort(BatchSampler(N, int(num_rows), seed=seed, stream=1).next_batch())
    rng = np.random.default_rng(seed)
    kernel = (partial(_svm_loss, multi_class=multi_class, loss=svm_loss) if loss == "svm"
              else softmax_loss)
    W = np.empty((D, num_classes), dtype=X.dtype)
    best_W, best = None, np.inf
    losses = np.empty(num_candidates)
    for k in range(num_candidates):
        rng.standard_normal(dtype=W.dtype, out=W)
        W *= scale
        losses[k] = kernel(W, X, y, reg, idx=idx, num_threads=num_threads)[0]
        if losses[k] < best:
            best, best_W = losses[k], W.copy()
    return RandomSearchResult(best_W, float(best), losses)
