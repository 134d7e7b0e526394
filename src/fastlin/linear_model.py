"""Linear classifiers trained by minibatch gradient descent: :class:`LinearSVM`, :class:`Softmax`.

scikit-learn compatible estimators (scikit-learn itself is optional: when it is installed the
estimators derive from its ``BaseEstimator``/``ClassifierMixin`` and validate input with its
``validate_data``; without it they use a small NumPy-only equivalent). Each training step samples a
minibatch of row indices in C (:class:`fastlin.sampling.BatchSampler`) and hands them to the fused
loss kernels as ``idx``: rows are never copied.
"""

from __future__ import annotations

import copy
import math
import numbers
import time
import warnings

import numpy as np

from . import optim
from .losses import softmax_loss, svm_loss
from .sampling import BatchSampler, seed_from_random_state

__all__ = ["LinearSVM", "Softmax"]

from ._sklearn import HAVE_SKLEARN
from ._sklearn import BaseEstimator as _Base
from ._sklearn import ClassifierMixin as _ClassifierMixin

if HAVE_SKLEARN:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.utils.multiclass import check_classification_targets as _check_targets

    try:
        from sklearn.utils.validation import validate_data as _sk_validate_data
    except ImportError:  # scikit-learn < 1.6
        _sk_validate_data = None
else:  # pragma: no cover - exercised only without scikit-learn

    class ConvergenceWarning(UserWarning):
        """Training stopped at max_iter before the tolerance was met."""

    _sk_validate_data = None
    _check_targets = None


_SCHEDULE_NAMES = ("constant", "step", "exponential", "1/t", "inverse_time", "cosine")


def _not_fitted(est):
    msg = (f"This {type(est).__name__} instance is not fitted yet. Call 'fit' with appropriate "
           "arguments before using this estimator.")
    if HAVE_SKLEARN:
        from sklearn.exceptions import NotFittedError

        return NotFittedError(msg)
    return AttributeError(msg)


