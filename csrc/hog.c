/* HOG kernels: shared geometry, the orientation-bin table, and the
 * uint8/float/double instantiations of hog_impl.h. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

/* No fused multiply-adds here: a*a + b*b must be symmetric in a and b, so
 * that equal gradient magnitudes of two channels tie as in scikit-image. */
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "hog.h"

/* Orientation bins of the hard-vote path: bin(g) = number of inner bin edges
 * k = 1..n-1 whose angle does not exceed the angle of g.  Gradients are
 * folded into the upper half plane first (half = 1 when the angle is in
 * [180, 360)); edge k is then tested by the sign of the cross product of its
 * direction (ex, ey) modulo 180 degrees with the folded gradient, in double.
 * Edges at multiples of 45 degrees get exact integer directions and, like
 * scikit-image's float64 arithmetic, count a gradient lying exactly on them
 * unless the float64 edge 180/n*k rounds above the exact angle (strict). */
typedef struct {
    int n;
    double width;     /* degrees per bin: period / n */
    double period;    /* 180 or 360 */
    double *ex, *ey;  /* n-1 edge directions (cos, sin) modulo 180 degrees */
    int *strict;      /* 1: the edge counts only strictly greater angles */
    int *upper;       /* 1: the edge is at >= 180 degrees (signed only) */
} fl_hog_bins;

static void fl_hog_bins_free(fl_hog_bins *t)
{
    free(t->ex);
    free(t->ey);
    free(t->strict);
    free(t->upper);
}

static int fl_hog_bins_init(fl_hog_bins *t, const fl_hog_params *p)
{
    const int n = p->orientations;
    const long turn = p->signed_orientation ? 2 : 1; /* period / 180 */
    const size_t m = n > 1 ? (size_t)(n - 1) : 1;
    t->n = n;
    t->period = p->signed_orientation ? 360.0 : 180.0;
    t->width = t->period / n;
    t->ex = malloc(m * sizeof(double));
    t->ey = malloc(m * sizeof(double));
    t->strict = malloc(m * sizeof(int));
    t->upper = malloc(m * sizeof(int));
    if (!t->ex || !t->ey || !t->strict || !t->upper) {
        fl_hog_bins_free(t);
        return FL_ENOMEM;
    }
    for (int k = 1; k < n; k++) {
        const double edge = t->width * k; /* as numpy computes it */
        /* exact angle = 180 * turn * k / n degrees */
        t->upper[k - 1] = turn == 2 && 2L * k >= n;
        t->strict[k - 1] = 0;
        if ((4L * turn * k) % n == 0) {
            const long q = 4L * turn * k / n; /* angle = 45 q degrees */
            static const double dx[4] = {1.0, 1.0, 0.0, -1.0};
            static const double dy[4] = {0.0, 1.0, 1.0, 1.0};
            t->ex[k - 1] = dx[q % 4];
            t->ey[k - 1] = dy[q % 4];
            t->strict[k - 1] = edge > 45.0 * (double)q;
        } else {
            const double rad = fmod(edge, 180.0) * (3.14159265358979323846 / 180.0);
            t->ex[k - 1] = cos(rad);
            t->ey[k - 1] = sin(rad);
        }
    }
    return FL_OK;
}

static void fl_hog_geometry(const fl_hog_params *p, ptrdiff_t h, ptrdiff_t w,
                            ptrdiff_t *ncr, ptrdiff_t *ncc, ptrdiff_t *nbr, ptrdiff_t *nbc)
{
    *ncr = h / p->cell_rows;
    *ncc = w / p->cell_cols;
    *nbr = *ncr - p->block_rows + 1;
    *nbc = *ncc - p->block_cols + 1;
}

ptrdiff_t fl_hog_feature_size(const fl_hog_params *p, ptrdiff_t h, ptrdiff_t w)
{
    ptrdiff_t ncr, ncc, nbr, nbc;
    fl_hog_geometry(p, h, w, &ncr, &ncc, &nbr, &nbc);
    if (ncr <= 0 || ncc <= 0)
        return 0;
    if (p->block_norm == FL_HOG_NORM_NONE)
        return ncr * ncc * p->orientations;
    if (nbr <= 0 || nbc <= 0)
        return 0;
    return nbr * nbc * (ptrdiff_t)p->block_rows * p->block_cols * p->orientations;
}

#define IN_T uint8_t
#define IN_U8 1
#define REAL float
#define OUT_T float
#define SUF _u8f
#define BIN_T float
#define EXACT 1
#define REAL_EPS FLT_EPSILON
#define HYPOT hypotf
#include "hog_impl.h"

#define IN_T uint8_t
#define IN_U8 1
#define REAL double
#define OUT_T float
#define SUF _u8d
#define BIN_T double
#define EXACT 0
#define REAL_EPS DBL_EPSILON
#define HYPOT hypot
#include "hog_impl.h"

#define IN_T float
#define IN_U8 0
#define REAL float
#define OUT_T float
#define SUF _f32
#define BIN_T double
#define EXACT 0
#define REAL_EPS FLT_EPSILON
#define HYPOT hypotf
#include "hog_impl.h"

#define IN_T double
#define IN_U8 0
#define REAL double
#define OUT_T double
#define SUF _f64
#define BIN_T double
#define EXACT 0
#define REAL_EPS DBL_EPSILON
#define HYPOT hypot
#include "hog_impl.h"

