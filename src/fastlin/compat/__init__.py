"""Drop-in replacements for code people already have (see :mod:`fastlin.compat.cs231n`)."""

_SUBMODULES = {"cs231n"}


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
