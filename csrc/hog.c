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
 * direction (ex, ey) modulo 180 degrees with the folded gradient.  The
 * vectorised tests use double directions; gradients within rounding of an
 * edge are decided again with the directions in double-double (exh + exl),
 * which is exact for any pair of doubles not closer than ~1e-30 (relative)
 * to an edge: no libm function takes part in the decision.  Edges at
 * multiples of 45 degrees get exact integer directions and, like
 * scikit-image's float64 arithmetic, count a gradient lying exactly on them
 * unless the float64 edge 180/n*k rounds above the exact angle (strict). */
typedef struct {
    int n;
    double width;     /* degrees per bin: period / n */
    double period;    /* 180 or 360 */
    double *ex, *ey;  /* n-1 edge directions (cos, sin) modulo 180 degrees */
    double *exh, *exl, *eyh, *eyl; /* the same directions in double-double */
    int *strict;      /* 1: the edge counts only strictly greater angles */
    int *upper;       /* 1: the edge is at >= 180 degrees (signed only) */
} fl_hog_bins;

/* Double-double arithmetic (value = hi + lo, |lo| <= ulp(hi) / 2). */
typedef struct {
    double hi, lo;
} fl_dd;

static fl_dd fl_dd_norm(double s, double e)
{
    const double hi = s + e;
    return (fl_dd){hi, e - (hi - s)};
}

static fl_dd fl_dd_add(fl_dd a, fl_dd b)
{
    const double s = a.hi + b.hi, bb = s - a.hi;
    const double e = (a.hi - (s - bb)) + (b.hi - bb) + a.lo + b.lo;
    return fl_dd_norm(s, e);
}

static fl_dd fl_dd_mul(fl_dd a, fl_dd b)
{
    const double p = a.hi * b.hi;
    const double e = fma(a.hi, b.hi, -p) + (a.hi * b.lo + a.lo * b.hi);
    return fl_dd_norm(p, e);
}

static fl_dd fl_dd_div(fl_dd a, double m)
{
    const double q1 = a.hi / m;
    const double p = q1 * m, pe = fma(q1, m, -p); /* q1 * m = p + pe exactly */
    const double q2 = ((a.hi - p) - pe + a.lo) / m;
    return fl_dd_norm(q1, q2);
}

/* cos and sin of pi * num / den for 0 <= num <= den / 4, in double-double
 * (Taylor series: |x| <= pi / 4, 27 terms reach 1e-32). */
static void fl_dd_cos_sin(long num, long den, fl_dd *c, fl_dd *s)
{
    const fl_dd pi = {3.141592653589793116, 1.2246467991473532072e-16};
    const fl_dd x = fl_dd_div(fl_dd_mul(pi, (fl_dd){(double)num, 0.0}), (double)den);
    const fl_dd x2 = fl_dd_mul(x, x);
    fl_dd term = {1.0, 0.0}, cs = {1.0, 0.0}, sn = x;
    fl_dd sterm = x;
    for (int k = 1; k <= 27; k++) {
        term = fl_dd_div(fl_dd_mul(term, x2), -(double)((2 * k - 1) * (2 * k)));
        sterm = fl_dd_div(fl_dd_mul(sterm, x2), -(double)((2 * k) * (2 * k + 1)));
        cs = fl_dd_add(cs, term);
        sn = fl_dd_add(sn, sterm);
    }
    *c = cs;
    *s = sn;
}

/* Direction (cos, sin) of the angle pi * r / n, 0 < r < n, in double-double. */
static void fl_dd_direction(long r, long n, fl_dd *c, fl_dd *s)
{
    const int neg = 2 * r > n; /* cos(pi - x) = -cos(x), sin(pi - x) = sin(x) */
    const long q = neg ? n - r : r;
    if (4 * q > n) /* pi q / n = pi / 2 - pi (n - 2q) / (2n) */
        fl_dd_cos_sin(n - 2 * q, 2 * n, s, c);
    else
        fl_dd_cos_sin(q, n, c, s);
    if (neg)
        *c = (fl_dd){-c->hi, -c->lo};
}

