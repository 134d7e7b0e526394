"""k-means clustering with a C/OpenMP core: fused Lloyd steps and a fast k-means++.

:class:`KMeans` follows scikit-learn's ``sklearn.cluster.KMeans`` (Lloyd's algorithm): the same
parameters (``n_clusters``, ``init``, ``max_iter``, ``tol``, ``n_init``, ``random_state``) and
fitted attributes (``cluster_centers_``, ``labels_``, ``inertia_``, ``n_iter_``). Each Lloyd step
is one pass over the data: distances by register-tiled dot products, fused with the arg-min and
the centroid sums, so the n x k distance matrix is never held. float32 data stay float32.

Differences from scikit-learn: the data are not centred before clustering (no copy of X);
random numbers come from fastlin's PCG32 stream seeded by ``random_state`` (same seed, same
result, for any thread count), not from NumPy's global state.
"""

import math
import numbers

import numpy as np

from .._ext import _bow
from .._validation import (check_float_array, check_int, check_num_threads, random_seed,
                          random_state_rng, rows_in_place)

__all__ = ["KMeans", "kmeans_plusplus", "lloyd_step"]

from .._sklearn import BaseEstimator as _Base
from .._sklearn import ClusterMixin as _ClusterMixin
from .._sklearn import TransformerMixin as _TransformerMixin


def _check_data(X, name="X", dtype=None):
    """X as a finite float32/float64 2-D array whose rows are contiguous (read in place)."""
    a = np.asarray(X)
    if a.dtype.kind in "biu":
        a = a.astype(np.float64 if dtype is None else dtype)
    a = check_float_array(a, name, 2, dtype)
    if a.shape[0] < 1 or a.shape[1] < 1:
        raise ValueError(f"{name} must have at least one row and one column, got shape {a.shape}")
    a = rows_in_place(a)
    if not np.isfinite(a).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    return a


def kmeans_plusplus(X, n_clusters, *, n_local_trials=None, random_state=None, num_threads=None):
    """Greedy k-means++ seeding (scikit-learn's ``kmeans_plusplus``), in C.

    Returns ``(centers, indices)``: the chosen rows of X (X's dtype) and their indices (intp).
    ``n_local_trials`` defaults to ``2 + int(log(n_clusters))``.
    """
    X = _check_data(X)
    n = X.shape[0]
    k = check_int(n_clusters, "n_clusters", 1)
    if k > n:
        raise ValueError(f"n_clusters={k} must be <= the number of samples ({n})")
    if n >= 2**32:
        raise ValueError(f"k-means++ takes fewer than 2**32 samples, got {n}")
    if n_local_trials is None:
        n_local_trials = 2 + int(math.log(k))
    trials = check_int(n_local_trials, "n_local_trials", 1, 64)
    nt = check_num_threads(num_threads)
    idx = np.empty(k, dtype=np.int64)
    _bow.kmeans_plusplus(X, k, trials, random_seed(random_state), nt, idx)
    idx = idx.astype(np.intp)
    return X[idx].copy(), idx


def lloyd_step(X, centers, *, num_threads=None, return_distances=False):
    """One fused Lloyd step: ``(labels, sums, counts, inertia)`` for the given centres.

    labels (intp, first nearest centre), per-cluster sums of the rows (float64, (k, D)),
    counts (int64) and the inertia (sum of squared distances to the nearest centre). With
    ``return_distances`` the squared distances (X's dtype) are appended.
    """
    X = _check_data(X)
    C = np.ascontiguousarray(check_float_array(centers, "centers", 2, X.dtype))
    if C.shape[1] != X.shape[1] or C.shape[0] < 1:
        raise ValueError(f"centers must have shape (k >= 1, {X.shape[1]}), got {C.shape}")
    if not np.isfinite(C).all():
        raise ValueError("centers holds NaN or infinite values")
    return _lloyd(X, C, check_num_threads(num_threads), True, return_distances)


