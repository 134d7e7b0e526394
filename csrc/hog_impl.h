/* HOG template, included by hog.c with IN_T (pixel type), IN_U8 (1 when
 * pixels are uint8 and go through a 256-entry table), REAL (work type),
 * OUT_T (output type), SUF (name suffix), REAL_EPS and HYPOT (machine epsilon
 * and hypot of REAL) and EXACT defined.  EXACT = 1 when the gradients are
 * exact small integers (uint8 pixels in float): ties are then exact, and the
 * near-tie fix-ups (channel choice by hypot as scikit-image, exact bin
 * decision next to a bin edge) are compiled out.
 *
 * Per image: the pixels are copied once into a planar (c, h, w) REAL buffer
 * (square root and finiteness check on the way); then each row of the cell
 * area is processed as vectorisable loops over its columns: gradients of
 * every channel and the channel of largest magnitude, the orientation bin
 * (all bins at once by counting the edges below the gradient), and the votes
 * into the cell histograms (double); finally the blocks are normalised. */

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SUF)

/* Planar copy of one image; returns 0, or NaN when a value (after the square
 * root) is not finite. */
static REAL F(hog_load)(const IN_T *img, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                        const ptrdiff_t *st, const REAL *lut, int sq, REAL *P)
{
    REAL acc = 0;
#if IN_U8
    if (!sq && c == 3 && st[3] == 1 && st[2] == 3) { /* packed RGB rows */
        for (ptrdiff_t r = 0; r < h; r++) {
            const uint8_t *src = img + r * st[1];
            REAL *d0 = P + r * w, *d1 = d0 + h * w, *d2 = d1 + h * w;
            for (ptrdiff_t j = 0; j < w; j++) {
                d0[j] = (REAL)src[3 * j];
                d1[j] = (REAL)src[3 * j + 1];
                d2[j] = (REAL)src[3 * j + 2];
            }
        }
        return acc;
    }
#endif
    for (ptrdiff_t r = 0; r < h; r++) {
        for (ptrdiff_t ch = 0; ch < c; ch++) {
            const IN_T *src = img + r * st[1] + ch * st[3];
            REAL *dst = P + (ch * h + r) * w;
            const ptrdiff_t sw = st[2];
#if IN_U8
            (void)sq;
            for (ptrdiff_t j = 0; j < w; j++)
                dst[j] = lut[src[j * sw]];
#else
            (void)lut;
            if (sq) {
                for (ptrdiff_t j = 0; j < w; j++) {
                    REAL v = sqrt((REAL)src[j * sw]);
                    dst[j] = v;
                    acc += v - v;
                }
            } else {
                for (ptrdiff_t j = 0; j < w; j++) {
                    REAL v = (REAL)src[j * sw];
                    dst[j] = v;
                    acc += v - v;
                }
            }
#endif
        }
    }
    return acc;
}

/* Gradients of row r for columns [0, ncols) of the channel of largest
 * magnitude: gr (down the rows), gc (along the columns), m2 = gr^2 + gc^2.
 * Zero on the image's border rows and columns; first channel on ties.
 * near[j] = 1 when another channel's magnitude nearly ties (not EXACT). */
/* One more channel: o* = the gradient (dn - up, tb) where its magnitude
 * beats i*, else i*. */
static void F(hog_blend)(ptrdiff_t ncols, const REAL *restrict dn,
                         const REAL *restrict up, const REAL *restrict tb,
                         const REAL *restrict igr, const REAL *restrict igc,
                         const REAL *restrict im2, REAL *restrict ogr,
                         REAL *restrict ogc, REAL *restrict om2, int *restrict near)
{
    for (ptrdiff_t j = 0; j < ncols; j++) {
        const REAL a = dn[j] - up[j];
        const REAL b = tb[j];
        const REAL m = a * a + b * b;
        const int take = m > im2[j];
#if !EXACT
        near[j] |= fabs(m - im2[j]) <= (REAL)(16 * REAL_EPS) * (m + im2[j]);
#else
        (void)near;
#endif
        ogr[j] = take ? a : igr[j];
        ogc[j] = take ? b : igc[j];
        om2[j] = take ? m : im2[j];
    }
}

