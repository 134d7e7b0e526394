"""scikit-learn's estimator bases when it is installed, minimal stand-ins otherwise.

scikit-learn is optional: with it fastlin's estimators and transformers are
real scikit-learn estimators (clone, Pipeline, grid search); without it they
keep ``get_params``/``set_params``, ``fit_transform``, ``fit_predict`` and
``score``. Imported only by the modules that define estimators, which
``import fastlin`` loads lazily.
"""

import inspect

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, ClusterMixin, TransformerMixin

    HAVE_SKLEARN = True
except ImportError:  # pragma: no cover - exercised only without scikit-learn
    HAVE_SKLEARN = False

    class BaseEstimator:
        """get_params/set_params over the parameters of ``__init__``."""

        @classmethod
        def _get_param_names(cls):
            sig = inspect.signature(cls.__init__)
            return sorted(p.name for p in sig.parameters.values()
                          if p.name != "self" and p.kind != p.VAR_KEYWORD)

        def get_params(self, deep=True):
            return {k: getattr(self, k) for k in self._get_param_names()}

        def set_params(self, **params):
            valid = self._get_param_names()
            for k, v in params.items():
                if k not in valid:
                    raise ValueError(f"Invalid parameter {k!r} for estimator {type(self).__name__}")
                setattr(self, k, v)
            return self

        def __repr__(self):
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
            return f"{type(self).__name__}({args})"

    class TransformerMixin:
        def fit_transform(self, X, y=None, **fit_params):
            return self.fit(X, y, **fit_params).transform(X)

    class ClusterMixin:
        _estimator_type = "clusterer"

        def fit_predict(self, X, y=None):
            return self.fit(X).labels_

    class ClassifierMixin:
        _estimator_type = "classifier"

        def score(self, X, y, sample_weight=None):
            y_pred = self.predict(X)
            w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
            return float(np.average(np.asarray(y) == y_pred, weights=w))
