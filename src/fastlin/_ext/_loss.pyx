# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Thin wrapper over csrc/loss.c: takes pointers, releases the GIL, calls C.

Shapes and dtypes are checked in :mod:`fastlin.losses` before :func:`loss_grad` runs; the
ranges of the indices the kernel reads through (``idx``, ``y``) are checked here, one pass each.
:func:`loss_grad_ready` takes the arguments as the user gave them and runs the kernel only when
they are already in its layout (checked in C), the common case of a training loop.
"""

import threading

import numpy as np

from cpython.exc cimport PyErr_CheckSignals
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.math cimport isfinite

ctypedef fused real:
    float
    double

include "_simd.pxi"

cdef extern from "kernels.h" nogil:
    int FL_OK
    int FL_ENOMEM
    int FL_LOSS_SVM, FL_LOSS_SOFTMAX, FL_LOSS_SVM_OVA, FL_LOSS_SVM_CS
    int FL_LOSS_SVM_SQ, FL_LOSS_SVM_OVA_SQ, FL_LOSS_SVM_CS_SQ
    ptrdiff_t fl_loss_steps_float(Py_ssize_t n, Py_ssize_t D, Py_ssize_t C, int num_threads)
    ptrdiff_t fl_loss_steps_double(Py_ssize_t n, Py_ssize_t D, Py_ssize_t C, int num_threads)
    int fl_loss_part_float(int kind, const float *W, const float *b, const float *X,
                           Py_ssize_t ldx, const Py_ssize_t *idx, const Py_ssize_t *y,
                           Py_ssize_t n, Py_ssize_t D, Py_ssize_t C, float delta,
                           double reg, int num_threads, void *scratch, size_t scratch_bytes,
                           Py_ssize_t s0, Py_ssize_t s1, double *loss, float *dW, float *db)
    int fl_loss_part_double(int kind, const double *W, const double *b, const double *X,
                            Py_ssize_t ldx, const Py_ssize_t *idx, const Py_ssize_t *y,
                            Py_ssize_t n, Py_ssize_t D, Py_ssize_t C, double delta,
                            double reg, int num_threads, void *scratch, size_t scratch_bytes,
                            Py_ssize_t s0, Py_ssize_t s1, double *loss, double *dW,
                            double *db)
    size_t fl_loss_scratch_bytes_float(Py_ssize_t n, Py_ssize_t D, Py_ssize_t C,
                                       int num_threads)
    size_t fl_loss_scratch_bytes_double(Py_ssize_t n, Py_ssize_t D, Py_ssize_t C,
                                        int num_threads)

# Each calling thread keeps one scratch buffer of up to SCRATCH_CACHE_BYTES between calls:
# allocating it afresh makes the OS map and zero new pages every call, which costs more than
# the arithmetic of a 200-row minibatch. Larger scratch (big calls, where it does not matter)
# is allocated per call and freed after it.
SCRATCH_CACHE_BYTES = 4 << 20
_cache = threading.local()

# Multiply-adds of X @ W per part of a call (0.1-0.5 s; a full CIFAR-10 batch is one part:
# parts cost some speed on loaded machines): between parts the wrapper
# takes the GIL back and checks for signals, so that Ctrl-C stops any call quickly.
PART_MACS = 1 << 31


cdef unsigned char[::1] _scratch(size_t nbytes):
    """The calling thread's cached buffer of at least nbytes, or a fresh one above the cap."""
    if nbytes > SCRATCH_CACHE_BYTES:
        return np.empty(nbytes, dtype=np.uint8)
    buf = getattr(_cache, "buf", None)
    if buf is None or buf.shape[0] < <Py_ssize_t>nbytes:
        buf = np.empty(nbytes, dtype=np.uint8)
        _cache.buf = buf
    return buf


# kinds of loss: the per-row step of the kernel (csrc/loss.h)
SVM = FL_LOSS_SVM
SOFTMAX = FL_LOSS_SOFTMAX
SVM_ONE_VS_ALL = FL_LOSS_SVM_OVA
SVM_CRAMMER_SINGER = FL_LOSS_SVM_CS
# the same three with squared hinges
SVM_SQUARED = FL_LOSS_SVM_SQ
SVM_ONE_VS_ALL_SQUARED = FL_LOSS_SVM_OVA_SQ
SVM_CRAMMER_SINGER_SQUARED = FL_LOSS_SVM_CS_SQ
_KINDS = (SVM, SOFTMAX, SVM_ONE_VS_ALL, SVM_CRAMMER_SINGER, SVM_SQUARED, SVM_ONE_VS_ALL_SQUARED,
          SVM_CRAMMER_SINGER_SQUARED)


