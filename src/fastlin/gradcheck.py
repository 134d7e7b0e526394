"""Gradient checking by centred finite differences."""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["numerical_gradient", "grad_check_sparse", "rel_error"]


def rel_error(a: ArrayLike, b: ArrayLike) -> float:
    """``max(|a - b| / max(1e-8, |a| + |b|))`` over the elements, as a float."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def _check_x(x):
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError("x must be a floating-point ndarray (it is perturbed in place)")


def _centred_difference(f, x, ix, h):
    """(f(x + h e_ix) - f(x - h e_ix)) / 2h, restoring x[ix] exactly."""
    old = x[ix]
    x[ix] = old + h
    fp = float(f(x))
    x[ix] = old - h
    fm = float(f(x))
    x[ix] = old
    return (fp - fm) / (2 * h)


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       h: float = 1e-5) -> np.ndarray:
    """Centred-difference gradient of scalar ``f(x)`` at every entry of x.

    ``x`` (any shape, float) is perturbed in place and restored exactly.
    Returns an array of x's shape and dtype: ``(f(x + h e_i) - f(x - h e_i)) / 2h``.
    """
    _check_x(x)
    if not h > 0:
        raise ValueError(f"h must be > 0, got {h!r}")
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        grad[ix] = _centred_difference(f, x, ix, h)
    return grad


def grad_check_sparse(f: Callable[[np.ndarray], float], x: np.ndarray, analytic_grad: ArrayLike,
                      num_checks: int = 10, h: float = 1e-5, seed: int | None = None,
                      verbose: bool = True) -> np.ndarray:
    """Compare ``analytic_grad`` with centred differences at random entries.

    Prints one line per check (when verbose) and returns the relative errors
    as an array of length ``num_checks``. ``x`` is restored after each check.
    """
    _check_x(x)
    analytic_grad = np.asarray(analytic_grad)
    if analytic_grad.shape != x.shape:
        raise ValueError(f"analytic_grad must have x's shape {x.shape}, got {analytic_grad.shape}")
    if x.size == 0:
        raise ValueError("x must not be empty")
    rng = np.random.default_rng(seed)
    errors = np.empty(num_checks)
    for k in range(num_checks):
        ix = tuple(int(rng.integers(n)) for n in x.shape)
        num = _centred_difference(f, x, ix, h)
        ana = float(analytic_grad[ix])
        errors[k] = abs(num - ana) / max(1e-12, abs(num) + abs(ana))
        if verbose:
            print(f"numerical: {num:f} analytic: {ana:f}, relative error: {errors[k]:e}")
    return errors
