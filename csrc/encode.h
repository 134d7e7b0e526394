/* Bag-of-visual-words encoding of a batch of images against a codebook.
 *
 * For every image, every patch position (oy, ox) on the dense grid of
 * stride `stride` (ny = (h - ph)/stride + 1 rows, nx = (w - pw)/stride + 1
 * columns) gives a patch x (D = ph*pw*c values, (row, column, channel)
 * order, see patches.h), which is
 *   - contrast-normalised when p->normalize: x <- (x - mean) / sqrt(var + eps);
 *   - whitened when P is given: z = (x - wmean) @ P (P: D x D row-major);
 *     otherwise z = x - wmean (wmean may be NULL: no shift);
 * then compared with the K centres c_k (K x D) through the distances
 * d_k = sqrt(max(0, ||z||^2 - 2 z.c_k + ||c_k||^2)):
 *   - FL_BOW_TRIANGLE: f_k = max(0, mean_j(d_j) - d_k) (Coates, Lee & Ng 2011);
 *   - FL_BOW_HARD: f_k = 1 for the nearest centre (first on ties), 0 otherwise;
 * and f is summed over the positions of each pooling region: a grid x grid
 * split of the positions, region (ry, rx) = (oy*grid/ny, ox*grid/nx) (for
 * grid 2 the first ceil(ny/2) rows are the top half).  out (n, grid*grid*K):
 * row i holds region (ry, rx)'s K sums at offset (ry*grid + rx)*K.
 *
 * Per image, blocks of positions are extracted, normalised, whitened by the
 * same register-tiled kernel as the dot products with the packed centres,
 * and reduced chunk by chunk: the positions x centres map is never held
 * beyond one block.  Images are spread over threads; each image is computed
 * by one thread in a fixed order, so results do not depend on the thread
 * count.  Callers validate beforehand (patch fits, stride >= 1, grid >= 1,
 * K >= 1, finite values).  Returns FL_OK or FL_ENOMEM. */
#ifndef FASTLIN_ENCODE_H
#define FASTLIN_ENCODE_H

#include <stdint.h>

#include "common.h"

enum { FL_BOW_TRIANGLE = 0, FL_BOW_HARD = 1 };
enum { FL_PIX_UINT8 = 0, FL_PIX_FLOAT = 1, FL_PIX_DOUBLE = 2 };

typedef struct {
    ptrdiff_t ph, pw, stride; /* patch rows, columns, grid stride */
    int normalize;            /* per-patch contrast normalisation */
    double eps;               /* its variance offset (10 for 0-255 pixels) */
    int encoding;             /* FL_BOW_TRIANGLE or FL_BOW_HARD */
    int grid;                 /* pooling regions per side */
} fl_bow_params;

/* images: pixels of type pixtype (FL_PIX_*), element strides (image, row,
 * column, channel). */
typedef int fl_bow_encode_float_fn(const void *images, int pixtype, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                                   ptrdiff_t c, const ptrdiff_t strides[4], const fl_bow_params *p,
                                   const float *wmean, const float *P, const float *centres, ptrdiff_t K,
                                   int num_threads, float *out);
fl_bow_encode_float_fn fl_bow_encode_float;
typedef int fl_bow_encode_double_fn(const void *images, int pixtype, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                                    ptrdiff_t c, const ptrdiff_t strides[4], const fl_bow_params *p,
                                    const double *wmean, const double *P, const double *centres,
                                    ptrdiff_t K, int num_threads, double *out);
fl_bow_encode_double_fn fl_bow_encode_double;

#endif