def _lloyd(X, C, nt, with_sums, with_dist):
    n, K = X.shape[0], C.shape[0]
    labels = np.empty(n, dtype=np.int64)
    mind = np.empty(n, dtype=X.dtype) if with_dist else None
    sums = np.empty((K, X.shape[1]), dtype=np.float64) if with_sums else None
    counts = np.empty(K, dtype=np.int64) if with_sums else None
    inertia = _bow.kmeans_assign(X, C, nt, labels, mind, sums, counts)
    out = (labels.astype(np.intp, copy=False),)
    if with_sums:
        out += (sums, counts)
    out += (inertia,)
    if with_dist:
        out += (mind,)
    return out


def _tolerance(X, tol):
    """tol scaled by the mean variance of the features (scikit-learn's convention), in chunks."""
    if tol == 0:
        return 0.0
    n = X.shape[0]
    s = np.zeros(X.shape[1])
    s2 = np.zeros(X.shape[1])
    for i in range(0, n, 65536):
        b = X[i:i + 65536].astype(np.float64)
        s += b.sum(0)
        s2 += (b * b).sum(0)
    var = np.maximum(s2 / n - (s / n) ** 2, 0)
    return float(var.mean() * tol)


class KMeans(_ClusterMixin, _TransformerMixin, _Base):
    """k-means clustering by Lloyd's algorithm with fused C/OpenMP steps.

    Parameters
    ----------
    n_clusters : int, default 8
    init : {'k-means++', 'random'} or array (n_clusters, n_features), default 'k-means++'
        'k-means++': greedy k-means++ (:func:`kmeans_plusplus`); 'random': n_clusters distinct
        rows chosen at random; an array: the initial centres.
    max_iter : int, default 300
        Maximum number of Lloyd steps per run.
    tol : float, default 1e-4
        Stop when the squared shift of the centres (summed) is at most tol times the mean
        feature variance, or when no label changes.
    n_init : int, default 1
        Runs from different seeds; the one with the lowest inertia is kept.
    random_state : None, int, RandomState or Generator
    num_threads : int or None
        OpenMP threads (None: OpenMP's default, which honours ``OMP_NUM_THREADS``).
    verbose : int, default 0
        Print the inertia after every step.

    Attributes
    ----------
    cluster_centers_ (n_clusters, n_features), labels_ (n,), inertia_, n_iter_,
    n_features_in_.

    Empty clusters are moved to the points farthest from their centres (as scikit-learn does).
    """


    def __init__(self, n_clusters=8, *, init="k-means++", max_iter=300, tol=1e-4, n_init=1,
                 random_state=None, num_threads=None, verbose=0):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.n_init = n_init
        self.random_state = random_state
        self.num_threads = num_threads
        self.verbose = verbose

    # -- helpers ------------------------------------------------------------------------------
    def _check_params(self, X):
        n = X.shape[0]
        k = check_int(self.n_clusters, "n_clusters", 1)
        if k > n:
            raise ValueError(f"n_samples={n} should be >= n_clusters={k}")
        check_int(self.max_iter, "max_iter", 1)
        check_int(self.n_init, "n_init", 1)
        if isinstance(self.tol, (bool, np.bool_)) or not isinstance(self.tol, numbers.Real) \
                or not self.tol >= 0 or not math.isfinite(self.tol):
            raise ValueError(f"tol must be a finite number >= 0, got {self.tol!r}")
        init = self.init
        if isinstance(init, str):
            if init not in ("k-means++", "random"):
                raise ValueError(f"init must be 'k-means++', 'random' or an array of shape "
                                 f"(n_clusters, n_features), got {init!r}")
        else:
            init = np.ascontiguousarray(check_float_array(init, "init", 2).astype(X.dtype))
            if init.shape != (k, X.shape[1]):
                raise ValueError(f"init must have shape ({k}, {X.shape[1]}), got {init.shape}")
            if not np.isfinite(init).all():
                raise ValueError("init holds NaN or infinite values")
        return k, init

    def _init_centers(self, X, k, init, rng, nt):
        if isinstance(init, np.ndarray):
            return init.copy()
        if init == "random":
            idx = rng.choice(X.shape[0], size=k, replace=False)
            return X[np.sort(idx)].copy()
        idx = np.empty(k, dtype=np.int64)
        _bow.kmeans_plusplus(X, k, 2 + int(math.log(k)), random_seed(rng), nt, idx)
        return X[idx].copy()

    def _run(self, X, centers, tol, nt, callback=None):
        labels_old = None
        strict = False
        for it in range(self.max_iter):
            labels, sums, counts, inertia, mind = _lloyd(X, centers, nt, True, True)
            new = _relocate_and_divide(X, sums, counts, labels, mind, centers)
            shift = float(((new - centers.astype(np.float64)) ** 2).sum())
            centers = new.astype(X.dtype)
            if self.verbose:
                print(f"Iteration {it}, inertia {inertia:.6g}, centre shift {shift:.6g}")
            if callback is not None:
                callback(it, inertia, shift)
            if labels_old is not None and np.array_equal(labels, labels_old):
                strict = True
                break
            labels_old = labels
            if shift <= tol:
                break
        if not strict:
            labels, inertia = _lloyd(X, centers, nt, False, False)
        else:
            inertia = _lloyd(X, centers, nt, False, False)[1]
        return centers, labels, inertia, it + 1

    # -- public API -------------------------------------------------------------------------
    def fit(self, X, y=None, *, callback=None):
        """Cluster X (n, D). ``callback(iteration, inertia, shift)``, if given, is called after
        every Lloyd step (e.g. to drive a progress bar)."""
        X = _check_data(X)
        k, init = self._check_params(X)
        nt = check_num_threads(self.num_threads)
        rng = random_state_rng(self.random_state)
        tol = _tolerance(X, float(self.tol))
        n_init = self.n_init if not isinstance(init, np.ndarray) else 1
        best = None
        for _ in range(n_init):
            c0 = self._init_centers(X, k, init, rng, nt)
            res = self._run(X, c0, tol, nt, callback)
            if best is None or res[2] < best[2]:
                best = res
        self.cluster_centers_, self.labels_, self.inertia_, self.n_iter_ = best
        self.n_features_in_ = X.shape[1]
        return self

    def _check_fitted_X(self, X):
        if not hasattr(self, "cluster_centers_"):
            try:
                from sklearn.exceptions import NotFittedError
            except ImportError:  # pragma: no cover
                NotFittedError = AttributeError
            raise NotFittedError("This KMeans instance is not fitted yet; call fit first")
        X = _check_data(X, dtype=self.cluster_centers_.dtype)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but KMeans was fitted with "
                             f"{self.n_features_in_}")
        C = self.cluster_centers_
        if C.dtype != X.dtype:
            C = C.astype(X.dtype)
        return X, np.ascontiguousarray(C)

    def predict(self, X):
        """Index of the nearest centre of each row (first on ties)."""
        X, C = self._check_fitted_X(X)
        return _lloyd(X, C, check_num_threads(self.num_threads), False, False)[0]

    def transform(self, X):
        """Euclidean distances (n, n_clusters) to the centres."""
        X, C = self._check_fitted_X(X)
        d2 = (np.einsum("ij,ij->i", X, X)[:, None] - 2 * (X @ C.T)
              + np.einsum("ij,ij->i", C, C)[None, :])
        return np.sqrt(np.maximum(d2, 0, out=d2), out=d2)

    def score(self, X, y=None):
        """Minus the inertia of X on the fitted centres."""
        X, C = self._check_fitted_X(X)
        return -_lloyd(X, C, check_num_threads(self.num_threads), False, False)[1]


def _relocate_and_divide(X, sums, counts, labels, mind, centers):
    """New centres sums / counts (float64); each empty cluster takes one of the points
    farthest from their centre, which leaves its old cluster (scikit-learn's rule)."""
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        far = np.argpartition(-mind.astype(np.float64), empty.size - 1)[:empty.size]
        far = far[np.argsort(-mind[far], kind="stable")]
        for e, i in zip(empty, far):
            x = X[i].astype(np.float64)
            old = labels[i]
            if counts[old] > 1:
                sums[old] -= x
                counts[old] -= 1
            sums[e] = x
            counts[e] = 1
    new = sums / np.maximum(counts, 1)[:, None]
    still = counts == 0
    if still.any():  # fewer distinct points than clusters: keep the old centre
        new[still] = centers[still]
    return new
