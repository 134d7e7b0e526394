"""The estimators: :class:`LinearSVM` (multiclass hinge) and :class:`Softmax` (cross-entropy)."""

import math
import numbers

import numpy as np

from ..losses import _svm_kind
from ._base import LinearClassifierBase, _is_dask

__all__ = ["LinearSVM", "Softmax"]

# LinearSVM's multi_class -> the loss name of the full-batch objectives (_lbfgs._KINDS), to
# which loss="squared_hinge" appends "_squared"
_LOSS_KINDS = {"weston_watkins": "svm", "one_vs_all": "svm_one_vs_all",
               "ovr": "svm_one_vs_all", "crammer_singer": "svm_crammer_singer"}

_DEFAULTS_DOC = """
    The defaults were chosen on CIFAR-10 pixels behind a ``StandardScaler`` (49,000 training /
    1,000 validation images of the training batches; ``bench/linear_model/tune_defaults.py``): Adam, batch
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
    max_iter : int >= 1 or None
        Maximum number of epochs (passes over the training data) with ``solver="sgd"``, of
        L-BFGS iterations with ``solver="lbfgs"``. None: 6 epochs, or 300 iterations.
    fit_intercept : bool
        Learn an unregularised bias per class.
    tol : float or None
        SGD: stop when the monitored value (training loss, or validation accuracy with
        ``early_stopping``) has not improved by ``tol`` for ``n_iter_no_change`` epochs; None
        disables stopping (and the ConvergenceWarning). L-BFGS: stop when the largest gradient
        component is below ``tol`` (SciPy's ``gtol``); None means 1e-4, scikit-learn's
        LogisticRegression default (the objectives have the same scale, see ``solver``).
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
    solver : {"sgd", "lbfgs"}
        "sgd": minibatch gradient descent with ``optimizer``, ``schedule`` and the settings
        above. "lbfgs": SciPy's L-BFGS-B on the full training objective
        ``mean_i loss_i + reg * sum(coef_**2)``, one fused kernel call (one read of X) per
        function evaluation; ``learning_rate``, ``optimizer``, ``schedule``, ``batch_size``,
        ``average``, ``early_stopping`` and ``random_state`` do not apply (deterministic).
        Needs SciPy (``fastlin[lbfgs]``). For ``Softmax`` this is the objective of
        scikit-learn's ``LogisticRegression(C=1 / (2 * reg * n_samples))`` (multinomial,
        unpenalised intercept). The hinge loss of ``LinearSVM`` is not smooth: L-BFGS still
        descends (the kernel's gradient is a subgradient), but its line search can stall in a
        kink before ``tol`` is met, which ends the fit with a ConvergenceWarning; the squared
        hinge (``loss="squared_hinge"``) is smooth (README, "Scale-out and L-BFGS", measures
        both). X may be a dask array: the loss and
        gradient are then computed chunk by chunk on the workers (README).
    warm_start : bool
        ``fit`` starts from the current ``coef_``/``intercept_`` (same classes and features)
        instead of zeros; with "sgd" the optimizer state starts afresh.

    Attributes
    ----------
    coef_ : ndarray (n_classes, n_features), the training dtype
    intercept_ : ndarray (n_classes,)
    classes_ : ndarray (n_classes,), the sorted labels
    loss_history_ : list of float, the minibatch loss of every update (lbfgs: the objective
        after each iteration)
    validation_scores_ : list of float, the validation accuracy after each epoch (when ``fit``
        had ``X_val`` or ``early_stopping``; else empty)
    n_iter_ : int, epochs run (lbfgs: iterations)
    t_ : int, updates made (lbfgs: function evaluations, i.e. reads of X)
    objective_ : float, the final objective (lbfgs only)
    n_averaged_ : int, updates averaged into ``coef_`` (0: ``coef_`` is the last iterate)
    n_features_in_ : int
    fit_time_ : float, seconds spent in the last ``fit``
"""


class LinearSVM(LinearClassifierBase):
    __doc__ = """Multiclass linear SVM (hinge or squared hinge loss, margin ``delta``;
    Weston-Watkins, One-vs-All or Crammer-Singer) trained by minibatch gradient descent on the
    fused C kernel.
""" + _DEFAULTS_DOC + """
    Parameters
    ----------
    delta : float
        Hinge margin.
    multi_class : {"weston_watkins", "one_vs_all", "crammer_singer"}
        The multiclass hinge loss (defined in :func:`fastlin.svm_loss`): the sum of the hinges
        of every wrong class, a binary hinge per class (``"ovr"`` is accepted too, as in
        scikit-learn's LinearSVC, here trained jointly), or the hinge of the highest-scoring
        wrong class only.
    loss : {"hinge", "squared_hinge"}
        Each hinge ``max(0, m)`` as it is, or squared, ``max(0, m)**2`` (as scikit-learn's
        LinearSVC ``loss``; its default ``"squared_hinge"`` with ``multi_class="ovr"`` is this
        ``multi_class="one_vs_all"``). The squared hinge is differentiable, which suits
        ``solver="lbfgs"``; it penalises large margin violations more.""" + _COMMON_DOC

    _kind = "svm"

    def __init__(
        self,
        reg=1e-4,
        learning_rate=1e-3,
        *,
        optimizer="adam",
        schedule="cosine",
        batch_size=1000,
        max_iter=None,
        fit_intercept=True,
        tol=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=3,
        average=1,
        dtype="float32",
        delta=1.0,
        multi_class="weston_watkins",
        loss="hinge",
        random_state=None,
        num_threads=None,
        verbose=0,
        solver="sgd",
        warm_start=False,
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
        self.multi_class = multi_class
        self.loss = loss
        self.random_state = random_state
        self.num_threads = num_threads
        self.verbose = verbose
        self.solver = solver
        self.warm_start = warm_start

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        d = self.delta
        if isinstance(d, bool) or not isinstance(d, numbers.Real) or not math.isfinite(d) or d < 0:
            raise ValueError(f"delta must be a finite real number >= 0, got {d!r}")
        _svm_kind(self.multi_class, self.loss)

    @property
    def _loss_kind(self):
        return _LOSS_KINDS[self.multi_class] + ("_squared" if self.loss == "squared_hinge" else "")


class Softmax(LinearClassifierBase):
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
        max_iter=None,
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
        solver="sgd",
        warm_start=False,
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
        self.solver = solver
        self.warm_start = warm_start

    def predict_proba(self, X):
        """Class probabilities (softmax of the scores): (n_samples, n_classes), rows sum to 1."""
        if _is_dask(X):
            return self._lazy(self.predict_proba, X)
        s = self._scores(X)
        s -= s.max(axis=1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=1, keepdims=True)
        return s

    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba`, computed stably."""
        if _is_dask(X):
            return self._lazy(self.predict_log_proba, X)
        s = self._scores(X)
        s -= s.max(axis=1, keepdims=True)
        s -= np.log(np.exp(s).sum(axis=1, keepdims=True))
        return s
