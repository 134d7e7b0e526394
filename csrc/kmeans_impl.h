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
FL_MULTIVERSION
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
        for (ptrdiff_t r = 0; r < mb; r++) {
            REAL v;
            const ptrdiff_t j = F(argmin_sum)(S + r * KM_KC, ccp + c0, c1 - c0, &v);
            if (v < best[r]) {
                best[r] = v;
                arg[r] = c0 + j;
            }
        }
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
    int T = num_threads > 0 ? num_threads : fl_default_num_threads();
    if (T > G) T = (int)G;
    if (T < 1) T = 1;

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

/* One block of k-means++ candidate distances: dist[t][i] = min(closest[i],
 * ||x_i - cand_t||^2) for rows [r0, r1), and their sums into part[t]. */
FL_MULTIVERSION
static void F(kpp_block)(const REAL *X, ptrdiff_t ldx, ptrdiff_t r0, ptrdiff_t r1, ptrdiff_t D,
                         const REAL *Bp, const REAL *ccand, int nt, ptrdiff_t Kp, const REAL *xx,
                         const REAL *closest, REAL *const *dist, double *part, REAL *work)
{
    const ptrdiff_t mb = r1 - r0;
    REAL *S = work, *T = S + KPP_PB * Kp;
    if (Kp == VL)
        F(block_dots)(X + r0 * ldx, ldx, mb, Bp, D, 0, Kp, S, Kp, MR1, 1, T);
    else
        F(block_dots)(X + r0 * ldx, ldx, mb, Bp, D, 0, Kp, S, Kp, MR, 2, T);
    for (int t = 0; t < nt; t++) part[t] = 0;
    for (ptrdiff_t r = 0; r < mb; r++) {
        const ptrdiff_t i = r0 + r;
        for (int t = 0; t < nt; t++) {
            REAL d = xx[i] + ccand[t] + S[r * Kp + t];
            if (!(d > 0)) d = 0;
            if (d > closest[i]) d = closest[i];
            dist[t][i] = d;
            part[t] += (double)d;
        }
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
    int T = num_threads > 0 ? num_threads : fl_default_num_threads();
    if (T > nb) T = (int)nb;
    if (T < 1) T = 1;
    const size_t wlen = F(km_round)((size_t)KPP_PB * (size_t)Kp + F(dots_scratch)(D));
    void *raw = NULL;
    REAL *xx = malloc((size_t)n * sizeof(REAL));
    REAL *pool = malloc((size_t)(nt + 1) * (size_t)n * sizeof(REAL));
    double *part = malloc((size_t)nb * (size_t)nt * sizeof(double));
    double *bsum = malloc((size_t)nb * sizeof(double));
    double *pot = malloc((size_t)nt * sizeof(double));
    REAL **buf = malloc((size_t)(nt + 1) * sizeof(REAL *));
    REAL *Cc = malloc((size_t)nt * (size_t)D * sizeof(REAL));
    REAL *Bp = malloc((size_t)Kp * (size_t)D * sizeof(REAL));
    REAL *ccand = malloc((size_t)Kp * sizeof(REAL));
    ptrdiff_t *cand = malloc((size_t)nt * sizeof(ptrdiff_t));
    REAL *work = F(km_alloc)(wlen, T, &raw);
    if (!xx || !pool || !part || !bsum || !pot || !buf || !Cc || !Bp || !ccand || !cand || !work) {
        free(xx), free(pool), free(part), free(bsum), free(pot), free((void *)buf);
        free(Cc), free(Bp), free(ccand), free(cand), free(raw);
        return FL_ENOMEM;
    }
    for (int t = 0; t <= nt; t++) buf[t] = pool + (size_t)t * (size_t)n;

    fl_pcg32 rng;
    fl_pcg32_seed(&rng, seed, FL_KMEANS_STREAM);
    double current = 0;

#pragma omp parallel num_threads(T)
    {
#pragma omp for schedule(static)
        for (ptrdiff_t i = 0; i < n; i++) {
            const REAL *x = X + i * ldx;
            REAL t = 0;
            for (ptrdiff_t d = 0; d < D; d++) t += x[d] * x[d];
            xx[i] = t;
            buf[nt][i] = REAL_MAX;
        }
    }

    for (ptrdiff_t c = 0; c < K; c++) {
        int m; /* candidates this round */
        if (c == 0) {
            m = 1;
            cand[0] = (ptrdiff_t)fl_pcg32_bounded(&rng, (uint32_t)n);
        } else {
            m = nt;
            for (int t = 0; t < nt; t++)
                cand[t] = F(kpp_search)(buf[nt], bsum, nb, n, F(uniform53)(&rng) * current);
        }
        for (int t = 0; t < m; t++) {
            memcpy(Cc + (size_t)t * (size_t)D, X + cand[t] * ldx, (size_t)D * sizeof(REAL));
            ccand[t] = xx[cand[t]];
        }
        F(pack_panels)(Cc, D, 1, m, D, (REAL)-2, Kp <= VL ? VL : NR, Bp);
#pragma omp parallel num_threads(T)
        {
            REAL *wk = work + (size_t)omp_get_thread_num() * wlen;
#pragma omp for schedule(dynamic, 8)
            for (ptrdiff_t b = 0; b < nb; b++) {
                const ptrdiff_t r0 = b * KPP_PB, r1 = r0 + KPP_PB < n ? r0 + KPP_PB : n;
                F(kpp_block)(X, ldx, r0, r1, D, Bp, ccand, m, Kp, xx, buf[nt], buf,
                             part + (size_t)b * (size_t)nt, wk);
            }
        }
        int best = 0;
        for (int t = 0; t < m; t++) {
            double s = 0;
            for (ptrdiff_t b = 0; b < nb; b++) s += part[(size_t)b * (size_t)nt + (size_t)t];
            pot[t] = s;
            if (s < pot[best]) best = t;
        }
        centres[c] = (int64_t)cand[best];
        current = pot[best];
        REAL *tmp = buf[nt];
        buf[nt] = buf[best];
        buf[best] = tmp;
        for (ptrdiff_t b = 0; b < nb; b++) bsum[b] = part[(size_t)b * (size_t)nt + (size_t)best];
    }
    *potential = current;
    free(xx), free(pool), free(part), free(bsum), free(pot), free((void *)buf);
    free(Cc), free(Bp), free(ccand), free(cand), free(raw);
    return FL_OK;
}

#undef VL
#undef NR
#undef MR
#undef MR1
#undef KM_KC
#undef KM_SUMS_BYTES
#undef KPP_PB
