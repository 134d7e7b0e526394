/* Image patches: random and dense extraction, per-patch contrast normalisation.
 *
 * Images: n images of h x w pixels with c >= 1 channels, element strides
 * `strides` = (image, row, column, channel), any sign (uint8, float or
 * double pixels).  A patch of ph x pw pixels is stored as its D = ph*pw*c
 * values in (row, column, channel) order, i.e. images[i, y:y+ph, x:x+pw, :]
 * flattened.
 *
 * fl_patch_positions: count positions (image, top, left), int64 (count, 3),
 * drawn one after the other with the PCG32 generator of sampling.h seeded
 * (seed, FL_PATCHES_STREAM): image = bounded(n), top = bounded(h - ph + 1),
 * left = bounded(w - pw + 1).
 * fl_patches_<pix>_<real>: the patches at `pos` (count, 3) into out (count, D).
 * fl_dense_patches_<pix>_<real>: every patch at (stride*oy, stride*ox) into
 * out (n, ny, nx, D), ny = (h - ph)/stride + 1, nx = (w - pw)/stride + 1.
 * fl_normalize_patches_<real>: rows (n, D), ld apart, in place:
 * x <- (x - mean) / sqrt(var + eps), var the mean of squared deviations.
 *
 * Callers validate beforehand: 1 <= ph <= h, 1 <= pw <= w, positions in
 * range, stride >= 1, eps >= 0.  num_threads <= 0 means OpenMP's default.
 * All return FL_OK. */
#ifndef FASTLIN_PATCHES_H
#define FASTLIN_PATCHES_H

#include <stdint.h>

#include "common.h"

#define FL_PATCHES_STREAM 0x70617463ULL /* "patc" */

typedef int fl_patch_positions_fn(ptrdiff_t n, ptrdiff_t h, ptrdiff_t w, ptrdiff_t ph,
                                  ptrdiff_t pw, ptrdiff_t count, uint64_t seed, int64_t *pos);
fl_patch_positions_fn fl_patch_positions;

#define FL_PATCHES_DECL(PIX, PSUF, REAL, SUF)                                                  \
    typedef int fl_patches##PSUF##SUF##_fn(const PIX *images, ptrdiff_t n, ptrdiff_t h,       \
                                           ptrdiff_t w, ptrdiff_t c,                          \
                                           const ptrdiff_t strides[4], ptrdiff_t ph,           \
                                           ptrdiff_t pw, const int64_t *pos, ptrdiff_t count,  \
                                           int num_threads, REAL *out);                        \
    fl_patches##PSUF##SUF##_fn fl_patches##PSUF##SUF;                                          \
    typedef int fl_dense_patches##PSUF##SUF##_fn(const PIX *images, ptrdiff_t n, ptrdiff_t h, \
                                                 ptrdiff_t w, ptrdiff_t c,                    \
                                                 const ptrdiff_t strides[4], ptrdiff_t ph,     \
                                                 ptrdiff_t pw, ptrdiff_t stride,               \
                                                 int num_threads, REAL *out);                  \
    fl_dense_patches##PSUF##SUF##_fn fl_dense_patches##PSUF##SUF;

FL_PATCHES_DECL(uint8_t, _uint8, float, _float)
FL_PATCHES_DECL(uint8_t, _uint8, double, _double)
FL_PATCHES_DECL(float, _float, float, _float)
FL_PATCHES_DECL(double, _double, double, _double)

typedef int fl_normalize_patches_float_fn(float *X, ptrdiff_t n, ptrdiff_t D, ptrdiff_t ld,
                                          double eps, int num_threads);
fl_normalize_patches_float_fn fl_normalize_patches_float;
typedef int fl_normalize_patches_double_fn(double *X, ptrdiff_t n, ptrdiff_t D, ptrdiff_t ld,
                                           double eps, int num_threads);
fl_normalize_patches_double_fn fl_normalize_patches_double;

/* Shared with the encoder: one patch into out (D values). */
#define FL_PATCH_COPY(PIX, REAL, img, st, ph, pw, c, out)                                      \
    do {                                                                                       \
        REAL *o_ = (out);                                                                      \
        for (ptrdiff_t dy_ = 0; dy_ < (ph); dy_++)                                             \
            for (ptrdiff_t dx_ = 0; dx_ < (pw); dx_++) {                                       \
                const PIX *p_ = (img) + dy_ * (st)[1] + dx_ * (st)[2];                         \
                for (ptrdiff_t ch_ = 0; ch_ < (c); ch_++) *o_++ = (REAL)p_[ch_ * (st)[3]];     \
            }                                                                                  \
    } while (0)

/* x <- (x - mean) / sqrt(var + eps) for one row of D values. */
#define FL_NORMALIZE_ROW(REAL, x, D, eps)                                                      \
    do {                                                                                       \
        double s_ = 0, v_ = 0;                                                                 \
        for (ptrdiff_t d_ = 0; d_ < (D); d_++) s_ += (double)(x)[d_];                          \
        const double m_ = s_ / (double)(D);                                                    \
        for (ptrdiff_t d_ = 0; d_ < (D); d_++) {                                               \
            const double t_ = (double)(x)[d_] - m_;                                            \
            v_ += t_ * t_;                                                                     \
        }                                                                                      \
        const double r_ = 1.0 / sqrt(v_ / (double)(D) + (eps));                                \
        for (ptrdiff_t d_ = 0; d_ < (D); d_++) (x)[d_] = (REAL)(((double)(x)[d_] - m_) * r_); \
    } while (0)

#endif
