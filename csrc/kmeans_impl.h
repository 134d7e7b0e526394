/* k-means template, included by kmeans.c with REAL, VEC, IVEC, SUF, REAL_MAX
 * and F(name) defined.  See kmeans.h for the contract. */
#include "dots_impl.h"

#ifndef FL_KM_MB
#define FL_KM_MB 96 /* rows per block of the Lloyd step */
#endif
#define KM_KC (16 * NR) /* packed columns per chunk: a block's S chunk stays in L2 */
#ifndef FL_KM_MAX_GROUPS
#define FL_KM_MAX_GROUPS 16
#endif
#define KM_SUMS_BYTES ((size_t)1 << 28) /* cap on the group buffers of the centroid sums */
#define KPP_PB 256                      /* rows per block of k-means++ partial sums */

/* Aligned per-thread scratch: len REAL values for each of T threads. */
static REAL *F(km_alloc)(size_t len, int T, void **raw)
{
    len = (len + (size_t)NR - 1) / (size_t)NR * (size_t)NR;
    *raw = malloc((size_t)T * len * sizeof(REAL) + FL_VBYTES);
    if (!*raw) return NULL;
    return (REAL *)((char *)*raw + (FL_VBYTES - (uintptr_t)*raw % FL_VBYTES));
}

FL_INLINE size_t F(km_round)(size_t len) { return (len + (size_t)NR - 1) / (size_t)NR * (size_t)NR; }

/* Rows [r0, r1) of the Lloyd step: nearest packed centre (Bp holds -2 C,
 * ccp the squared norms, +inf in the padding), then the sums. */
static void F(km_assign_block)(const REAL *X, ptrdiff_t ldx, ptrdiff_t r0, ptrdiff_t r1,
                               ptrdiff_t D, const REAL *Bp, const REAL *ccp, ptrdiff_t Kp,
                               REAL *work, int64_t *labels, REAL *mindist, double *sums,
                               int64_t *counts, double *inertia)
{
    const ptrdiff_t mb = r1 - r0;
    const REAL *A = X + r0 * ldx;
    REAL *S = work, *T = S + FL_KM_MB * KM_KC;
    REAL best[FL_KM_MB];
    ptrdiff_t arg[FL_KM_MB];
    for (ptrdiff_t r = 0; r < mb; r++) {
        best[r] = (REAL)INFINITY;
        arg[r] = 0;
    }
    for (ptrdiff_t c0 = 0; c0 < Kp; c0 += KM_KC) {
        const ptrdiff_t c1 = c0 + KM_KC < Kp ? c0 + KM_KC : Kp;
        F(block_dots)(A, ldx, mb, Bp, D, c0, c1, S, KM_KC, MR, 2, T);
        F(argmin_rows)(S, KM_KC, mb, ccp + c0, c0, c1 - c0, best, arg);
    }
    double in = 0;
    for (ptrdiff_t r = 0; r < mb; r++) {
        const REAL *x = A + r * ldx;
        REAL xx = 0;
        for (ptrdiff_t d = 0; d < D; d++) xx += x[d] * x[d];
        REAL dist = xx + best[r];
        if (!(dist > 0)) dist = 0;
        labels[r0 + r] = (int64_t)arg[r];
        if (mindist) mindist[r0 + r] = dist;
        in += dist;
        if (sums) {
            double *s = sums + arg[r] * D;
            for (ptrdiff_t d = 0; d < D; d++) s[d] += (double)x[d];
            counts[arg[r]]++;
        }
    }
    *inertia += in;
}