class _LinearClassifier(_ClassifierMixin, _Base):
    """Shared training loop; subclasses set ``_kernel`` and their own ``__init__``."""

    _kind = None

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

    # ------------------------------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------------------------------
    def _validate_X(self, X, *, reset, y=None):
        """Dense float32/float64 C-contiguous X (float32 kept, anything else -> float64)."""
        if _sk_validate_data is not None:
            kw = dict(accept_sparse=False, dtype=[np.float64, np.float32], order="C")
            if y is None:
                return _sk_validate_data(self, X, reset=reset, **kw), None
            X, y = _sk_validate_data(self, X, y, reset=reset, y_numeric=False, multi_output=False, **kw)
            return X, y
        if HAVE_SKLEARN and hasattr(self, "_validate_data"):  # pragma: no cover - scikit-learn < 1.6
            kw = dict(accept_sparse=False, dtype=[np.float64, np.float32], order="C")
            if y is None:
                return self._validate_data(X, reset=reset, **kw), None
            return self._validate_data(X, y, reset=reset, **kw)
        return self._validate_numpy(X, y, reset=reset)

    def _validate_numpy(self, X, y, *, reset):
        if hasattr(X, "tocsr") or hasattr(X, "toarray"):
            raise TypeError("X: sparse input is not supported; convert it with X.toarray()")
        X = np.asarray(X)
        if X.dtype.kind not in "fiub":
            raise ValueError(f"X must hold real numbers, got dtype {X.dtype}")
        if X.dtype != np.float32:
            X = X.astype(np.float64)
        X = np.ascontiguousarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
        if X.shape[0] < 1 or X.shape[1] < 1:
            raise ValueError(f"X must have at least one sample and one feature, got shape {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or infinity")
        if reset:
            self.n_features_in_ = X.shape[1]
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input")
        if y is not None:
            y = np.asarray(y)
            if y.ndim == 2 and y.shape[1] == 1:
                y = y.ravel()
            if y.ndim != 1 or y.shape[0] != X.shape[0]:
                raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
        return X, y

    def _check_targets(self, y):
        if _check_targets is not None:
            _check_targets(y)
        elif y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
            raise ValueError("Unknown label type: continuous. Classification needs discrete labels")

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
        integer("max_iter", 1)
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
    def _make_schedule(self, steps_per_epoch):
        lr, s = float(self.learning_rate), self.schedule
        if callable(s):
            return s
        if s == "constant":
            return lr
        if s == "cosine":  # from lr to 0 over max_iter epochs
            return optim.CosineDecay(lr, decay_steps=max(1, self.max_iter * steps_per_epoch))
        if s == "step":  # halve every 5 epochs
            return optim.StepDecay(lr, step_size=5 * steps_per_epoch, gamma=0.5)
        if s == "exponential":  # x0.9 per epoch
            return optim.ExponentialDecay(lr, decay_rate=0.9, decay_steps=steps_per_epoch)
        return optim.InverseTimeDecay(lr, k=1.0, decay_steps=steps_per_epoch)  # lr / (1 + epoch)

    def _make_optimizer(self, steps_per_epoch):
        lr = self._make_schedule(steps_per_epoch)
        o = self.optimizer
        if isinstance(o, optim.Optimizer):  # its other hyperparameters, our learning rate, fresh state
            o = copy.deepcopy(o).reset()
            o.learning_rate = lr
            return o
        return optim.get_optimizer(o, learning_rate=lr)

    def _encode(self, y):
        """Labels -> intp codes into classes_; unseen labels raise ValueError naming them."""
        codes = np.searchsorted(self.classes_, y)
        codes = np.clip(codes, 0, len(self.classes_) - 1)
        bad = self.classes_[codes] != y
        if np.any(bad):
            raise ValueError(f"y contains labels not in classes_: {np.unique(y[bad])[:5].tolist()}")
        return codes.astype(np.intp)

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

    def _average_start(self):
        """Epoch (0-based) from which the iterates are averaged, or None."""
        a = self.average
        if a is False or a is np.False_:
            return None
        if a is True or a is np.True_:
            return self.max_iter // 2
        return int(a)

    def _accumulate_average(self):
        """Running (Polyak-Ruppert) mean of the iterates: avg += (W - avg) / k, in place."""
        if self.n_averaged_ == 0:
            self._W_avg = self._W.copy()
            self._b_avg = None if self._b is None else self._b.copy()
            self._avg_scratch = np.empty_like(self._W)
            self.n_averaged_ = 1
            return
        self.n_averaged_ += 1
        k = 1.0 / self.n_averaged_
        s = self._avg_scratch
        np.subtract(self._W, self._W_avg, out=s)
        s *= k
        self._W_avg += s
        if self._b is not None:
            self._b_avg += (self._b - self._b_avg) * k

    def _loss(self, X, y, idx):
        kw = dict(idx=idx, num_threads=self.num_threads, b=self._b)
        if self._kind == "svm":
            return svm_loss(self._W, X, y, float(self.reg), delta=self.delta, **kw)
        return softmax_loss(self._W, X, y, float(self.reg), **kw)

    def _epochs(self, X, codes, rows, max_epochs, X_val, y_val, *, stop_rule):
        """Run up to max_epochs epochs over X[rows] (rows None: all), in place on _W/_b."""
        n = X.shape[0] if rows is None else rows.shape[0]
        batch = min(self.batch_size, n)
        seed = self._seed
        sampler = BatchSampler(n, batch, seed=seed, stream=self._calls)
        self._calls += 1
        params = [self._W] if self._b is None else [self._W, self._b]
        opt = self._optimizer
        progress = _Progress(self.verbose, max_epochs, type(self).__name__)
        avg_start = self._average_start()
        best, no_improve, converged = None, 0, False
        try:
            for _ in range(max_epochs):
                averaging = avg_start is not None and self.n_iter_ >= avg_start
                total, count = 0.0, 0
                for idx in sampler.epoch_batches():
                    if rows is not None:
                        idx = rows[idx]
                    out = self._loss(X, codes, idx)
                    opt.step(params, list(out[1:]))
                    if averaging:
                        self._accumulate_average()
                    self.loss_history_.append(out[0])
                    total += out[0] * len(idx)
                    count += len(idx)
                    self.t_ += 1
                self.n_iter_ += 1
                self._publish()
                epoch_loss = total / count
                val_acc = None
                if X_val is not None:
                    val_acc = float(np.mean(self._predict_codes(X_val) == y_val))
                    self.validation_scores_.append(val_acc)
                progress.update(self.n_iter_, epoch_loss, val_acc)
                if stop_rule is None or self.tol is None:
                    continue
                # scikit-learn's SGD rule: stop after n_iter_no_change epochs without improving
                # the best value by tol (validation accuracy with early_stopping, else loss)
                score = val_acc if stop_rule == "val" else -epoch_loss
                if best is not None and score < best + self.tol:
                    no_improve += 1
                else:
                    no_improve = 0
                best = score if best is None else max(best, score)
                if no_improve >= self.n_iter_no_change:
                    converged = True
                    break
        finally:
            progress.close()
        return converged

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
        """Train from scratch for up to ``max_iter`` epochs.

        X : array (n_samples, n_features), float32 kept as float32, anything else as float64.
        y : array (n_samples,), labels of any sortable type (ints, strings, ...).
        X_val, y_val : optional validation data whose accuracy is reported each epoch with
            ``verbose`` (and used for stopping when ``early_stopping=True``).
        """
        X, y = self._prepare_fit(X, y, reset=True)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the data, but the data "
                f"contains only one class: {self.classes_[0]!r}"
            )
        codes = self._encode(y)
        self._seed = seed_from_random_state(self.random_state)
        X = self._as_training_dtype(X)
        self._init_params(X.shape[1], X.dtype)
        rows = None
        Xv = yv = None
        if X_val is not None:
            Xv, _ = self._validate_X(X_val, reset=False)
            Xv = Xv.astype(X.dtype, copy=False)
            yv = self._encode(np.asarray(y_val))
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
        n = X.shape[0] if rows is None else len(rows)
        self._optimizer = self._make_optimizer(-(-n // min(self.batch_size, n)))
        t0 = time.perf_counter()
        converged = self._epochs(X, codes, rows, self.max_iter, Xv, yv, stop_rule=stop_rule)
        self.fit_time_ = time.perf_counter() - t0
        if not converged and self.tol is not None:
            warnings.warn(
                f"{type(self).__name__}: maximum number of epochs ({self.max_iter}) reached before "
                f"the tolerance tol={self.tol} was met; consider raising max_iter",
                ConvergenceWarning,
            )
        return self

    def partial_fit(self, X, y, classes=None):
        """One epoch over (X, y), continuing from the current weights and optimizer state.

        ``classes`` (all labels that will ever be seen) is required on the first call.
        """
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
            raise _not_fitted(self)
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

    def decision_function(self, X):
        """Class scores ``X @ coef_.T + intercept_``: (n_samples, n_classes), or (n_samples,) for
        two classes (score of classes_[1] minus that of classes_[0], scikit-learn's convention)."""
        s = self._scores(X)
        if s.shape[1] == 2:
            return s[:, 1] - s[:, 0]
        return s

    def predict(self, X):
        """Labels (from ``classes_``) of the highest score: (n_samples,)."""
        codes = np.argmax(self._scores(X), axis=1)
        return self.classes_[codes]


class _Progress:
    """Per-epoch progress: a tqdm bar when tqdm is installed, else one printed line per epoch."""

    def __init__(self, verbose, total, name):
        self.verbose = verbose
        self.bar = None
        if verbose:
            try:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=total, desc=name, unit="epoch", leave=True)
            except ImportError:
                self.bar = None

    def update(self, epoch, loss, val_acc):
        if not self.verbose:
            return
        if self.bar is not None:
            post = {"loss": f"{loss:.4f}"}
            if val_acc is not None:
                post["val_acc"] = f"{val_acc:.4f}"
            self.bar.set_postfix(post, refresh=False)
            self.bar.update(1)
        else:
            msg = f"epoch {epoch}: loss {loss:.6f}"
            if val_acc is not None:
                msg += f", validation accuracy {val_acc:.4f}"
            print(msg, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


_DEFAULTS_DOC = """
    The defaults were chosen on CIFAR-10 pixels behind a ``StandardScaler`` (49,000 training /
    1,000 validation images of the training batches; ``bench/tune_defaults.py``): Adam, batch
    1000, a cosine learning-rate decay to zero over 6 epochs, the weights averaged from the second
    epoch on (``average=1``), float32 arithmetic, no early stop (the schedule plans for all
    ``max_iter`` epochs). A fit reads the training data about 6 times.
"""

_COMMON_DOC = """
    reg : float >= 0
        L2 strength: the loss adds ``reg * sum(coef_**2)`` (the bias is not regularised).
    learning_rate : float > 0
        Initial step size, passed to the optimizer through ``schedule``.
    optimizer : str or fastlin.optim.Optimizer
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", or an optimizer instance
        (its hyperparameters are used, its learning rate and state are not).
    schedule : {"constant", "step", "exponential", "1/t", "cosine"} or callable
        Learning rate over training: "step" halves it every 5 epochs, "exponential" multiplies it
        by 0.9 per epoch (smoothly), "1/t" divides it by ``1 + epoch``, "cosine" takes it from
        ``learning_rate`` to 0 along a half cosine over ``max_iter`` epochs; a callable gets the
        update count ``t`` and returns the rate.
    batch_size : int >= 1
        Rows per update; epochs are shuffled without replacement.
    max_iter : int >= 1
        Maximum number of epochs (passes over the training data).
    fit_intercept : bool
        Learn an unregularised bias per class.
    tol : float or None
        Stop when the monitored value (training loss, or validation accuracy with
        ``early_stopping``) has not improved by ``tol`` for ``n_iter_no_change`` epochs; None
        disables stopping (and the ConvergenceWarning).
    early_stopping : bool
        Monitor accuracy on ``validation_fraction`` of the training rows (or on ``X_val``).
    validation_fraction : float in (0, 1)
    n_iter_no_change : int >= 1
    average : bool or int >= 0
        Averaged SGD (Polyak-Ruppert; suffix averaging): from epoch ``average`` on (True: from
        epoch ``max_iter // 2``, i.e. over the second half of training) keep the running mean of
        the weights after every update, and use it as ``coef_``/``intercept_`` (for prediction
        and the validation accuracy shown during training). Training itself continues from the
        last iterate (``partial_fit`` too). False: ``coef_`` is the last iterate. Like the
        ``average`` of scikit-learn's SGDClassifier, but counted in epochs.
    dtype : {"float32", "float64"} or None
        The floating type training runs in. "float32": float64 input is converted once to
        float32 (a copy half the input's size; the loss kernel then reads half the bytes and
        does twice as many multiply-adds per vector instruction, about 2x faster epochs; on
        standardized CIFAR-10 pixels the accuracy is the same), float32 input is used in place.
        "float64": float32 input is converted to float64. None: the input's own dtype (float32
        kept, anything else float64), no conversion. ``coef_``/``intercept_`` have the training
        dtype; prediction computes in the dtype of the X it is given.
    random_state : None, int, RandomState or Generator
        Seeds the minibatch sampler (and the early-stopping split).
    num_threads : int or None
        Threads for the kernels (None: OpenMP's default, ``OMP_NUM_THREADS``).
    verbose : int
        Show progress (epoch, loss, validation accuracy); a tqdm bar when tqdm is installed.

    Attributes
    ----------
    coef_ : ndarray (n_classes, n_features), the training dtype
    intercept_ : ndarray (n_classes,)
    classes_ : ndarray (n_classes,), the sorted labels
    loss_history_ : list of float, the minibatch loss of every update
    validation_scores_ : list of float, the validation accuracy after each epoch (when ``fit``
        had ``X_val`` or ``early_stopping``; else empty)
    n_iter_ : int, epochs run
    t_ : int, updates made
    n_averaged_ : int, updates averaged into ``coef_`` (0: ``coef_`` is the last iterate)
    n_features_in_ : int
    fit_time_ : float, seconds spent in the last ``fit``
"""


class LinearSVM(_LinearClassifier):
    __doc__ = """Multiclass linear SVM (Weston-Watkins hinge loss, margin ``delta``) trained by
    minibatch gradient descent on the fused C kernel.
""" + _DEFAULTS_DOC + """
    Parameters
    ----------
    delta : float
        Hinge margin.""" + _COMMON_DOC

    _kind = "svm"

    def __init__(
        self,
        reg=1e-4,
        learning_rate=1e-3,
        *,
        optimizer="adam",
        schedule="cosine",
        batch_size=1000,
        max_iter=6,
        fit_intercept=True,
        tol=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=3,
        average=1,
        dtype="float32",
        delta=1.0,
        random_state=None,
        num_threads=None,
        verbose=0,
    ):
        self.reg = reg
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.schedule = schedule
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.average = average
        self.dtype = dtype
        self.delta = delta
        self.random_state = random_state
        self.num_threads = num_threads
        self.verbose = verbose

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        d = self.delta
        if isinstance(d, bool) or not isinstance(d, numbers.Real) or not math.isfinite(d) or d < 0:
            raise ValueError(f"delta must be a finite real number >= 0, got {d!r}")


class Softmax(_LinearClassifier):
    __doc__ = """Multinomial logistic regression (softmax cross-entropy) trained by minibatch
    gradient descent on the fused C kernel.
""" + _DEFAULTS_DOC + """
    Parameters
    ----------""" + _COMMON_DOC

    _kind = "softmax"

    def __init__(
        self,
        reg=1e-4,
        learning_rate=3e-3,
        *,
        optimizer="adam",
        schedule="cosine",
        batch_size=1000,
        max_iter=6,
        fit_intercept=True,
        tol=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=3,
        average=1,
        dtype="float32",
        random_state=None,
        num_threads=None,
        verbose=0,
    ):
        self.reg = reg
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.schedule = schedule
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.average = average
        self.dtype = dtype
        self.random_state = random_state
        self.num_threads = num_threads
        self.verbose = verbose

    def predict_proba(self, X):
        """Class probabilities (softmax of the scores): (n_samples, n_classes), rows sum to 1."""
        s = self._scores(X)
        s -= s.max(axis=1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=1, keepdims=True)
        return s

    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba`, computed stably."""
        s = self._scores(X)
        s -= s.max(axis=1, keepdims=True)
        s -= np.log(np.exp(s).sum(axis=1, keepdims=True))
        return s
