/* HOG of uint8 images with hard votes, FL_VL pixels at a time (GNU vector
 * extensions, FL_VL = 4, 8 or 16 float lanes by the level's vector width),
 * included by hog.c after the templates.
 *
 * Same bins and votes as the u8f template instance (the gradients are exact
 * small integers in float, the bin tests are the same float cross products),
 * only organised for SIMD; the vector width changes nothing but the order in
 * which the votes of a cell are summed:
 *  - the image is copied once into planar float rows with one padding column
 *    on each side chosen so that the column gradient is 0 on the border
 *    columns (as scikit-image sets it), so that every gradient is two
 *    unaligned vector loads and a subtraction, without a branch;
 *  - per strip of FL_VL columns and per row of cells, the votes of the cell
 *    rows are accumulated in n vector registers (n = 9 and c = 3/1 are
 *    compiled as constants, so the accumulators live in registers); the
 *    orientation bin is never formed: with m_k = magnitude where the
 *    gradient's angle is >= edge k (m_0 = magnitude), bin b receives
 *    m_b - m_{b+1}, exactly the magnitude or 0 (no rounding), in the same
 *    pass as the edge tests;
 *  - an edge test is `cross >= 0`, the sign of the float cross product of
 *    the edge direction with the gradient folded into [0, 180) degrees (sign
 *    exact: float products, then one subtraction); edges at multiples of 45
 *    degrees have exact integer directions, where a gradient lying exactly on
 *    the edge counts, as in scikit-image when the float64 edge 180/n*k does
 *    not round above the exact angle -- true for every n <= 72, and the
 *    caller falls back to the template otherwise (`strict` edges).  Other
 *    edges cannot tie (tan of a rational multiple of pi that is not a multiple
 *    of 45 degrees is irrational); the float tests there agree with float64
 *    for every uint8 gradient up to 72 bins (checked exhaustively, and
 *    tests/features/test_features_fastpaths.py probes the boundaries);
 *  - each lane sums its column's votes down the cell rows; the columns of a
 *    cell are then summed (fl_hog_v_cells: lane groups of one vector when a
 *    cell's width divides FL_VL, strips added lane-wise first when FL_VL
 *    divides it -- both fold the cell's columns in halves, so that the 8x8
 *    cells have the same sums on every level -- and per column otherwise), divided by their pixel count, and the blocks
 *    normalised in float, FL_VL values at a time. */

#include "simd.h"

#if FL_HAVE_VECTOR_EXT

#define FL_HOG_VMAXB 72 /* the edge tests agree with float64 up to 72 bins */

/* Edge tables of the SIMD kernel, from fl_hog_bins: edge k = 1..n-1 at
 * index k - 1.  lower[k] = -1 when the edge is below 180 degrees (signed). */
typedef struct {
    float ex[FL_HOG_VMAXB], ey[FL_HOG_VMAXB];
    int lower[FL_HOG_VMAXB];
} fl_hog_vbins;

static void fl_hog_vbins_init(fl_hog_vbins *v, const fl_hog_bins *t)
{
    for (int k = 0; k < t->n - 1; k++) {
        v->ex[k] = (float)t->ex[k];
        v->ey[k] = (float)t->ey[k];
        v->lower[k] = t->upper[k] ? 0 : -1;
    }
}

/* Planar float copy of one uint8 image: rows of ws floats, the pixels at
 * columns [8, 8 + w), column 7 = column 9 and column 8 + w = column 6 + w
 * (zero column gradient on the border columns), other padding 0. */
