/* Hue histograms of a batch of RGB images, fused RGB -> hue -> bin.
 *
 * The course definition (see reference.py): x = pixel / xmax in double,
 * hue of matplotlib's rgb_to_hsv (grey -> 0; blue > green > red on ties for
 * the maximum), v = hue * xmax, bin i when edges[i] <= v < edges[i+1] (the
 * last bin also v == edges[nbin]), values outside [edges[0], edges[nbin]]
 * dropped.  The same float64 operations as the course code, so the bins agree
 * exactly, ties on bin edges included.
 *
 * Images: n images of h x w pixels of 3 channels, element strides `strides`
 * = (image, row, column, channel).  edges: nbin + 1 increasing values.
 * out (n, nbin): counts, or counts / (counted pixels) when `normalized`
 * (a row with no counted pixel stays 0).  Returns FL_OK, FL_ENOMEM, or
 * FL_COLOUR_ERANGE when a pixel is NaN or outside [0, xmax] (*bad_image =
 * the smallest such image).  num_threads <= 0 means OpenMP's default. */
#ifndef FASTLIN_COLOUR_H
#define FASTLIN_COLOUR_H

#include <stdint.h>

#include "common.h"

enum { FL_COLOUR_ERANGE = 102 };

typedef int fl_hue_hist_uint8_fn(const uint8_t *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                                 const ptrdiff_t strides[4], int nbin, const double *edges,
                                 double xmax, int normalized, int num_threads, float *out,
                                 ptrdiff_t *bad_image);
fl_hue_hist_uint8_fn fl_hue_hist_uint8;
typedef int fl_hue_hist_float_fn(const float *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                                 const ptrdiff_t strides[4], int nbin, const double *edges,
                                 double xmax, int normalized, int num_threads, float *out,
                                 ptrdiff_t *bad_image);
fl_hue_hist_float_fn fl_hue_hist_float;
typedef int fl_hue_hist_double_fn(const double *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                                  const ptrdiff_t strides[4], int nbin, const double *edges,
                                  double xmax, int normalized, int num_threads, double *out,
                                  ptrdiff_t *bad_image);
fl_hue_hist_double_fn fl_hue_hist_double;

#endif
