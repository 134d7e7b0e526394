"""fastlin: fast linear image classifiers with a C/OpenMP core.

Loss-and-gradient kernels (:func:`svm_loss`, :func:`softmax_loss`), gradient
checking (:mod:`fastlin.gradcheck`) and the NumPy references they are tested
against (:mod:`fastlin.reference`).
"""

from . import gradcheck, reference
from ._build_info import build_info as _build_info
from ._config import show_config
from .losses import softmax_loss, svm_loss

__version__ = _build_info()["version"]

__all__ = ["svm_loss", "softmax_loss", "show_config", "gradcheck", "reference", "__version__"]