FL_INLINE void fl_hog_v_load(const uint8_t *img, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                             const ptrdiff_t *st, ptrdiff_t ws, float *P)
{
    ptrdiff_t j0 = 0;
    if (c == 3 && st[2] == 3 && st[3] == 1) { /* packed RGB rows */
        j0 = w - w % FL_VL;
        for (ptrdiff_t r = 0; r < h; r++) {
            float *d0 = P + r * ws + 8, *d1 = d0 + h * ws, *d2 = d1 + h * ws;
            for (ptrdiff_t j = 0; j < j0; j += FL_VL) { /* 3 vectors -> 3 planes */
                fl_vf vr, vg, vb;
                fl_rgb_planes(img + r * st[1] + 3 * j, &vr, &vg, &vb);
                fl_vf_store(d0 + j, vr);
                fl_vf_store(d1 + j, vg);
                fl_vf_store(d2 + j, vb);
            }
        }
    }
    for (ptrdiff_t ch = 0; ch < c; ch++) {
        for (ptrdiff_t r = 0; r < h; r++) {
            const uint8_t *src = img + r * st[1] + ch * st[3];
            float *d = P + (ch * h + r) * ws + 8;
            const ptrdiff_t sw = st[2];
            if (sw == 1) {
                fl_u8_to_float(src + j0, d + j0, w - j0);
            } else {
                for (ptrdiff_t j = j0; j < w; j++)
                    d[j] = (float)src[j * sw];
            }
            d[-1] = w > 1 ? d[1] : 0.0f;
            d[w] = w > 1 ? d[w - 2] : 0.0f;
        }
    }
}

/* Votes of rows [r0, r1) for the FL_VL columns at j into H[0..n) (per
 * column lane), with `valid` masking the columns beyond the cells. */
FL_INLINE void fl_hog_v_strip(const float *P, ptrdiff_t h, ptrdiff_t ws, const int c,
                              ptrdiff_t r0, ptrdiff_t r1, ptrdiff_t j, fl_vi32 valid,
                              const int n, const int signed_, const fl_hog_vbins *vb,
                              fl_vf *H)
{
    const fl_vf zero = {0};
    const fl_vi32 izero = {0};
    const fl_vi32 signbit = izero + (-2147483647 - 1); /* float sign bits */
    for (ptrdiff_t r = r0; r < r1; r++) {
        const ptrdiff_t du = r > 0 && r < h - 1 ? ws : 0; /* border rows: gr = 0 */
        fl_vf gr = zero, gc = zero, m2 = zero;
        for (int ch = 0; ch < c; ch++) {
            const float *row = P + (ch * h + r) * ws + 8 + j;
            const fl_vf a = fl_vf_load(row + du) - fl_vf_load(row - du);
            const fl_vf b = fl_vf_load(row + 1) - fl_vf_load(row - 1);
            const fl_vf m = a * a + b * b;
            if (ch == 0) {
                gr = a;
                gc = b;
                m2 = m;
            } else { /* strictly larger: the first channel wins ties */
                const fl_vi32 take = m > m2;
                gr = fl_vf_sel(take, a, gr);
                gc = fl_vf_sel(take, b, gc);
                m2 = fl_vf_sel(take, m, m2);
            }
        }
        const fl_vf mag = fl_vf_and(fl_vf_sqrt(m2), valid);
        /* fold into [0, 180): (gr, gc) -> -(gr, gc) when gr < 0, and
         * (0, gc) -> (0, |gc|) */
        const fl_vi32 neg = gr < zero;
        const fl_vi32 flat = gr == zero;
        const fl_vf fr = (fl_vf)((fl_vi32)gr & ~signbit);
        fl_vf fc = (fl_vf)((fl_vi32)gc ^ (neg & signbit));
        fc = (fl_vf)((fl_vi32)fc & ~(flat & signbit));
        fl_vi32 half = neg;
        if (signed_)
            half |= flat & (gc < zero);
        fl_vf prev = mag;
#pragma GCC unroll 32
        for (int k = 0; k < n - 1; k++) {
            /* cross >= 0 as ex fr >= ey fc: the same sign, one operation less */
            fl_vi32 ge = (zero + vb->ex[k]) * fr >= (zero + vb->ey[k]) * fc;
            if (signed_) /* below 180: half | ge; above: half & ge */
                ge = ((ge | half) & (izero + vb->lower[k])) | (ge & half);
            const fl_vf mk = fl_vf_and(mag, ge);
            H[k] += prev - mk;
            prev = mk;
        }
        H[n - 1] += prev;
    }
}