cdef Py_ssize_t _first_outside(const Py_ssize_t[::1] a, Py_ssize_t upper) noexcept nogil:
    """Position of the first value of a outside [0, upper), or -1."""
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        if <size_t>a[i] >= <size_t>upper:
            return i
    return -1


cdef double _run(int kind, const real *W, const real *b, const real *X, Py_ssize_t ldx,
                 const Py_ssize_t *idx, const Py_ssize_t *y, Py_ssize_t n, Py_ssize_t D,
                 Py_ssize_t C, double delta, double reg, int num_threads, real *dW, real *db,
                 Py_ssize_t part_macs) except? -1.0:
    """The kernel over the n rows (idx and y in range), in parts of about part_macs
    multiply-adds, checking for signals in between."""
    cdef double loss = 0.0
    cdef int status = FL_OK
    cdef size_t nbytes
    cdef Py_ssize_t steps, step, s0, s1
    if real is float:
        nbytes = fl_loss_scratch_bytes_float(n, D, C, num_threads)
        steps = fl_loss_steps_float(n, D, C, num_threads)
    else:
        nbytes = fl_loss_scratch_bytes_double(n, D, C, num_threads)
        steps = fl_loss_steps_double(n, D, C, num_threads)
    # steps per part: rows per step ~ n / steps
    step = max(1, min(steps, <Py_ssize_t>(<double>part_macs * steps / (<double>n * D * C))))
    cdef unsigned char[::1] buf = _scratch(nbytes)
    cdef void *scratch = <void *>&buf[0]
    for s0 in range(0, steps, step):
        s1 = min(s0 + step, steps)
        with nogil:
            if real is float:
                status = fl_loss_part_float(kind, W, b, X, ldx, idx, y, n, D, C, <float>delta,
                                            reg, num_threads, scratch, nbytes, s0, s1, &loss,
                                            dW, db)
            else:
                status = fl_loss_part_double(kind, W, b, X, ldx, idx, y, n, D, C, delta, reg,
                                             num_threads, scratch, nbytes, s0, s1, &loss, dW,
                                             db)
        if status != FL_OK:
            raise RuntimeError(f"fastlin: loss kernel failed with status {status}")
        if s1 < steps:
            PyErr_CheckSignals()
    return loss


