"""Dask arrays in and out of fastlin's estimators and transformers (Dask is an optional extra).

Training (``LinearSVM``/``Softmax`` ``fit`` on a dask array X chunked by rows):

* ``solver="lbfgs"``: each chunk of X (in the training dtype) and its label codes are persisted
  as one key where they are computed. Each L-BFGS function evaluation sends the weights to the workers, runs the fused loss
  kernel on every chunk where the chunk lives (:func:`fastlin.linear_model._lbfgs.chunk_sums`: the chunk's
  summed loss and gradient), adds the partial sums up a tree (``split_every`` at a time, on the
  workers), and brings one (D, C) gradient back to the client, where SciPy's L-BFGS-B runs.
  Between client and workers only the weights and gradients travel, never rows of X (Dask's
  work stealing may still copy a chunk from one worker to an idle one). The result is the in-memory fit's, up to
  the rounding of a different summation order.
* ``solver="sgd"``: one epoch visits the chunks in a random order (seeded by ``random_state``);
  the estimator (weights and optimizer state) travels to the worker holding the next chunk and
  runs minibatch epochs' worth of updates over that chunk's rows in a shuffled order there, as
  dask-ml's ``Incremental`` does with ``partial_fit``. Minibatches never straddle chunks, and the
  workers take turns (one chunk at a time), so it is not the in-memory fit, and not parallel:
  prefer "lbfgs" on a cluster. ``tol`` stops on the epoch's mean minibatch loss;
  ``early_stopping`` and ``X_val`` are not supported with a dask X.

Prediction and transformation (``predict``, ``predict_proba``, ``predict_log_proba``,
``decision_function``, the transformers' ``transform``) on a dask array return a lazy dask array
with the input's row chunks (``map_blocks``); ``score`` returns a float, computed from per-chunk
counts.

Threads: the kernels on a worker use ``num_threads`` threads (None: OpenMP's default). Dask's
distributed nanny starts worker processes with ``OMP_NUM_THREADS=1`` (its
``distributed.nanny.pre-spawn-environ`` setting), so by default every task runs the kernels on one
thread and a worker runs ``nthreads`` such tasks at once: no oversubscription. To give the kernels
k threads each, start workers with ``nthreads=1`` and pass ``num_threads=k``.
"""

from __future__ import annotations

import time

import numpy as np

from .._dask import _dask, _rows, is_dask_collection, tree_reduce

__all__ = ["fit_dask", "score", "DaskObjective"]

#: the weights travel inside every chunk task while W.nbytes * chunks stays below this; above,
#: as one shared key that each worker fetches once
INLINE_BYTES = 32 << 20


def _pack(X, y, dtype):
    """One chunk's rows and labels as one object (one key: they always live on one worker)."""
    return np.ascontiguousarray(X, dtype=dtype), np.asarray(y)


def _block_stats(pack):
    """Per chunk: its labels, whether X is finite, its row count (small, goes to the client)."""
    X, y = pack
    return np.unique(y), bool(np.isfinite(X).all()), X.shape[0]


def _encode_pack(pack, classes):
    X, y = pack
    return X, np.searchsorted(classes, y).astype(np.intp)


def _add(*parts):
    loss, dW, db, n = parts[0]
    dW = dW.copy()
    db = None if db is None else db.copy()
    for l2, dW2, db2, n2 in parts[1:]:
        loss += l2
        dW += dW2
        if db is not None:
            db += db2
        n += n2
    return loss, dW, db, n


def _pack_sums(kind, W, b, pack, delta, num_threads):
    from ._lbfgs import chunk_sums

    return chunk_sums(kind, W, b, pack[0], pack[1], delta, num_threads)