static void F(hog_row_gradient)(const REAL *P, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                                ptrdiff_t r, ptrdiff_t ncols, REAL *gr, REAL *gc,
                                REAL *m2, REAL *spare, REAL *restrict tb,
                                int *restrict near)
{
    const int inner = r > 0 && r < h - 1;
    const ptrdiff_t jend = ncols < w - 1 ? ncols : w - 1; /* interior columns end */
    /* two buffer sets, so that the channel blends are plain selects (no
     * masked stores); the first channel goes where the last one ends up */
    REAL *sets[2][3] = {{gr, gc, m2}, {spare, spare + w, spare + 2 * w}};
    int cur = (int)((c - 1) & 1);
    for (ptrdiff_t ch = 0; ch < c; ch++) {
        const REAL *row = P + (ch * h + r) * w;
        const REAL *up = inner ? row - w : row;
        const REAL *dn = inner ? row + w : row;
        REAL *restrict ogr = sets[cur][0], *restrict ogc = sets[cur][1];
        REAL *restrict om2 = sets[cur][2];
        if (ch == 0) {
            for (ptrdiff_t j = 0; j < ncols; j++)
                ogr[j] = dn[j] - up[j];
            ogc[0] = 0;
            for (ptrdiff_t j = 1; j < jend; j++)
                ogc[j] = row[j + 1] - row[j - 1];
            if (ncols == w && w > 1)
                ogc[w - 1] = 0;
            for (ptrdiff_t j = 0; j < ncols; j++) {
                om2[j] = ogr[j] * ogr[j] + ogc[j] * ogc[j];
                near[j] = 0;
            }
            continue;
        }
        const REAL *restrict igr = ogr, *restrict igc = ogc, *restrict im2 = om2;
        cur ^= 1;
        ogr = sets[cur][0];
        ogc = sets[cur][1];
        om2 = sets[cur][2];
        tb[0] = 0;
        for (ptrdiff_t j = 1; j < jend; j++)
            tb[j] = row[j + 1] - row[j - 1];
        if (ncols == w && w > 1)
            tb[w - 1] = 0;
        F(hog_blend)(ncols, dn, up, tb, igr, igc, im2, ogr, ogc, om2, near);
    }
}

#if !EXACT
/* Channel choice of column j redone with scikit-image's magnitudes (hypot in
 * the work type), for the pixels whose best magnitudes nearly tie. */
static void F(hog_fix_channel)(const REAL *P, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                               ptrdiff_t r, ptrdiff_t j, REAL *gr, REAL *gc, REAL *m2)
{
    const int inner = r > 0 && r < h - 1;
    REAL best = -1;
    for (ptrdiff_t ch = 0; ch < c; ch++) {
        const REAL *row = P + (ch * h + r) * w;
        const REAL a = inner ? row[j + w] - row[j - w] : (REAL)0;
        const REAL b = (j > 0 && j < w - 1) ? row[j + 1] - row[j - 1] : (REAL)0;
        const REAL m = HYPOT(a, b);
        if (m > best) {
            best = m;
            gr[j] = a;
            gc[j] = b;
            m2[j] = a * a + b * b;
        }
    }
}
#endif

/* Hard orientation bin of each column's gradient (see fl_hog_bins); the edge
 * tests run in BIN_T (float only for the exact uint8 gradients, where an
 * exhaustive check shows it agrees with double for up to 72 bins). */
static void F(hog_row_bins)(const fl_hog_bins *t, int signed_, ptrdiff_t ncols,
                            const REAL *restrict gr, const REAL *restrict gc,
                            BIN_T *restrict fr, BIN_T *restrict fc, BIN_T *restrict half,
                            BIN_T *restrict cnt, int *restrict bin, int *restrict near)
{
    for (ptrdiff_t j = 0; j < ncols; j++) {
        const BIN_T a = gr[j], b = gc[j];
        const int hf = a < 0 || (a == 0 && b < 0);
        half[j] = hf ? (BIN_T)1 : (BIN_T)0;
        fr[j] = hf ? -a : a;
        fc[j] = hf ? -b : b;
        cnt[j] = 0;
    }
    for (int k = 0; k < t->n - 1; k++) {
        const BIN_T ex = (BIN_T)t->ex[k], ey = (BIN_T)t->ey[k];
        const BIN_T on_edge = t->strict[k] ? (BIN_T)0 : (BIN_T)1;
        if (!signed_) {
            for (ptrdiff_t j = 0; j < ncols; j++) {
                const BIN_T d = ex * fr[j] - ey * fc[j];
                cnt[j] += (d > 0 ? (BIN_T)1 : (BIN_T)0) + (d == 0 ? on_edge : (BIN_T)0);
            }
        } else if (t->upper[k]) { /* edge in [180, 360): only folded gradients */
            for (ptrdiff_t j = 0; j < ncols; j++) {
                const BIN_T d = ex * fr[j] - ey * fc[j];
                cnt[j] += half[j] * ((d > 0 ? (BIN_T)1 : (BIN_T)0) + (d == 0 ? on_edge : (BIN_T)0));
            }
        } else { /* edge in (0, 180): every folded gradient is above */
            for (ptrdiff_t j = 0; j < ncols; j++) {
                const BIN_T d = ex * fr[j] - ey * fc[j];
                const BIN_T above = (d > 0 ? (BIN_T)1 : (BIN_T)0) + (d == 0 ? on_edge : (BIN_T)0);
                cnt[j] += above > half[j] ? above : half[j];
            }
        }
    }
    for (ptrdiff_t j = 0; j < ncols; j++)
        bin[j] = (int)cnt[j];
#if !EXACT
    /* gradients within rounding of an edge: decided again exactly */
    for (ptrdiff_t j = 0; j < ncols; j++)
        near[j] = 0;
    for (int k = 0; k < t->n - 1; k++) {
        const BIN_T ex = (BIN_T)t->ex[k], ey = (BIN_T)t->ey[k];
        for (ptrdiff_t j = 0; j < ncols; j++) {
            const BIN_T d = ex * fr[j] - ey * fc[j];
            near[j] |= fabs(d) <= 1e-13 * (fr[j] + fabs(fc[j]));
        }
    }
    for (ptrdiff_t j = 0; j < ncols; j++)
        if (near[j])
            bin[j] = fl_hog_bin_exact(t, signed_, (double)gr[j], (double)gc[j]);
#else
    (void)near;
#endif
}