/* Cell histograms hist (ncr, ncc, n) of the planar image P, each cell the
 * sum of its votes divided by its pixel count, by the cell width ccols:
 *  - ccols divides FL_VL: each strip holds FL_VL / ccols cells, summed as
 *    lane groups (the cells past ncc, masked to 0, are not stored);
 *  - FL_VL divides ccols: the strips of a cell are added lane-wise (into
 *    acc, n vectors), then summed;
 *  - otherwise: per-column sums into acc (n rows of ws floats), then per
 *    cell. */
FL_INLINE void fl_hog_v_cells(const float *P, ptrdiff_t h, ptrdiff_t ws, const int c,
                              const fl_hog_params *p, ptrdiff_t ncr, ptrdiff_t ncc,
                              const int n, const int signed_, const fl_hog_vbins *vb,
                              float *acc, float *hist)
{
    const ptrdiff_t crows = p->cell_rows, ccols = p->cell_cols, ncols = ncc * ccols;
    const float inv = (float)(1.0 / ((double)crows * ccols));
    const fl_vi32 iota = fl_vi_iota();
    const int groups = FL_VL % ccols == 0, strips = ccols % FL_VL == 0;
    for (ptrdiff_t ci = 0; ci < ncr; ci++) {
        float *hrow = hist + ci * ncc * n;
        for (ptrdiff_t j = 0; j < ncols; j += FL_VL) {
            const fl_vi32 valid = iota + (int)j < (int)ncols;
            fl_vf H[FL_HOG_VMAXB];
#pragma GCC unroll 32
            for (int k = 0; k < n; k++)
                H[k] = (fl_vf){0};
            fl_hog_v_strip(P, h, ws, c, ci * crows, (ci + 1) * crows, j, valid, n, signed_,
                           vb, H);
            if (groups) {
                const int s = (int)ccols, ng = FL_VL / s;
                const ptrdiff_t cj0 = j / s;
                const int nstore = ncc - cj0 < ng ? (int)(ncc - cj0) : ng;
#pragma GCC unroll 32
                for (int k = 0; k < n; k++) {
                    const fl_vf g = fl_vf_group_sums(H[k], s);
                    for (int t = 0; t < nstore; t++)
                        hrow[(cj0 + t) * n + k] = g[t * s] * inv;
                }
            } else if (strips) {
                const int first = j % ccols == 0, last = (j + FL_VL) % ccols == 0;
#pragma GCC unroll 32
                for (int k = 0; k < n; k++) {
                    const fl_vf v = first ? H[k] : fl_vf_load(acc + k * FL_VL) + H[k];
                    if (last)
                        hrow[(j / ccols) * n + k] = fl_vf_hsum(v) * inv;
                    else
                        fl_vf_store(acc + k * FL_VL, v);
                }
            } else {
#pragma GCC unroll 32
                for (int k = 0; k < n; k++)
                    fl_vf_store(acc + k * ws + j, H[k]);
            }
        }
        if (groups || strips)
            continue;
        for (ptrdiff_t cj = 0; cj < ncc; cj++) {
            for (int b = 0; b < n; b++) {
                const float *a = acc + b * ws + cj * ccols;
                float s = 0;
                for (ptrdiff_t t = 0; t < ccols; t++)
                    s += a[t];
                hrow[cj * n + b] = s * inv;
            }
        }
    }
}

/* Blocks normalised together by fl_hog_v_blocks (a multiple of FL_VL). */
#define FL_HOG_VGROUP 16

/* Normalised blocks of the cell histograms hist (ncr, ncc, n) into out, in
 * float, FL_VL values at a time.  The blocks go in groups of FL_HOG_VGROUP:
 * each pass over a group's blocks collects their sums, and their factors
 * 1 / sqrt(s + eps^2) or 1 / (s + eps) are then computed FL_VL blocks per
 * vector (the same correctly rounded square roots and divisions as one
 * block at a time, without a chain of scalar latencies per block).
 * tmp: FL_HOG_VGROUP blocks of bpad floats, bsize rounded up to FL_VL,
 * then 2 FL_HOG_VGROUP floats. */