class DaskObjective:
    """The full objective over a persisted dask X: chunk sums on the workers, tree-reduced.

    Called with the float64 vector w (as :class:`fastlin.linear_model._lbfgs.FullBatchObjective`), returns
    ``(f, grad)``; only w goes out and one (D*C + C) gradient comes back per call.
    """

    def __init__(self, kind, packs, n_samples, n_features, n_classes, dtype, reg, *, delta=1.0,
                 fit_intercept=True, num_threads=None):
        self.dask = _dask()[0]
        self.kind, self.n, self.D, self.C = kind, int(n_samples), int(n_features), int(n_classes)
        self.dtype = np.dtype(dtype)
        self.reg, self.delta, self.fit_intercept = float(reg), float(delta), bool(fit_intercept)
        from .._validation import check_num_threads

        self.num_threads = check_num_threads(num_threads)
        self.packs = packs
        self.n_evals = 0

    def __call__(self, w):
        from ._lbfgs import unpack

        dask, D, C = self.dask, self.D, self.C
        w = np.ascontiguousarray(w, dtype=np.float64)
        W, b = unpack(w, D, C, self.fit_intercept, self.dtype)
        if W.nbytes * len(self.packs) <= INLINE_BYTES:
            # inside each task: then only the chunk's holder is a candidate to run it (a shared
            # key would make its holder one too, and the scheduler may ship the chunk there)
            Wd, bd = W, b
        else:
            Wd = dask.delayed(W, pure=True)
            bd = None if b is None else dask.delayed(b, pure=True)
        parts = [dask.delayed(_pack_sums, pure=True)(self.kind, Wd, bd, p, self.delta,
                                                      self.num_threads)
                 for p in self.packs]
        loss, dW, db, n = self.dask.compute(tree_reduce(dask, _add, parts))[0]
        Wf = w[:D * C]
        f = loss / self.n + self.reg * float(Wf @ Wf)
        g = np.empty_like(w)
        g[:D * C] = dW.ravel() / self.n + 2 * self.reg * Wf
        if self.fit_intercept:
            g[D * C:] = db / self.n
        self.n_evals += 1
        return f, g


def fit_dask(est, X, y):
    """``est.fit(X, y)`` for a dask X (chunked by rows) and a dask or NumPy y."""
    dask, da = _dask()
    est._check_hyperparameters()
    X = _rows(X, "X", ndim=(2,))
    if is_dask_collection(y):
        y = _rows(y, "y", ndim=(1, 2))
        if y.ndim == 2:
            if y.shape[1] != 1:
                raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
            y = y[:, 0]
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
        if y.chunks[0] != X.chunks[0]:
            y = y.rechunk((X.chunks[0],))
    else:
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
        y = da.from_array(y, chunks=(X.chunks[0],))
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must have at least one sample and one feature, got shape {X.shape}")
    if X.dtype.kind not in "fiub":
        raise ValueError(f"X must hold real numbers, got dtype {X.dtype}")
    dtype = np.dtype(est.dtype) if est.dtype is not None else (
        np.dtype(np.float32) if X.dtype == np.float32 else np.dtype(np.float64))
    # each chunk of X (in the training dtype) with its labels, computed once and kept where it
    # was computed (one key per chunk, so rows and labels never need to meet over the network)
    packs = dask.persist(*[dask.delayed(_pack)(xb, yb, dtype) for xb, yb in
                           zip(X.to_delayed().ravel(), y.to_delayed().ravel())])
    # one round trip for the labels, the finiteness check and the row counts
    stats = dask.compute([dask.delayed(_block_stats)(p) for p in packs])[0]
    if not all(s[1] for s in stats):
        raise ValueError("X contains NaN or infinity")
    classes = np.unique(np.concatenate([s[0] for s in stats]))
    est._check_targets(classes)
    warm_classes = getattr(est, "classes_", None) if est.warm_start else None
    if warm_classes is not None and not np.array_equal(warm_classes, classes):
        raise ValueError(f"warm_start: y holds the classes {classes.tolist()[:10]}, but the "
                         f"model was fitted on {warm_classes.tolist()[:10]}")
    if len(classes) < 2:
        raise ValueError(f"{type(est).__name__} needs samples of at least 2 classes in the data, "
                         f"but the data contains only one class: {classes[0]!r}")
    est.classes_ = classes
    D = X.shape[1]
    est.n_features_in_ = D
    warm = est._warm_params(D, dtype)
    packs = dask.persist(*[dask.delayed(_encode_pack)(p, classes) for p in packs])
    from ..sampling import seed_from_random_state

    est._seed = seed_from_random_state(est.random_state)
    est._init_params(D, dtype)
    if warm is not None:
        est._W[...] = warm[0]
        if est._b is not None:
            est._b[...] = warm[1]
    n = sum(s[2] for s in stats)
    t0 = time.perf_counter()
    if est.solver == "lbfgs":
        from ._lbfgs import fit_lbfgs

        fun = DaskObjective(est._loss_kind, packs, n, D, len(classes), dtype, est.reg,
                            delta=getattr(est, "delta", 1.0), fit_intercept=est.fit_intercept,
                            num_threads=est.num_threads)
        fit_lbfgs(est, fun)
    else:
        _fit_sgd(est, packs, [s[2] for s in stats])
    est.fit_time_ = time.perf_counter() - t0
    return est