#include "hog_simd.h"

#if FL_HAVE_VECTOR_EXT
/* HOG of one uint8 image by the SIMD kernel (hog_simd.h) into out; scratch:
 * P (c*h*ws floats, padding zeroed once), acc (max(n, 3)*ws floats; also the
 * float row of the planar copy), hist, tmp. */
FL_MULTIVERSION
static void fl_hog_v_one(const uint8_t *img, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                         const ptrdiff_t st[4], ptrdiff_t ws, const fl_hog_params *p,
                         const fl_hog_vbins *vb, float *P, float *acc, float *hist,
                         float *tmp, float *out)
{
    const ptrdiff_t ncr = h / p->cell_rows, ncc = w / p->cell_cols;
    const int n = p->orientations;
    fl_hog_v_load(img, h, w, c, st, ws, acc, P);
    if (n == 9 && !p->signed_orientation && c == 3)
        fl_hog_v_cells(P, h, ws, 3, p, ncr, ncc, 9, 0, vb, acc, hist);
    else if (n == 9 && !p->signed_orientation && c == 1)
        fl_hog_v_cells(P, h, ws, 1, p, ncr, ncc, 9, 0, vb, acc, hist);
    else if (n == 18 && p->signed_orientation && c == 3)
        fl_hog_v_cells(P, h, ws, 3, p, ncr, ncc, 18, 1, vb, acc, hist);
    else
        fl_hog_v_cells(P, h, ws, (int)c, p, ncr, ncc, n, p->signed_orientation, vb, acc,
                       hist);
    fl_hog_v_blocks(hist, ncr, ncc, p, tmp, out);
}

static int fl_hog_u8v(const uint8_t *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                      ptrdiff_t c, const ptrdiff_t strides[4], const fl_hog_params *p,
                      int num_threads, float *out)
{
    ptrdiff_t ncr, ncc, nbr, nbc;
    fl_hog_geometry(p, h, w, &ncr, &ncc, &nbr, &nbc);
    const ptrdiff_t fsize = fl_hog_feature_size(p, h, w);
    const ptrdiff_t ws = (w + 7) / 8 * 8 + 16;
    const int nb = p->orientations;
    fl_hog_bins bins;
    fl_hog_vbins vb;
    int nomem = 0;
    if (fl_hog_bins_init(&bins, p) != FL_OK)
        return FL_ENOMEM;
    int strict = 0;
    for (int k = 0; k < nb - 1; k++)
        strict |= bins.strict[k];
    fl_hog_vbins_init(&vb, &bins);
    fl_hog_bins_free(&bins);
    if (strict) /* no such edge up to 72 bins; the template handles them */
        return -1;
    const int nt = num_threads > 0 ? num_threads : fl_default_num_threads();
    (void)nt;
#pragma omp parallel num_threads(nt)
    {
        const size_t nhist = (size_t)(ncr * ncc * nb), nblock = (size_t)(p->block_rows *
                                                                      p->block_cols * nb + 8);
        const size_t nfloat = (size_t)(c * h * ws + (nb > 3 ? nb : 3) * ws) + nhist + nblock;
        float *scratch = calloc(nfloat, sizeof(float));
        if (!scratch) {
#pragma omp atomic
            nomem |= 1;
        }
        float *P = scratch;
        float *acc = P + c * h * ws;
        float *hist = acc + (nb > 3 ? nb : 3) * ws;
        float *tmp = hist + nhist;
#pragma omp for schedule(static)
        for (ptrdiff_t i = 0; i < n; i++) {
            if (!scratch)
                continue;
            fl_hog_v_one(images + i * strides[0], h, w, c, strides, ws, p, &vb, P, acc, hist,
                         tmp, out + i * fsize);
        }
        free(scratch);
    }
    return nomem ? FL_ENOMEM : FL_OK;
}
#endif

int fl_hog_uint8(const uint8_t *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                 ptrdiff_t c, const ptrdiff_t strides[4], const fl_hog_params *p,
                 int num_threads, float *out, ptrdiff_t *bad_image)
{
    /* Integer gradients are exact in float, and float edge tests agree with
     * double ones for up to 72 bins (checked exhaustively over all uint8
     * gradients); square roots are not exact, so with transform_sqrt (or more
     * bins) the work happens in double as in scikit-image. */
    if (p->transform_sqrt || p->orientations > 72)
        return fl_hog_u8d(images, n, h, w, c, strides, p, num_threads, out, bad_image);
#if FL_HAVE_VECTOR_EXT
    if (!p->interpolate) {
        *bad_image = -1;
        const int status = fl_hog_u8v(images, n, h, w, c, strides, p, num_threads, out);
        if (status >= 0)
            return status;
    }
#endif
    return fl_hog_u8f(images, n, h, w, c, strides, p, num_threads, out, bad_image);
}

int fl_hog_float(const float *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                 ptrdiff_t c, const ptrdiff_t strides[4], const fl_hog_params *p,
                 int num_threads, float *out, ptrdiff_t *bad_image)
{
    return fl_hog_f32(images, n, h, w, c, strides, p, num_threads, out, bad_image);
}

int fl_hog_double(const double *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                  ptrdiff_t c, const ptrdiff_t strides[4], const fl_hog_params *p,
                  int num_threads, double *out, ptrdiff_t *bad_image)
{
    return fl_hog_f64(images, n, h, w, c, strides, p, num_threads, out, bad_image);
}