FL_INLINE void fl_hog_v_blocks(const float *hist, ptrdiff_t ncr, ptrdiff_t ncc,
                               const fl_hog_params *p, float *tmp, float *out)
{
    const int n = p->orientations, br = p->block_rows, bc = p->block_cols;
    const ptrdiff_t bsize = (ptrdiff_t)br * bc * n, nv = (bsize + FL_VL - 1) / FL_VL;
    const ptrdiff_t bpad = nv * FL_VL, nbc = ncc - bc + 1, nblocks = (ncr - br + 1) * nbc;
    const int norm = p->block_norm;
    const float eps = 1e-5f;
    const fl_vf zero = {0};
    const fl_vi32 signbit = (fl_vi32){0} + (-2147483647 - 1);
    float *fs = tmp + FL_HOG_VGROUP * bpad; /* per block: sums, then factors */
    float *fh = fs + FL_HOG_VGROUP;         /* L2-Hys: the sums after clipping */
    if (norm == FL_HOG_NORM_NONE) {
        memcpy(out, hist, sizeof(float) * (size_t)(ncr * ncc * n));
        return;
    }
    if (ncr < br || ncc < bc)
        return;
    for (ptrdiff_t g0 = 0; g0 < nblocks; g0 += FL_HOG_VGROUP) {
        const int ng = nblocks - g0 < FL_HOG_VGROUP ? (int)(nblocks - g0) : FL_HOG_VGROUP;
        for (int g = 0; g < ng; g++) {
            const ptrdiff_t bi = (g0 + g) / nbc, bj = (g0 + g) % nbc;
            float *x = tmp + g * bpad;
            for (int ci = 0; ci < br; ci++)
                memcpy(x + (ptrdiff_t)ci * bc * n, hist + ((bi + ci) * ncc + bj) * n,
                       (size_t)bc * n * sizeof(float));
            for (ptrdiff_t k = bsize; k < bpad; k++)
                x[k] = 0;
            fl_vf s = zero;
            for (ptrdiff_t v = 0; v < nv; v++) {
                const fl_vf y = fl_vf_load(x + FL_VL * v);
                if (norm == FL_HOG_NORM_L1 || norm == FL_HOG_NORM_L1_SQRT)
                    s += (fl_vf)((fl_vi32)y & ~signbit);
                else
                    s += y * y;
            }
            fs[g] = fl_vf_hsum(s);
        }
        for (int g = 0; g < ng; g += FL_VL) {
            const fl_vf s = fl_vf_load(fs + g);
            if (norm == FL_HOG_NORM_L1 || norm == FL_HOG_NORM_L1_SQRT)
                fl_vf_store(fs + g, 1.0f / (s + eps));
            else
                fl_vf_store(fs + g, 1.0f / fl_vf_sqrt(s + eps * eps));
        }
        if (norm == FL_HOG_NORM_L2_HYS) {
            for (int g = 0; g < ng; g++) {
                float *x = tmp + g * bpad;
                fl_vf s3 = zero;
                for (ptrdiff_t v = 0; v < nv; v++) {
                    fl_vf y = fl_vf_load(x + FL_VL * v) * fs[g];
                    const fl_vi32 big = y > zero + 0.2f;
                    y = fl_vf_sel(big, zero + 0.2f, y);
                    s3 += y * y;
                    fl_vf_store(x + FL_VL * v, y);
                }
                fh[g] = fl_vf_hsum(s3);
            }
            for (int g = 0; g < ng; g += FL_VL)
                fl_vf_store(fs + g, 1.0f / fl_vf_sqrt(fl_vf_load(fh + g) + eps * eps));
        }
        for (int g = 0; g < ng; g++) {
            float *x = tmp + g * bpad;
            for (ptrdiff_t v = 0; v < nv; v++) {
                const fl_vf y = fl_vf_load(x + FL_VL * v) * fs[g];
                fl_vf_store(x + FL_VL * v, norm == FL_HOG_NORM_L1_SQRT ? fl_vf_sqrt(y) : y);
            }
            memcpy(out + (g0 + g) * bsize, x, sizeof(float) * (size_t)bsize);
        }
    }
}

#endif
