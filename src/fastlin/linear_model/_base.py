"""The base class of the linear classifiers: scikit-learn plumbing, hyperparameter checks,
parameters and their publication as ``coef_``/``intercept_``, ``fit``/``partial_fit`` and
prediction.

scikit-learn itself is optional: when it is installed the estimators derive from its
``BaseEstimator``/``ClassifierMixin`` and validate input with its ``validate_data``; without it
they use a small NumPy-only equivalent (:mod:`._validation`). The minibatch training loop is in
:mod:`._training`, the L-BFGS solver in :mod:`._lbfgs`, the Dask paths in :mod:`._dask`.
"""

from __future__ import annotations

import math
import numbers
import time
import warnings

import numpy as np

from .. import optim
from .._dask import is_dask_collection as _is_dask
from .._sklearn import HAVE_SKLEARN
from .._sklearn import BaseEstimator as _Base
from .._sklearn import ClassifierMixin as _ClassifierMixin
from ..sampling import seed_from_random_state
from ._training import TrainingMixin
from ._validation import ConvergenceWarning, ValidationMixin, not_fitted_error

__all__ = ["LinearClassifierBase"]

_SCHEDULE_NAMES = ("constant", "step", "exponential", "1/t", "inverse_time", "cosine")
_SOLVERS = ("sgd", "lbfgs")
_SGD_MAX_ITER = 6  # epochs when max_iter=None


