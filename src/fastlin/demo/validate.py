"""Validation of the demo's JSON requests.

Every reader takes the decoded JSON object and returns clean Python/NumPy values, or raises
:class:`RequestError` naming the offending field; the app turns that into a 422 response. JSON
numbers must be numbers (``true``, strings and ``null`` are rejected, not coerced) and finite
(Python's decoder accepts ``NaN`` and ``Infinity``; these readers do not).
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np

from .model import LOSSES, TRANSFORMS, optimizer_state_names

#: Limits of one request (documented in the README).
MAX_POINTS = 10_000
MIN_CLASSES, MAX_CLASSES = 2, 10
MAX_COORD = 100.0  #: |x|, |y| of a point
MAX_PARAM = 1e6  #: |W|, |b| and optimizer state entries
MAX_STEPS = 1000
MAX_GRID = 200  #: cells per side of the region grid
MAX_RESOLUTION = 61  #: cells per side of the loss surface
MAX_CANDIDATES = 5000
MAX_WORK = 2_000_000  #: rows times loss evaluations per request
MAX_BODY = 4 * 1024 * 1024  #: bytes


_NUMBER_TYPES = {int, float}


class RequestError(ValueError):
    """A field of a request is missing or invalid; ``status`` is the HTTP status to answer."""

    def __init__(self, field: str, message: str, status: int = 422):
        super().__init__(f"{field}: {message}")
        self.field, self.message, self.status = field, message, status


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _get(body, field, default=..., *, path=None):
    name = path or field
    if field not in body or body[field] is None and default is not ...:
        if default is ...:
            raise RequestError(name, "is required")
        return default
    return body[field]


def number(body, field, *, default=..., lo=-math.inf, hi=math.inf, lo_open=False, path=None):
    """A finite float in [lo, hi] (or (lo, hi] with ``lo_open``)."""
    name = path or field
    v = _get(body, field, default, path=path)
    if v is default:
        return v
    if not _is_number(v):
        raise RequestError(name, f"must be a number, got {_kind(v)}")
    try:
        v = float(v)
    except OverflowError:
        raise RequestError(name, "is too large") from None
    if not math.isfinite(v):
        raise RequestError(name, f"must be finite, got {v}")
    if v < lo or (lo_open and v == lo) or v > hi:
        left = "(" if lo_open else "["
        raise RequestError(name, f"must be in {left}{lo:g}, {hi:g}], got {v:g}")
    return v


def integer(body, field, *, default=..., lo=None, hi=None, path=None):
    """An integer in [lo, hi]."""
    name = path or field
    v = _get(body, field, default, path=path)
    if v is default:
        return v
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if not isinstance(v, int) or isinstance(v, bool):
        raise RequestError(name, f"must be an integer, got {_kind(v)}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise RequestError(name, f"must be an integer in [{lo}, {hi}], got {v}")
    return v


def choice(body, field, options, *, default=...):
    """One of the names ``options``."""
    v = _get(body, field, default)
    if v is default:
        return v
    if not isinstance(v, str) or v not in options:
        raise RequestError(field, f"must be one of {', '.join(options)}; got {v!r}")
    return v


def _kind(v):
    return {bool: "a boolean", str: "a string", list: "a list", dict: "an object",
            type(None): "null"}.get(type(v), type(v).__name__)


def float_array(value, field, shape, *, bound):
    """A nested list of finite numbers of the given shape (None entries: any length >= 1),
    every entry within ``[-bound, bound]``, as float64."""
    arr = _numbers_fast(value, shape)
    if arr is None:  # find what is wrong, for the message
        _walk(value, shape, 0, field)
        try:
            arr = np.array(value, dtype=np.float64)
        except OverflowError:
            raise RequestError(field, "holds a number too large for float64") from None
    bad = ~(np.abs(arr) <= bound)
    if bad.any():
        where = ",".join(str(int(i)) for i in np.argwhere(bad)[0])
        raise RequestError(field, f"entries must be finite and within ±{bound:g}; "
                                  f"{field}[{where}] is {arr[bad][0]}")
    return arr


def _numbers_fast(value, shape):
    """``value`` as float64 when it is a well-formed nested list of JSON numbers, else None."""
    try:
        arr = np.array(value, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        return None
    if (arr.ndim != len(shape) or arr.size == 0
            or any(want is not None and n != want for n, want in zip(arr.shape, shape))):
        return None
    leaves = value if arr.ndim == 1 else itertools.chain.from_iterable(value)
    # NumPy turns "1.5" and true into numbers; JSON's numbers are Python's int and float
    if not set(map(type, leaves)) <= _NUMBER_TYPES:
        return None
    return arr


def _walk(v, shape, depth, name):
    """Raise RequestError at the first entry of ``v`` that breaks ``shape`` or is not a number."""
    if depth == len(shape):
        if not _is_number(v):
            raise RequestError(name, f"must be a number, got {_kind(v)}")
        return
    if not isinstance(v, list):
        raise RequestError(name, f"must be a list, got {_kind(v)}")
    want = shape[depth]
    if want is not None and len(v) != want:
        raise RequestError(name, f"must have length {want}, got {len(v)}")
    if not v:
        raise RequestError(name, "must not be empty")
    for i, item in enumerate(v):
        _walk(item, shape, depth + 1, f"{name}[{i}]")


def problem(body):
    """The fields every computing request carries: the points, the labels, the parameters, the
    loss, the regularisation strength and the feature transform.

    Returns a dict: ``X`` (N, 2), ``y`` (N,), ``W`` (C, D), ``b`` (C,), ``loss``, ``reg``,
    ``transform``.
    """
    transform = choice(body, "transform", tuple(TRANSFORMS), default="none")
    loss = choice(body, "loss", LOSSES, default="weston_watkins")
    reg = number(body, "reg", default=0.0, lo=0.0, hi=1e3)
    X = body.get("X")
    if isinstance(X, list) and len(X) > MAX_POINTS:
        raise RequestError("X", f"holds {len(X)} points; the limit is {MAX_POINTS}")
    X = float_array(_get(body, "X"), "X", (None, 2), bound=MAX_COORD)
    N = X.shape[0]
    W = _get(body, "W")
    if isinstance(W, list) and not MIN_CLASSES <= len(W) <= MAX_CLASSES:
        raise RequestError("W", f"must have one row per class, {MIN_CLASSES} to {MAX_CLASSES} "
                                f"rows; got {len(W)}")
    D = len(TRANSFORMS[transform])
    W = float_array(W, "W", (None, D), bound=MAX_PARAM)
    C = W.shape[0]
    b = float_array(_get(body, "b"), "b", (C,), bound=MAX_PARAM)
    y = _get(body, "y")
    if not isinstance(y, list) or len(y) != N:
        raise RequestError("y", f"must be a list of {N} labels (one per point), got "
                                f"{len(y) if isinstance(y, list) else _kind(y)}")
    labels = None
    if set(map(type, y)) == {int}:
        try:
            labels = np.array(y, dtype=np.int64)
        except OverflowError:
            pass
    if labels is None or labels.min() < 0 or labels.max() >= C:
        for i, label in enumerate(y):
            if not isinstance(label, int) or isinstance(label, bool) or not 0 <= label < C:
                raise RequestError(f"y[{i}]", f"must be a class label in [0, {C}) (W has {C} "
                                              f"rows), got {label!r}")
    return {"X": X, "y": labels, "W": W, "b": b, "loss": loss, "reg": reg,
            "transform": transform}


def grid(body):
    """The optional region grid ``{"xmin", "xmax", "ymin", "ymax", "nx", "ny"}``, or None."""
    g = body.get("grid")
    if g is None:
        return None
    if not isinstance(g, dict):
        raise RequestError("grid", f"must be an object, got {_kind(g)}")
    ext = [number(g, k, lo=-1e3, hi=1e3, path=f"grid.{k}")
           for k in ("xmin", "xmax", "ymin", "ymax")]
    if not (ext[0] < ext[1] and ext[2] < ext[3]):
        raise RequestError("grid", "needs xmin < xmax and ymin < ymax")
    nx = integer(g, "nx", lo=1, hi=MAX_GRID, path="grid.nx")
    ny = integer(g, "ny", lo=1, hi=MAX_GRID, path="grid.ny")
    return ext, nx, ny


def work(field, amount, what):
    """Refuse a request whose ``amount`` of row-evaluations exceeds :data:`MAX_WORK`."""
    if amount > MAX_WORK:
        raise RequestError(field, f"asks for {amount:,} row evaluations ({what}); the limit per "
                                  f"request is {MAX_WORK:,}")


def optimizer_state(body, name, W, b):
    """The optional optimizer state ``{state_name: {"W": [[...]], "b": [...]}}`` of update rule
    ``name`` for parameters shaped as W and b, or None (a fresh start)."""
    state = body.get("state")
    if state is None:
        return None
    names = optimizer_state_names(name)
    if not isinstance(state, dict) or set(state) != set(names):
        raise RequestError("state", f"must be null or an object with the keys "
                                    f"{list(names)} of the {name} update, got "
                                    f"{sorted(state) if isinstance(state, dict) else _kind(state)}")
    out = {}
    for s in names:
        part = state[s]
        if not isinstance(part, dict) or set(part) != {"W", "b"}:
            raise RequestError(f"state.{s}", "must be an object with the keys W and b")
        out[s] = {"W": float_array(part["W"], f"state.{s}.W", W.shape, bound=1e300),
                  "b": float_array(part["b"], f"state.{s}.b", b.shape, bound=1e300)}
    return out


_PARAM = re.compile(r"^(W)\[(\d+),(\d+)\]$|^(b)\[(\d+)\]$")


def parameter(value, field, W, b):
    """A parameter name ``"W[c,d]"`` or ``"b[c]"`` inside W (C, D) and b -> ``(name, index)``."""
    m = _PARAM.match(value) if isinstance(value, str) else None
    if m is None:
        raise RequestError(field, f'must name a parameter like "W[0,1]" or "b[2]", got {value!r}')
    if m.group(1):
        index, shape = (int(m.group(2)), int(m.group(3))), W.shape
    else:
        index, shape = (int(m.group(5)),), b.shape
    if any(i >= n for i, n in zip(index, shape)):
        raise RequestError(field, f"{value} is outside W {W.shape} / b {b.shape}")
    return ("W" if m.group(1) else "b"), index


__all__ = ["RequestError", "problem", "grid", "number", "integer", "choice", "float_array",
           "optimizer_state", "parameter", "work"]
