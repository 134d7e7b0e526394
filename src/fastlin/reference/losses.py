"""NumPy references of the loss kernels: multiclass SVM (Weston-Watkins, One-vs-All and
Crammer-Singer hinges, plain or squared) and softmax cross-entropy, each as the course's loop version
(``*_naive``) and vectorized version.

All take ``(W, X, y, reg)`` plus the optional unregularised bias ``b`` and row selection
``idx`` of :mod:`fastlin.losses`, and return ``(loss, dW)`` or ``(loss, dW, db)`` when ``b``
is given. Computation happens in X's dtype.
"""

import numpy as np

__all__ = ["svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
           "softmax_loss_vectorized"]


def _select(X, y, idx):
    if idx is None:
        return X, np.asarray(y)
    idx = np.asarray(idx)
    return X[idx], np.asarray(y)[idx]


def _finish(loss, dW, db, W, reg, b):
    loss = float(loss) + reg * float(np.sum(W * W))
    dW = dW + 2 * reg * W
    return (loss, dW, db) if b is not None else (loss, dW)


# -- loss kernels ------------------------------------------------------------

_MULTI_CLASS = {"weston_watkins": "weston_watkins", "one_vs_all": "one_vs_all",
                "ovr": "one_vs_all", "crammer_singer": "crammer_singer"}


def _multi_class(name):
    if name not in _MULTI_CLASS:
        raise ValueError(f"multi_class must be one of {tuple(_MULTI_CLASS)}, got {name!r}")
    return _MULTI_CLASS[name]


def _squared(loss):
    if loss not in ("hinge", "squared_hinge"):
        raise ValueError(f"loss must be 'hinge' or 'squared_hinge', got {loss!r}")
    return loss == "squared_hinge"


def svm_loss_naive(W, X, y, reg=0.0, *, delta=1.0, b=None, idx=None,
                   multi_class="weston_watkins", loss="hinge"):
    """Multiclass SVM loss with explicit loops. W (D, C), X (N, D), y (N,).

    ``multi_class``: ``"weston_watkins"`` (sum of the hinges of the wrong classes),
    ``"one_vs_all"`` (a binary hinge per class) or ``"crammer_singer"`` (the hinge of the
    highest-scoring wrong class, the lowest index at ties), as :func:`fastlin.svm_loss`
    defines them; ``loss="squared_hinge"`` squares every hinge. A hinge at exactly 0 is
    inactive; a NaN hinge makes the loss NaN.
    """
    multi_class = _multi_class(multi_class)
    squared = _squared(loss)
    X, y = _select(X, y, idx)
    n, C = X.shape[0], W.shape[1]
    dW = np.zeros_like(W)
    db = np.zeros(C, dtype=W.dtype) if b is not None else None
    loss = 0.0
    for i in range(n):
        scores = X[i].dot(W)
        if b is not None:
            scores = scores + b
        correct = scores[y[i]]
        if multi_class == "one_vs_all":
            for j in range(C):
                t = 1 if j == y[i] else -1
                margin = delta - t * scores[j]
                if margin > 0:
                    g = 2 * margin if squared else 1  # d(hinge)/d(margin)
                    loss += margin * margin if squared else margin
                    dW[:, j] -= g * t * X[i]
                    if b is not None:
                        db[j] -= g * t
                elif np.isnan(margin):
                    loss += margin
            continue
        if multi_class == "crammer_singer":
            if np.isnan(scores).any():
                loss += np.nan
                continue
            k = None
            for j in range(C):
                if j != y[i] and (k is None or scores[j] > scores[k]):
                    k = j
            wrong = [] if k is None else [k]
        else:
            wrong = [j for j in range(C) if j != y[i]]
        for j in wrong:
            margin = scores[j] - correct + delta
            if margin > 0:
                g = 2 * margin if squared else 1  # d(hinge)/d(margin)
                loss += margin * margin if squared else margin
                dW[:, j] += g * X[i]
                dW[:, y[i]] -= g * X[i]
                if b is not None:
                    db[j] += g
                    db[y[i]] -= g
            elif np.isnan(margin):
                loss += margin
    loss /= n
    dW /= n
    if b is not None:
        db /= n
    return _finish(loss, dW, db, W, reg, b)


