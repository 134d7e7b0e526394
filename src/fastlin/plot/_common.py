"""Shared helpers of the plotting modules: the lazy matplotlib import and argument checks."""

from __future__ import annotations

import numbers

import numpy as np


def pyplot():
    """matplotlib.pyplot, or an ImportError saying how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - exercised only without matplotlib
        raise ImportError("fastlin.plot needs matplotlib: pip install 'fastlin[plot]'") from e
    return plt


def new_axes(ax):
    """``ax`` itself, or a fresh Figure's single Axes when ``ax`` is None."""
    if ax is None:
        return pyplot().subplots()[1]
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def new_axes_pair(axes, figsize=(8, 4)):
    """Two Axes side by side: ``axes`` (a pair) or a fresh Figure's; returns (fig, ax0, ax1)."""
    if axes is None:
        fig, (a0, a1) = pyplot().subplots(1, 2, figsize=figsize, layout="constrained")
        return fig, a0, a1
    from matplotlib.axes import Axes

    try:
        a0, a1 = axes
    except (TypeError, ValueError):
        raise TypeError(f"axes must be None or a pair of matplotlib Axes, got {axes!r}") from None
    if not (isinstance(a0, Axes) and isinstance(a1, Axes)):
        raise TypeError(f"axes must be None or a pair of matplotlib Axes, got {axes!r}")
    return a0.figure, a0, a1


def check_int(value, name, minimum):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_real(value, name, *, minimum=None, strict=False, maximum=None):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) \
            or not np.isfinite(value):
        raise TypeError(f"{name} must be a finite real number, got {value!r}")
    value = float(value)
    if minimum is not None and (value <= minimum if strict else value < minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_choice(value, name, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def final_estimator(est):
    """The last step of a scikit-learn Pipeline, or ``est`` itself."""
    steps = getattr(est, "steps", None)
    if isinstance(steps, list) and steps:
        return steps[-1][1]
    return est


def rescale(a, axis=None):
    """``(a - min) / (max - min)`` over ``axis`` (constant input maps to 0.5), float64."""
    a = np.asarray(a, dtype=np.float64)
    lo = a.min(axis=axis, keepdims=True)
    hi = a.max(axis=axis, keepdims=True)
    span = hi - lo
    out = np.full_like(a, 0.5)
    np.divide(a - lo, span, out=out, where=span > 0)
    return out
