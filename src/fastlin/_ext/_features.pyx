# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Thin wrapper over csrc/hog.c and csrc/colour.c: takes pointers, releases
the GIL, calls C, turns status codes into exceptions.

All argument validation happens in :mod:`fastlin.features` before these run.
"""
from cpython.exc cimport PyErr_CheckSignals
from libc.stdint cimport uint8_t

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
    int FL_HOG_ENONFINITE
    ctypedef struct fl_hog_params:
        int orientations
        int cell_rows
        int cell_cols
        int block_rows
        int block_cols
        int block_norm
        int transform_sqrt
        int signed_orientation
        int interpolate
    Py_ssize_t fl_hog_feature_size(const fl_hog_params *p, Py_ssize_t h, Py_ssize_t w)
    int fl_hog_uint8(const uint8_t *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                     Py_ssize_t c, const Py_ssize_t *strides, const fl_hog_params *p,
                     int num_threads, float *out, Py_ssize_t *bad_image)
    int fl_hog_float(const float *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                     Py_ssize_t c, const Py_ssize_t *strides, const fl_hog_params *p,
                     int num_threads, float *out, Py_ssize_t *bad_image)
    int fl_hog_double(const double *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                      Py_ssize_t c, const Py_ssize_t *strides, const fl_hog_params *p,
                      int num_threads, double *out, Py_ssize_t *bad_image)

cdef extern from "kernels.h" nogil:
    int FL_COLOUR_ERANGE
    int fl_hue_hist_uint8(const uint8_t *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                          const Py_ssize_t *strides, int nbin, const double *edges,
                          double xmax, int normalized, int num_threads, float *out,
                          Py_ssize_t *bad_image)
    int fl_hue_hist_float(const float *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                          const Py_ssize_t *strides, int nbin, const double *edges,
                          double xmax, int normalized, int num_threads, float *out,
                          Py_ssize_t *bad_image)
    int fl_hue_hist_double(const double *images, Py_ssize_t n, Py_ssize_t h, Py_ssize_t w,
                           const Py_ssize_t *strides, int nbin, const double *edges,
                           double xmax, int normalized, int num_threads, double *out,
                           Py_ssize_t *bad_image)

cdef extern from "common.h" nogil:
    int fl_num_threads(int requested, Py_ssize_t work)

NORM_NONE, NORM_L1, NORM_L1_SQRT, NORM_L2, NORM_L2_HYS = 0, 1, 2, 3, 4

# Pixel values per part of a call (tens of ms): between parts the wrapper takes the GIL back
# and checks for signals, so that Ctrl-C stops any call quickly. Images are independent, so
# the parts give bitwise the result of one call.
PART_VALUES = 1 << 22


cdef Py_ssize_t images_per_part(Py_ssize_t n, Py_ssize_t values, int num_threads,
                                Py_ssize_t part_values):
    """Images per part: about part_values pixel values, at least 8 per thread."""
    cdef Py_ssize_t m = part_values // max(values, 1)
    return max(m, 8 * <Py_ssize_t>fl_num_threads(num_threads, n), 1)


cdef fl_hog_params _params(tuple params):
    cdef fl_hog_params p
    (p.orientations, p.cell_rows, p.cell_cols, p.block_rows, p.block_cols,
     p.block_norm, p.transform_sqrt, p.signed_orientation, p.interpolate) = params
    return p


def hog_feature_size(tuple params, Py_ssize_t h, Py_ssize_t w):
    """Features per image for params (see hog), 0 when a block does not fit."""
    cdef fl_hog_params p = _params(params)
    return fl_hog_feature_size(&p, h, w)


def hog(const pixel[:, :, :, :] images, tuple params, int num_threads, real[:, ::1] out,
        Py_ssize_t part_values=PART_VALUES):
    """HOG of images (N, H, W, C) into out (N, F); params as in hog_feature_size.

    Element strides of any sign; out float32 for uint8/float32, float64 for float64.
    Runs in parts of about part_values pixel values, checking for signals in between.
    """
    cdef fl_hog_params p = _params(params)
    cdef Py_ssize_t n = images.shape[0], h = images.shape[1]
    cdef Py_ssize_t w = images.shape[2], c = images.shape[3]
    cdef Py_ssize_t st[4]
    cdef Py_ssize_t bad = -1
    cdef int status = FL_OK
    cdef int k
    for k in range(4):
        st[k] = images.strides[k] // <Py_ssize_t>sizeof(pixel)
    if n == 0:
        return
    cdef Py_ssize_t i0, m, part = images_per_part(n, h * w * c, num_threads, part_values)
    for i0 in range(0, n, part):
        m = min(part, n - i0)
        with nogil:
            if pixel is uint8_t and real is float:
                status = fl_hog_uint8(&images[i0, 0, 0, 0], m, h, w, c, st, &p, num_threads,
                                      &out[i0, 0], &bad)
            elif pixel is float and real is float:
                status = fl_hog_float(&images[i0, 0, 0, 0], m, h, w, c, st, &p, num_threads,
                                      &out[i0, 0], &bad)
            elif pixel is double and real is double:
                status = fl_hog_double(&images[i0, 0, 0, 0], m, h, w, c, st, &p, num_threads,
                                       &out[i0, 0], &bad)
            else:
                status = -1
        if status != FL_OK:
            break
        if i0 + m < n:
            PyErr_CheckSignals()
    _raise(status, bad + i0, "images holds NaN or infinite values (or negative values with "
                        "transform_sqrt=True)")


def hue_histogram(const pixel[:, :, :, :] images, const double[::1] edges, double xmax,
                  bint normalized, int num_threads, real[:, ::1] out,
                  Py_ssize_t part_values=PART_VALUES):
    """Hue histograms of RGB images (N, H, W, 3) into out (N, nbin), in parts of about
    part_values pixel values (signals checked in between)."""
    cdef Py_ssize_t n = images.shape[0], h = images.shape[1], w = images.shape[2]
    cdef int nbin = <int>edges.shape[0] - 1
    cdef Py_ssize_t st[4]
    cdef Py_ssize_t bad = -1
    cdef int status = FL_OK
    cdef int k
    for k in range(4):
        st[k] = images.strides[k] // <Py_ssize_t>sizeof(pixel)
    if n == 0:
        return
    cdef Py_ssize_t i0, m, part = images_per_part(n, h * w * 3, num_threads, part_values)
    for i0 in range(0, n, part):
        m = min(part, n - i0)
        with nogil:
            if pixel is uint8_t and real is float:
                status = fl_hue_hist_uint8(&images[i0, 0, 0, 0], m, h, w, st, nbin, &edges[0],
                                           xmax, normalized, num_threads, &out[i0, 0], &bad)
            elif pixel is float and real is float:
                status = fl_hue_hist_float(&images[i0, 0, 0, 0], m, h, w, st, nbin, &edges[0],
                                           xmax, normalized, num_threads, &out[i0, 0], &bad)
            elif pixel is double and real is double:
                status = fl_hue_hist_double(&images[i0, 0, 0, 0], m, h, w, st, nbin,
                                            &edges[0], xmax, normalized, num_threads,
                                            &out[i0, 0], &bad)
            else:
                status = -1
        if status != FL_OK:
            break
        if i0 + m < n:
            PyErr_CheckSignals()
    _raise(status, bad + i0, f"images must hold values in [0, xmax={xmax:g}] (no NaN)")


cdef _raise(int status, Py_ssize_t bad, str what):
    if status == FL_OK:
        return
    if status == FL_ENOMEM:
        raise MemoryError("fastlin: could not allocate the feature kernel's scratch")
    if status == FL_HOG_ENONFINITE or status == FL_COLOUR_ERANGE:
        raise ValueError(f"{what}; first offending image: index {bad}")
    raise TypeError("fastlin: output dtype does not match the images' dtype")
