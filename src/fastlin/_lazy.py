"""Public names imported on first access (PEP 562 module ``__getattr__``), as NumPy and SciPy
do: heavy submodules (scikit-learn behind the estimators, matplotlib, Starlette) load only when
used."""

import importlib
import sys


def attach(package, lazy):
    """``(__getattr__, __dir__)`` for ``package``.

    lazy : {public name: relative module that defines it (e.g. "._classes"), or None when the
        name is itself a submodule of the package}.
    """
    def __getattr__(name):
        if name not in lazy:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if lazy[name] is None:
            return importlib.import_module(f".{name}", package)
        return getattr(importlib.import_module(lazy[name], package), name)

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(lazy))

    return __getattr__, __dir__
