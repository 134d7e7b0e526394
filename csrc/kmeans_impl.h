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
/* alignment of the scratch regions: a cache line, at least one vector */
#define KM_ALIGN ((size_t)(FL_VBYTES > 64 ? FL_VBYTES : 64))
#define KM_UP(bytes) (((size_t)(bytes) + KM_ALIGN - 1) / KM_ALIGN * KM_ALIGN)

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

/* The plan of a Lloyd step: the blocks of rows are split into G contiguous
 * groups, G fixed by the problem size alone; each group sums its blocks in
 * order into its own buffers, groups are handed to threads dynamically and
 * reduced in group order.  Step s is block s of every group (groups differ
 * in length by at most one block).  Scratch, each region KM_ALIGN-aligned:
 * the sums and counts of groups 1..G-1 (group 0 sums into the output), the
 * inertia per group (a cache line apart), the packed centres and their
 * squared norms, per-thread block work. */
typedef struct {
    ptrdiff_t Kp, nblocks, G, steps;
    int T;
    size_t kd, wlen, off_gcounts, off_gin, off_Bp, off_ccp, off_work, bytes;
} F(km_plan_t);

static F(km_plan_t) F(km_plan)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int with_sums,
                               int num_threads)
{
    F(km_plan_t) p;
    p.Kp = F(padded)(K, NR);
    p.nblocks = (n + FL_KM_MB - 1) / FL_KM_MB;
    ptrdiff_t G;
    if (with_sums) {
        G = n / (4 * K); /* a group reads >= 4x its buffer's rows */
        const ptrdiff_t gmem = (ptrdiff_t)(KM_SUMS_BYTES / ((size_t)K * (size_t)D * sizeof(double)));
        if (G > gmem) G = gmem;
        if (G > FL_KM_MAX_GROUPS) G = FL_KM_MAX_GROUPS;
    } else {
        G = 64;
    }
    if (G > p.nblocks) G = p.nblocks;
    if (G < 1) G = 1;
    p.G = G;
    p.steps = (p.nblocks + G - 1) / G;
    p.T = fl_num_threads(num_threads, G);
    p.kd = (size_t)K * (size_t)D;
    p.wlen = F(km_round)((size_t)FL_KM_MB * KM_KC + F(dots_scratch)(D));
    const size_t g1 = with_sums ? (size_t)(G - 1) : 0;
    p.off_gcounts = KM_UP(g1 * p.kd * sizeof(double));
    p.off_gin = p.off_gcounts + KM_UP(g1 * (size_t)K * sizeof(int64_t));
    p.off_Bp = p.off_gin + KM_UP((size_t)G * 8 * sizeof(double));
    p.off_ccp = p.off_Bp + KM_UP((size_t)p.Kp * (size_t)D * sizeof(REAL));
    p.off_work = p.off_ccp + KM_UP((size_t)p.Kp * sizeof(REAL));
    p.bytes = p.off_work + (size_t)p.T * p.wlen * sizeof(REAL) + KM_ALIGN;
    return p;
}

ptrdiff_t F(fl_kmeans_assign_steps)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int with_sums)
{
    return F(km_plan)(n, D, K, with_sums, 1).steps;
}

size_t F(fl_kmeans_assign_scratch_bytes)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int with_sums,
                                         int num_threads)
{
    return F(km_plan)(n, D, K, with_sums, num_threads).bytes;
}