/* Votes of row r (cell row cr_i) into the cell histograms hist (ncc, n). */
/* Hard votes of one row, per column: acc[b*w + j] += magnitude when the
 * pixel's bin is b (vectorised over the columns, one pass per bin). */
static void F(hog_row_votes_hard)(int n, ptrdiff_t w, ptrdiff_t ncols, const REAL *m2,
                                  REAL *restrict mag, const int *restrict bin,
                                  REAL *restrict acc)
{
    for (ptrdiff_t j = 0; j < ncols; j++)
        mag[j] = sqrt(m2[j]);
    for (int b = 0; b < n; b++) {
        REAL *ab = acc + (ptrdiff_t)b * w;
        for (ptrdiff_t j = 0; j < ncols; j++)
            ab[j] += bin[j] == b ? mag[j] : (REAL)0;
    }
}

/* Per-column votes acc (n, w) of a row of cells summed into hist (ncc, n);
 * acc is zeroed for the next row of cells. */
static void F(hog_flush_cells)(int n, ptrdiff_t w, ptrdiff_t ncc, ptrdiff_t cc,
                               REAL *restrict acc, double *restrict hist)
{
    /* bins innermost: n independent sums instead of one latency chain */
    for (ptrdiff_t cj = 0; cj < ncc; cj++) {
        double *restrict hc = hist + cj * n;
        for (int b = 0; b < n; b++)
            hc[b] = 0;
        for (ptrdiff_t j = cj * cc; j < (cj + 1) * cc; j++)
            for (int b = 0; b < n; b++)
                hc[b] += acc[(ptrdiff_t)b * w + j];
    }
    memset(acc, 0, sizeof(REAL) * (size_t)n * (size_t)w);
}

/* Interpolated votes of a row straight into the cell histograms hist. */
static void F(hog_row_votes_interp)(const fl_hog_bins *t, ptrdiff_t ncols,
                                    const ptrdiff_t *colcell, const REAL *gr,
                                    const REAL *gc, const REAL *m2, double *restrict hist)
{
    const int n = t->n;
    for (ptrdiff_t j = 0; j < ncols; j++) {
        const double m = (double)sqrt(m2[j]);
        double a = atan2((double)gr[j], (double)gc[j]) * (180.0 / 3.14159265358979323846);
        if (a < 0)
            a += t->period;
        if (a >= t->period)
            a -= t->period;
        const double u = a / t->width - 0.5;
        const double lo = floor(u);
        const double f = u - lo;
        int ilo = (int)lo;
        if (ilo < 0)
            ilo += n;
        if (ilo >= n)
            ilo -= n;
        const int ihi = ilo + 1 == n ? 0 : ilo + 1;
        hist[colcell[j] + ilo] += (1.0 - f) * m;
        hist[colcell[j] + ihi] += f * m;
    }
}

