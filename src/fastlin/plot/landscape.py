"""Slices of a linear classifier's loss around its weights (Li et al. 2018, "Visualizing the
Loss Landscape of Neural Nets"), computed with the fused loss kernels."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import numpy as np

from ..losses import softmax_loss, svm_loss
from ._common import check_choice, check_int, check_real, final_estimator, new_axes

__all__ = ["loss_landscape", "landscape_grid", "landscape_directions", "pca_directions",
           "Landscape"]

_KERNELS = {"svm": svm_loss, "softmax": softmax_loss,
            "one_vs_all": partial(svm_loss, multi_class="one_vs_all"),
            "crammer_singer": partial(svm_loss, multi_class="crammer_singer"),
            "svm_squared": partial(svm_loss, loss="squared_hinge"),
            "one_vs_all_squared": partial(svm_loss, multi_class="one_vs_all", loss="squared_hinge"),
            "crammer_singer_squared": partial(svm_loss, multi_class="crammer_singer",
                                              loss="squared_hinge")}
# a LinearSVM's multi_class -> the loss drawn (with "_squared" for loss="squared_hinge")
_SVM_LOSS = {"weston_watkins": "svm", "one_vs_all": "one_vs_all", "ovr": "one_vs_all",
             "crammer_singer": "crammer_singer"}


class Landscape(NamedTuple):
    alphas: np.ndarray  #: (n,) steps along the first direction
    betas: np.ndarray  #: (m,) steps along the second direction ((1,) zeros for a 1-D slice)
    losses: np.ndarray  #: (m, n) float64, loss at ``W + alphas[j] * d1 + betas[i] * d2``
    d1: np.ndarray  #: (D, C) first direction
    d2: np.ndarray  #: (D, C) second direction (zeros for a 1-D slice)


def _weights(est_or_W, X):
    est = final_estimator(est_or_W)
    if hasattr(est, "coef_"):
        W = np.asarray(est.coef_).T
        b = getattr(est, "intercept_", None)
        svm = _SVM_LOSS.get(getattr(est, "multi_class", "weston_watkins"))
        if svm and getattr(est, "loss", "hinge") == "squared_hinge":
            svm += "_squared"
        kind = {"svm": svm, "softmax": "softmax"}.get(getattr(est, "_kind", None))
        reg = getattr(est, "reg", None)
    else:
        W, b, kind, reg = np.asarray(est_or_W), None, None, None
    if W.ndim != 2 or W.dtype.kind != "f":
        raise ValueError(f"est_or_W must be a fitted estimator or a float (D, C) array, got "
                         f"shape {W.shape} dtype {W.dtype}")
    if W.shape[0] != X.shape[1]:
        raise ValueError(f"est_or_W: weights of shape {W.shape} do not match X with "
                         f"{X.shape[1]} features")
    return np.ascontiguousarray(W, dtype=X.dtype), b, kind, reg


def landscape_directions(W, directions="filter_normalized", *, random_state=None):
    """Two random directions (D, C) in weight space, scaled to W.

    "random": Gaussian, scaled to the Frobenius norm of W; "filter_normalized" (Li et al.): each
    class column (the "filter" of a linear classifier) scaled to the norm of W's column. For
    W = 0 the directions keep unit-variance entries.
    """
    check_choice(directions, "directions", ("random", "filter_normalized"))
    W = np.asarray(W)
    rng = np.random.default_rng(random_state)
    out = []
    for _ in range(2):
        d = rng.standard_normal(W.shape)
        if directions == "random":
            nw = np.linalg.norm(W)
            if nw > 0:
                d *= nw / np.linalg.norm(d)
        else:
            nw = np.linalg.norm(W, axis=0)
            nd = np.linalg.norm(d, axis=0)
            d *= np.where(nw > 0, nw / nd, 1.0)
        out.append(d.astype(W.dtype))
    return out[0], out[1]


def landscape_grid(est_or_W, X, y, *, loss=None, reg=None, directions="filter_normalized",
                   kind="2d", span=1.0, resolution=31, b=None, random_state=0,
                   num_threads=None) -> Landscape:
    """Losses on a line or a square grid of weights ``W + a d1 + b d2``, a and b in [-span, span].

    The data are read once: the scores of the centre and of both directions,
    ``X @ [W, d1, d2]`` (N, 3C), are computed in one product, and the fused kernel then gives the
    data loss of every grid point from these projected scores (weights ``[I; a I; b I]``), so the
    sweep costs one pass over X whatever the resolution. The L2 term ``reg * ||W + a d1 + b d2||^2``
    is added in closed form. ``directions`` may also be a pair of (D, C) arrays.
    Parameters as :func:`loss_landscape`.
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype.kind != "f":
        raise ValueError(f"X must be a 2-D float32/float64 array, got {X.dtype} {X.shape}")
    W, b_est, kind_est, reg_est = _weights(est_or_W, X)
    loss = loss or kind_est or "softmax"
    kernel = _KERNELS[check_choice(loss, "loss", tuple(_KERNELS))]
    reg = check_real(reg if reg is not None else (reg_est or 0.0), "reg", minimum=0.0)
    check_choice(kind, "kind", ("1d", "2d"))
    span = check_real(span, "span", minimum=0.0, strict=True)
    n = check_int(resolution, "resolution", 2)
    b = b if b is not None else b_est
    y = np.asarray(y)
    if y.shape != (X.shape[0],) or y.dtype.kind not in "iu":
        raise ValueError(f"y must hold ({X.shape[0]},) integer class indices, got {y.dtype} {y.shape}")
    if isinstance(directions, str):
        d1, d2 = landscape_directions(W, directions, random_state=random_state)
    else:
        try:
            d1, d2 = (np.asarray(d, dtype=X.dtype) for d in directions)
        except (TypeError, ValueError):
            raise TypeError("directions must be 'random', 'filter_normalized' or a pair of "
                            "(D, C) arrays") from None
        if d1.shape != W.shape or d2.shape != W.shape:
            raise ValueError(f"directions must be arrays of W's shape {W.shape}, got "
                             f"{d1.shape} and {d2.shape}")
    if kind == "1d":
        d2 = np.zeros_like(W)
    C = W.shape[1]
    S = X @ np.hstack([W, d1, d2])  # (N, 3C): one pass over X
    bias = None
    if b is not None:
        bias = np.asarray(b, dtype=X.dtype)
        if bias.shape != (C,):
            raise ValueError(f"b must have shape ({C},), got {bias.shape}")
    nt = 1 if num_threads is None else num_threads  # each call reads only S: tiny
    alphas = np.linspace(-span, span, n)
    betas = alphas.copy() if kind == "2d" else np.zeros(1)
    eye = np.eye(C, dtype=X.dtype)
    P = np.vstack([eye, eye, eye])  # (3C, C); its lower blocks are scaled per grid point
    ww, w1, w2 = (float(np.vdot(p, q)) for p, q in ((W, W), (W, d1), (W, d2)))
    g11, g12, g22 = (float(np.vdot(p, q)) for p, q in ((d1, d1), (d1, d2), (d2, d2)))
    losses = np.empty((betas.size, alphas.size))
    for i, beta in enumerate(betas):
        P[2 * C:] = beta * eye
        for j, alpha in enumerate(alphas):
            P[C:2 * C] = alpha * eye
            out = kernel(P, S, y, 0.0, b=bias, num_threads=nt)
            norm2 = (ww + 2 * alpha * w1 + 2 * beta * w2 + alpha * alpha * g11
                     + 2 * alpha * beta * g12 + beta * beta * g22)
            losses[i, j] = out[0] + reg * norm2
    return Landscape(alphas, betas, losses, d1, d2)


