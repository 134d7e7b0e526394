/* Histograms of oriented gradients (HOG) of a batch of images.
 *
 * Semantics of scikit-image's skimage.feature.hog (see reference.py), plus
 * signed (0-360 degree) orientations, linear interpolation of the votes
 * between neighbouring bins and raw cell histograms (FL_HOG_NORM_NONE).
 *
 * Images: n images of h x w pixels with c >= 1 channels, element strides
 * `strides` = (image, row, column, channel), any sign.  One pass per image:
 * gradients of every channel, the channel of largest magnitude, the bin of
 * each pixel and its vote, then the block normalisation; images in parallel.
 * Output: n rows of fl_hog_feature_size() values, row-major
 * (block row, block col, cell row, cell col, bin), or (cell row, cell col,
 * bin) without normalisation.
 *
 * Callers validate the parameters beforehand (fl_hog_feature_size() > 0).
 * Returns FL_OK, FL_ENOMEM, or FL_HOG_ENONFINITE when an image holds a NaN or
 * an infinity (or a negative value with transform_sqrt): *bad_image is then
 * the smallest such image index.  num_threads <= 0 means OpenMP's default. */
#ifndef FASTLIN_HOG_H
#define FASTLIN_HOG_H

#include <stdint.h>

#include "common.h"

enum { FL_HOG_ENONFINITE = 101 };

enum {
    FL_HOG_NORM_NONE = 0,
    FL_HOG_NORM_L1 = 1,
    FL_HOG_NORM_L1_SQRT = 2,
    FL_HOG_NORM_L2 = 3,
    FL_HOG_NORM_L2_HYS = 4,
};

typedef struct {
    int orientations;            /* number of bins, >= 1 */
    int cell_rows, cell_cols;    /* pixels per cell, >= 1 */
    int block_rows, block_cols;  /* cells per block, >= 1 */
    int block_norm;              /* FL_HOG_NORM_* */
    int transform_sqrt;          /* square root of the pixel values first */
    int signed_orientation;      /* bins over 0-360 degrees instead of 0-180 */
    int interpolate;             /* split votes between the two nearest bins */
} fl_hog_params;

/* Features per image, 0 when the image is smaller than one block. */
typedef ptrdiff_t fl_hog_feature_size_fn(const fl_hog_params *p, ptrdiff_t h, ptrdiff_t w);
fl_hog_feature_size_fn fl_hog_feature_size;

typedef int fl_hog_uint8_fn(const uint8_t *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                            ptrdiff_t c, const ptrdiff_t strides[4], const fl_hog_params *p,
                            int num_threads, float *out, ptrdiff_t *bad_image);
fl_hog_uint8_fn fl_hog_uint8;
typedef int fl_hog_float_fn(const float *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                            ptrdiff_t c, const ptrdiff_t strides[4], const fl_hog_params *p,
                            int num_threads, float *out, ptrdiff_t *bad_image);
fl_hog_float_fn fl_hog_float;
typedef int fl_hog_double_fn(const double *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                             ptrdiff_t c, const ptrdiff_t strides[4], const fl_hog_params *p,
                             int num_threads, double *out, ptrdiff_t *bad_image);
fl_hog_double_fn fl_hog_double;

#endif