/* Normalised blocks of the cell histograms hist (ncr, ncc, n) into out. */
static void F(hog_blocks)(const double *hist, ptrdiff_t ncr, ptrdiff_t ncc,
                          const fl_hog_params *p, double *tmp, OUT_T *out)
{
    const int n = p->orientations, br = p->block_rows, bc = p->block_cols;
    const ptrdiff_t bsize = (ptrdiff_t)br * bc * n;
    const double eps = 1e-5;
    if (p->block_norm == FL_HOG_NORM_NONE) {
        for (ptrdiff_t i = 0; i < ncr * ncc * n; i++)
            out[i] = (OUT_T)hist[i];
        return;
    }
    for (ptrdiff_t bi = 0; bi + br <= ncr; bi++) {
        for (ptrdiff_t bj = 0; bj + bc <= ncc; bj++) {
            double s1 = 0, s2 = 0;
            for (int ci = 0; ci < br; ci++)
                memcpy(tmp + (ptrdiff_t)ci * bc * n, hist + ((bi + ci) * ncc + bj) * n,
                       (size_t)bc * n * sizeof(double));
            for (ptrdiff_t k = 0; k < bsize; k++) {
                s1 += fabs(tmp[k]);
                s2 += tmp[k] * tmp[k];
            }
            switch (p->block_norm) {
            case FL_HOG_NORM_L1:
                for (ptrdiff_t k = 0; k < bsize; k++)
                    tmp[k] = tmp[k] / (s1 + eps);
                break;
            case FL_HOG_NORM_L1_SQRT:
                for (ptrdiff_t k = 0; k < bsize; k++)
                    tmp[k] = sqrt(tmp[k] / (s1 + eps));
                break;
            case FL_HOG_NORM_L2:
                for (ptrdiff_t k = 0; k < bsize; k++)
                    tmp[k] = tmp[k] / sqrt(s2 + eps * eps);
                break;
            default: { /* L2-Hys */
                const double d = sqrt(s2 + eps * eps);
                double s3 = 0;
                for (ptrdiff_t k = 0; k < bsize; k++) {
                    const double v = tmp[k] / d;
                    tmp[k] = v < 0.2 ? v : 0.2;
                    s3 += tmp[k] * tmp[k];
                }
                const double d2 = sqrt(s3 + eps * eps);
                for (ptrdiff_t k = 0; k < bsize; k++)
                    tmp[k] = tmp[k] / d2;
            }
            }
            for (ptrdiff_t k = 0; k < bsize; k++)
                out[k] = (OUT_T)tmp[k];
            out += bsize;
        }
    }
}

/* Per-thread scratch of the HOG kernel (see F(fl_hog) for the sizes). */
typedef struct {
    double *hist, *tmp;
    BIN_T *fr, *fc, *half, *cnt;
    REAL *P, *gr, *gc, *m2, *mag, *spare, *acc;
    ptrdiff_t *colcell;
    int *bin, *near;
} F(hog_scratch);

/* HOG of one image into out; returns 1 (and writes nothing) when the image
 * holds a non-finite value. */
static int F(hog_one)(const IN_T *img, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                      const ptrdiff_t strides[4], const REAL *lut, const fl_hog_params *p,
                      const fl_hog_bins *bins, const F(hog_scratch) *s, OUT_T *out)
{
    const int nb = p->orientations;
    const ptrdiff_t ncr = h / p->cell_rows, ncc = w / p->cell_cols;
    const ptrdiff_t nrows = ncr * p->cell_rows, ncols = ncc * p->cell_cols;
    if (F(hog_load)(img, h, w, c, strides, lut, p->transform_sqrt, s->P) != 0)
        return 1;
    memset(s->hist, 0, sizeof(double) * (size_t)(ncr * ncc * nb));
    memset(s->acc, 0, sizeof(REAL) * (size_t)(nb * w));
    for (ptrdiff_t r = 0; r < nrows; r++) {
        double *hrow = s->hist + (r / p->cell_rows) * ncc * nb;
        F(hog_row_gradient)(s->P, h, w, c, r, ncols, s->gr, s->gc, s->m2, s->spare, s->mag,
                            s->near);
#if !EXACT
        if (c > 1)
            for (ptrdiff_t j = 0; j < ncols; j++)
                if (s->near[j])
                    F(hog_fix_channel)(s->P, h, w, c, r, j, s->gr, s->gc, s->m2);
#endif
        if (p->interpolate) {
            F(hog_row_votes_interp)(bins, ncols, s->colcell, s->gr, s->gc, s->m2, hrow);
        } else {
            F(hog_row_bins)(bins, p->signed_orientation, ncols, s->gr, s->gc, s->fr, s->fc,
                            s->half, s->cnt, s->bin, s->near);
            F(hog_row_votes_hard)(nb, w, ncols, s->m2, s->mag, s->bin, s->acc);
            if (r % p->cell_rows == p->cell_rows - 1)
                F(hog_flush_cells)(nb, w, ncc, p->cell_cols, s->acc, hrow);
        }
    }
    const double inv = 1.0 / ((double)p->cell_rows * p->cell_cols);
    for (ptrdiff_t k = 0; k < ncr * ncc * nb; k++)
        s->hist[k] = s->hist[k] * inv;
    F(hog_blocks)(s->hist, ncr, ncc, p, s->tmp, out);
    return 0;
}

