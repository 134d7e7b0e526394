"""The lecture's first two attempts on the same data: random search against gradient descent."""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np

from .. import optim
from ..losses import softmax_loss, svm_loss
from ..sampling import BatchSampler
from ..linear_model import random_search
from ._common import check_choice, check_int, check_real, new_axes

__all__ = ["random_search_vs_descent", "search_vs_descent_curves", "Curves"]


class Curves(NamedTuple):
    search_iters: np.ndarray  #: candidates drawn so far, at the end of each round
    search_time: np.ndarray  #: seconds so far
    search_acc: np.ndarray  #: validation accuracy of the best candidate so far
    descent_iters: np.ndarray  #: updates so far
    descent_time: np.ndarray
    descent_acc: np.ndarray  #: validation accuracy of the current weights


def _accuracy(W, X, y):
    return float(np.mean(np.argmax(X @ W, axis=1) == y))


def search_vs_descent_curves(X, y, X_val, y_val, *, loss="svm", num_candidates=1000,
                             num_updates=1000, batch_size=200, learning_rate=1e-7, reg=2.5e4,
                             scale=1e-4, num_rows=2000, n_points=20, random_state=0,
                             num_threads=None) -> Curves:
    """Run both attempts and record validation accuracy along the way.

    Random search: :func:`fastlin.random_search` in ``n_points`` rounds of
    ``num_candidates / n_points`` candidates (each round its own seed), each scored on
    ``num_rows`` training rows (None: all), keeping the best W of all rounds. Descent:
    minibatch SGD (:class:`fastlin.optim.SGD`) on the fused kernel, from ``scale * randn``
    weights, rows drawn with replacement by :class:`fastlin.BatchSampler`.
    Defaults are the lecture's (CIFAR-10 pixels with a bias column; reg 2.5e4, learning rate 1e-7).
    """
    X, X_val = np.asarray(X), np.asarray(X_val)
    y, y_val = np.asarray(y), np.asarray(y_val)
    if X.ndim != 2 or X.dtype.kind != "f":
        raise ValueError(f"X must be a 2-D float array, got {X.dtype} {X.shape}")
    if X_val.ndim != 2 or X_val.shape[1] != X.shape[1]:
        raise ValueError(f"X_val must be 2-D with {X.shape[1]} columns, got {X_val.shape}")
    if y_val.shape != (X_val.shape[0],):
        raise ValueError(f"y_val must have shape ({X_val.shape[0]},), got {y_val.shape}")
    kernel = {"svm": svm_loss, "softmax": softmax_loss}[check_choice(loss, "loss", ("svm", "softmax"))]
    num_candidates = check_int(num_candidates, "num_candidates", 1)
    num_updates = check_int(num_updates, "num_updates", 1)
    n_points = check_int(n_points, "n_points", 1)
    batch_size = check_int(batch_size, "batch_size", 1)
    learning_rate = check_real(learning_rate, "learning_rate", minimum=0.0, strict=True)
    reg = check_real(reg, "reg", minimum=0.0)
    C = int(max(y.max(), y_val.max())) + 1
    rng = np.random.default_rng(random_state)
    seeds = rng.integers(0, 2**31, size=n_points + 1)

    per_round = np.diff(np.linspace(0, num_candidates, n_points + 1).round().astype(int))
    s_it, s_t, s_acc = [], [], []
    best_W, best = None, np.inf
    t0 = time.perf_counter()
    for k, m in enumerate(per_round):
        if m == 0:
            continue
        r = random_search(X, y, num_classes=C, loss=loss, num_candidates=int(m), scale=scale,
                          reg=reg, num_rows=num_rows, random_state=int(seeds[k]),
                          num_threads=num_threads)
        if r.loss < best:
            best, best_W = r.loss, r.W
        s_it.append((s_it[-1] if s_it else 0) + int(m))
        s_t.append(time.perf_counter() - t0)
        s_acc.append(_accuracy(best_W, X_val, y_val))

    W = (scale * np.random.default_rng(seeds[-1]).standard_normal((X.shape[1], C))).astype(X.dtype)
    opt = optim.SGD(learning_rate)
    sampler = BatchSampler(X.shape[0], min(batch_size, X.shape[0]), replace=True,
                           seed=int(seeds[-1]))
    marks = set(np.linspace(0, num_updates, n_points + 1).round().astype(int).tolist())
    d_it, d_t, d_acc = [0], [0.0], [_accuracy(W, X_val, y_val)]
    t0 = time.perf_counter()
    for t in range(1, num_updates + 1):
        _, dW = kernel(W, X, y, reg, idx=sampler.next_batch(), num_threads=num_threads)
        opt.step(W, dW)
        if t in marks:
            d_it.append(t)
            d_t.append(time.perf_counter() - t0)
            d_acc.append(_accuracy(W, X_val, y_val))
    return Curves(*(np.asarray(v) for v in (s_it, s_t, s_acc, d_it, d_t, d_acc)))


def random_search_vs_descent(X=None, y=None, X_val=None, y_val=None, *, curves=None,
                             x_axis="iterations", chance=None, ax=None, **kwargs):
    """Validation accuracy of random search (best candidate so far) and of minibatch gradient
    descent, against iterations (candidates or updates) or seconds.

    Give the data (``X, y, X_val, y_val`` and the keyword arguments of
    :func:`search_vs_descent_curves`) or precomputed ``curves``. ``chance`` (e.g. 0.1) draws a
    dotted line at that accuracy. Returns the Axes; ``ax.lines[0]`` is random search,
    ``ax.lines[1]`` gradient descent, and ``ax.curves`` the :class:`Curves`.
    """
    check_choice(x_axis, "x_axis", ("iterations", "time"))
    if curves is None:
        if X is None or y is None or X_val is None or y_val is None:
            raise ValueError("pass X, y, X_val and y_val, or curves")
        curves = search_vs_descent_curves(X, y, X_val, y_val, **kwargs)
    elif not isinstance(curves, Curves):
        raise TypeError(f"curves must be a Curves tuple, got {type(curves).__name__}")
    ax = new_axes(ax)
    if x_axis == "iterations":
        xs, xd, label = curves.search_iters, curves.descent_iters, "iterations (candidates / updates)"
    else:
        xs, xd, label = curves.search_time, curves.descent_time, "seconds"
    ax.plot(xs, curves.search_acc, "o-", color="tab:gray", label="random search (best so far)")
    ax.plot(xd, curves.descent_acc, "o-", color="tab:blue", label="minibatch gradient descent")
    if chance is not None:
        ax.axhline(check_real(chance, "chance", minimum=0.0, maximum=1.0), color="k", ls=":",
                   lw=1, label="chance")
    ax.set_xlabel(label)
    ax.set_ylabel("validation accuracy")
    ax.legend(loc="best")
    ax.curves = curves
    return ax
