"""fastlin: fast linear image classifiers with a C/OpenMP core.

* loss-and-gradient kernels :func:`svm_loss`, :func:`softmax_loss` (:mod:`fastlin.losses`),
  gradient checking (:mod:`fastlin.gradcheck`) and the NumPy references (:mod:`fastlin.reference`);
* estimators :class:`LinearSVM`, :class:`Softmax` and :func:`random_search`
  (:mod:`fastlin.linear_model`), update rules (:mod:`fastlin.optim`), the minibatch sampler
  (:mod:`fastlin.sampling`);
* image features (:mod:`fastlin.features`), k-means (:mod:`fastlin.cluster`), data sets
  (:mod:`fastlin.datasets`), the CS231n drop-in (:mod:`fastlin.compat.cs231n`).

Submodules are imported on first access (``fastlin.cluster.KMeans``), as NumPy and SciPy do.
"""

from . import _lazy, features, gradcheck, optim, reference, sampling
from ._config import show_config
from ._ext._build_info import build_info as _build_info
from .linear_model import random_search
from .losses import softmax_loss, svm_loss
from .sampling import BatchSampler

__version__ = _build_info()["version"]

__all__ = ["svm_loss", "softmax_loss", "show_config", "BatchSampler", "random_search",
           "LinearSVM", "Softmax", "features", "gradcheck", "optim", "reference", "sampling",
           "cluster", "compat", "datasets", "linear_model", "losses", "__version__"]


# submodules, and the estimators (they import scikit-learn when installed), on first use
__getattr__, __dir__ = _lazy.attach(__name__, {
    **dict.fromkeys(["bow", "cli", "cluster", "compat", "datasets", "demo", "linear_model",
                     "losses", "plot"]),
    "LinearSVM": ".linear_model", "Softmax": ".linear_model",
})
