"""Input validation of the linear classifiers: scikit-learn's ``validate_data`` when it is
installed, else a small NumPy-only equivalent with the same messages."""

import numpy as np

from .._sklearn import HAVE_SKLEARN

__all__ = ["ConvergenceWarning", "not_fitted_error", "ValidationMixin"]

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


def not_fitted_error(est):
    msg = (f"This {type(est).__name__} instance is not fitted yet. Call 'fit' with appropriate "
           "arguments before using this estimator.")
    if HAVE_SKLEARN:
        from sklearn.exceptions import NotFittedError

        return NotFittedError(msg)
    return AttributeError(msg)


class ValidationMixin:
    """``_validate_X`` / ``_check_targets`` for the estimators (sets ``n_features_in_``)."""

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