def _sgd_block(est, pack):
    """Runs on a worker: one shuffled pass of minibatch updates over this chunk's rows."""
    X, codes = pack
    epoch = est.n_iter_
    if X.shape[0]:
        est._epochs(X, codes, None, 1, None, None, stop_rule=None)
    est.n_iter_ = epoch
    return est


def _fit_sgd(est, packs, sizes):
    import copy

    dask = _dask()[0]
    steps = sum(-(-s // min(est.batch_size, s)) for s in sizes if s)
    est._optimizer = est._make_optimizer(steps)
    rng = np.random.default_rng(est._seed)
    verbose, est.verbose = est.verbose, 0  # the travelling copy prints nothing on the workers
    state = copy.deepcopy(est)
    from ._training import _Progress

    progress = _Progress(verbose, est._max_epochs(), type(est).__name__)
    best, no_improve = None, 0
    try:
        for _ in range(est._max_epochs()):
            seen = len(state.loss_history_)
            cur = dask.delayed(state, traverse=False)
            for k in rng.permutation(len(packs)):
                cur = dask.delayed(_sgd_block, pure=False)(cur, packs[k])
            state = dask.compute(cur)[0]
            state.n_iter_ += 1
            state._publish()
            epoch_loss = float(np.mean(state.loss_history_[seen:]))
            progress.update(state.n_iter_, epoch_loss, None)
            if est.tol is not None:
                if best is not None and -epoch_loss < best + est.tol:
                    no_improve += 1
                else:
                    no_improve = 0
                best = -epoch_loss if best is None else max(best, -epoch_loss)
                if no_improve >= est.n_iter_no_change:
                    break
    finally:
        progress.close()
        state.verbose = verbose
    est.__dict__.update(state.__dict__)
    est._publish()


def _count_correct(est, X, y):
    return np.array([np.sum(est.predict(X) == y), len(y)], dtype=np.int64)


def score(est, X, y):
    """Mean accuracy of ``est`` on a dask X (and dask or NumPy y): a float."""
    dask, da = _dask()
    X = _rows(X, "X", ndim=(2,))
    if not is_dask_collection(y):
        y = da.from_array(np.asarray(y).ravel(), chunks=(X.chunks[0],))
    y = _rows(y, "y", ndim=(1,))
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    y = y.rechunk((X.chunks[0],))
    if X.shape[1] != est.n_features_in_:
        raise ValueError(f"X has {X.shape[1]} features, but {type(est).__name__} is expecting "
                         f"{est.n_features_in_} features as input")
    parts = [dask.delayed(_count_correct, pure=True)(est, xb, yb)
             for xb, yb in zip(X.to_delayed().ravel(), y.to_delayed().ravel())]
    counts = dask.compute(tree_reduce(dask, _sum_counts, parts))[0]
    return float(counts[0] / counts[1])


def _sum_counts(*parts):
    return np.sum(parts, axis=0)