int F(fl_kmeans_assign)(const REAL *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                        const REAL *centres, ptrdiff_t K, int num_threads, int64_t *labels,
                        REAL *mindist, double *sums, int64_t *counts, double *inertia)
{
    const ptrdiff_t Kp = F(padded)(K, NR);
    const ptrdiff_t nblocks = (n + FL_KM_MB - 1) / FL_KM_MB;
    ptrdiff_t G;
    if (sums) {
        G = n / (4 * K); /* a group reads >= 4x its buffer's rows */
        const ptrdiff_t gmem = (ptrdiff_t)(KM_SUMS_BYTES / ((size_t)K * (size_t)D * sizeof(double)));
        if (G > gmem) G = gmem;
        if (G > FL_KM_MAX_GROUPS) G = FL_KM_MAX_GROUPS;
    } else {
        G = 64;
    }
    if (G > nblocks) G = nblocks;
    if (G < 1) G = 1;
    const int T = fl_num_threads(num_threads, G);

    const size_t kd = (size_t)K * (size_t)D;
    const size_t wlen = F(km_round)((size_t)FL_KM_MB * KM_KC + F(dots_scratch)(D));
    void *raw = NULL;
    REAL *Bp = malloc((size_t)Kp * (size_t)D * sizeof(REAL));
    REAL *ccp = malloc((size_t)Kp * sizeof(REAL));
    double *gsums = sums && G > 1 ? malloc((size_t)(G - 1) * kd * sizeof(double)) : NULL;
    int64_t *gcounts = sums && G > 1 ? malloc((size_t)(G - 1) * (size_t)K * sizeof(int64_t)) : NULL;
    double *gin = malloc((size_t)G * 8 * sizeof(double));
    REAL *work = F(km_alloc)(wlen, T, &raw);
    if (!Bp || !ccp || !gin || !work || (sums && G > 1 && (!gsums || !gcounts))) {
        free(Bp);
        free(ccp);
        free(gsums);
        free(gcounts);
        free(gin);
        free(raw);
        return FL_ENOMEM;
    }
    F(pack_panels)(centres, D, 1, K, D, (REAL)-2, NR, Bp);
    for (ptrdiff_t k = 0; k < Kp; k++) {
        REAL t = 0;
        if (k < K)
            for (ptrdiff_t d = 0; d < D; d++) t += centres[k * D + d] * centres[k * D + d];
        ccp[k] = k < K ? t : (REAL)INFINITY;
    }

#pragma omp parallel num_threads(T)
    {
        REAL *wk = work + (size_t)omp_get_thread_num() * wlen;
#pragma omp for schedule(dynamic, 1)
        for (ptrdiff_t g = 0; g < G; g++) {
            double *s = NULL;
            int64_t *c = NULL;
            if (sums) {
                s = g == 0 ? sums : gsums + (size_t)(g - 1) * kd;
                c = g == 0 ? counts : gcounts + (size_t)(g - 1) * (size_t)K;
                memset(s, 0, kd * sizeof(double));
                memset(c, 0, (size_t)K * sizeof(int64_t));
            }
            double in = 0;
            const ptrdiff_t b0 = nblocks * g / G, b1 = nblocks * (g + 1) / G;
            for (ptrdiff_t b = b0; b < b1; b++) {
                const ptrdiff_t r0 = b * FL_KM_MB, r1 = r0 + FL_KM_MB < n ? r0 + FL_KM_MB : n;
                F(km_assign_block)(X, ldx, r0, r1, D, Bp, ccp, Kp, wk, labels, mindist, s, c, &in);
            }
            gin[g * 8] = in;
        }
        if (sums && G > 1) {
#pragma omp for schedule(static)
            for (ptrdiff_t k = 0; k < (ptrdiff_t)kd; k++) {
                double t = sums[k];
                for (ptrdiff_t g = 1; g < G; g++) t += gsums[(size_t)(g - 1) * kd + (size_t)k];
                sums[k] = t;
            }
#pragma omp for schedule(static)
            for (ptrdiff_t k = 0; k < K; k++) {
                int64_t t = counts[k];
                for (ptrdiff_t g = 1; g < G; g++) t += gcounts[(size_t)(g - 1) * (size_t)K + (size_t)k];
                counts[k] = t;
            }
        }
    }
    double in = 0;
    for (ptrdiff_t g = 0; g < G; g++) in += gin[g * 8];
    *inertia = in;
    free(Bp);
    free(ccp);
    free(gsums);
    free(gcounts);
    free(gin);
    free(raw);
    return FL_OK;
}

/* k-means++ with the triangle inequality: if the chosen centre a nearest to
 * row x is far from a candidate c, ||c - a||^2 > 4 ||x - a||^2, then
 * ||x - c|| > ||x - a|| and the candidate cannot lower x's distance; such
 * rows are skipped (Elkan 2003's bound, as in accelerated k-means++).  The
 * test keeps a relative margin of KPP_MARGIN against rounding. */