static void fl_hog_bins_free(fl_hog_bins *t)
{
    free(t->ex);
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
    t->ex = malloc(6 * m * sizeof(double));
    t->strict = malloc(m * sizeof(int));
    t->upper = malloc(m * sizeof(int));
    if (!t->ex || !t->strict || !t->upper) {
        fl_hog_bins_free(t);
        return FL_ENOMEM;
    }
    t->ey = t->ex + m;
    t->exh = t->ey + m;
    t->exl = t->exh + m;
    t->eyh = t->exl + m;
    t->eyl = t->eyh + m;
    for (int k = 1; k < n; k++) {
        const double edge = t->width * k; /* as numpy computes it */
        /* exact angle = 180 * turn * k / n degrees */
        t->upper[k - 1] = turn == 2 && 2L * k >= n;
        t->strict[k - 1] = 0;
        t->exl[k - 1] = t->eyl[k - 1] = 0.0;
        if ((4L * turn * k) % n == 0) {
            const long q = 4L * turn * k / n; /* angle = 45 q degrees */
            static const double dx[4] = {1.0, 1.0, 0.0, -1.0};
            static const double dy[4] = {0.0, 1.0, 1.0, 1.0};
            t->ex[k - 1] = t->exh[k - 1] = dx[q % 4];
            t->ey[k - 1] = t->eyh[k - 1] = dy[q % 4];
            t->strict[k - 1] = edge > 45.0 * (double)q;
        } else {
            const double rad = fmod(edge, 180.0) * (3.14159265358979323846 / 180.0);
            fl_dd c, s;
            t->ex[k - 1] = cos(rad);
            t->ey[k - 1] = sin(rad);
            fl_dd_direction((turn * k) % n, n, &c, &s);
            t->exh[k - 1] = c.hi;
            t->exl[k - 1] = c.lo;
            t->eyh[k - 1] = s.hi;
            t->eyl[k - 1] = s.lo;
        }
    }
    return FL_OK;
}

/* Sign (-1, 0, 1) of the cross product exh*fr - eyh*fc of edge k with the
 * folded gradient (fr, fc), evaluated in double-double. */
static int fl_hog_edge_side(const fl_hog_bins *t, int k, double fr, double fc)
{
    const double p1 = fr * t->exh[k], e1 = fma(fr, t->exh[k], -p1);
    const double p2 = fc * t->eyh[k], e2 = fma(fc, t->eyh[k], -p2);
    const double d = ((p1 - p2) + (e1 - e2)) + (fr * t->exl[k] - fc * t->eyl[k]);
    return (d > 0) - (d < 0);
}

/* Exact orientation bin of the gradient (gr, gc) (see fl_hog_bins). */
static int fl_hog_bin_exact(const fl_hog_bins *t, int signed_, double gr, double gc)
{
    const int hf = gr < 0 || (gr == 0 && gc < 0);
    const double fr = hf ? -gr : gr, fc = hf ? -gc : gc;
    int bin = 0;
    for (int k = 0; k < t->n - 1; k++) {
        const int side = fl_hog_edge_side(t, k, fr, fc);
        const int above = side > 0 || (side == 0 && !t->strict[k]);
        if (!signed_)
            bin += above;
        else if (t->upper[k]) /* edge in [180, 360): only folded gradients */
            bin += hf && above;
        else /* edge in (0, 180): every folded gradient is above */
            bin += hf || above;
    }
    return bin;
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
 * P (c*h*ws floats, padding zeroed once), acc (n*ws floats), hist, tmp. */
static void fl_hog_v_one(const uint8_t *img, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                         const ptrdiff_t st[4], ptrdiff_t ws, const fl_hog_params *p,
                         const fl_hog_vbins *vb, float *P, float *acc, float *hist,
                         float *tmp, float *out)
{
    const ptrdiff_t ncr = h / p->cell_rows, ncc = w / p->cell_cols;
    const int n = p->orientations;
    fl_hog_v_load(img, h, w, c, st, ws, P);
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
    const ptrdiff_t ws = (w + FL_VL - 1) / FL_VL * FL_VL + 16;
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
    const int nt = fl_num_threads(num_threads, n);
    (void)nt;
#pragma omp parallel num_threads(nt)
    {
        const size_t nhist = (size_t)(ncr * ncc * nb);
        const size_t bpad = (size_t)(p->block_rows * p->block_cols * nb + FL_VL - 1) / FL_VL * FL_VL;
        const size_t nblock = FL_HOG_VGROUP * (bpad + 2);
        const size_t nfloat = (size_t)(c * h * ws + nb * ws) + nhist + nblock;
        float *scratch = calloc(nfloat, sizeof(float));
        if (!scratch) {
#pragma omp atomic
            nomem |= 1;
        }
        float *P = scratch;
        float *acc = P + c * h * ws;
        float *hist = acc + nb * ws;
        float *tmp = hist + nhist;
#pragma omp for schedule(static)
        for (ptrdiff_t i = 0; i < n; i++) {
            if (!scratch)
                continue;
            if (i + 1 < n)
                fl_prefetch_image(images + (i + 1) * strides[0], h, w, c, strides);
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
