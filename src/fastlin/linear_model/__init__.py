"""Linear classifiers trained by gradient descent on the fused kernels.

* :class:`LinearSVM`, :class:`Softmax` -- scikit-learn compatible estimators (imported, with
  scikit-learn when installed, on first use);
* :func:`random_search` -- the lecture's first attempt at optimisation.

Update rules and schedules are in :mod:`fastlin.optim`, the minibatch sampler in
:mod:`fastlin.sampling`.
"""

from .. import _lazy
from ._search import RandomSearchResult, random_search

__all__ = ["LinearSVM", "Softmax", "random_search", "RandomSearchResult", "ConvergenceWarning"]

# the estimators import scikit-learn (when installed): only on first use
__getattr__, __dir__ = _lazy.attach(__name__, {
    "LinearSVM": "._classes", "Softmax": "._classes", "ConvergenceWarning": "._validation"})