int F(fl_kmeans_assign_part)(const REAL *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                             const REAL *centres, ptrdiff_t K, int num_threads, void *scratch,
                             size_t scratch_bytes, ptrdiff_t s0, ptrdiff_t s1, int64_t *labels,
                             REAL *mindist, double *sums, int64_t *counts, double *inertia)
{
    const F(km_plan_t) p = F(km_plan)(n, D, K, sums != NULL, num_threads);
    if (!scratch || scratch_bytes < p.bytes || s0 < 0 || s0 > s1 || s1 > p.steps ||
        (sums == NULL) != (counts == NULL))
        return FL_KMEANS_EINVAL;
    const ptrdiff_t Kp = p.Kp, nblocks = p.nblocks, G = p.G;
    const size_t kd = p.kd, wlen = p.wlen;
    const int first = s0 == 0, last = s1 == p.steps;
    char *base = (char *)scratch + (KM_ALIGN - (uintptr_t)scratch % KM_ALIGN) % KM_ALIGN;
    double *gsums = (double *)(void *)base;
    int64_t *gcounts = (int64_t *)(void *)(base + p.off_gcounts);
    double *gin = (double *)(void *)(base + p.off_gin);
    REAL *Bp = (REAL *)(void *)(base + p.off_Bp);
    REAL *ccp = (REAL *)(void *)(base + p.off_ccp);
    REAL *work = (REAL *)(void *)(base + p.off_work);
    if (first) F(pack_centres)(centres, K, D, Kp, Bp, ccp);

#pragma omp parallel num_threads(p.T)
    {
        REAL *wk = work + (size_t)omp_get_thread_num() * wlen;
#pragma omp for schedule(dynamic, 1)
        for (ptrdiff_t g = 0; g < G; g++) {
            double *s = NULL;
            int64_t *c = NULL;
            if (sums) {
                s = g == 0 ? sums : gsums + (size_t)(g - 1) * kd;
                c = g == 0 ? counts : gcounts + (size_t)(g - 1) * (size_t)K;
                if (first) {
                    memset(s, 0, kd * sizeof(double));
                    memset(c, 0, (size_t)K * sizeof(int64_t));
                }
            }
            if (first) gin[g * 8] = 0;
            double in = gin[g * 8];
            const ptrdiff_t g0 = nblocks * g / G, g1 = nblocks * (g + 1) / G;
            const ptrdiff_t b0 = g0 + s0, b1 = g0 + s1 < g1 ? g0 + s1 : g1;
            for (ptrdiff_t b = b0; b < b1; b++) {
                const ptrdiff_t r0 = b * FL_KM_MB, r1 = r0 + FL_KM_MB < n ? r0 + FL_KM_MB : n;
                F(km_assign_block)(X, ldx, r0, r1, D, Bp, ccp, Kp, wk, labels, mindist, s, c, &in);
            }
            gin[g * 8] = in;
        }
        if (last && sums && G > 1) {
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
    if (last) {
        double in = 0;
        for (ptrdiff_t g = 0; g < G; g++) in += gin[g * 8];
        *inertia = in;
    }
    return FL_OK;
}

int F(fl_kmeans_assign)(const REAL *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                        const REAL *centres, ptrdiff_t K, int num_threads, int64_t *labels,
                        REAL *mindist, double *sums, int64_t *counts, double *inertia)
{
    const F(km_plan_t) p = F(km_plan)(n, D, K, sums != NULL, num_threads);
    void *scratch = malloc(p.bytes);
    if (!scratch) return FL_ENOMEM;
    const int status = F(fl_kmeans_assign_part)(X, ldx, n, D, centres, K, num_threads, scratch,
                                                p.bytes, 0, p.steps, labels, mindist, sums,
                                                counts, inertia);
    free(scratch);
    return status;
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

/* The plan of k-means++: rows in blocks of KPP_PB (the unit of every partial
 * sum, reduced in block order), blocks in chunks of about step_macs
 * multiply-adds of a candidates' pass (a chunk ends with a barrier, which
 * costs milliseconds on a loaded machine: few, large chunks).
 * Step q * nch + j is chunk j of phase q: phase 0 computes the squared norms,
 * phase 2c evaluates the candidates of centre c >= 1 (drawn at its first
 * chunk, the best kept after its last), phase 2c + 1 makes the kept candidate
 * centre c (the running potential is summed after its last chunk).  Chunks
 * only group blocks into parallel loops: results do not depend on them.
 * Scratch: the state between parts, then the arrays, KM_ALIGN-aligned. */
typedef struct {
    fl_pcg32 rng;
    double current; /* potential of the centres chosen so far */
    int best;       /* the candidate kept for the current centre */
} F(kpp_state_t);

typedef struct {
    int nt, T;
    ptrdiff_t Kp, nb, cb, nch, steps;
    size_t wlen, off[18], bytes;
} F(kpp_plan_t);

#ifndef FL_KPP_REGIONS
#define FL_KPP_REGIONS /* the scratch regions of k-means++, after its state */
enum { KPP_XX = 1, KPP_CLOSEST, KPP_ASG, KPP_PART, KPP_BSUM, KPP_POT, KPP_CC, KPP_CS, KPP_CN,
       KPP_CCD, KPP_S2, KPP_BP, KPP_CCAND, KPP_CAND, KPP_DIST, KPP_DONE, KPP_WORK };
#endif

static F(kpp_plan_t) F(kpp_plan)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int n_trials,
                                 int num_threads, double step_macs)
{
    F(kpp_plan_t) p;
    const int nt = n_trials;
    p.nt = nt;
    p.Kp = nt <= VL ? VL : F(padded)(nt, NR);
    p.nb = (n + KPP_PB - 1) / KPP_PB;
    p.T = fl_num_threads(num_threads, p.nb);
    const double cb = step_macs / ((double)KPP_PB * (double)D * (double)nt);
    p.cb = cb >= (double)p.nb ? p.nb : (cb < 1 ? 1 : (ptrdiff_t)cb);
    p.nch = (p.nb + p.cb - 1) / p.cb;
    p.steps = 2 * K * p.nch;
    p.wlen = F(km_round)((size_t)KPP_PB * (size_t)(p.Kp + D) + F(dots_scratch)(D));
    const size_t N = (size_t)n, R = sizeof(REAL), nb = (size_t)p.nb, Kp = (size_t)p.Kp;
    const size_t len[18] = {
        sizeof(F(kpp_state_t)),
        N * R,                                              /* xx */
        N * R,                                              /* closest */
        N * sizeof(int32_t),                                /* asg */
        nb * (size_t)nt * sizeof(double),                   /* part */
        nb * sizeof(double),                                /* bsum */
        (size_t)nt * sizeof(double),                        /* pot */
        (size_t)nt * (size_t)D * R,                         /* Cc: the candidates */
        (size_t)K * (size_t)D * R,                          /* Cs: the chosen centres */
        (size_t)K * R,                                      /* cn */
        (size_t)nt * (size_t)K * R,                         /* ccd */
        ((size_t)K * Kp + F(dots_scratch)(D)) * R,          /* S2 */
        Kp * (size_t)D * R,                                 /* Bp */
        Kp * R,                                             /* ccand */
        (size_t)nt * sizeof(ptrdiff_t),                     /* cand */
        N * (size_t)nt * R,                                 /* dist */
        N,                                                  /* done */
        (size_t)p.T * p.wlen * R,                           /* work */
    };
    size_t off = 0;
    for (int r = 0; r < 18; r++) {
        p.off[r] = off;
        off += KM_UP(len[r]);
    }
    p.bytes = off + KM_ALIGN;
    return p;
}

ptrdiff_t F(fl_kmeans_plusplus_steps)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int n_trials,
                                      int num_threads, double step_macs)
{
    return F(kpp_plan)(n, D, K, n_trials, num_threads, step_macs).steps;
}

size_t F(fl_kmeans_plusplus_scratch_bytes)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int n_trials,
                                           int num_threads)
{
    return F(kpp_plan)(n, D, K, n_trials, num_threads, 0).bytes; /* not by chunks */
}

