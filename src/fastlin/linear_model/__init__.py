"""Linear classifiers trained by gradient descent on the fused kernels.

* :class:`LinearSVM`, :class:`Softmax` -- scikit-learn compatible estimators (imported, with
  scikit-learn when installed, on first use);
* :func:`random_search` -- the lecture's first attempt at optimisation.

Update rules and schedules are in :mod:`fastlin.optim`, the minibatch sampler in
:mod:`fastlin.sampling`.
"""

from ._search import RandomSearchResult, random_search

__all__ = ["LinearSVM", "Softmax", "random_search", "RandomSearchResult", "ConvergenceWarning"]

_LAZY = {"LinearSVM": "._classes", "Softmax": "._classes", "ConvergenceWarning": "._validation"}


def __getattr__(name):
    # the estimators import scikit-learn (when installed): only on first use
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
