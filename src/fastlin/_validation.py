"""Argument checks shared by the public wrappers of the compiled kernels.

Every check raises ``TypeError`` (wrong kind of object or dtype) or
``ValueError`` (wrong shape, range or value) with the argument's name.
"""

import numbers
import operator

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def check_num_threads(num_threads):
    """None -> 0 (OpenMP's default, honours OMP_NUM_THREADS); else an int >= 1."""
    if num_threads is None:
        return 0
    if isinstance(num_threads, (bool, np.bool_)) or not isinstance(num_threads, numbers.Integral):
        raise TypeError(f"num_threads must be None or a positive int, got {num_threads!r}")
    if num_threads < 1:
        raise ValueError(f"num_threads must be None or >= 1, got {num_threads}")
    return int(num_threads)


def check_float_array(a, name, ndim, dtype=None):
    """Return `a` as a float32/float64 ndarray of `ndim` dims, native byte order.

    If `dtype` is given the array must already have that dtype (no silent
    casting between float32 and float64).
    """
    a = np.asarray(a)
    if a.dtype.kind != "f" or a.dtype.itemsize not in (4, 8):
        raise TypeError(f"{name} must be a float32 or float64 array, got dtype {a.dtype}")
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    if dtype is not None and a.dtype != dtype:
        raise TypeError(f"{name} has dtype {a.dtype} but X has dtype {dtype}; "
                        f"convert one of them so that they match")
    if a.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {a.shape}")
    return a


def check_index_array(a, name, upper, what="indices"):
    """Return `a` as a 1-D contiguous intp array with values in [0, upper)."""
    a = np.asarray(a)
    if a.size == 0 and a.dtype.kind == "f":  # e.g. np.asarray([])
        a = a.astype(np.intp)
    if a.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer {what}, got dtype {a.dtype}")
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    if a.size:
        lo, hi = a.min(), a.max()
        if lo < 0 or hi >= upper:
            bad = lo if lo < 0 else hi
            raise ValueError(f"{name} must hold {what} in [0, {upper}), found {bad}")
    return np.ascontiguousarray(a, dtype=np.intp)


def check_scalar(value, name, *, minimum=None):
    """Return `value` as a finite float, optionally >= minimum."""
    try:
        v = float(operator.index(value)) if isinstance(value, numbers.Integral) else float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {value!r}") from None
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None and v < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return v


def rows_in_place(X):
    """X itself when its rows are contiguous and aligned (read in place), else a C copy."""
    item = X.dtype.itemsize
    if (X.strides[1] == item and X.strides[0] >= 0 and X.strides[0] % item == 0
            and X.flags.aligned):
        return X
    return np.ascontiguousarray(X)


def check_int(value, name, minimum, maximum=None):
    """value as a Python int in [minimum, maximum]; TypeError/ValueError naming `name`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        hi = "" if maximum is None else f" and <= {maximum}"
        raise ValueError(f"{name} must be >= {minimum}{hi}, got {value}")
    return int(value)


def random_seed(random_state):
    """A 64-bit seed from random_state: an int is used as is; None, a RandomState or a
    Generator gives a fresh draw from it (None: NumPy's global RandomState)."""
    if random_state is None:
        return int(np.random.randint(0, 2**63 - 1, dtype=np.int64))
    if isinstance(random_state, (bool, np.bool_)):
        raise TypeError(f"random_state must be None, an int, a RandomState or a Generator, "
                        f"got {random_state!r}")
    if isinstance(random_state, numbers.Integral):
        if random_state < 0 or random_state >= 2**64:
            raise ValueError(f"random_state must be in [0, 2**64), got {random_state}")
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**63 - 1, dtype=np.int64))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**63 - 1))
    raise TypeError(f"random_state must be None, an int, a RandomState or a Generator, "
                    f"got {random_state!r}")


def random_state_rng(random_state):
    """A RandomState from random_state (None, int in [0, 2**64), RandomState or Generator)."""
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if random_state is None:
        return np.random.RandomState()
    s = random_seed(random_state)  # validates
    return np.random.RandomState([s & 0xFFFFFFFF, s >> 32])
