"""What the demo computes: data sets, feature transforms, losses, updates, gradient checks.

Plain NumPy and fastlin, no web framework. Parameters are kept as the page shows them,
``W`` (C, D) with one row of weights per class and ``b`` (C,); the kernels take ``W.T``.

Every loss and its gradient comes from fastlin's C kernels: :func:`fastlin.svm_loss` (its
``multi_class`` formulations Weston-Watkins, One-vs-All and Crammer-Singer) and
:func:`fastlin.softmax_loss`.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..losses import softmax_loss, svm_loss
from ..optim import get_optimizer

__all__ = [
    "LOSSES", "OPTIMIZERS", "DATASETS", "TRANSFORMS", "ORIGINAL_W", "ORIGINAL_B",
    "make_dataset", "transform", "init_params",
    "loss_and_grad", "point_losses", "evaluate",
    "region_grid", "optimizer_state_names", "train", "race", "gradient_check", "loss_surface",
    "random_search_vs_descent",
]

LOSSES = ("weston_watkins", "one_vs_all", "crammer_singer", "softmax")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
DATASETS = ("default", "blobs", "circles", "xor", "spiral")
TRANSFORMS = {"none": ("x", "y"), "polar": ("r", "θ/π"),
              "quadratic": ("x", "y", "x²", "y²", "xy")}

# The original CS231n demo's points, labels and parameters.
_ORIGINAL_X = np.array([[0.5, 0.4], [0.8, 0.3], [0.3, 0.8], [-0.4, 0.3], [-0.3, 0.7],
                        [-0.7, 0.2], [0.7, -0.4], [0.5, -0.6], [-0.4, -0.5]])
_ORIGINAL_Y = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
ORIGINAL_W = np.array([[1.0, 2.0], [2.0, -4.0], [3.0, -1.0]])
ORIGINAL_B = np.array([0.0, 0.5, -0.5])

# Below this many rows the kernels run on one thread: waking OpenMP's team costs more
# than the work.
_SERIAL_ROWS = 4096
_FLOAT_MAX = float(np.finfo(np.float64).max)


# ------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------


def make_dataset(name: str, num_classes: int = 3, num_points: int = 90, seed: int = 0):
    """2-D points in about [-1, 1]^2 and their labels.

    ``default`` is the original demo's 9 points of 3 classes (``num_classes`` and
    ``num_points`` are ignored); ``blobs`` Gaussian blobs on a circle; ``circles`` concentric
    rings, one per class; ``xor`` the four quadrants (2 classes); ``spiral`` interleaved spiral
    arms. Returns X float64 (N, 2) and y int64 (N,) with every class in [0, num_classes)
    present.
    """
    rng = np.random.default_rng(seed)
    if name == "default":
        return _ORIGINAL_X.copy(), _ORIGINAL_Y.copy()
    if name == "xor":
        num_classes = 2
    per_class = np.full(num_classes, num_points // num_classes)
    per_class[: num_points % num_classes] += 1
    y = np.repeat(np.arange(num_classes), per_class)
    n = y.shape[0]
    if name == "blobs":
        angle = 2 * np.pi * y / num_classes + 0.5
        centres = 0.6 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
        X = centres + 0.14 * rng.standard_normal((n, 2))
    elif name == "circles":
        radius = 0.2 + 0.7 * y / max(num_classes - 1, 1) + 0.04 * rng.standard_normal(n)
        angle = rng.uniform(0, 2 * np.pi, n)
        X = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    elif name == "xor":  # class 0 in the quadrants where x and y share their sign
        sx = rng.choice([-1.0, 1.0], n)
        sy = np.where(y == 0, sx, -sx)
        X = rng.uniform(0.1, 0.9, (n, 2)) * np.stack([sx, sy], axis=1)
    elif name == "spiral":
        t = np.concatenate([np.linspace(0.0, 1.0, k) for k in per_class])
        angle = 4.0 * t + 2 * np.pi * y / num_classes + 0.2 * rng.standard_normal(n)
        radius = 0.9 * t
        X = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    else:
        raise ValueError(f"dataset must be one of {DATASETS}, got {name!r}")
    return np.ascontiguousarray(X), y.astype(np.int64)


def transform(X, name: str):
    """The features the classifier sees: ``none`` (x, y), ``polar`` (r, θ/π) or
    ``quadratic`` (x, y, x², y², xy). X float64 (N, 2) -> float64 (N, D)."""
    x, y = X[:, 0], X[:, 1]
    if name == "none":
        return np.ascontiguousarray(X, dtype=np.float64)
    if name == "polar":
        return np.stack([np.hypot(x, y), np.arctan2(y, x) / np.pi], axis=1)
    if name == "quadratic":
        return np.stack([x, y, x * x, y * y, x * y], axis=1)
    raise ValueError(f"transform must be one of {tuple(TRANSFORMS)}, got {name!r}")


def init_params(num_classes: int, num_features: int, scale: float = 1.0, seed: int = 0):
    """Random ``W = scale * randn(C, D)``, ``b = scale * randn(C) / 2`` (float64)."""
    rng = np.random.default_rng(seed)
    W = scale * rng.standard_normal((num_classes, num_features))
    b = 0.5 * scale * rng.standard_normal(num_classes)
    return W, b


def _svm_kernel(multi_class):
    def call(W, X, y, reg, *, delta, b, idx, num_threads):
        return svm_loss(W, X, y, reg, delta=delta, b=b, idx=idx, num_threads=num_threads,
                        multi_class=multi_class)
    return call


def _softmax_kernel(W, X, y, reg, *, delta, b, idx, num_threads):
    return softmax_loss(W, X, y, reg, b=b, idx=idx, num_threads=num_threads)


_LOSS_FUNCTIONS = {
    "weston_watkins": _svm_kernel("weston_watkins"),
    "one_vs_all": _svm_kernel("one_vs_all"),
    "crammer_singer": _svm_kernel("crammer_singer"),
    "softmax": _softmax_kernel,
}


def loss_and_grad(loss: str, W, b, F, y, reg: float, *, delta: float = 1.0, idx=None):
    """Total loss (data + ``reg * sum(W**2)``) and its gradients for the demo's layout.

    W (C, D), b (C,), F (N, D) features, y (N,). Returns ``loss, dW (C, D), db (C,)``.
    """
    threads = 1 if F.shape[0] < _SERIAL_ROWS else None
    value, dW, db = _LOSS_FUNCTIONS[loss](W.T, F, y, reg, delta=delta, b=b, idx=idx,
                                          num_threads=threads)
    return value, np.ascontiguousarray(dW.T), db


def point_losses(loss: str, scores, y, delta: float = 1.0):
    """Every point's data loss from its scores (N, C) and label, float64 (N,).

    The table's per-point numbers: NumPy (the kernels return only the mean); their mean is the
    kernels' data loss, which the tests check.
    """
    rows = np.arange(len(y))
    correct = scores[rows, y]
    if loss == "softmax":
        shifted = scores - scores.max(axis=1, keepdims=True)
        return np.log(np.exp(shifted).sum(axis=1)) - shifted[rows, y]
    if loss == "one_vs_all":
        t = -np.ones_like(scores)
        t[rows, y] = 1.0
        return np.maximum(0.0, delta - t * scores).sum(axis=1)
    margins = np.maximum(0.0, scores - correct[:, None] + delta)
    margins[rows, y] = 0.0
    if loss == "crammer_singer":
        return margins.max(axis=1)
    return margins.sum(axis=1)


def evaluate(loss: str, W, b, X, y, reg: float, transform_name: str, *, delta: float = 1.0):
    """Everything the page shows about the current parameters.

    Returns a dict: ``scores`` (N, C), ``point_losses`` (N,), ``pred`` (N,), ``data_loss``,
    ``reg_loss``, ``total_loss`` (the kernel's), ``accuracy``, ``dW`` (C, D), ``db`` (C,).
    """
    F = transform(X, transform_name)
    total, dW, db = loss_and_grad(loss, W, b, F, y, reg, delta=delta)
    scores = F @ W.T + b
    reg_loss = float(reg * np.sum(W * W))
    pred = np.argmax(scores, axis=1)
    return {
        "scores": scores, "point_losses": point_losses(loss, scores, y, delta), "pred": pred,
        "data_loss": total - reg_loss, "reg_loss": reg_loss, "total_loss": total,
        "accuracy": float(np.mean(pred == y)), "dW": dW, "db": db,
    }


def region_grid(W, b, transform_name: str, extent, nx: int, ny: int):
    """The class of highest score at the centre of every cell of an ``ny`` x ``nx`` grid over
    ``extent = (xmin, xmax, ymin, ymax)``; row 0 is the top (``ymax``). uint8 (ny, nx)."""
    FT = _grid_features(transform_name, tuple(extent), nx, ny)
    # Colours only, so float32; class by class (first maximum wins, as np.argmax): a few
    # matrix-vector products instead of an (M, C) score matrix and a strided argmax. Both
    # choices matter at the page's 30,000 cells per update (10x over float64 and argmax).
    W, b = W.astype(np.float32), b.astype(np.float32)
    best = W[0] @ FT + b[0]
    labels = np.zeros(FT.shape[1], dtype=np.uint8)
    for c in range(1, W.shape[0]):
        s = W[c] @ FT + b[c]
        labels[s > best] = c
        np.maximum(best, s, out=best)
    return labels.reshape(ny, nx)


@functools.lru_cache(maxsize=8)
def _grid_features(transform_name, extent, nx, ny):
    """The features of the cell centres, transposed, float32 (D, nx * ny), read-only: the page
    asks for the same grid at every update."""
    xmin, xmax, ymin, ymax = extent
    xs = xmin + (np.arange(nx) + 0.5) * (xmax - xmin) / nx
    ys = ymax - (np.arange(ny) + 0.5) * (ymax - ymin) / ny
    gx, gy = np.meshgrid(xs, ys)
    F = transform(np.stack([gx.ravel(), gy.ravel()], axis=1), transform_name)
    FT = np.ascontiguousarray(F.T, dtype=np.float32)
    FT.flags.writeable = False
    return FT


# ------------------------------------------------------------------------------------------
# optimization
# ------------------------------------------------------------------------------------------


def _optimizer(name, learning_rate, t, state, W, b):
    """A fastlin.optim optimizer at update count ``t`` with the given state
    (``{state_name: {"W": array, "b": array}}``, or None for a fresh start)."""
    opt = get_optimizer(name, learning_rate=learning_rate)
    opt.t = t
    if state:
        for key, x in ((0, W), (1, b)):
            slot = opt._init_state(x)
            for sname in opt._state_names:
                slot[sname][...] = state[sname]["W" if key == 0 else "b"]
            opt._state[key] = slot
    return opt


def optimizer_state_names(name: str) -> tuple:
    """The state arrays update rule ``name`` keeps per parameter (e.g. ``("m", "v")``)."""
    return get_optimizer(name)._state_names


def train(loss, W, b, X, y, *, reg, transform_name, optimizer="sgd", step_size=1e-1,
          steps=1, batch_size=None, t=0, state=None, seed=0, delta=1.0, bound=_FLOAT_MAX):
    """``steps`` updates of (W, b) by the update rule ``optimizer`` from its ``state`` at update
    count ``t``.

    Minibatches of ``batch_size`` rows (None: all) are drawn without replacement from a
    generator seeded by ``(seed, t)``, so a run is reproducible whatever the request
    boundaries. Returns a dict: ``W``, ``b`` (new arrays), ``t``, ``state`` (as taken),
    ``losses`` (the minibatch loss before each update), ``finite`` (False when an update
    diverged: a loss or parameter became inf/NaN or exceeded ``bound`` in magnitude; then it
    stops, W and b are those before that update).
    """
    W, b = W.copy(), b.copy()
    F = transform(X, transform_name)
    opt = _optimizer(optimizer, step_size, t, state, W, b)
    n = F.shape[0]
    losses, finite = [], True
    for _ in range(steps):
        idx = None
        if batch_size is not None and batch_size < n:
            rng = np.random.default_rng([seed, opt.t])
            idx = np.sort(rng.choice(n, batch_size, replace=False))
        value, dW, db = loss_and_grad(loss, W, b, F, y, reg, delta=delta, idx=idx)
        W_prev, b_prev = W.copy(), b.copy()
        opt.step([W, b], [dW, db])
        if not (math.isfinite(value) and np.abs(W).max() <= bound and np.abs(b).max() <= bound):
            W, b, finite = W_prev, b_prev, False
            break
        losses.append(value)
    out_state = None
    if opt._state_names:  # SGD keeps none
        out_state = {s: {"W": opt.state(0)[s], "b": opt.state(1)[s]} for s in opt._state_names}
    return {"W": W, "b": b, "t": opt.t, "state": out_state, "losses": losses, "finite": finite}


def race(loss, W, b, X, y, *, reg, transform_name, optimizers=OPTIMIZERS, step_size=1e-1,
         steps=100, batch_size=None, seed=0, delta=1.0, bound=_FLOAT_MAX):
    """Every update rule in ``optimizers`` from the same (W, b), with the same step size and
    minibatches, for ``steps`` updates.

    Returns a dict of dicts keyed by rule: ``curves`` (the full-batch total loss after 0, 1, ...
    updates; shorter when the rule diverged), ``accuracy`` (at the end) and ``diverged``.
    """
    F = transform(X, transform_name)
    curves, accuracy, diverged = {}, {}, {}
    for name in optimizers:
        Wk, bk, t, state = W, b, 0, None
        curve = [loss_and_grad(loss, Wk, bk, F, y, reg, delta=delta)[0]]
        for _ in range(steps):
            run = train(loss, Wk, bk, X, y, reg=reg, transform_name=transform_name,
                        optimizer=name, step_size=step_size, steps=1, batch_size=batch_size,
                        t=t, state=state, seed=seed, delta=delta, bound=bound)
            if not run["finite"]:
                break
            Wk, bk, t, state = run["W"], run["b"], run["t"], run["state"]
            curve.append(loss_and_grad(loss, Wk, bk, F, y, reg, delta=delta)[0])
        curves[name] = curve
        diverged[name] = len(curve) <= steps
        accuracy[name] = float(np.mean(np.argmax(F @ Wk.T + bk, axis=1) == y))
    return {"curves": curves, "accuracy": accuracy, "diverged": diverged}


def gradient_check(loss, W, b, X, y, *, reg, transform_name, delta=1.0, h=1e-5):
    """The analytic gradient beside the centred difference at every entry of W and b.

    Returns a list of ``(name, analytic, numeric, relative_error)`` with names ``W[c,d]`` and
    ``b[c]``; the relative error is ``|a - n| / max(1e-8, |a| + |n|)`` (as
    :func:`fastlin.gradcheck.rel_error`). Hinge losses have kinks: an entry whose centred
    difference straddles one disagrees, which is the lecture's point about them.
    """
    F = transform(X, transform_name)
    W, b = W.copy(), b.copy()
    _, dW, db = loss_and_grad(loss, W, b, F, y, reg, delta=delta)

    def f():
        return loss_and_grad(loss, W, b, F, y, reg, delta=delta)[0]

    rows = []
    for name, x, g in (("W", W, dW), ("b", b, db)):
        for ix in np.ndindex(x.shape):
            old = x[ix]
            x[ix] = old + h
            fp = f()
            x[ix] = old - h
            fm = f()
            x[ix] = old
            num, ana = (fp - fm) / (2 * h), float(g[ix])
            err = abs(ana - num) / max(1e-8, abs(ana) + abs(num))
            rows.append((f"{name}[{','.join(map(str, ix))}]", ana, num, err))
    return rows


def loss_surface(loss, W, b, X, y, *, reg, transform_name, params, span=2.0, resolution=25,
                 delta=1.0):
    """Total loss over a square of two parameters around their current values.

    params : two ``(name, index)`` pairs, name "W" or "b", index a tuple into it.
    Returns ``(u, v, L)``: the values of the first and second parameter (resolution,) and
    L (resolution, resolution) with ``L[i, j]`` at ``(u[j], v[i])``.
    """
    F = transform(X, transform_name)
    W, b = W.copy(), b.copy()
    arrays = {"W": W, "b": b}
    (n1, i1), (n2, i2) = params
    u = arrays[n1][i1] + np.linspace(-span, span, resolution)
    v = arrays[n2][i2] + np.linspace(-span, span, resolution)
    L = np.empty((resolution, resolution))
    for i, vi in enumerate(v):
        arrays[n2][i2] = vi
        for j, uj in enumerate(u):
            arrays[n1][i1] = uj
            L[i, j] = loss_and_grad(loss, W, b, F, y, reg, delta=delta)[0]
    return u, v, L


def random_search_vs_descent(loss, X, y, *, num_classes, reg, transform_name, optimizer,
                             step_size, num_candidates=1000, scale=1.0, seed=0, delta=1.0):
    """The lecture's first attempt against gradient descent, with the same number of loss
    evaluations.

    Random search draws ``num_candidates`` parameter sets ``init_params(C, D, scale)`` and keeps
    the best; gradient descent starts from the first candidate and makes ``num_candidates``
    updates with ``optimizer``. Returns a dict: ``random_search_loss``, ``random_search_W``,
    ``random_search_b``, ``descent_loss``, ``descent_W``, ``descent_b``, ``start_loss``.
    """
    F = transform(X, transform_name)
    rng = np.random.default_rng(seed)
    C, D = num_classes, F.shape[1]
    best, best_W, best_b, start = np.inf, None, None, None
    for _ in range(num_candidates):
        W = scale * rng.standard_normal((C, D))
        b = 0.5 * scale * rng.standard_normal(C)
        value = loss_and_grad(loss, W, b, F, y, reg, delta=delta)[0]
        if start is None:
            start, W0, b0 = value, W, b
        if value < best:
            best, best_W, best_b = value, W, b
    run = train(loss, W0, b0, X, y, reg=reg, transform_name=transform_name, optimizer=optimizer,
                step_size=step_size, steps=num_candidates, delta=delta)
    descent = loss_and_grad(loss, run["W"], run["b"], F, y, reg, delta=delta)[0]
    return {"random_search_loss": float(best), "random_search_W": best_W,
            "random_search_b": best_b, "descent_loss": float(descent), "descent_W": run["W"],
            "descent_b": run["b"], "start_loss": float(start), "descent_finite": run["finite"]}