#define KPP_MARGIN 1e-3

FL_INLINE int F(kpp_may_improve)(const REAL *ccd_row_or_col, ptrdiff_t stride, int nt,
                                 double closest)
{
    const double bound = 4.0 * closest * (1.0 + KPP_MARGIN);
    for (int t = 0; t < nt; t++)
        if ((double)ccd_row_or_col[t * stride] <= bound) return 1;
    return 0;
}

/* Rows [r0, r1): part[t] = sum_i min(closest_i, ||x_i - cand_t||^2).  ccd
 * (nt rows of ldc): squared distances of the candidates to the chosen
 * centres; asg: index of each row's nearest chosen centre.  Rows that may
 * improve are gathered into G and go through the register-tiled kernel
 * together; their distances to the candidates are kept in dist (n x nt) and
 * flagged in done, for F(kpp_update) not to read X again. */
static void F(kpp_block)(const REAL *X, ptrdiff_t ldx, ptrdiff_t r0, ptrdiff_t r1, ptrdiff_t D,
                         const REAL *Bp, const REAL *ccand, int nt, ptrdiff_t Kp, const REAL *xx,
                         const REAL *closest, const int32_t *asg, const REAL *ccd,
                         ptrdiff_t ldc, double *part, REAL *dist, unsigned char *done,
                         REAL *work)
{
    REAL *S = work, *G = S + KPP_PB * Kp, *T = G + KPP_PB * D;
    ptrdiff_t idx[KPP_PB];
    ptrdiff_t m = 0;
    double skipped = 0;
    for (ptrdiff_t i = r0; i < r1; i++) {
        done[i] = (unsigned char)F(kpp_may_improve)(ccd + asg[i], ldc, nt, (double)closest[i]);
        if (done[i]) {
            memcpy(G + m * D, X + i * ldx, (size_t)D * sizeof(REAL));
            idx[m++] = i;
        } else {
            skipped += (double)closest[i];
        }
    }
    if (m) {
        if (Kp == VL)
            F(block_dots)(G, D, m, Bp, D, 0, Kp, S, Kp, MR1, 1, T);
        else
            F(block_dots)(G, D, m, Bp, D, 0, Kp, S, Kp, MR, 2, T);
    }
    for (int t = 0; t < nt; t++) part[t] = skipped;
    for (ptrdiff_t j = 0; j < m; j++) {
        const ptrdiff_t i = idx[j];
        for (int t = 0; t < nt; t++) {
            REAL d = xx[i] + ccand[t] + S[j * Kp + t];
            if (!(d > 0)) d = 0;
            dist[i * nt + t] = d;
            if (d > closest[i]) d = closest[i];
            part[t] += (double)d;
        }
    }
}

/* Rows [r0, r1): closest_i = min(closest_i, ||x_i - cb||^2), asg_i = ci when
 * it improves (the first centre sets them); returns the sum of the new closest values in row order.  The
 * first centre (best < 0) computes every row; later ones take the distances
 * F(kpp_block) kept for the rows it did not prune (the others cannot
 * improve). */
static double F(kpp_update)(const REAL *X, ptrdiff_t ldx, ptrdiff_t r0, ptrdiff_t r1, ptrdiff_t D,
                            const REAL *cb, REAL cbn, int32_t ci, const REAL *xx, REAL *closest,
                            int32_t *asg, const REAL *dist, const unsigned char *done, int nt,
                            int best)
{
    double s = 0;
    if (best >= 0) {
        for (ptrdiff_t i = r0; i < r1; i++) {
            if (done[i] && dist[i * nt + best] < closest[i]) {
                closest[i] = dist[i * nt + best];
                asg[i] = ci;
            }
            s += (double)closest[i];
        }
        return s;
    }
    for (ptrdiff_t i = r0; i < r1; i++) {
        const REAL *x = X + i * ldx;
        REAL dot = 0;
        ptrdiff_t d = 0;
#if FL_HAVE_VECTOR_EXT
        VEC acc = {0};
        for (; d + VL <= D; d += VL) acc += F(vld)(x + d) * F(vld)(cb + d);
        for (int l = 0; l < (int)VL; l++) dot += acc[l];
#endif
        for (; d < D; d++) dot += x[d] * cb[d];
        REAL v = xx[i] + cbn - 2 * dot;
        if (!(v > 0)) v = 0;
        closest[i] = v;
        asg[i] = ci;
        s += (double)closest[i];
    }
    return s;
}