def _path_array(path, W):
    try:
        P = np.asarray(path, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("path must be a sequence of (D, C) weight arrays") from None
    if P.ndim != 3 or P.shape[1:] != W.shape:
        raise ValueError(f"path must be a sequence of arrays of W's shape {W.shape}, got {P.shape}")
    return P


def pca_directions(path, W):
    """The two principal directions of the iterates' offsets ``path[t] - W`` (Li et al. 2018,
    section 7), each scaled so that the path's coordinates along it span [-1, 1] at most."""
    W = np.asarray(W)
    P = _path_array(path, W)
    if len(P) < 2:
        raise ValueError("path must hold at least 2 iterates for directions='pca'")
    R = (P - W).reshape(len(P), -1)
    Rc = R - R.mean(axis=0)
    # principal directions from the small (T, T) Gram matrix: v_k = Rc^T u_k / |Rc^T u_k|
    e, U = np.linalg.eigh(Rc @ Rc.T)
    out = []
    for k in range(2):
        v = Rc.T @ U[:, -1 - k] if e[-1 - k] > 1e-12 * max(e[-1], 1e-300) else np.zeros(R.shape[1])
        nv = np.linalg.norm(v)
        v = v / nv if nv > 0 else v
        extent = np.abs(R @ v).max()
        out.append((v * (extent if extent > 0 else 1.0)).reshape(W.shape).astype(W.dtype))
    return out[0], out[1]


def _project(path, W, d1, d2):
    """Coordinates (T, 2) of the weights in ``path`` on the plane W + a d1 + b d2 (least squares)."""
    P = _path_array(path, W)
    A = np.stack([d1.ravel(), d2.ravel()], axis=1).astype(np.float64)
    R = (P - W).reshape(len(P), -1).T
    coef = np.linalg.lstsq(A, R, rcond=None)[0]
    return coef.T


def loss_landscape(est_or_W, X, y, *, loss=None, reg=None, directions="filter_normalized",
                   kind="2d", span=1.0, resolution=31, path=None, levels=15, b=None,
                   random_state=0, num_threads=None, ax=None):
    """Draw the loss around W along random directions: a curve (``kind="1d"``) or a map with
    contour lines (``kind="2d"``), red where the loss is low, blue where it is high.

    Parameters
    ----------
    est_or_W : fitted LinearSVM/Softmax (or Pipeline ending in one), or W (D, C) float array
        The centre of the slice (an estimator's ``intercept_`` is kept fixed as the bias).
    X : (N, D) float32/float64
        The data the loss is measured on (pass the data after the Pipeline's transformers).
    y : (N,) int
        Class indices in [0, C).
    loss : {"svm", "one_vs_all", "crammer_singer", "softmax"} or an SVM one + "_squared"
        (the squared hinge), default the estimator's, else "softmax" ("svm": Weston-Watkins;
        see :func:`fastlin.svm_loss`)
    reg : float >= 0, default the estimator's ``reg``, else 0
    directions : "random", "filter_normalized", "pca" or a pair of (D, C) arrays
        See :func:`landscape_directions`; "pca" (needs ``path``): the two principal directions
        of the path's offsets from W (Li et al., section 7), scaled so that the path spans
        [-1, 1] along them (:func:`pca_directions`).
    kind : {"1d", "2d"}
    span : float > 0
        The slice covers steps a, b in [-span, span] along each direction.
    resolution : int >= 2
        Points per axis.
    path : sequence of (D, C) arrays, optional (2-D only)
        An optimizer's iterates, projected on the plane (least squares) and drawn as a line.
    levels : int >= 1
        Contour lines (2-D).
    b : (C,) array, optional
        Bias (default: the estimator's ``intercept_``, else none).
    random_state : int, optional
        Seed of the random directions.
    num_threads : int, optional
        Threads of each grid point's kernel call (default 1: a call reads only the (N, 3C)
        projected scores, too little work to share).
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : Axes
        1-D: ``ax.lines[0]`` is the loss along d1. 2-D: ``ax.collections[0]`` is the colour
        mesh of the loss grid (``get_array()``, shape (resolution, resolution), rows along d2),
        then the contour lines; the path (if any) is the last line. ``ax.landscape`` holds the
        :class:`Landscape` that was drawn.
    """
    if path is not None and kind != "2d":
        raise ValueError("path can only be drawn on a 2-D landscape (kind='2d')")
    levels = check_int(levels, "levels", 1)
    if isinstance(directions, str) and directions == "pca":
        if path is None:
            raise ValueError("directions='pca' needs the path of an optimizer (path=...)")
        W, *_ = _weights(est_or_W, np.asarray(X))
        directions = pca_directions(path, W)
    L = landscape_grid(est_or_W, X, y, loss=loss, reg=reg, directions=directions, kind=kind,
                       span=span, resolution=resolution, b=b, random_state=random_state,
                       num_threads=num_threads)
    ax = new_axes(ax)
    if kind == "1d":
        ax.plot(L.alphas, L.losses[0], color="tab:red", lw=2)
        ax.axvline(0.0, color="0.6", lw=0.8, ls="--")
        ax.set_xlabel("step along a random direction")
        ax.set_ylabel("loss")
    else:
        mesh = ax.pcolormesh(L.alphas, L.betas, L.losses, cmap="RdBu", shading="gouraud")
        ax.contour(L.alphas, L.betas, L.losses, levels=levels, colors="k", linewidths=0.6)
        ax.figure.colorbar(mesh, ax=ax, label="loss")
        ax.plot([0.0], [0.0], "k*", ms=10)
        if path is not None:
            W, *_ = _weights(est_or_W, np.asarray(X))
            xy = _project(path, W, L.d1, L.d2)
            ax.plot(xy[:, 0], xy[:, 1], "w.-", lw=1.5, ms=4)
        ax.set_xlabel("direction 1")
        ax.set_ylabel("direction 2")
        ax.set_aspect("equal")
    ax.landscape = L
    return ax