static int F(fl_hog)(const IN_T *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                     ptrdiff_t c, const ptrdiff_t strides[4], const fl_hog_params *p,
                     int num_threads, OUT_T *out, ptrdiff_t *bad_image)
{
    ptrdiff_t ncr, ncc, nbr, nbc;
    fl_hog_geometry(p, h, w, &ncr, &ncc, &nbr, &nbc);
    const ptrdiff_t fsize = fl_hog_feature_size(p, h, w);
    const ptrdiff_t ncols = ncc * p->cell_cols;
    const int nb = p->orientations;
    fl_hog_bins bins;
    REAL lut[256];
    ptrdiff_t first_bad = n;
    int nomem = 0;
    *bad_image = -1;
    if (fl_hog_bins_init(&bins, p) != FL_OK)
        return FL_ENOMEM;
#if IN_U8
    for (int v = 0; v < 256; v++)
        lut[v] = p->transform_sqrt ? (REAL)sqrt((REAL)v) : (REAL)v;
#endif
    const int nt = fl_num_threads(num_threads, n);
    (void)nt;
#pragma omp parallel num_threads(nt)
    {
        /* scratch: planar image, 3 REAL rows, 2 double rows, 2 int rows,
         * column -> cell offsets, cell histograms, one block */
        const size_t bytes = sizeof(double) * (size_t)(ncr * ncc * nb +
                                                       p->block_rows * p->block_cols * nb) +
                             sizeof(BIN_T) * (size_t)(4 * w) +
                             sizeof(REAL) * (size_t)(c * h * w + 7 * w + nb * w) +
                             sizeof(ptrdiff_t) * (size_t)w + sizeof(int) * (size_t)(2 * w);
        char *scratch = malloc(bytes);
        if (!scratch) {
#pragma omp atomic
            nomem |= 1;
        }
        /* widest types first (double, ptrdiff_t, BIN_T, REAL, int; sizeof(BIN_T) >=
         * sizeof(REAL)), so that every array is aligned whatever the sizes */
        F(hog_scratch) sc;
        sc.hist = (double *)(void *)scratch;
        sc.tmp = sc.hist + ncr * ncc * nb;
        sc.colcell = (ptrdiff_t *)(void *)(sc.tmp + p->block_rows * p->block_cols * nb);
        sc.fr = (BIN_T *)(void *)(sc.colcell + w);
        sc.fc = sc.fr + w;
        sc.half = sc.fc + w;
        sc.cnt = sc.half + w;
        sc.P = (REAL *)(void *)(sc.cnt + w);
        sc.gr = sc.P + c * h * w;
        sc.gc = sc.gr + w;
        sc.m2 = sc.gc + w;
        sc.mag = sc.m2 + w;
        sc.spare = sc.mag + w;
        sc.acc = sc.spare + 3 * w;
        sc.bin = (int *)(void *)(sc.acc + nb * w);
        sc.near = sc.bin + w;
        if (scratch)
            for (ptrdiff_t j = 0; j < ncols; j++)
                sc.colcell[j] = (j / p->cell_cols) * nb;
#pragma omp for schedule(static)
        for (ptrdiff_t i = 0; i < n; i++) {
            if (!scratch)
                continue;
            if (F(hog_one)(images + i * strides[0], h, w, c, strides, lut, p, &bins, &sc,
                           out + i * fsize)) {
#pragma omp critical(fl_hog_bad)
                if (i < first_bad)
                    first_bad = i;
            }
        }
        free(scratch);
    }
    fl_hog_bins_free(&bins);
    if (nomem)
        return FL_ENOMEM;
    if (first_bad < n) {
        *bad_image = first_bad;
        return FL_HOG_ENONFINITE;
    }
    return FL_OK;
}

#undef F
#undef CAT
#undef CAT_
#undef IN_T
#undef IN_U8
#undef REAL
#undef OUT_T
#undef SUF
#undef EXACT
#undef REAL_EPS
#undef HYPOT
#undef BIN_T
