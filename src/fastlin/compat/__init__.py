"""Drop-in replacements for code people already have (see :mod:`fastlin.compat.cs231n`)."""

from .. import _lazy

__getattr__, __dir__ = _lazy.attach(__name__, {"cs231n": None})