class LinearClassifierBase(ValidationMixin, TrainingMixin, _ClassifierMixin, _Base):
    """Shared by the estimators; subclasses set ``_kind`` ("svm", "softmax") and ``__init__``."""

    _kind = None

    @property
    def _loss_kind(self):
        """The objective's loss, a key of ``_lbfgs._KINDS``."""
        return self._kind

    # ------------------------------------------------------------------------------------------
    # scikit-learn plumbing
    # ------------------------------------------------------------------------------------------
    if HAVE_SKLEARN:

        def __sklearn_tags__(self):
            tags = super().__sklearn_tags__()
            tags.input_tags.sparse = False
            tags.classifier_tags.multi_label = False
            return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "classes_") and hasattr(self, "coef_")

    def _check_hyperparameters(self):
        def real(name, lo=None, lo_open=False, allow_none=False):
            v = getattr(self, name)
            if v is None and allow_none:
                return None
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
                raise ValueError(f"{name} must be a finite real number, got {v!r}")
            if lo is not None and (v <= lo if lo_open else v < lo):
                raise ValueError(f"{name} must be {'>' if lo_open else '>='} {lo}, got {v!r}")
            return float(v)

        def integer(name, lo):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < lo:
                raise ValueError(f"{name} must be an integer >= {lo}, got {v!r}")
            return int(v)

        real("reg", 0.0)
        if self.dtype is not None and self.dtype not in ("float32", "float64", np.float32, np.float64):
            raise ValueError(f"dtype must be 'float32', 'float64' or None, got {self.dtype!r}")
        real("learning_rate", 0.0, lo_open=True)
        real("tol", 0.0, allow_none=True)
        integer("batch_size", 1)
        if self.max_iter is not None:
            integer("max_iter", 1)
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver must be one of {_SOLVERS}, got {self.solver!r}")
        if not isinstance(self.warm_start, (bool, np.bool_)):
            raise ValueError(f"warm_start must be a bool, got {self.warm_start!r}")
        integer("n_iter_no_change", 1)
        if not isinstance(self.fit_intercept, (bool, np.bool_)):
            raise ValueError(f"fit_intercept must be a bool, got {self.fit_intercept!r}")
        if not isinstance(self.early_stopping, (bool, np.bool_)):
            raise ValueError(f"early_stopping must be a bool, got {self.early_stopping!r}")
        vf = real("validation_fraction", 0.0, lo_open=True)
        if vf >= 1.0:
            raise ValueError(f"validation_fraction must be in (0, 1), got {vf}")
        if self.num_threads is not None and (
            isinstance(self.num_threads, bool) or not isinstance(self.num_threads, numbers.Integral)
            or self.num_threads < 1
        ):
            raise ValueError(f"num_threads must be None or an integer >= 1, got {self.num_threads!r}")
        if not (isinstance(self.verbose, numbers.Integral) and self.verbose >= 0):
            raise ValueError(f"verbose must be a non-negative int or bool, got {self.verbose!r}")
        if not (isinstance(self.optimizer, (str, optim.Optimizer))
                or (isinstance(self.optimizer, type) and issubclass(self.optimizer, optim.Optimizer))):
            raise ValueError(f"optimizer must be a name or an fastlin.optim.Optimizer, got {self.optimizer!r}")
        if isinstance(self.optimizer, str) and self.optimizer.lower() not in optim._OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {sorted(optim._OPTIMIZERS)}, got {self.optimizer!r}")
        s = self.schedule
        if not (callable(s) or (isinstance(s, str) and s in _SCHEDULE_NAMES)):
            raise ValueError(f"schedule must be one of {_SCHEDULE_NAMES} or a callable, got {s!r}")
        a = self.average
        if not (isinstance(a, (bool, np.bool_)) or (isinstance(a, numbers.Integral) and a >= 0)):
            raise ValueError(f"average must be a bool or an integer >= 0 (epochs before averaging), got {a!r}")

    # ------------------------------------------------------------------------------------------
    # training
    # ------------------------------------------------------------------------------------------
    def _encode(self, y):
        """Labels -> intp codes into classes_; unseen labels raise ValueError naming them."""
        codes = np.searchsorted(self.classes_, y)
        codes = np.clip(codes, 0, len(self.classes_) - 1)
        bad = self.classes_[codes] != y
        if np.any(bad):
            raise ValueError(f"y contains labels not in classes_: {np.unique(y[bad])[:5].tolist()}")
        return codes.astype(np.intp)

    def _max_epochs(self):
        return _SGD_MAX_ITER if self.max_iter is None else self.max_iter

    def _warm_params(self, n_features, dtype):
        """(W, b) to start from with warm_start (copies in the training dtype), or None."""
        if not (self.warm_start and self.__sklearn_is_fitted__()):
            return None
        coef = np.asarray(self.coef_)
        if coef.shape != (len(self.classes_), n_features):
            raise ValueError(f"warm_start: coef_ has shape {coef.shape}, but the data needs "
                             f"({len(self.classes_)}, {n_features}); refit with warm_start=False")
        return coef.T.astype(dtype), np.asarray(self.intercept_).astype(dtype)

    def _init_params(self, n_features, dtype):
        C = len(self.classes_)
        self._W = np.zeros((n_features, C), dtype=dtype)
        self._b = np.zeros(C, dtype=dtype) if self.fit_intercept else None
        self._W_avg = self._b_avg = None
        self.n_averaged_ = 0
        self._publish()
        self.loss_history_ = []
        self.validation_scores_ = []
        self.n_iter_ = 0
        self.t_ = 0
        self._calls = 0

    def _publish(self):
        """coef_/intercept_ (and the weights used for validation during training): the average of
        the iterates once averaging has started, else the iterate itself (views, no copies)."""
        W, b = (self._W, self._b) if self.n_averaged_ == 0 else (self._W_avg, self._b_avg)
        self._Wp, self._bp = W, b
        self.coef_ = W.T
        self.intercept_ = b if b is not None else np.zeros(W.shape[1], dtype=W.dtype)

    def _sync_params(self, dtype):
        """Weights as the kernel wants them, from the public coef_/intercept_ (no copy normally).

        While averaging, coef_ is the average: training continues from the stored iterate."""
        if getattr(self, "n_averaged_", 0) > 0 and self._W.dtype == dtype:
            return
        self._W = np.ascontiguousarray(np.asarray(self.coef_, dtype=dtype).T)
        if self.fit_intercept:
            self._b = np.ascontiguousarray(np.asarray(self.intercept_, dtype=dtype))
        else:
            self._b = None
        self._W_avg = self._b_avg = None
        self.n_averaged_ = 0
        self._publish()

    def _as_training_dtype(self, X):
        """X in the dtype training runs in (see the ``dtype`` parameter): one conversion, if any."""
        if self.dtype is None:
            return X
        return X.astype(np.dtype(self.dtype), copy=False)

    def _prepare_fit(self, X, y, *, reset, classes=None):
        self._check_hyperparameters()
        X, y = self._validate_X(X, reset=reset, y=y)
        self._check_targets(y)
        return X, y

    def fit(self, X, y, *, X_val=None, y_val=None):
        """Train from scratch (or from the current weights with ``warm_start``) for up to
        ``max_iter`` epochs (lbfgs: iterations).

        X : array (n_samples, n_features), float32 kept as float32, anything else as float64.
        y : array (n_samples,), labels of any sortable type (ints, strings, ...).
        X_val, y_val : optional validation data whose accuracy is reported each epoch with
            ``verbose`` (and used for stopping when ``early_stopping=True``).

        X may be a dask array chunked by rows (y a dask or NumPy array): with "lbfgs" every
        chunk's loss and gradient are computed where the chunk lives and only the weights and
        gradients travel; with "sgd" the model visits the chunks in turn (module
        ``fastlin.linear_model._dask`` describes both).
        """
        if _is_dask(X) or _is_dask(y):
            from ._dask import fit_dask

            if X_val is not None or (self.early_stopping and self.solver == "sgd"):
                raise ValueError("X_val and early_stopping are not supported with a dask X")
            return fit_dask(self, X, y)
        X, y = self._prepare_fit(X, y, reset=True)
        warm_classes = getattr(self, "classes_", None) if self.warm_start else None
        self.classes_ = np.unique(y)
        if warm_classes is not None and not np.array_equal(warm_classes, self.classes_):
            raise ValueError(f"warm_start: y holds the classes {self.classes_.tolist()[:10]}, but the "
                             f"model was fitted on {warm_classes.tolist()[:10]}")
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data, but the data "
                f"contains only one class: {self.classes_[0]!r}"
            )
        codes = self._encode(y)
        self._seed = seed_from_random_state(self.random_state)
        X = self._as_training_dtype(X)
        warm = self._warm_params(X.shape[1], X.dtype)
        self._init_params(X.shape[1], X.dtype)
        if warm is not None:
            self._W[...] = warm[0]
            if self._b is not None:
                self._b[...] = warm[1]
        rows = None
        Xv = yv = None
        if X_val is not None:
            Xv, _ = self._validate_X(X_val, reset=False)
            Xv = Xv.astype(X.dtype, copy=False)
            yv = self._encode(np.asarray(y_val))
        if self.solver == "lbfgs":  # full batch: early_stopping and the SGD settings do not apply
            from ._lbfgs import FullBatchObjective, fit_lbfgs

            t0 = time.perf_counter()
            fun = FullBatchObjective(self._loss_kind, X, codes, len(self.classes_), self.reg,
                                     delta=getattr(self, "delta", 1.0),
                                     fit_intercept=self.fit_intercept, num_threads=self.num_threads)
            fit_lbfgs(self, fun, X_val=Xv, y_val=yv)
            self.fit_time_ = time.perf_counter() - t0
            return self
        if self.early_stopping:
            if X_val is None:  # hold out a validation fraction (rows, not copies, for training)
                n_val = max(1, int(round(self.validation_fraction * X.shape[0])))
                if n_val >= X.shape[0]:
                    raise ValueError(f"validation_fraction={self.validation_fraction} leaves no training samples")
                perm = np.random.default_rng(self._seed).permutation(X.shape[0])
                rows, val_rows = np.sort(perm[n_val:]), np.sort(perm[:n_val])
                Xv, yv = X[val_rows], codes[val_rows]
            stop_rule = "val"
        else:
            stop_rule = "loss"
        t0 = time.perf_counter()
        n = X.shape[0] if rows is None else len(rows)
        self._optimizer = self._make_optimizer(-(-n // min(self.batch_size, n)))
        converged = self._epochs(X, codes, rows, self._max_epochs(), Xv, yv, stop_rule=stop_rule)
        self.fit_time_ = time.perf_counter() - t0
        if not converged and self.tol is not None:
            warnings.warn(
                f"{type(self).__name__}: maximum number of epochs ({self._max_epochs()}) reached before "
                f"the tolerance tol={self.tol} was met; consider raising max_iter",
                ConvergenceWarning,
            )
        return self

    def partial_fit(self, X, y, classes=None):
        """One epoch over (X, y), continuing from the current weights and optimizer state.

        ``classes`` (all labels that will ever be seen) is required on the first call.
        """
        if _is_dask(X) or _is_dask(y):
            raise TypeError("partial_fit takes in-memory (NumPy) blocks; fit a dask X with fit() "
                            "(or hand its blocks to partial_fit one at a time)")
        first = not hasattr(self, "classes_")
        X, y = self._prepare_fit(X, y, reset=first)
        if first:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit")
            classes = np.unique(np.asarray(classes))
            if len(classes) < 2:
                raise ValueError(f"classes must hold at least 2 labels, got {classes.tolist()}")
            self.classes_ = classes
            self._seed = seed_from_random_state(self.random_state)
            X = self._as_training_dtype(X)
            self._init_params(X.shape[1], X.dtype)
            n = X.shape[0]
            self._optimizer = self._make_optimizer(-(-n // min(self.batch_size, n)))
        else:
            if classes is not None and not np.array_equal(np.unique(np.asarray(classes)), self.classes_):
                raise ValueError(f"classes={classes!r} is not the same as on the first call ({self.classes_!r})")
            self._sync_params(self._W.dtype if hasattr(self, "_W") else X.dtype)
            if not hasattr(self, "_optimizer"):
                self._optimizer = self._make_optimizer(-(-X.shape[0] // min(self.batch_size, X.shape[0])))
        if X.dtype != self._W.dtype:
            X = X.astype(self._W.dtype)
        codes = self._encode(y)
        self._epochs(X, codes, None, 1, None, None, stop_rule=None)
        return self

    # ------------------------------------------------------------------------------------------
    # prediction
    # ------------------------------------------------------------------------------------------
    def _scores(self, X):
        if not self.__sklearn_is_fitted__():
            raise not_fitted_error(self)
        X, _ = self._validate_X(X, reset=False)
        W = np.asarray(self.coef_)
        b = np.asarray(self.intercept_)
        if W.dtype != X.dtype:
            W, b = W.astype(X.dtype), b.astype(X.dtype)
        return X @ W.T + b

    def _predict_codes(self, X):
        """argmax codes for already validated X (used during training), with the public weights."""
        s = X @ self._Wp
        if self._bp is not None:
            s += self._bp
        return np.argmax(s, axis=1)

    def _lazy(self, method, X):
        """``method`` mapped lazily over the row chunks of a dask X (a dask array)."""
        if not self.__sklearn_is_fitted__():
            raise not_fitted_error(self)
        from .._dask import map_rows

        return map_rows(method, X, n_features=self.n_features_in_)

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on (X, y); with a dask X, computed from per-chunk counts (a float)."""
        if _is_dask(X):
            if sample_weight is not None:
                raise ValueError("sample_weight is not supported with a dask X")
            if not self.__sklearn_is_fitted__():
                raise not_fitted_error(self)
            from ._dask import score

            return score(self, X, y)
        return super().score(X, y, sample_weight=sample_weight)

    def decision_function(self, X):
        """Class scores ``X @ coef_.T + intercept_``: (n_samples, n_classes), or (n_samples,) for
        two classes (score of classes_[1] minus that of classes_[0], scikit-learn's convention).
        A dask X gives a lazy dask array (one block per row chunk), as do the other methods."""
        if _is_dask(X):
            return self._lazy(self.decision_function, X)
        s = self._scores(X)
        if s.shape[1] == 2:
            return s[:, 1] - s[:, 0]
        return s

    def predict(self, X):
        """Labels (from ``classes_``) of the highest score: (n_samples,)."""
        if _is_dask(X):
            return self._lazy(self.predict, X)
        codes = np.argmax(self._scores(X), axis=1)
        return self.classes_[codes]


