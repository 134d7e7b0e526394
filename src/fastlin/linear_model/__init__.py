"""Linear classifiers trained by gradient descent on the fused kernels.

* :class:`LinearSVM`, :class:`Softmax` -- scikit-learn compatible estimators (imported, with
  scikit-learn when installed, on first use);
* :func:`random_search` -- the lecture's first attempt at optimisation.

Update rules and schedules are in :mod:`fastlin.optim`, the minibatch sampler in
:mod:`fastlin.sampling`.
"""

from ._search import RandomSearchResult, random_search

__all__ = ["LinearSVM", "Softmax", "random_search", "RandomSearchResult"]


def __getattr__(name):
    # the estimators import scikit-learn (when installed): only on first use
    if name in ("LinearSVM", "Softmax"):
        from . import _classes

        return getattr(_classes, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"LinearSVM", "Softmax"})