def svm_loss_vectorized(W, X, y, reg=0.0, *, delta=1.0, b=None, idx=None,
                        multi_class="weston_watkins", loss="hinge"):
    """Multiclass SVM loss, vectorized. Same results as :func:`svm_loss_naive`."""
    multi_class = _multi_class(multi_class)
    squared = _squared(loss)
    X, y = _select(X, y, idx)
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    if b is not None:
        scores = scores + b
    delta = np.asarray(delta, dtype=scores.dtype)
    if multi_class == "one_vs_all":
        t = np.where(np.arange(W.shape[1]) == y[:, None], 1, -1).astype(scores.dtype)
        margins = delta - t * scores
        positive = margins > 0
        h, dh = _hinge(margins, positive, squared)
        loss = np.sum(h) / n
        G = -t * dh / n
    elif multi_class == "crammer_singer":
        wrong = scores.copy()
        wrong[rows, y] = -np.inf
        k = np.argmax(np.where(np.isnan(wrong), -np.inf, wrong), axis=1)  # first of the largest
        margins = wrong[rows, k] - scores[rows, y] + delta
        margins[np.isnan(scores).any(axis=1)] = np.nan
        positive = margins > 0
        h, dh = _hinge(margins, positive, squared)
        loss = np.sum(h) / n
        G = np.zeros_like(scores)
        G[rows[positive], k[positive]] = dh[positive]
        G[rows[positive], y[positive]] = -dh[positive]
        G /= n
    else:
        margins = scores - scores[rows, y][:, None] + delta
        margins[rows, y] = 0
        positive = margins > 0
        h, dh = _hinge(margins, positive, squared)
        loss = np.sum(h) / n
        G = dh.astype(X.dtype)
        G[rows, y] = -G.sum(axis=1)
        G /= n
    db = G.sum(axis=0) if b is not None else None
    return _finish(loss, X.T @ G, db, W, reg, b)


def _hinge(margins, positive, squared):
    """The hinges of the margins (NaN kept) and their derivatives (0 where inactive)."""
    m = np.where(positive | np.isnan(margins), margins, 0)
    return (m * m, 2 * np.where(positive, m, 0)) if squared else (m, positive.astype(m.dtype))


def softmax_loss_naive(W, X, y, reg=0.0, *, b=None, idx=None):
    """Softmax cross-entropy with explicit loops. W (D, C), X (N, D), y (N,)."""
    X, y = _select(X, y, idx)
    n, C = X.shape[0], W.shape[1]
    dW = np.zeros_like(W)
    db = np.zeros(C, dtype=W.dtype) if b is not None else None
    loss = 0.0
    for i in range(n):
        scores = X[i].dot(W)
        if b is not None:
            scores = scores + b
        scores = scores - np.max(scores)
        expo = np.exp(scores.astype(np.float64))
        total = expo.sum()
        loss += np.log(total) - scores[y[i]]
        for j in range(C):
            p = expo[j] / total - (j == y[i])
            dW[:, j] += p * X[i]
            if b is not None:
                db[j] += p
    loss /= n
    dW /= n
    if b is not None:
        db /= n
    return _finish(loss, dW, db, W, reg, b)


def softmax_loss_vectorized(W, X, y, reg=0.0, *, b=None, idx=None):
    """Softmax cross-entropy, vectorized. Same results as :func:`softmax_loss_naive`."""
    X, y = _select(X, y, idx)
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    if b is not None:
        scores = scores + b
    scores = scores - scores.max(axis=1, keepdims=True)
    expo = np.exp(scores)
    total = expo.sum(axis=1, keepdims=True)
    loss = np.sum(np.log(total[:, 0]) - scores[rows, y]) / n
    G = expo / total
    G[rows, y] -= 1
    G /= n
    db = G.sum(axis=0) if b is not None else None
    return _finish(loss, X.T @ G, db, W, reg, b)
