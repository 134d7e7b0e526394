# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Thin wrapper over csrc/patches.c, csrc/kmeans.c and csrc/encode.c: takes pointers, releases
the GIL, calls C, turns status codes into exceptions.

All argument validation happens in :mod:`fastlin.cluster` and :mod:`fastlin.bow` before these run.
"""
import numpy as np

from cpython.exc cimport PyErr_CheckSignals
from libc.stdint cimport int64_t, uint8_t, uint64_t

ctypedef fused pixel:
    uint8_t
    float
    double

ctypedef fused real:
    float
    double

include "_simd.pxi"

cdef extern from "kernels.h" nogil:
    int FL_OK
    int FL_ENOMEM
    int fl_patch_positions(Py_ssize_t n, Py_ssize_t h, Py_ssize_t w, Py_ssize_t ph,
                           Py_ssize_t pw, Py_ssize_t count, uint64_t seed, int64_t *pos)
    int fl_patches_uint8_float(const uint8_t *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                               Py_ssize_t c, const Py_ssize_t *strides, Py_ssize_t ph,
                               Py_ssize_t pw, const int64_t *pos, Py_ssize_t count,
                               int num_threads, float *out)
    int fl_patches_uint8_double(const uint8_t *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                                Py_ssize_t c, const Py_ssize_t *strides, Py_ssize_t ph,
                                Py_ssize_t pw, const int64_t *pos, Py_ssize_t count,
                                int num_threads, double *out)
    int fl_patches_float_float(const float *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                               Py_ssize_t c, const Py_ssize_t *strides, Py_ssize_t ph,
                               Py_ssize_t pw, const int64_t *pos, Py_ssize_t count,
                               int num_threads, float *out)
    int fl_patches_double_double(const double *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                                 Py_ssize_t c, const Py_ssize_t *strides, Py_ssize_t ph,
                                 Py_ssize_t pw, const int64_t *pos, Py_ssize_t count,
                                 int num_threads, double *out)
    int fl_dense_patches_uint8_float(const uint8_t *images, Py_ssize_t n, Py_ssize_t h,
                                     Py_ssize_t w, Py_ssize_t c, const Py_ssize_t *strides,
                                     Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t stride,
                                     int num_threads, float *out)
    int fl_dense_patches_uint8_double(const uint8_t *images, Py_ssize_t n, Py_ssize_t h,
                                      Py_ssize_t w, Py_ssize_t c, const Py_ssize_t *strides,
                                      Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t stride,
                                      int num_threads, double *out)
    int fl_dense_patches_float_float(const float *images, Py_ssize_t n, Py_ssize_t h,
                                     Py_ssize_t w, Py_ssize_t c, const Py_ssize_t *strides,
                                     Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t stride,
                                     int num_threads, float *out)
    int fl_dense_patches_double_double(const double *images, Py_ssize_t n, Py_ssize_t h,
                                       Py_ssize_t w, Py_ssize_t c, const Py_ssize_t *strides,
                                       Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t stride,
                                       int num_threads, double *out)
    int fl_normalize_patches_float(float *X, Py_ssize_t n, Py_ssize_t D, Py_ssize_t ld,
                                   double eps, int num_threads)
    int fl_normalize_patches_double(double *X, Py_ssize_t n, Py_ssize_t D, Py_ssize_t ld,
                                    double eps, int num_threads)

cdef extern from "kernels.h" nogil:
    int FL_KMEANS_EINVAL
    Py_ssize_t fl_kmeans_assign_steps_float(Py_ssize_t n, Py_ssize_t D, Py_ssize_t K,
                                            int with_sums)
    Py_ssize_t fl_kmeans_assign_steps_double(Py_ssize_t n, Py_ssize_t D, Py_ssize_t K,
                                             int with_sums)
    size_t fl_kmeans_assign_scratch_bytes_float(Py_ssize_t n, Py_ssize_t D, Py_ssize_t K,
                                                int with_sums, int num_threads)
    size_t fl_kmeans_assign_scratch_bytes_double(Py_ssize_t n, Py_ssize_t D, Py_ssize_t K,
                                                 int with_sums, int num_threads)
    int fl_kmeans_assign_part_float(const float *X, Py_ssize_t ldx, Py_ssize_t n, Py_ssize_t D,
                                    const float *centres, Py_ssize_t K, int num_threads,
                                    void *scratch, size_t scratch_bytes, Py_ssize_t s0,
                                    Py_ssize_t s1, int64_t *labels, float *mindist,
                                    double *sums, int64_t *counts, double *inertia)
    int fl_kmeans_assign_part_double(const double *X, Py_ssize_t ldx, Py_ssize_t n,
                                     Py_ssize_t D, const double *centres, Py_ssize_t K,
                                     int num_threads, void *scratch, size_t scratch_bytes,
                                     Py_ssize_t s0, Py_ssize_t s1, int64_t *labels,
                                     double *mindist, double *sums, int64_t *counts,
                                     double *inertia)
    Py_ssize_t fl_kmeans_plusplus_steps_float(Py_ssize_t n, Py_ssize_t D, Py_ssize_t K,
                                              int n_trials, int num_threads, double step_macs)
    Py_ssize_t fl_kmeans_plusplus_steps_double(Py_ssize_t n, Py_ssize_t D, Py_ssize_t K,
                                               int n_trials, int num_threads, double step_macs)
    size_t fl_kmeans_plusplus_scratch_bytes_float(Py_ssize_t n, Py_ssize_t D, Py_ssize_t K,
                                                  int n_trials, int num_threads)
    size_t fl_kmeans_plusplus_scratch_bytes_double(Py_ssize_t n, Py_ssize_t D, Py_ssize_t K,
                                                   int n_trials, int num_threads)
    int fl_kmeans_plusplus_part_float(const float *X, Py_ssize_t ldx, Py_ssize_t n,
                                      Py_ssize_t D, Py_ssize_t K, int n_trials, uint64_t seed,
                                      int num_threads, double step_macs, void *scratch,
                                      size_t scratch_bytes, Py_ssize_t s0, Py_ssize_t s1,
                                      int64_t *centres, double *potential)
    int fl_kmeans_plusplus_part_double(const double *X, Py_ssize_t ldx, Py_ssize_t n,
                                       Py_ssize_t D, Py_ssize_t K, int n_trials,
                                       uint64_t seed, int num_threads, double step_macs,
                                       void *scratch, size_t scratch_bytes, Py_ssize_t s0,
                                       Py_ssize_t s1, int64_t *centres, double *potential)

cdef extern from "kernels.h" nogil:
    int FL_BOW_TRIANGLE
    int FL_BOW_HARD
    int FL_PIX_UINT8
    int FL_PIX_FLOAT
    int FL_PIX_DOUBLE
    ctypedef struct fl_bow_params:
        Py_ssize_t ph
        Py_ssize_t pw
        Py_ssize_t stride
        int normalize
        double eps
        int encoding
        int grid
    int fl_bow_encode_float(const void *images, int pixtype, Py_ssize_t n, Py_ssize_t h,
                            Py_ssize_t w, Py_ssize_t c, const Py_ssize_t *strides,
                            const fl_bow_params *p, const float *wmean, const float *P,
                            const float *centres, Py_ssize_t K, int num_threads, float *out)
    int fl_bow_encode_double(const void *images, int pixtype, Py_ssize_t n, Py_ssize_t h,
                             Py_ssize_t w, Py_ssize_t c, const Py_ssize_t *strides,
                             const fl_bow_params *p, const double *wmean, const double *P,
                             const double *centres, Py_ssize_t K, int num_threads, double *out)

cdef extern from "common.h" nogil:
    int fl_num_threads(int requested, Py_ssize_t work)

TRIANGLE = FL_BOW_TRIANGLE
HARD = FL_BOW_HARD

# Multiply-adds (patch positions x centres x patch size) per part of an encoding call (tens of
# ms): between parts the wrapper takes the GIL back and checks for signals, so that Ctrl-C
# stops any call quickly. Images are independent, so parts give bitwise the one-call result.
PART_MACS = 1 << 28

# Multiply-adds per part of a k-means call (Lloyd step or k-means++; tens of ms). The parts
# give bitwise the one-call result: every partial sum is of a fixed range of rows, and they are
# reduced in a fixed order.
KMEANS_PART_MACS = 1 << 30


cdef Py_ssize_t steps_per_part(Py_ssize_t steps, double macs, Py_ssize_t part_macs):
    """Steps per part of a call of `steps` steps and about `macs` multiply-adds in all."""
    return max(1, min(steps, <Py_ssize_t>(<double>part_macs * steps / max(macs, 1.0))))


cdef _check(int status, what):
    if status == FL_ENOMEM:
        raise MemoryError(f"fastlin: could not allocate the scratch of {what}")
    if status != FL_OK:
        raise RuntimeError(f"fastlin: {what} failed with status {status}")


def patch_positions(Py_ssize_t n, Py_ssize_t h, Py_ssize_t w, Py_ssize_t ph, Py_ssize_t pw,
                    uint64_t seed, int64_t[:, ::1] out):
    """Fill out (count, 3) with random (image, top, left) patch positions."""
    if out.shape[0] == 0:
        return
    with nogil:
        fl_patch_positions(n, h, w, ph, pw, out.shape[0], seed, &out[0, 0])



def patches(const pixel[:, :, :, :] images, Py_ssize_t ph, Py_ssize_t pw,
            const int64_t[:, ::1] pos, int num_threads, real[:, ::1] out):
    """Patches of images (N, H, W, C) at pos (count, 3) into out (count, ph*pw*C)."""
    cdef Py_ssize_t st[4]
    cdef int k, status = FL_OK
    cdef Py_ssize_t n = images.shape[0], h = images.shape[1], w = images.shape[2]
    cdef Py_ssize_t c = images.shape[3], count = pos.shape[0]
    for k in range(4):
        st[k] = images.strides[k] // <Py_ssize_t>sizeof(pixel)
    if count == 0:
        return
    with nogil:
        if pixel is uint8_t and real is float:
            status = fl_patches_uint8_float(&images[0, 0, 0, 0], n, h, w, c, st, ph, pw,
                                            &pos[0, 0], count, num_threads, &out[0, 0])
        elif pixel is uint8_t and real is double:
            status = fl_patches_uint8_double(&images[0, 0, 0, 0], n, h, w, c, st, ph, pw,
                                             &pos[0, 0], count, num_threads, &out[0, 0])
        elif pixel is float and real is float:
            status = fl_patches_float_float(&images[0, 0, 0, 0], n, h, w, c, st, ph, pw,
                                            &pos[0, 0], count, num_threads, &out[0, 0])
        elif pixel is double and real is double:
            status = fl_patches_double_double(&images[0, 0, 0, 0], n, h, w, c, st, ph, pw,
                                              &pos[0, 0], count, num_threads, &out[0, 0])
        else:
            status = -1
    _check(status, "patch extraction")


def dense_patches(const pixel[:, :, :, :] images, Py_ssize_t ph, Py_ssize_t pw,
                  Py_ssize_t stride, int num_threads, real[:, ::1] out):
    """Every patch of images (N, H, W, C) on the stride grid into out (N*ny*nx, D)."""
    cdef Py_ssize_t st[4]
    cdef int k, status = FL_OK
    cdef Py_ssize_t n = images.shape[0], h = images.shape[1], w = images.shape[2]
    cdef Py_ssize_t c = images.shape[3]
    for k in range(4):
        st[k] = images.strides[k] // <Py_ssize_t>sizeof(pixel)
    if n == 0 or out.shape[0] == 0:
        return
    with nogil:
        if pixel is uint8_t and real is float:
            status = fl_dense_patches_uint8_float(&images[0, 0, 0, 0], n, h, w, c, st, ph, pw,
                                                  stride, num_threads, &out[0, 0])
        elif pixel is uint8_t and real is double:
            status = fl_dense_patches_uint8_double(&images[0, 0, 0, 0], n, h, w, c, st, ph, pw,
                                                   stride, num_threads, &out[0, 0])
        elif pixel is float and real is float:
            status = fl_dense_patches_float_float(&images[0, 0, 0, 0], n, h, w, c, st, ph, pw,
                                                  stride, num_threads, &out[0, 0])
        elif pixel is double and real is double:
            status = fl_dense_patches_double_double(&images[0, 0, 0, 0], n, h, w, c, st, ph, pw,
                                                    stride, num_threads, &out[0, 0])
        else:
            status = -1
    _check(status, "dense patch extraction")


def normalize_patches(real[:, :] X, double eps, int num_threads):
    """In place: rows of X (rows contiguous) <- (x - mean) / sqrt(var + eps)."""
    cdef Py_ssize_t n = X.shape[0], D = X.shape[1]
    cdef Py_ssize_t ld = X.strides[0] // <Py_ssize_t>sizeof(real)
    if n == 0 or D == 0:
        return
    with nogil:
        if real is float:
            fl_normalize_patches_float(&X[0, 0], n, D, ld, eps, num_threads)
        else:
            fl_normalize_patches_double(&X[0, 0], n, D, ld, eps, num_threads)


def kmeans_assign(const real[:, :] X, const real[:, ::1] centres, int num_threads,
                  int64_t[::1] labels, real[::1] mindist, double[:, ::1] sums,
                  int64_t[::1] counts, Py_ssize_t part_macs=KMEANS_PART_MACS):
    """Labels (and optionally distances, centroid sums and counts) of X's rows; returns inertia.

    X rows must be contiguous (X.strides[1] == itemsize, X.strides[0] >= 0); sums and counts
    both given or both None. Runs in parts of about part_macs multiply-adds, checking for
    signals in between (the result does not depend on part_macs).
    """
    cdef Py_ssize_t n = X.shape[0], D = X.shape[1], K = centres.shape[0]
    cdef Py_ssize_t ldx = X.strides[0] // <Py_ssize_t>sizeof(real)
    cdef real *pm = &mindist[0] if mindist is not None else NULL
    cdef double *ps = &sums[0, 0] if sums is not None else NULL
    cdef int64_t *pc = &counts[0] if counts is not None else NULL
    cdef int with_sums = sums is not None
    cdef double inertia = 0.0
    cdef int status = FL_OK
    cdef size_t nbytes
    cdef Py_ssize_t steps, step, s0, s1
    if real is float:
        steps = fl_kmeans_assign_steps_float(n, D, K, with_sums)
        nbytes = fl_kmeans_assign_scratch_bytes_float(n, D, K, with_sums, num_threads)
    else:
        steps = fl_kmeans_assign_steps_double(n, D, K, with_sums)
        nbytes = fl_kmeans_assign_scratch_bytes_double(n, D, K, with_sums, num_threads)
    step = steps_per_part(steps, <double>n * D * K, part_macs)
    cdef unsigned char[::1] buf = np.empty(nbytes, dtype=np.uint8)
    cdef void *scratch = <void *>&buf[0]
    for s0 in range(0, steps, step):
        s1 = min(s0 + step, steps)
        with nogil:
            if real is float:
                status = fl_kmeans_assign_part_float(&X[0, 0], ldx, n, D, &centres[0, 0], K,
                                                     num_threads, scratch, nbytes, s0, s1,
                                                     &labels[0], pm, ps, pc, &inertia)
            else:
                status = fl_kmeans_assign_part_double(&X[0, 0], ldx, n, D, &centres[0, 0], K,
                                                      num_threads, scratch, nbytes, s0, s1,
                                                      &labels[0], pm, ps, pc, &inertia)
        _check(status, "the k-means assignment")
        if s1 < steps:
            PyErr_CheckSignals()
    return inertia


def kmeans_plusplus(const real[:, :] X, Py_ssize_t K, int n_trials, uint64_t seed,
                    int num_threads, int64_t[::1] out, Py_ssize_t part_macs=KMEANS_PART_MACS):
    """Row indices of K k-means++ centres of X into out; returns the final potential.

    Runs in parts of about part_macs multiply-adds, checking for signals in between (the
    result does not depend on part_macs).
    """
    cdef Py_ssize_t n = X.shape[0], D = X.shape[1]
    cdef Py_ssize_t ldx = X.strides[0] // <Py_ssize_t>sizeof(real)
    cdef double pot = 0.0
    cdef int status = FL_OK
    cdef size_t nbytes
    cdef Py_ssize_t steps, step, s0, s1
    # steps: chunks of rows of about part_macs multiply-adds in the pass that tries the
    # candidates of a centre (n * D * n_trials in all); the other pass costs next to nothing
    cdef double step_macs = <double>part_macs
    if real is float:
        steps = fl_kmeans_plusplus_steps_float(n, D, K, n_trials, num_threads, step_macs)
        nbytes = fl_kmeans_plusplus_scratch_bytes_float(n, D, K, n_trials, num_threads)
    else:
        steps = fl_kmeans_plusplus_steps_double(n, D, K, n_trials, num_threads, step_macs)
        nbytes = fl_kmeans_plusplus_scratch_bytes_double(n, D, K, n_trials, num_threads)
    step = steps_per_part(steps, <double>n * D * K * n_trials, part_macs)
    cdef unsigned char[::1] buf = np.empty(nbytes, dtype=np.uint8)
    cdef void *scratch = <void *>&buf[0]
    for s0 in range(0, steps, step):
        s1 = min(s0 + step, steps)
        with nogil:
            if real is float:
                status = fl_kmeans_plusplus_part_float(&X[0, 0], ldx, n, D, K, n_trials, seed,
                                                       num_threads, step_macs, scratch, nbytes,
                                                       s0, s1, &out[0], &pot)
            else:
                status = fl_kmeans_plusplus_part_double(&X[0, 0], ldx, n, D, K, n_trials, seed,
                                                        num_threads, step_macs, scratch, nbytes,
                                                        s0, s1, &out[0], &pot)
        _check(status, "k-means++")
        if s1 < steps:
            PyErr_CheckSignals()
    return pot


def encode(const pixel[:, :, :, :] images, const real[:, ::1] centres, real[:, ::1] out,
           tuple params, const real[::1] wmean, const real[:, ::1] P, int num_threads,
           Py_ssize_t part_macs=PART_MACS):
    """Encode images (N, H, W, C) against centres (K, D) into out (N, grid*grid*K).

    params = (ph, pw, stride, normalize, eps, encoding, grid); wmean and P may be None.
    Runs in parts of about part_macs multiply-adds (at least 8 images per thread), checking
    for signals in between.
    """
    cdef fl_bow_params p
    (p.ph, p.pw, p.stride, p.normalize, p.eps, p.encoding, p.grid) = params
    cdef Py_ssize_t st[4]
    cdef int k, status = FL_OK
    cdef int pixtype = FL_PIX_UINT8 if pixel is uint8_t else (
        FL_PIX_FLOAT if pixel is float else FL_PIX_DOUBLE)
    cdef Py_ssize_t n = images.shape[0], h = images.shape[1], w = images.shape[2]
    cdef Py_ssize_t c = images.shape[3], K = centres.shape[0]
    cdef const real *pm = &wmean[0] if wmean is not None else NULL
    cdef const real *pP = &P[0, 0] if P is not None else NULL
    for k in range(4):
        st[k] = images.strides[k] // <Py_ssize_t>sizeof(pixel)
    if n == 0:
        return
    cdef Py_ssize_t npos = ((h - p.ph) // p.stride + 1) * ((w - p.pw) // p.stride + 1)
    cdef double macs = <double>npos * K * (p.ph * p.pw * c) * (2 if P is not None else 1)
    cdef Py_ssize_t i0, m, part = max(<Py_ssize_t>(part_macs / macs),
                                      8 * <Py_ssize_t>fl_num_threads(num_threads, n), 1)
    for i0 in range(0, n, part):
        m = min(part, n - i0)
        with nogil:
            if real is float:
                status = fl_bow_encode_float(<const void *>&images[i0, 0, 0, 0], pixtype, m, h,
                                             w, c, st, &p, pm, pP, &centres[0, 0], K,
                                             num_threads, &out[i0, 0])
            else:
                status = fl_bow_encode_double(<const void *>&images[i0, 0, 0, 0], pixtype, m,
                                              h, w, c, st, &p, pm, pP, &centres[0, 0], K,
                                              num_threads, &out[i0, 0])
        _check(status, "the bag-of-words encoding")
        if i0 + m < n:
            PyErr_CheckSignals()
