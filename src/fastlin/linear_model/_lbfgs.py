"""Full-batch L-BFGS for the linear classifiers.

The objective is the estimators' regularised training loss over all rows,

    f(W, b) = mean_i loss(x_i W + b, y_i) + reg * sum(W**2)

(the bias is not regularised), seen by SciPy's L-BFGS-B as a function of one float64 vector
``w = [W.ravel(), b]`` (W is (D, C) C-order, as the kernels take it). One evaluation of f and its
gradient is one call of the fused loss kernel: one read of X. SciPy is imported on first use.

The same solver drives the distributed fit (:mod:`fastlin._dask`): there, an evaluation sums the
data terms of every chunk (:func:`chunk_sums`) where the chunk lives and adds the regulariser here.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._ext import _loss
from .._validation import aligned, check_num_threads

__all__ = ["FullBatchObjective", "chunk_sums", "fit_lbfgs", "pack", "unpack", "DEFAULT_TOL",
           "DEFAULT_MAX_ITER"]

#: L-BFGS stopping tolerance when ``tol=None``: scikit-learn LogisticRegression's default.
DEFAULT_TOL = 1e-4
#: L-BFGS iterations when ``max_iter=None``.
DEFAULT_MAX_ITER = 300

_KINDS = {"svm": _loss.SVM, "softmax": _loss.SOFTMAX, "svm_one_vs_all": _loss.SVM_ONE_VS_ALL,
          "svm_crammer_singer": _loss.SVM_CRAMMER_SINGER, "svm_squared": _loss.SVM_SQUARED,
          "svm_one_vs_all_squared": _loss.SVM_ONE_VS_ALL_SQUARED,
          "svm_crammer_singer_squared": _loss.SVM_CRAMMER_SINGER_SQUARED}


def _import_minimize():
    try:
        from scipy.optimize import minimize
    except ImportError:  # pragma: no cover - exercised only without SciPy
        raise ImportError("solver='lbfgs' needs SciPy: pip install 'fastlin[lbfgs]' (or scipy)") from None
    return minimize


def pack(W, b):
    """(D, C) weights and (C,) bias (or None) -> the float64 vector L-BFGS works on."""
    w = np.asarray(W, dtype=np.float64).ravel()
    return w if b is None else np.concatenate([w, np.asarray(b, dtype=np.float64)])


def unpack(w, D, C, fit_intercept, dtype):
    """Views (float64) or copies (float32) of W (D, C) and b (C,) or None from the vector w."""
    W = w[:D * C].reshape(D, C)
    b = w[D * C:] if fit_intercept else None
    if dtype != np.float64:
        W = W.astype(dtype)
        b = None if b is None else b.astype(dtype)
    return np.ascontiguousarray(W), b


def chunk_sums(kind, W, b, X, codes, delta, num_threads):
    """Data terms of a block of rows, summed (not averaged): the block's share of an evaluation.

    kind : a key of ``_KINDS`` ("svm", "softmax", "svm_one_vs_all", "svm_crammer_singer", and
    the SVM ones with "_squared");
    W : (D, C), X.dtype;  b : (C,) or None;  X : (n, D) C-contiguous float32/float64;
    codes : (n,) intp in [0, C).
    Returns ``(loss_sum, dW_sum (D, C) float64, db_sum (C,) float64 or None, n)``.
    """
    n = X.shape[0]
    if n == 0:
        C = W.shape[1]
        return 0.0, np.zeros(W.shape), None if b is None else np.zeros(C), 0
    # arrays that came through Dask's serialisation may sit at any address: C reads aligned ones
    W, X, codes = aligned(W), aligned(X), aligned(codes)
    b = None if b is None else aligned(b)
    dW = np.empty(W.shape, dtype=X.dtype)
    db = None if b is None else np.empty(W.shape[1], dtype=X.dtype)
    loss = _loss.loss_grad(_KINDS[kind], W, b, X, None, codes, delta, 0.0, num_threads, dW, db)
    dW = dW.astype(np.float64)
    dW *= n
    if db is not None:
        db = db.astype(np.float64) * n
    return loss * n, dW, db, n


class FullBatchObjective:
    """f(w) and its gradient over in-memory X: one fused kernel call per evaluation.

    X : (N, D) C-contiguous float32/float64 (used in place);  codes : (N,) intp labels in [0, C).
    Calling it with a float64 vector w of length D*C (+ C) returns ``(f, grad)``, grad float64.
    """

    def __init__(self, kind, X, codes, n_classes, reg, *, delta=1.0, fit_intercept=True,
                 num_threads=None):
        self.kind, self.X, self.codes = _KINDS[kind], aligned(X), aligned(codes, np.intp)
        self.D, self.C = X.shape[1], int(n_classes)
        self.reg, self.delta, self.fit_intercept = float(reg), float(delta), bool(fit_intercept)
        self.num_threads = check_num_threads(num_threads)
        self.n_evals = 0

    @property
    def size(self):
        return self.D * self.C + (self.C if self.fit_intercept else 0)

    def __call__(self, w):
        D, C, dt = self.D, self.C, self.X.dtype
        w = np.ascontiguousarray(w, dtype=np.float64)
        W, b = unpack(w, D, C, self.fit_intercept, dt)
        g = np.empty(self.size, dtype=np.float64)
        if dt == np.float64:  # the kernel writes the gradient straight into g
            dW, db = g[:D * C].reshape(D, C), (g[D * C:] if self.fit_intercept else None)
        else:
            dW = np.empty((D, C), dtype=dt)
            db = np.empty(C, dtype=dt) if self.fit_intercept else None
        f = _loss.loss_grad(self.kind, W, b, self.X, None, self.codes, self.delta, self.reg,
                            self.num_threads, dW, db)
        if dt != np.float64:
            g[:D * C] = dW.ravel()
            if db is not None:
                g[D * C:] = db
        self.n_evals += 1
        return f, g


def fit_lbfgs(est, fun, *, X_val=None, y_val=None):
    """Minimise ``fun`` (w -> (f, grad)) from the estimator's current ``_W``/``_b``; write the
    solution, ``n_iter_``, ``t_`` (evaluations) and ``loss_history_`` (f after each iteration)
    back into ``est``. Warns ConvergenceWarning when L-BFGS stops before meeting ``tol``."""
    from ._training import _Progress
    from ._validation import ConvergenceWarning

    minimize = _import_minimize()
    W0, b0 = est._W, est._b
    D, C = W0.shape
    max_iter = DEFAULT_MAX_ITER if est.max_iter is None else int(est.max_iter)
    tol = DEFAULT_TOL if est.tol is None else float(est.tol)
    last = {"f": None, "n": 0}

    def counted(w):
        f, g = fun(w)
        last["f"] = f
        last["n"] += 1
        return f, g

    history = []
    progress = _Progress(est.verbose, max_iter, type(est).__name__)

    def callback(w):
        history.append(float(last["f"]))
        if not est.verbose:
            return
        val_acc = None
        if X_val is not None:
            W, b = unpack(w, D, C, b0 is not None, W0.dtype)
            s = X_val @ W
            if b is not None:
                s += b
            val_acc = float(np.mean(np.argmax(s, axis=1) == y_val))
        progress.update(len(history), history[-1], val_acc)

    try:
        res = minimize(counted, pack(W0, b0), method="L-BFGS-B", jac=True, callback=callback,
                       options={"maxiter": max_iter, "maxls": 50, "gtol": tol,
                                "ftol": 64 * np.finfo(float).eps})
    finally:
        progress.close()
    W, b = unpack(np.asarray(res.x, dtype=np.float64), D, C, b0 is not None, W0.dtype)
    est._W[...] = W
    if b0 is not None:
        est._b[...] = b
    est._publish()
    est.n_iter_ = int(res.nit)
    est.t_ = last["n"]
    est.loss_history_ = history
    est.objective_ = float(res.fun)
    if res.status != 0:
        msg = res.message.decode() if isinstance(res.message, bytes) else str(res.message)
        warnings.warn(
            f"{type(est).__name__}: lbfgs failed to converge after {res.nit} iterations "
            f"(status={res.status}): {msg}. Increase max_iter, or scale the data "
            "(e.g. StandardScaler)" + (
                "; the hinge loss is not smooth, so L-BFGS may stop in a kink before tol is met "
                "(loss='squared_hinge' is smooth)"
                if getattr(est, "_kind", None) == "svm" and getattr(est, "loss", None) == "hinge"
                else ""),
            ConvergenceWarning,
        )
    return res