/* ccd[t*ldc + j] = ||cand_t - centre_j||^2 for the c chosen centres Cs. */
static void F(kpp_centre_dists)(const REAL *Cs, const REAL *cn, ptrdiff_t c, ptrdiff_t D,
                                const REAL *Bp, const REAL *ccand, int nt, ptrdiff_t Kp, REAL *S,
                                REAL *T, REAL *ccd, ptrdiff_t ldc)
{
    if (Kp == VL)
        F(block_dots)(Cs, D, c, Bp, D, 0, Kp, S, Kp, MR1, 1, T);
    else
        F(block_dots)(Cs, D, c, Bp, D, 0, Kp, S, Kp, MR, 2, T);
    for (ptrdiff_t j = 0; j < c; j++)
        for (int t = 0; t < nt; t++) {
            const REAL d = cn[j] + ccand[t] + S[j * Kp + t];
            ccd[t * ldc + j] = d > 0 ? d : 0;
        }
}

FL_INLINE double F(uniform53)(fl_pcg32 *rng)
{
    const uint32_t a = fl_pcg32_next(rng) >> 5, b = fl_pcg32_next(rng) >> 6;
    return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}

/* First row i with cumsum(closest)[i] >= u (n - 1 when none). */
static ptrdiff_t F(kpp_search)(const REAL *closest, const double *bsum, ptrdiff_t nb,
                               ptrdiff_t n, double u)
{
    double cum = 0;
    ptrdiff_t b = 0;
    while (b < nb - 1 && cum + bsum[b] < u) cum += bsum[b++];
    const ptrdiff_t i1 = (b + 1) * KPP_PB < n ? (b + 1) * KPP_PB : n;
    for (ptrdiff_t i = b * KPP_PB; i < i1; i++) {
        cum += (double)closest[i];
        if (cum >= u) return i;
    }
    return i1 - 1;
}

