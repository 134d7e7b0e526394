"""fastlin: fast linear image classifiers with a C/OpenMP core.

Loss-and-gradient kernels (:func:`svm_loss`, :func:`softmax_loss`), gradient
checking (:mod:`fastlin.gradcheck`) and the NumPy references they are tested
against (:mod:`fastlin.reference`).
"""

from . import features, gradcheck, reference
from ._build_info import build_info as _build_info
from ._config import show_config
from .losses import softmax_loss, svm_loss

__version__ = _build_info()["version"]

__all__ = ["svm_loss", "softmax_loss", "show_config", "features", "gradcheck", "reference",
           "__version__"]

# -- training (issue 3) ------------------------------------------------------
from . import datasets, optim, sampling  # noqa: E402
from .sampling import BatchSampler  # noqa: E402
from .search import random_search  # noqa: E402

__all__ += ["datasets", "optim", "sampling", "BatchSampler", "random_search", "LinearSVM", "Softmax"]


# public submodules imported on first access (``fastlin.cluster.KMeans``), as NumPy and SciPy do
_LAZY_SUBMODULES = {"bow", "cluster", "compat", "linear_model", "losses", "plot", "search"}


def __getattr__(name):
    import importlib

    # the estimators import scikit-learn (when installed): only on first use
    if name in ("LinearSVM", "Softmax"):
        return getattr(importlib.import_module(".linear_model", __name__), name)
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _LAZY_SUBMODULES | {"LinearSVM", "Softmax"})
