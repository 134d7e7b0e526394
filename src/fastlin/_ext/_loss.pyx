# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Thin wrapper over csrc/loss.c: takes pointers, releases the GIL, calls C.

All validation happens in :mod:`fastlin.losses` before these functions run.
"""

import threading

import numpy as np

ctypedef fused real:
    float
    double

cdef extern from "loss.h" nogil:
    int FL_OK
    int FL_ENOMEM
    int fl_loss_float(int kind, const float *W, const float *b, const float *X,
                      Py_ssize_t ldx, const Py_ssize_t *idx, const Py_ssize_t *y,
                      Py_ssize_t n, Py_ssize_t D, Py_ssize_t C, float delta,
                      float reg, int num_threads, void *scratch, size_t scratch_bytes,
                      double *loss, float *dW, float *db)
    int fl_loss_double(int kind, const double *W, const double *b, const double *X,
                       Py_ssize_t ldx, const Py_ssize_t *idx, const Py_ssize_t *y,
                       Py_ssize_t n, Py_ssize_t D, Py_ssize_t C, double delta,
                       double reg, int num_threads, void *scratch, size_t scratch_bytes,
                       double *loss, double *dW, double *db)
    size_t fl_loss_scratch_bytes_float(Py_ssize_t n, Py_ssize_t D, Py_ssize_t C,
                                       int num_threads)
    size_t fl_loss_scratch_bytes_double(Py_ssize_t n, Py_ssize_t D, Py_ssize_t C,
                                        int num_threads)

# Each calling thread keeps its largest scratch buffer (up to SCRATCH_CACHE_BYTES) between
# calls: allocating it afresh makes the OS map and zero new pages every call, which costs
# more than the arithmetic of a 200-row minibatch.
SCRATCH_CACHE_BYTES = 64 << 20
_cache = threading.local()


cdef unsigned char[::1] _scratch(size_t nbytes):
    """The calling thread's cached buffer of at least nbytes, or None above the cap."""
    if nbytes > SCRATCH_CACHE_BYTES:
        return None
    buf = getattr(_cache, "buf", None)
    if buf is None or buf.shape[0] < <Py_ssize_t>nbytes:
        buf = np.empty(nbytes, dtype=np.uint8)
        _cache.buf = buf
    return buf


SVM = 0
SOFTMAX = 1


def loss_grad(int kind, const real[:, ::1] W, const real[::1] b,
              const real[:, :] X, const Py_ssize_t[::1] idx,
              const Py_ssize_t[::1] y, double delta, double reg, int num_threads,
              real[:, ::1] dW, real[::1] db):
    """Mean data loss + reg * sum(W**2); fills dW (D, C) and db (C,) (when b is given).

    W is (D, C) C-contiguous.

    X rows must be contiguous (X.strides[1] == itemsize, X.strides[0] >= 0).
    idx may be None (all rows); y holds the labels of the rows used.
    """
    cdef Py_ssize_t D = W.shape[0], C = W.shape[1]
    cdef Py_ssize_t n = y.shape[0]
    cdef Py_ssize_t ldx = X.strides[0] // sizeof(real)
    cdef const Py_ssize_t *pidx = &idx[0] if idx is not None else NULL
    cdef const real *pb = &b[0] if b is not None else NULL
    cdef real *pdb = &db[0] if db is not None else NULL
    cdef double loss = 0.0
    cdef int status
    cdef size_t nbytes
    if real is float:
        nbytes = fl_loss_scratch_bytes_float(n, D, C, num_threads)
    else:
        nbytes = fl_loss_scratch_bytes_double(n, D, C, num_threads)
    cdef unsigned char[::1] buf = _scratch(nbytes)
    cdef void *scratch = <void *>&buf[0] if buf is not None else NULL
    with nogil:
        if real is float:
            status = fl_loss_float(kind, &W[0, 0], pb, &X[0, 0], ldx, pidx,
                                   &y[0], n, D, C, <float>delta, <float>reg,
                                   num_threads, scratch, nbytes, &loss, &dW[0, 0], pdb)
        else:
            status = fl_loss_double(kind, &W[0, 0], pb, &X[0, 0], ldx, pidx,
                                    &y[0], n, D, C, delta, reg, num_threads,
                                    scratch, nbytes, &loss, &dW[0, 0], pdb)
    if status == FL_ENOMEM:
        raise MemoryError("fastlin: could not allocate the loss kernel's scratch")
    return loss