def loss_grad(int kind, const real[:, ::1] W, const real[::1] b,
              const real[:, :] X, const Py_ssize_t[::1] idx,
              const Py_ssize_t[::1] y, double delta, double reg, int num_threads,
              real[:, ::1] dW, real[::1] db, Py_ssize_t part_macs=PART_MACS):
    """Mean data loss + reg * sum(W**2); fills dW (D, C) and db (C,) (when b is given).

    W is (D, C) C-contiguous.

    X rows must be contiguous (X.strides[1] == itemsize, X.strides[0] >= 0).
    idx may be None (all rows); y holds the labels of the rows used. ValueError naming idx or
    y when one holds a value outside [0, N) or [0, C).
    The call runs in parts of about part_macs multiply-adds, checking for signals in between
    (the result does not depend on part_macs).
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind}")
    cdef Py_ssize_t bad
    if idx is not None:
        bad = _first_outside(idx, X.shape[0])
        if bad >= 0:
            raise ValueError(f"idx must hold row indices in [0, {X.shape[0]}), found {idx[bad]}")
    bad = _first_outside(y, W.shape[1])
    if bad >= 0:
        raise ValueError(f"y must hold class labels in [0, {W.shape[1]}), found {y[bad]}")
    return _run(kind, &W[0, 0], &b[0] if b is not None else NULL, &X[0, 0],
                X.strides[0] // sizeof(real), &idx[0] if idx is not None else NULL, &y[0],
                y.shape[0], W.shape[0], W.shape[1], delta, reg, num_threads, &dW[0, 0],
                &db[0] if db is not None else NULL, part_macs)


_FLOAT32 = np.dtype(np.float32)
_FLOAT64 = np.dtype(np.float64)


cdef inline bint _misaligned(const void *p, size_t size) noexcept nogil:
    return <size_t>p % size != 0


cdef object _ready(int kind, const real[:, ::1] W, const real[:, :] X, const Py_ssize_t[::1] y,
                   double reg, double delta, const real[::1] b, const Py_ssize_t[::1] idx,
                   int num_threads, dtype):
    """loss_grad_ready for one float type, the arrays taken as typed views (which checked
    their dtypes, dimensions and contiguity); None when something else is not as the kernel
    reads it."""
    cdef Py_ssize_t N = X.shape[0], D = X.shape[1], C = W.shape[1], n, i, r
    cdef Py_ssize_t item = sizeof(real)
    if (N == 0 or D == 0 or C == 0 or W.shape[0] != D or y.shape[0] != N
            or X.strides[1] != item or X.strides[0] < 0 or X.strides[0] % item
            or _misaligned(&X[0, 0], item) or _misaligned(&W[0, 0], item)
            or _misaligned(&y[0], sizeof(Py_ssize_t))):
        return None
    if b is not None and (b.shape[0] != C or _misaligned(&b[0], item)):
        return None
    if idx is not None and (idx.shape[0] == 0 or _misaligned(&idx[0], sizeof(Py_ssize_t))):
        return None
    n = idx.shape[0] if idx is not None else N
    # the labels of the rows used, in range, as the kernel reads them
    cdef real[:, ::1] dWv
    cdef real[::1] dbv
    cdef Py_ssize_t *labels = NULL
    cdef const Py_ssize_t *lab = &y[0]
    if idx is not None:
        labels = <Py_ssize_t *>PyMem_Malloc(n * sizeof(Py_ssize_t))
        if labels == NULL:
            raise MemoryError()
        lab = labels
    try:
        for i in range(n):
            r = idx[i] if idx is not None else i
            if <size_t>r >= <size_t>N or <size_t>y[r] >= <size_t>C:
                return None
            if labels != NULL:
                labels[i] = y[r]
        dW = np.empty((D, C), dtype=dtype)
        dWv = dW
        db = dbv = None
        if b is not None:
            db = dbv = np.empty(C, dtype=dtype)
        loss = _run(kind, &W[0, 0], &b[0] if b is not None else NULL, &X[0, 0],
                    X.strides[0] // item, &idx[0] if idx is not None else NULL, lab, n, D, C,
                    delta, reg, num_threads, &dWv[0, 0], &dbv[0] if b is not None else NULL,
                    <Py_ssize_t>PART_MACS)
    finally:
        PyMem_Free(labels)
    return (loss, dW, db) if b is not None else (loss, dW)


def loss_grad_ready(int kind, W, X, y, reg, delta, b, idx, int num_threads):
    """``(loss, dW)`` or ``(loss, dW, db)`` as :func:`fastlin.losses.svm_loss` returns them,
    when the arguments are already what the kernel reads: W (D, C) and X (N, D) float arrays
    of one native dtype, W C-contiguous, X's rows contiguous, y (N,) and idx (n,) intp arrays,
    contiguous, every array aligned, every index in range, reg and delta finite floats
    (reg >= 0); None otherwise, and the caller validates and converts (and raises).
    num_threads as check_num_threads returns it."""
    if (type(X) is not np.ndarray or type(W) is not np.ndarray or type(reg) is not float
            or type(delta) is not float or kind not in _KINDS):
        return None
    cdef double r = reg, dl = delta
    if not (isfinite(r) and r >= 0 and isfinite(dl)):
        return None
    dtype = X.dtype
    if W.dtype is not dtype or (b is not None and (type(b) is not np.ndarray
                                                   or b.dtype is not dtype)):
        return None
    try:  # the typed views refuse a wrong dtype, dimension or layout (ValueError)
        if dtype is _FLOAT64:
            return _ready[double](kind, W, X, y, r, dl, b, idx, num_threads, dtype)
        if dtype is _FLOAT32:
            return _ready[float](kind, W, X, y, r, dl, b, idx, num_threads, dtype)
    except (ValueError, TypeError, BufferError):
        return None
    return None