int F(fl_kmeans_plusplus_part)(const REAL *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                               ptrdiff_t K, int n_trials, uint64_t seed, int num_threads,
                               double step_macs, void *scratch, size_t scratch_bytes,
                               ptrdiff_t s0, ptrdiff_t s1, int64_t *centres, double *potential)
{
    const F(kpp_plan_t) p = F(kpp_plan)(n, D, K, n_trials, num_threads, step_macs);
    if (!scratch || scratch_bytes < p.bytes || s0 < 0 || s0 > s1 || s1 > p.steps)
        return FL_KMEANS_EINVAL;
    const int nt = p.nt, T = p.T;
    const ptrdiff_t Kp = p.Kp, nb = p.nb, cb = p.cb, nch = p.nch;
    const size_t wlen = p.wlen;
    char *base = (char *)scratch + (KM_ALIGN - (uintptr_t)scratch % KM_ALIGN) % KM_ALIGN;
#define KPP_AT(type, r) ((type *)(void *)(base + p.off[r]))
    F(kpp_state_t) *st = KPP_AT(F(kpp_state_t), 0);
    REAL *xx = KPP_AT(REAL, KPP_XX), *closest = KPP_AT(REAL, KPP_CLOSEST);
    int32_t *asg = KPP_AT(int32_t, KPP_ASG);
    double *part = KPP_AT(double, KPP_PART), *bsum = KPP_AT(double, KPP_BSUM);
    double *pot = KPP_AT(double, KPP_POT);
    REAL *Cc = KPP_AT(REAL, KPP_CC), *Cs = KPP_AT(REAL, KPP_CS), *cn = KPP_AT(REAL, KPP_CN);
    REAL *ccd = KPP_AT(REAL, KPP_CCD), *S2 = KPP_AT(REAL, KPP_S2), *Bp = KPP_AT(REAL, KPP_BP);
    REAL *ccand = KPP_AT(REAL, KPP_CCAND), *dist = KPP_AT(REAL, KPP_DIST);
    ptrdiff_t *cand = KPP_AT(ptrdiff_t, KPP_CAND);
    unsigned char *done = KPP_AT(unsigned char, KPP_DONE);
    REAL *work = KPP_AT(REAL, KPP_WORK);
#undef KPP_AT

    for (ptrdiff_t step = s0; step < s1; step++) {
        const ptrdiff_t q = step / nch, j = step % nch, c = q / 2;
        const ptrdiff_t bb0 = j * cb, bb1 = bb0 + cb < nb ? bb0 + cb : nb;
        if (q == 0) { /* squared norms; nothing chosen yet */
            if (j == 0) {
                fl_pcg32_seed(&st->rng, seed, FL_KMEANS_STREAM);
                st->current = 0;
            }
            const ptrdiff_t i0 = bb0 * KPP_PB, i1 = bb1 * KPP_PB < n ? bb1 * KPP_PB : n;
#pragma omp parallel for schedule(static) num_threads(T)
            for (ptrdiff_t i = i0; i < i1; i++) {
                const REAL *x = X + i * ldx;
                REAL t = 0;
                for (ptrdiff_t d = 0; d < D; d++) t += x[d] * x[d];
                xx[i] = t;
                closest[i] = REAL_MAX;
                asg[i] = 0;
            }
        } else if (q % 2 == 0) { /* the candidates for centre c >= 1 */
            const int m = nt;
            if (j == 0) {
                for (int t = 0; t < nt; t++)
                    cand[t] = F(kpp_search)(closest, bsum, nb, n,
                                            F(uniform53)(&st->rng) * st->current);
                for (int t = 0; t < m; t++) {
                    memcpy(Cc + (size_t)t * (size_t)D, X + cand[t] * ldx,
                           (size_t)D * sizeof(REAL));
                    ccand[t] = xx[cand[t]];
                }
                F(pack_panels)(Cc, D, 1, m, D, (REAL)-2, Kp <= VL ? VL : NR, Bp);
                F(kpp_centre_dists)(Cs, cn, c, D, Bp, ccand, m, Kp, S2,
                                    S2 + (size_t)K * (size_t)Kp, ccd, K);
            }
#pragma omp parallel num_threads(T)
            {
                REAL *wk = work + (size_t)omp_get_thread_num() * wlen;
#pragma omp for schedule(dynamic, 8)
                for (ptrdiff_t b = bb0; b < bb1; b++) {
                    const ptrdiff_t r0 = b * KPP_PB, r1 = r0 + KPP_PB < n ? r0 + KPP_PB : n;
                    F(kpp_block)(X, ldx, r0, r1, D, Bp, ccand, m, Kp, xx, closest, asg, ccd, K,
                                 part + (size_t)b * (size_t)nt, dist, done, wk);
                }
            }
            if (j == nch - 1) {
                int best = 0;
                for (int t = 0; t < m; t++) {
                    double s = 0;
                    for (ptrdiff_t b = 0; b < nb; b++) s += part[(size_t)b * (size_t)nt + (size_t)t];
                    pot[t] = s;
                    if (s < pot[best]) best = t;
                }
                st->best = best;
            }
        } else { /* the kept candidate becomes centre c: closest, asg, the block sums */
            if (j == 0) {
                if (c == 0) {
                    st->best = 0;
                    cand[0] = (ptrdiff_t)fl_pcg32_bounded(&st->rng, (uint32_t)n);
                    memcpy(Cc, X + cand[0] * ldx, (size_t)D * sizeof(REAL));
                    ccand[0] = xx[cand[0]];
                }
                memcpy(Cs + c * D, Cc + (size_t)st->best * (size_t)D, (size_t)D * sizeof(REAL));
                cn[c] = ccand[st->best];
                centres[c] = (int64_t)cand[st->best];
            }
            const REAL *cbest = Cs + c * D;
            const int best = c > 0 ? st->best : -1;
#pragma omp parallel for schedule(dynamic, 8) num_threads(T)
            for (ptrdiff_t b = bb0; b < bb1; b++) {
                const ptrdiff_t r0 = b * KPP_PB, r1 = r0 + KPP_PB < n ? r0 + KPP_PB : n;
                bsum[b] = F(kpp_update)(X, ldx, r0, r1, D, cbest, cn[c], (int32_t)c, xx, closest,
                                        asg, dist, done, nt, best);
            }
            if (j == nch - 1) {
                double cur = 0;
                for (ptrdiff_t b = 0; b < nb; b++) cur += bsum[b];
                st->current = cur;
            }
        }
    }
    if (s1 == p.steps) *potential = st->current;
    return FL_OK;
}

int F(fl_kmeans_plusplus)(const REAL *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D, ptrdiff_t K,
                          int n_trials, uint64_t seed, int num_threads, int64_t *centres,
                          double *potential)
{
    const double all = INFINITY; /* one chunk */
    const F(kpp_plan_t) p = F(kpp_plan)(n, D, K, n_trials, num_threads, all);
    void *scratch = malloc(p.bytes);
    if (!scratch) return FL_ENOMEM;
    const int status = F(fl_kmeans_plusplus_part)(X, ldx, n, D, K, n_trials, seed, num_threads,
                                                  all, scratch, p.bytes, 0, p.steps, centres,
                                                  potential);
    free(scratch);
    return status;
}

#undef VL
#undef NR
#undef MR
#undef MR1
#undef KM_KC
#undef KM_SUMS_BYTES
#undef KPP_PB
#undef KM_ALIGN
#undef KM_UP
#undef KPP_MARGIN
