# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Thin wrapper over csrc/loss.c: takes pointers, releases the GIL, calls C.

Shapes and dtypes are checked in :mod:`fastlin.losses` before these functions run; the ranges
of the indices the kernel reads through (``idx``, ``y``) are checked here, one pass each.
"""

import threading

import numpy as np

from cpython.exc cimport PyErr_CheckSignals

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
    cdef Py_ssize_t D = W.shape[0], C = W.shape[1]
    cdef Py_ssize_t n = y.shape[0]
    cdef Py_ssize_t ldx = X.strides[0] // sizeof(real)
    cdef const Py_ssize_t *pidx = &idx[0] if idx is not None else NULL
    cdef const real *pb = &b[0] if b is not None else NULL
    cdef real *pdb = &db[0] if db is not None else NULL
    cdef double loss = 0.0
    cdef int status = FL_OK
    cdef size_t nbytes
    cdef Py_ssize_t steps, step, s0, s1
    cdef Py_ssize_t bad
    if idx is not None:
        bad = _first_outside(idx, X.shape[0])
        if bad >= 0:
            raise ValueError(f"idx must hold row indices in [0, {X.shape[0]}), found {idx[bad]}")
    bad = _first_outside(y, C)
    if bad >= 0:
        raise ValueError(f"y must hold class labels in [0, {C}), found {y[bad]}")
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
                status = fl_loss_part_float(kind, &W[0, 0], pb, &X[0, 0], ldx, pidx,
                                            &y[0], n, D, C, <float>delta, reg, num_threads,
                                            scratch, nbytes, s0, s1, &loss, &dW[0, 0], pdb)
            else:
                status = fl_loss_part_double(kind, &W[0, 0], pb, &X[0, 0], ldx, pidx,
                                             &y[0], n, D, C, delta, reg, num_threads,
                                             scratch, nbytes, s0, s1, &loss, &dW[0, 0], pdb)
        if status != FL_OK:
            raise RuntimeError(f"fastlin: loss kernel failed with status {status}")
        if s1 < steps:
            PyErr_CheckSignals()
    return loss