int F(fl_kmeans_plusplus)(const REAL *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D, ptrdiff_t K,
                          int n_trials, uint64_t seed, int num_threads, int64_t *centres,
                          double *potential)
{
    const int nt = n_trials;
    const ptrdiff_t Kp = nt <= VL ? VL : F(padded)(nt, NR);
    const ptrdiff_t nb = (n + KPP_PB - 1) / KPP_PB;
    const int T = fl_num_threads(num_threads, nb);
    const size_t wlen = F(km_round)((size_t)KPP_PB * (size_t)(Kp + D) + F(dots_scratch)(D));
    void *raw = NULL;
    REAL *xx = malloc((size_t)n * sizeof(REAL));
    REAL *closest = malloc((size_t)n * sizeof(REAL));
    int32_t *asg = malloc((size_t)n * sizeof(int32_t));
    double *part = malloc((size_t)nb * (size_t)nt * sizeof(double));
    double *bsum = malloc((size_t)nb * sizeof(double));
    double *pot = malloc((size_t)nt * sizeof(double));
    REAL *Cc = malloc((size_t)nt * (size_t)D * sizeof(REAL));
    REAL *Cs = malloc((size_t)K * (size_t)D * sizeof(REAL)); /* chosen centres */
    REAL *cn = malloc((size_t)K * sizeof(REAL));
    REAL *ccd = malloc((size_t)nt * (size_t)K * sizeof(REAL));
    REAL *S2 = malloc(((size_t)K * (size_t)Kp + F(dots_scratch)(D)) * sizeof(REAL));
    REAL *Bp = malloc((size_t)Kp * (size_t)D * sizeof(REAL));
    REAL *ccand = malloc((size_t)Kp * sizeof(REAL));
    ptrdiff_t *cand = malloc((size_t)nt * sizeof(ptrdiff_t));
    REAL *dist = malloc((size_t)n * (size_t)nt * sizeof(REAL));
    unsigned char *done = malloc((size_t)n);
    REAL *work = F(km_alloc)(wlen, T, &raw);
    if (!xx || !closest || !asg || !part || !bsum || !pot || !Cc || !Cs || !cn || !ccd || !S2 ||
        !Bp || !ccand || !cand || !dist || !done || !work) {
        free(xx), free(closest), free(asg), free(part), free(bsum), free(pot), free(Cc);
        free(Cs), free(cn), free(ccd), free(S2), free(Bp), free(ccand), free(cand), free(raw);
        free(dist), free(done);
        return FL_ENOMEM;
    }

    fl_pcg32 rng;
    fl_pcg32_seed(&rng, seed, FL_KMEANS_STREAM);
    double current = 0;

#pragma omp parallel for schedule(static) num_threads(T)
    for (ptrdiff_t i = 0; i < n; i++) {
        const REAL *x = X + i * ldx;
        REAL t = 0;
        for (ptrdiff_t d = 0; d < D; d++) t += x[d] * x[d];
        xx[i] = t;
        closest[i] = REAL_MAX;
        asg[i] = 0;
    }

    for (ptrdiff_t c = 0; c < K; c++) {
        int m, best = 0; /* candidates this round, the one kept */
        if (c == 0) {
            m = 1;
            cand[0] = (ptrdiff_t)fl_pcg32_bounded(&rng, (uint32_t)n);
        } else {
            m = nt;
            for (int t = 0; t < nt; t++)
                cand[t] = F(kpp_search)(closest, bsum, nb, n, F(uniform53)(&rng) * current);
        }
        for (int t = 0; t < m; t++) {
            memcpy(Cc + (size_t)t * (size_t)D, X + cand[t] * ldx, (size_t)D * sizeof(REAL));
            ccand[t] = xx[cand[t]];
        }
        if (c > 0) {
            F(pack_panels)(Cc, D, 1, m, D, (REAL)-2, Kp <= VL ? VL : NR, Bp);
            F(kpp_centre_dists)(Cs, cn, c, D, Bp, ccand, m, Kp, S2, S2 + (size_t)K * (size_t)Kp,
                                ccd, K);
#pragma omp parallel num_threads(T)
            {
                REAL *wk = work + (size_t)omp_get_thread_num() * wlen;
#pragma omp for schedule(dynamic, 8)
                for (ptrdiff_t b = 0; b < nb; b++) {
                    const ptrdiff_t r0 = b * KPP_PB, r1 = r0 + KPP_PB < n ? r0 + KPP_PB : n;
                    F(kpp_block)(X, ldx, r0, r1, D, Bp, ccand, m, Kp, xx, closest, asg, ccd, K,
                                 part + (size_t)b * (size_t)nt, dist, done, wk);
                }
            }
            for (int t = 0; t < m; t++) {
                double s = 0;
                for (ptrdiff_t b = 0; b < nb; b++) s += part[(size_t)b * (size_t)nt + (size_t)t];
                pot[t] = s;
                if (s < pot[best]) best = t;
            }
        }
        /* the kept candidate becomes centre c: update closest, asg and the block sums */
        const REAL *cb = Cc + (size_t)best * (size_t)D;
        memcpy(Cs + c * D, cb, (size_t)D * sizeof(REAL));
        cn[c] = ccand[best];
        centres[c] = (int64_t)cand[best];
#pragma omp parallel for schedule(dynamic, 8) num_threads(T)
        for (ptrdiff_t b = 0; b < nb; b++) {
            const ptrdiff_t r0 = b * KPP_PB, r1 = r0 + KPP_PB < n ? r0 + KPP_PB : n;
            bsum[b] = F(kpp_update)(X, ldx, r0, r1, D, cb, cn[c], (int32_t)c, xx, closest, asg,
                                    dist, done, nt, c > 0 ? best : -1);
        }
        current = 0;
        for (ptrdiff_t b = 0; b < nb; b++) current += bsum[b];
    }
    *potential = current;
    free(xx), free(closest), free(asg), free(part), free(bsum), free(pot), free(Cc);
    free(Cs), free(cn), free(ccd), free(S2), free(Bp), free(ccand), free(cand), free(raw);
    free(dist), free(done);
    return FL_OK;
}

#undef VL
#undef NR
#undef MR
#undef MR1
#undef KM_KC
#undef KM_SUMS_BYTES
#undef KPP_PB
#undef KPP_MARGIN
