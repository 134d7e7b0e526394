"""Argument checks shared by the public wrappers of the compiled kernels.

Every check raises ``TypeError`` (wrong kind of object or dtype) or
``ValueError`` (wrong shape, range or value) with the argument's name.
"""

import math
import numbers
import operator
import os

import numpy as np

from ._ext._build_info import thread_cap

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
INT_MAX = 2**31 - 1  # the largest value of a C int

# OpenMP (libgomp) keeps a pool of threads that a fork does not copy: a forked child whose
# parent ran a kernel on several threads hangs in its first parallel region. Once threads may
# have started, forked children run every kernel on one thread.
_threads = {"started": False, "single": False}


def _after_fork_in_child():
    if _threads["started"]:
        _threads["single"] = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def check_num_threads(num_threads):
    """The thread count to pass to a kernel: 0 (OpenMP's default, honours OMP_NUM_THREADS)
    for None, else an int >= 1, capped to the OpenMP thread limit. Always 1 in a process
    forked after a kernel ran on several threads (OpenMP's threads do not survive a fork)."""
    if num_threads is not None:
        if isinstance(num_threads, (bool, np.bool_)) or not isinstance(num_threads,
                                                                      numbers.Integral):
            raise TypeError(f"num_threads must be None or a positive int, got {num_threads!r}")
        if num_threads < 1:
            raise ValueError(f"num_threads must be None or >= 1, got {num_threads}")
    if _threads["single"]:
        return 1
    if num_threads is None:
        _threads["started"] = True
        return 0
    nt = min(int(num_threads), thread_cap())
    if nt > 1:
        _threads["started"] = True
    return nt


def aligned(a, dtype=None):
    """`a` as a C-contiguous, aligned array (a copy only when it is not one already).
    np.ascontiguousarray keeps a contiguous view at an odd address, which C must not read."""
    flags = getattr(a, "flags", None)
    if (flags is not None and flags.c_contiguous and flags.aligned
            and (dtype is None or a.dtype == dtype)):
        return a  # the common case, without np.require's cost (~1 us a call)
    return np.require(a, dtype, ["C_CONTIGUOUS", "ALIGNED"])


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


def check_index_array(a, name, upper, what="indices", *, range_checked_later=False):
    """Return `a` as a 1-D contiguous intp array with values in [0, upper).

    With `range_checked_later`, the range is left to the kernel wrapper (one pass in C, where two
    NumPy reductions cost microseconds) whenever the conversion to intp keeps every value."""
    a = np.asarray(a)
    if a.size == 0 and a.dtype.kind == "f":  # e.g. np.asarray([])
        a = a.astype(np.intp)
    if a.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer {what}, got dtype {a.dtype}")
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    exact = a.dtype.kind == "i" or a.dtype.itemsize < 8
    if a.size and not (range_checked_later and exact):
        lo, hi = a.min(), a.max()
        if lo < 0 or hi >= upper:
            bad = lo if lo < 0 else hi
            raise ValueError(f"{name} must hold {what} in [0, {upper}), found {bad}")
    return aligned(a, np.intp)


def check_scalar(value, name, *, minimum=None):
    """Return `value` as a finite float, optionally >= minimum."""
    if type(value) is float:  # the common case, without the ABC check below
        v = value
    else:
        try:
            v = (float(operator.index(value)) if isinstance(value, numbers.Integral)
                 else float(value))
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(v):
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
    return aligned(X)



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
