/* Checks the C core's kernels against plain scalar references, through the
 * entry points the Cython modules call (kernels.h, patches.h).  Built and run
 * by tools/check_portable.py for a CPU other than the host (aarch64 under
 * qemu), where only the portable level exists; it runs on any target.
 *
 * Data are built so that no result hangs on a tie or on the last bit: loss
 * inputs are small dyadic numbers (the scores are exact in float and double,
 * so every hinge is decided exactly), k-means points lie in well-separated
 * clusters, and where a near-tie can still occur (hard encoding) the check
 * accepts either side.  Tolerances are relative to the magnitude of the
 * reference.  One line per check; exit status 1 when any check fails. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastlin_config.h"
#include "kernels.h"
#include "patches.h"
#include "sampling.h"

static int n_checks, n_failed;

static void check(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s ", ok ? "ok  " : "FAIL");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    n_checks++;
    n_failed += !ok;
}

/* a check of err <= tol; NaN fails */
static void check_err(double err, double tol, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    check(err <= tol, "%s: err %.2e (tol %.0e)", buf, err, tol);
}

static void *xmalloc(size_t bytes)
{
    void *p = calloc(bytes ? bytes : 1, 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* -- data ----------------------------------------------------------------- */

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void) { return fl_splitmix64_next(&rng_state); }
static double unif(void) { return (double)(rnd() >> 11) * 0x1p-53; } /* [0, 1) */
static ptrdiff_t randint(ptrdiff_t k) { return (ptrdiff_t)(rnd() % (uint64_t)k); }
/* an integer in [lo, hi] */
static double randi(int lo, int hi) { return (double)(lo + randint(hi - lo + 1)); }

/* max |a - ref| / max |ref| (absolute when ref is 0); NaN or Inf: Inf */
static double relerr(const double *a, const double *ref, size_t n)
{
    double e = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(a[i])) return INFINITY;
        const double d = fabs(a[i] - ref[i]);
        e = d > e ? d : e;
        s = fabs(ref[i]) > s ? fabs(ref[i]) : s;
    }
    return s > 0 ? e / s : e;
}

static double *to_double_f(const float *a, size_t n)
{
    double *o = xmalloc(n * sizeof *o);
    for (size_t i = 0; i < n; i++) o[i] = a[i];
    return o;
}

static float *to_float(const double *a, size_t n)
{
    float *o = xmalloc(n * sizeof *o);
    for (size_t i = 0; i < n; i++) o[i] = (float)a[i];
    return o;
}

/* -- fused loss ------------------------------------------------------------- */

static const char *kind_name[] = {"svm", "softmax", "svm_ova", "svm_cs",
                                  "svm_sq", "svm_ova_sq", "svm_cs_sq"};

/* The loss of fastlin.reference.losses, in double. */
static void loss_ref(int kind, const double *W, const double *b, const double *X, ptrdiff_t ldx,
                     const ptrdiff_t *idx, const ptrdiff_t *y, ptrdiff_t n, ptrdiff_t D,
                     ptrdiff_t C, double delta, double reg, double *loss, double *dW, double *db)
{
    const int sq = kind == FL_LOSS_SVM_SQ || kind == FL_LOSS_SVM_OVA_SQ || kind == FL_LOSS_SVM_CS_SQ;
    double *s = xmalloc((size_t)C * sizeof *s), *g = xmalloc((size_t)C * sizeof *g);
    double L = 0;
    memset(dW, 0, (size_t)(D * C) * sizeof *dW);
    if (db) memset(db, 0, (size_t)C * sizeof *db);
    for (ptrdiff_t i = 0; i < n; i++) {
        const double *x = X + (idx ? idx[i] : i) * ldx;
        const ptrdiff_t yi = y[i];
        for (ptrdiff_t c = 0; c < C; c++) {
            double t = b ? b[c] : 0;
            for (ptrdiff_t d = 0; d < D; d++) t += x[d] * W[d * C + c];
            s[c] = t;
            g[c] = 0;
        }
        if (kind == FL_LOSS_SOFTMAX) {
            double mx = s[0], sum = 0;
            for (ptrdiff_t c = 1; c < C; c++) mx = s[c] > mx ? s[c] : mx;
            for (ptrdiff_t c = 0; c < C; c++) sum += exp(s[c] - mx);
            L += log(sum) - (s[yi] - mx);
            for (ptrdiff_t c = 0; c < C; c++) g[c] = exp(s[c] - mx) / sum - (c == yi);
        } else if (kind == FL_LOSS_SVM_OVA || kind == FL_LOSS_SVM_OVA_SQ) {
            for (ptrdiff_t c = 0; c < C; c++) {
                const double t = c == yi ? 1 : -1, m = delta - t * s[c];
                if (m > 0) {
                    L += sq ? m * m : m;
                    g[c] = -t * (sq ? 2 * m : 1);
                }
            }
        } else {
            const int cs = kind == FL_LOSS_SVM_CS || kind == FL_LOSS_SVM_CS_SQ;
            ptrdiff_t k = -1;
            for (ptrdiff_t c = 0; c < C; c++)
                if (c != yi && (k < 0 || s[c] > s[k])) k = c;
            for (ptrdiff_t c = 0; c < C; c++) {
                if (c == yi || (cs && c != k)) continue;
                const double m = s[c] - s[yi] + delta;
                if (m > 0) {
                    L += sq ? m * m : m;
                    g[c] += sq ? 2 * m : 1;
                    g[yi] -= sq ? 2 * m : 1;
                }
            }
        }
        for (ptrdiff_t d = 0; d < D; d++)
            for (ptrdiff_t c = 0; c < C; c++) dW[d * C + c] += x[d] * g[c];
        if (db)
            for (ptrdiff_t c = 0; c < C; c++) db[c] += g[c];
    }
    double w2 = 0;
    for (ptrdiff_t j = 0; j < D * C; j++) {
        w2 += W[j] * W[j];
        dW[j] = dW[j] / (double)n + 2 * reg * W[j];
    }
    if (db)
        for (ptrdiff_t c = 0; c < C; c++) db[c] /= (double)n;
    *loss = L / (double)n + reg * w2;
    free(s);
    free(g);
}

typedef struct {
    ptrdiff_t N, n_idx, D, C;
} loss_shape;

/* One kernel call (float or double) with results widened to double. */
static int loss_call(int dbl, int kind, const double *W, const double *b, const double *X,
                     ptrdiff_t N, ptrdiff_t ldx, const ptrdiff_t *idx, const ptrdiff_t *y,
                     ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, double delta, double reg, int T,
                     double *loss, double *dW, double *db)
{
    int st;
    if (dbl) {
        st = fl_loss_double(kind, W, b, X, ldx, idx, y, n, D, C, delta, reg, T, NULL, 0, loss,
                            dW, db);
    } else {
        float *Wf = to_float(W, (size_t)(D * C)), *Xf = to_float(X, (size_t)(N * ldx));
        float *bf = b ? to_float(b, (size_t)C) : NULL;
        float *dWf = xmalloc((size_t)(D * C) * sizeof *dWf);
        float *dbf = b ? xmalloc((size_t)C * sizeof *dbf) : NULL;
        st = fl_loss_float(kind, Wf, bf, Xf, ldx, idx, y, n, D, C, (float)delta, reg, T, NULL, 0,
                           loss, dWf, dbf);
        for (ptrdiff_t j = 0; j < D * C; j++) dW[j] = dWf[j];
        if (b)
            for (ptrdiff_t c = 0; c < C; c++) db[c] = dbf[c];
        free(Wf), free(Xf), free(bf), free(dWf), free(dbf);
    }
    return st;
}

/* The same call in parts (about three ranges of steps), double only. */
static int loss_parts(int kind, const double *W, const double *b, const double *X, ptrdiff_t ldx,
                      const ptrdiff_t *idx, const ptrdiff_t *y, ptrdiff_t n, ptrdiff_t D,
                      ptrdiff_t C, double delta, double reg, int T, double *loss, double *dW,
                      double *db)
{
    const ptrdiff_t steps = fl_loss_steps_double(n, D, C, T);
    const size_t bytes = fl_loss_scratch_bytes_double(n, D, C, T);
    void *scratch = xmalloc(bytes);
    int st = FL_OK;
    for (ptrdiff_t s0 = 0; s0 < steps && st == FL_OK;) {
        const ptrdiff_t s1 = s0 + (steps + 2) / 3 < steps ? s0 + (steps + 2) / 3 : steps;
        st = fl_loss_part_double(kind, W, b, X, ldx, idx, y, n, D, C, delta, reg, T, scratch,
                                 bytes, s0, s1, loss, dW, db);
        s0 = s1;
    }
    free(scratch);
    return st;
}

static void check_losses(void)
{
    static const loss_shape shapes[] = {
        {1, 1, 7, 3},     /* a single row */
        {11, 4, 1, 2},    /* D = 1 */
        {9, 5, 4, 1},     /* C = 1 */
        {37, 50, 19, 10}, /* D, C not multiples of the lanes or the tile */
        {64, 20, 33, 7},
        {2500, 700, 70, 10}, /* several blocks and groups */
    };
    const double delta = 1.0, reg = 0.1;
    for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
        const loss_shape sh = shapes[si];
        const ptrdiff_t N = sh.N, D = sh.D, C = sh.C, ldx = D + 3;
        double *X = xmalloc((size_t)(N * ldx) * sizeof *X);
        double *W = xmalloc((size_t)(D * C) * sizeof *W), *b = xmalloc((size_t)C * sizeof *b);
        /* small dyadic values: scores exact in float and double */
        for (ptrdiff_t i = 0; i < N * ldx; i++) X[i] = i % ldx < D ? randi(-3, 3) : NAN;
        for (ptrdiff_t j = 0; j < D * C; j++) W[j] = randi(-4, 4) / 8.0;
        for (ptrdiff_t c = 0; c < C; c++) b[c] = randi(-4, 4) / 4.0;
        ptrdiff_t *idx = xmalloc((size_t)sh.n_idx * sizeof *idx);
        ptrdiff_t *yN = xmalloc((size_t)N * sizeof *yN), *yi = xmalloc((size_t)sh.n_idx * sizeof *yi);
        for (ptrdiff_t i = 0; i < sh.n_idx; i++) idx[i] = randint(N); /* duplicates allowed */
        for (ptrdiff_t i = 0; i < N; i++) yN[i] = randint(C);
        for (ptrdiff_t i = 0; i < sh.n_idx; i++) yi[i] = yN[idx[i]];
        double *dWr = xmalloc((size_t)(D * C) * sizeof *dWr), dbr[64];
        double *dW1 = xmalloc((size_t)(D * C) * sizeof *dW1), db1[64];
        double *dW2 = xmalloc((size_t)(D * C) * sizeof *dW2), db2[64];
        for (int kind = 0; kind < 7; kind++)
            for (int dbl = 0; dbl < 2; dbl++)
                for (int with_b = 0; with_b < 2; with_b++)
                    for (int with_idx = 0; with_idx < 2; with_idx++) {
                        const ptrdiff_t *ix = with_idx ? idx : NULL;
                        const ptrdiff_t *y = with_idx ? yi : yN, n = with_idx ? sh.n_idx : N;
                        const double *bb = with_b ? b : NULL;
                        double Lr, L1 = NAN, L2 = NAN;
                        loss_ref(kind, W, bb, X, ldx, ix, y, n, D, C, delta, reg, &Lr, dWr,
                                 with_b ? dbr : NULL);
                        const int st1 = loss_call(dbl, kind, W, bb, X, N, ldx, ix, y, n, D, C, delta,
                                                  reg, 1, &L1, dW1, with_b ? db1 : NULL);
                        const int st2 = loss_call(dbl, kind, W, bb, X, N, ldx, ix, y, n, D, C, delta,
                                                  reg, 2, &L2, dW2, with_b ? db2 : NULL);
                        const double tol = dbl ? 1e-11 : 2e-5;
                        double err = fabs(L1 - Lr) / (fabs(Lr) > 1 ? fabs(Lr) : 1);
                        const double e2 = relerr(dW1, dWr, (size_t)(D * C));
                        err = e2 > err ? e2 : err;
                        if (with_b) {
                            const double e3 = relerr(db1, dbr, (size_t)C);
                            err = e3 > err ? e3 : err;
                        }
                        if (st1 != FL_OK || st2 != FL_OK || isnan(L1)) err = INFINITY;
                        const int same = L1 == L2 &&
                                         memcmp(dW1, dW2, (size_t)(D * C) * sizeof *dW1) == 0 &&
                                         (!with_b || memcmp(db1, db2, (size_t)C * sizeof *db1) == 0);
                        check_err(same ? err : INFINITY, tol,
                                  "loss %-10s %-6s n=%-4td D=%-3td C=%-2td b=%d idx=%d "
                                  "(1 and 2 threads%s)",
                                  kind_name[kind], dbl ? "double" : "float", n, D, C, with_b,
                                  with_idx, same ? " bitwise equal" : " DIFFER");
                        if (dbl && with_b && with_idx) {
                            double Lp = NAN, *dWp = xmalloc((size_t)(D * C) * sizeof *dWp), dbp[64];
                            const int st = loss_parts(kind, W, b, X, ldx, idx, yi, n, D, C, delta,
                                                      reg, 2, &Lp, dWp, dbp);
                            check(st == FL_OK && Lp == L2 &&
                                      memcmp(dWp, dW2, (size_t)(D * C) * sizeof *dWp) == 0 &&
                                      memcmp(dbp, db2, (size_t)C * sizeof *dbp) == 0,
                                  "loss %-10s double n=%-4td D=%-3td C=%-2td in parts: bitwise "
                                  "the one call",
                                  kind_name[kind], n, D, C);
                            free(dWp);
                        }
                    }
        free(X), free(W), free(b), free(idx), free(yN), free(yi), free(dWr), free(dW1), free(dW2);
    }
}

/* -- k-means ---------------------------------------------------------------- */

static double sqdist(const double *a, const double *b, ptrdiff_t D)
{
    double s = 0;
    for (ptrdiff_t d = 0; d < D; d++) s += (a[d] - b[d]) * (a[d] - b[d]);
    return s;
}

static double sqnorm(const double *a, ptrdiff_t D)
{
    double s = 0;
    for (ptrdiff_t d = 0; d < D; d++) s += a[d] * a[d];
    return s;
}

/* n points (float values, rows ldx apart) in clusters around K centres
 * spread far apart against the noise; cluster[i] = the centre of point i (the
 * first K points one per cluster).  centres (may be NULL): the true centres
 * moved a little. */
static void clusters(ptrdiff_t n, ptrdiff_t D, ptrdiff_t ldx, ptrdiff_t K, double spread,
                     double noise, double *X, int64_t *cluster, double *centres)
{
    double *truth = xmalloc((size_t)(K * D) * sizeof *truth);
    for (ptrdiff_t j = 0; j < K * D; j++) truth[j] = (2 * unif() - 1) * spread;
    for (ptrdiff_t i = 0; i < n; i++) {
        const ptrdiff_t k = i < K ? i : randint(K);
        cluster[i] = k;
        for (ptrdiff_t d = 0; d < ldx; d++)
            X[i * ldx + d] = d < D ? (float)(truth[k * D + d] + (2 * unif() - 1) * noise) : NAN;
    }
    if (centres)
        for (ptrdiff_t j = 0; j < K * D; j++)
            centres[j] = (float)(truth[j] + (2 * unif() - 1) * noise * 0.1);
    free(truth);
}

typedef struct {
    int64_t *labels;
    double *mindist, *sums, inertia;
    int64_t *counts;
} assign_out;

static void assign_alloc(assign_out *o, ptrdiff_t n, ptrdiff_t D, ptrdiff_t K)
{
    o->labels = xmalloc((size_t)n * sizeof *o->labels);
    o->mindist = xmalloc((size_t)n * sizeof *o->mindist);
    o->sums = xmalloc((size_t)(K * D) * sizeof *o->sums);
    o->counts = xmalloc((size_t)K * sizeof *o->counts);
    o->inertia = NAN;
}

static void assign_free(assign_out *o)
{
    free(o->labels), free(o->mindist), free(o->sums), free(o->counts);
}

/* The Lloyd assignment of one dtype through its _part functions, in three ranges of steps. */
#define ASSIGN_IN_PARTS(SUF, Xs, cs, md)                                                       \
    do {                                                                                       \
        const ptrdiff_t steps = fl_kmeans_assign_steps##SUF(n, D, K, with_sums);               \
        const size_t bytes = fl_kmeans_assign_scratch_bytes##SUF(n, D, K, with_sums, T);       \
        void *scratch = xmalloc(bytes);                                                        \
        for (ptrdiff_t s0 = 0; s0 < steps && st == FL_OK;) {                                   \
            const ptrdiff_t s1 = s0 + (steps + 2) / 3 < steps ? s0 + (steps + 2) / 3 : steps;  \
            st = fl_kmeans_assign_part##SUF(Xs, ldx, n, D, cs, K, T, scratch, bytes, s0, s1,   \
                                            o->labels, md, sums, counts, &o->inertia);         \
            s0 = s1;                                                                           \
        }                                                                                      \
        free(scratch);                                                                         \
    } while (0)

/* fl_kmeans_assign (parts: through the _part functions in three ranges),
 * mindist widened to double */
static int assign_call(int dbl, int parts, const double *X, ptrdiff_t ldx, ptrdiff_t n,
                       ptrdiff_t D, const double *cent, ptrdiff_t K, int T, int with_sums,
                       assign_out *o)
{
    double *sums = with_sums ? o->sums : NULL;
    int64_t *counts = with_sums ? o->counts : NULL;
    int st = FL_OK;
    if (dbl && !parts)
        return fl_kmeans_assign_double(X, ldx, n, D, cent, K, T, o->labels, o->mindist, sums,
                                       counts, &o->inertia);
    if (dbl) {
        ASSIGN_IN_PARTS(_double, X, cent, o->mindist);
        return st;
    }
    float *Xf = to_float(X, (size_t)(n * ldx)), *cf = to_float(cent, (size_t)(K * D));
    float *md = xmalloc((size_t)n * sizeof *md);
    if (!parts)
        st = fl_kmeans_assign_float(Xf, ldx, n, D, cf, K, T, o->labels, md, sums, counts,
                                    &o->inertia);
    else
        ASSIGN_IN_PARTS(_float, Xf, cf, md);
    for (ptrdiff_t i = 0; i < n; i++) o->mindist[i] = md[i];
    free(Xf), free(cf), free(md);
    return st;
}

static int assign_same(const assign_out *a, const assign_out *b, ptrdiff_t n, ptrdiff_t D,
                       ptrdiff_t K, int with_sums)
{
    return memcmp(a->labels, b->labels, (size_t)n * sizeof *a->labels) == 0 &&
           memcmp(a->mindist, b->mindist, (size_t)n * sizeof *a->mindist) == 0 &&
           (!with_sums || (memcmp(a->sums, b->sums, (size_t)(K * D) * sizeof *a->sums) == 0 &&
                           memcmp(a->counts, b->counts, (size_t)K * sizeof *a->counts) == 0 &&
                           a->inertia == b->inertia));
}

static void check_kmeans_assign(void)
{
    static const ptrdiff_t shapes[][3] = {{1, 3, 1}, {1, 5, 4}, {300, 13, 7}, {2000, 35, 20}};
    for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
        const ptrdiff_t n = shapes[si][0], D = shapes[si][1], K = shapes[si][2], ldx = D + 2;
        double *X = xmalloc((size_t)(n * ldx) * sizeof *X);
        double *cent = xmalloc((size_t)(K * D) * sizeof *cent);
        int64_t *cl = xmalloc((size_t)n * sizeof *cl);
        clusters(n, D, ldx, K, 10.0, 0.5, X, cl, cent);
        for (int dbl = 0; dbl < 2; dbl++) {
            const double tol = dbl ? 1e-12 : 1e-5; /* of ||x||^2 + ||c||^2 */
            assign_out o1, o2, op, on;
            assign_alloc(&o1, n, D, K), assign_alloc(&o2, n, D, K);
            assign_alloc(&op, n, D, K), assign_alloc(&on, n, D, K);
            const int st = assign_call(dbl, 0, X, ldx, n, D, cent, K, 1, 1, &o1) |
                           assign_call(dbl, 0, X, ldx, n, D, cent, K, 2, 1, &o2);
            /* nearest centre: the label's distance within rounding of the
             * smallest; mindist and inertia against the exact distances */
            double lab_err = 0, md_err = 0, inertia = 0, scale_sum = 0;
            ptrdiff_t wrong = 0;
            for (ptrdiff_t i = 0; i < n; i++) {
                const double *x = X + i * ldx;
                ptrdiff_t best = 0;
                double dbest = INFINITY;
                for (ptrdiff_t k = 0; k < K; k++) {
                    const double d = sqdist(x, cent + k * D, D);
                    if (d < dbest) dbest = d, best = k;
                }
                const double scale = sqnorm(x, D) + sqnorm(cent + best * D, D);
                const int64_t L = o1.labels[i];
                if (L < 0 || L >= K) {
                    wrong++;
                    continue;
                }
                const double e = (sqdist(x, cent + L * D, D) - dbest) / scale;
                lab_err = e > lab_err ? e : lab_err;
                wrong += L != best;
                const double em = fabs(o1.mindist[i] - dbest) / scale;
                md_err = em > md_err ? em : md_err;
                inertia += dbest;
                scale_sum += scale;
            }
            const char *t = dbl ? "double" : "float";
            check_err(st != FL_OK ? INFINITY : lab_err, tol,
                      "kmeans assign %-6s n=%-4td D=%-2td K=%-2td: nearest centre (%td labels "
                      "differ from the exact argmin)", t, n, D, K, wrong);
            check_err(md_err, tol, "kmeans assign %-6s n=%-4td D=%-2td K=%-2td: mindist", t, n,
                      D, K);
            check_err(fabs(o1.inertia - inertia) / scale_sum, tol,
                      "kmeans assign %-6s n=%-4td D=%-2td K=%-2td: inertia", t, n, D, K);
            /* sums and counts of the rows by the kernel's labels */
            double *sums = xmalloc((size_t)(K * D) * sizeof *sums);
            int64_t *counts = xmalloc((size_t)K * sizeof *counts);
            for (ptrdiff_t i = 0; i < n; i++) {
                const int64_t L = o1.labels[i] >= 0 && o1.labels[i] < K ? o1.labels[i] : 0;
                counts[L]++;
                for (ptrdiff_t d = 0; d < D; d++) sums[L * D + d] += X[i * ldx + d];
            }
            check_err(memcmp(counts, o1.counts, (size_t)K * sizeof *counts) == 0
                          ? relerr(o1.sums, sums, (size_t)(K * D))
                          : INFINITY,
                      1e-12, "kmeans assign %-6s n=%-4td D=%-2td K=%-2td: counts, sums", t, n, D,
                      K);
            check(assign_same(&o1, &o2, n, D, K, 1),
                  "kmeans assign %-6s n=%-4td D=%-2td K=%-2td: 1 and 2 threads bitwise equal", t,
                  n, D, K);
            const int stp = assign_call(dbl, 1, X, ldx, n, D, cent, K, 2, 1, &op);
            check(stp == FL_OK && assign_same(&op, &o2, n, D, K, 1),
                  "kmeans assign %-6s n=%-4td D=%-2td K=%-2td: in parts bitwise the one call", t,
                  n, D, K);
            const int stn = assign_call(dbl, 0, X, ldx, n, D, cent, K, 2, 0, &on);
            check(stn == FL_OK && assign_same(&on, &o2, n, D, K, 0),
                  "kmeans assign %-6s n=%-4td D=%-2td K=%-2td: without sums, same labels", t, n,
                  D, K);
            free(sums), free(counts);
            assign_free(&o1), assign_free(&o2), assign_free(&op), assign_free(&on);
        }
        free(X), free(cent), free(cl);
    }
}

static int plusplus_call(int dbl, int parts, const double *X, ptrdiff_t ldx, ptrdiff_t n,
                         ptrdiff_t D, ptrdiff_t K, int trials, uint64_t seed, int T,
                         int64_t *centres, double *pot)
{
    int st = FL_OK;
    float *Xf = dbl ? NULL : to_float(X, (size_t)(n * ldx));
    if (!parts) {
        st = dbl ? fl_kmeans_plusplus_double(X, ldx, n, D, K, trials, seed, T, centres, pot)
                 : fl_kmeans_plusplus_float(Xf, ldx, n, D, K, trials, seed, T, centres, pot);
    } else {
        const double macs = 5000; /* small steps: many parts */
        const ptrdiff_t steps = dbl ? fl_kmeans_plusplus_steps_double(n, D, K, trials, T, macs)
                                    : fl_kmeans_plusplus_steps_float(n, D, K, trials, T, macs);
        const size_t bytes = dbl ? fl_kmeans_plusplus_scratch_bytes_double(n, D, K, trials, T)
                                 : fl_kmeans_plusplus_scratch_bytes_float(n, D, K, trials, T);
        void *scratch = xmalloc(bytes);
        for (ptrdiff_t s = 0; s < steps && st == FL_OK; s++)
            st = dbl ? fl_kmeans_plusplus_part_double(X, ldx, n, D, K, trials, seed, T, macs,
                                                      scratch, bytes, s, s + 1, centres, pot)
                     : fl_kmeans_plusplus_part_float(Xf, ldx, n, D, K, trials, seed, T, macs,
                                                     scratch, bytes, s, s + 1, centres, pot);
        free(scratch);
    }
    free(Xf);
    return st;
}

static void check_kmeans_plusplus(void)
{
    static const ptrdiff_t shapes[][3] = {{1, 4, 1}, {1200, 9, 6}, {3000, 20, 12}};
    const uint64_t seed = 12345;
    for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
        const ptrdiff_t n = shapes[si][0], D = shapes[si][1], K = shapes[si][2], ldx = D + 1;
        const int trials = 2 + (int)log((double)K);
        double *X = xmalloc((size_t)(n * ldx) * sizeof *X);
        int64_t *cl = xmalloc((size_t)n * sizeof *cl);
        clusters(n, D, ldx, K, 100.0, 1.0, X, cl, NULL);
        fl_pcg32 rng;
        fl_pcg32_seed(&rng, seed, FL_KMEANS_STREAM);
        const int64_t first = fl_pcg32_bounded(&rng, (uint32_t)n);
        for (int dbl = 0; dbl < 2; dbl++) {
            const char *t = dbl ? "double" : "float";
            int64_t c1[16], c2[16], cp[16];
            double p1 = NAN, p2 = NAN, pp = NAN;
            const int st = plusplus_call(dbl, 0, X, ldx, n, D, K, trials, seed, 1, c1, &p1) |
                           plusplus_call(dbl, 0, X, ldx, n, D, K, trials, seed, 2, c2, &p2);
            int ok = st == FL_OK && c1[0] == first;
            /* well-separated clusters: one centre in each */
            int seen[16] = {0};
            for (ptrdiff_t k = 0; k < K; k++) {
                ok = ok && c1[k] >= 0 && c1[k] < n && !seen[cl[c1[k]]];
                if (ok) seen[cl[c1[k]]] = 1;
            }
            check(ok, "kmeans++ %-6s n=%-4td D=%-2td K=%-2td: first centre from the PCG32 stream, "
                      "one centre per cluster", t, n, D, K);
            double pot = 0, sc = 0;
            for (ptrdiff_t i = 0; i < n && ok; i++) {
                double best = INFINITY;
                for (ptrdiff_t k = 0; k < K; k++) {
                    const double d = sqdist(X + i * ldx, X + c1[k] * ldx, D);
                    best = d < best ? d : best;
                }
                pot += best;
                sc += sqnorm(X + i * ldx, D);
            }
            /* distances by ||x||^2 - 2 x.c + ||c||^2: rounding of the norms */
            check_err(ok ? fabs(p1 - pot) / (pot + 2 * sc) : INFINITY, dbl ? 1e-12 : 1e-6,
                      "kmeans++ %-6s n=%-4td D=%-2td K=%-2td: potential", t, n, D, K);
            check(p1 == p2 && memcmp(c1, c2, (size_t)K * sizeof *c1) == 0,
                  "kmeans++ %-6s n=%-4td D=%-2td K=%-2td: 1 and 2 threads bitwise equal", t, n, D,
                  K);
            const int stp = plusplus_call(dbl, 1, X, ldx, n, D, K, trials, seed, 2, cp, &pp);
            check(stp == FL_OK && pp == p2 && memcmp(cp, c2, (size_t)K * sizeof *cp) == 0,
                  "kmeans++ %-6s n=%-4td D=%-2td K=%-2td: in parts bitwise the one call", t, n,
                  D, K);
        }
        free(X), free(cl);
    }
}

/* -- bag-of-visual-words encoding ------------------------------------------ */

/* The encoding of encode.h in double: triangle values into out, or for hard
 * encoding the bounds lo/hi of each count (a position whose two nearest
 * centres are within `gap` (relative) of each other may count for either). */
static void bow_ref(const double *img, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                    const fl_bow_params *p, const double *wmean, const double *P,
                    const double *cent, ptrdiff_t K, double gap, double *out, double *lo,
                    double *hi)
{
    const ptrdiff_t ph = p->ph, pw = p->pw, D = ph * pw * c, g = p->grid;
    const ptrdiff_t ny = (h - ph) / p->stride + 1, nx = (w - pw) / p->stride + 1;
    const ptrdiff_t F = g * g * K;
    double *x = xmalloc((size_t)D * sizeof *x), *z = xmalloc((size_t)D * sizeof *z);
    double *d2 = xmalloc((size_t)K * sizeof *d2);
    for (ptrdiff_t j = 0; j < n * F; j++) out[j] = lo[j] = hi[j] = 0;
    for (ptrdiff_t i = 0; i < n; i++)
        for (ptrdiff_t oy = 0; oy < ny; oy++)
            for (ptrdiff_t ox = 0; ox < nx; ox++) {
                ptrdiff_t q = 0;
                for (ptrdiff_t dy = 0; dy < ph; dy++)
                    for (ptrdiff_t dx = 0; dx < pw; dx++)
                        for (ptrdiff_t ch = 0; ch < c; ch++)
                            x[q++] = img[((i * h + oy * p->stride + dy) * w + ox * p->stride + dx) * c + ch];
                if (p->normalize) {
                    double m = 0, v = 0;
                    for (ptrdiff_t d = 0; d < D; d++) m += x[d];
                    m /= (double)D;
                    for (ptrdiff_t d = 0; d < D; d++) v += (x[d] - m) * (x[d] - m);
                    const double r = 1 / sqrt(v / (double)D + p->eps);
                    for (ptrdiff_t d = 0; d < D; d++) x[d] = (x[d] - m) * r;
                }
                for (ptrdiff_t d = 0; d < D; d++) x[d] -= wmean ? wmean[d] : 0;
                for (ptrdiff_t e = 0; e < D; e++) {
                    double t = 0;
                    for (ptrdiff_t d = 0; d < D && P; d++) t += x[d] * P[d * D + e];
                    z[e] = P ? t : x[e];
                }
                const ptrdiff_t r0 = ((oy * g / ny) * g + ox * g / nx) * K + i * F;
                ptrdiff_t best = 0;
                double mean = 0;
                for (ptrdiff_t k = 0; k < K; k++) {
                    d2[k] = sqdist(z, cent + k * D, D);
                    mean += sqrt(d2[k]) / (double)K;
                    if (d2[k] < d2[best]) best = k;
                }
                int ties = 0;
                for (ptrdiff_t k = 0; k < K; k++) {
                    const double f = mean - sqrt(d2[k]);
                    out[r0 + k] += f > 0 ? f : 0;
                    if (d2[k] - d2[best] <= gap * (sqnorm(z, D) + sqnorm(cent + k * D, D))) {
                        hi[r0 + k] += 1;
                        ties++;
                    }
                }
                if (ties == 1) lo[r0 + best] += 1;
            }
    free(x), free(z), free(d2);
}

typedef struct {
    const char *name;
    int pixtype;
    ptrdiff_t n, h, w, c, K;
    fl_bow_params p;
    int with_wmean, with_P;
} bow_case;

static void check_bow(void)
{
    static const bow_case cases[] = {
        {"uint8 normalised, whitened, triangle, grid 2", FL_PIX_UINT8, 3, 12, 11, 3, 9,
         {5, 4, 2, 1, 10.0, FL_BOW_TRIANGLE, 2}, 1, 1},
        {"uint8 normalised, whitened, hard, grid 2", FL_PIX_UINT8, 3, 12, 11, 3, 9,
         {5, 4, 2, 1, 10.0, FL_BOW_HARD, 2}, 1, 1},
        {"float raw, mean only, hard, grid 1", FL_PIX_FLOAT, 2, 7, 8, 1, 5,
         {3, 3, 1, 0, 0.0, FL_BOW_HARD, 1}, 1, 0},
        {"float raw, mean only, triangle, grid 3", FL_PIX_FLOAT, 2, 9, 8, 1, 6,
         {3, 3, 1, 0, 0.0, FL_BOW_TRIANGLE, 3}, 1, 0},
        {"double normalised, whitened, triangle, grid 2", FL_PIX_DOUBLE, 4, 13, 10, 3, 7,
         {4, 4, 3, 1, 0.01, FL_BOW_TRIANGLE, 2}, 0, 1},
    };
    for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        const bow_case bc = cases[ci];
        const fl_bow_params *p = &bc.p;
        const ptrdiff_t n = bc.n, h = bc.h, w = bc.w, c = bc.c, K = bc.K;
        const ptrdiff_t D = p->ph * p->pw * c, F = p->grid * p->grid * K;
        const ptrdiff_t npix = n * h * w * c, st[4] = {h * w * c, w * c, c, 1};
        double *img = xmalloc((size_t)npix * sizeof *img);
        uint8_t *u8 = xmalloc((size_t)npix);
        float *f32 = xmalloc((size_t)npix * sizeof *f32);
        for (ptrdiff_t j = 0; j < npix; j++) {
            u8[j] = (uint8_t)randint(256);
            img[j] = bc.pixtype == FL_PIX_UINT8 ? u8[j] : (double)(float)unif();
            f32[j] = (float)img[j];
        }
        const void *pix = bc.pixtype == FL_PIX_UINT8 ? (const void *)u8
                          : bc.pixtype == FL_PIX_FLOAT ? (const void *)f32
                                                       : (const void *)img;
        /* the codebook on the scale of the whitened patches */
        const double zs = bc.pixtype == FL_PIX_FLOAT && !p->normalize ? 0.3 : 1.0;
        double *wmean = xmalloc((size_t)D * sizeof *wmean), *P = xmalloc((size_t)(D * D) * sizeof *P);
        double *cent = xmalloc((size_t)(K * D) * sizeof *cent);
        for (ptrdiff_t d = 0; d < D; d++) wmean[d] = (float)(p->normalize ? 0.1 * (2 * unif() - 1) : unif());
        for (ptrdiff_t j = 0; j < D * D; j++) P[j] = (float)((2 * unif() - 1) * sqrt(3.0 / (double)D));
        for (ptrdiff_t j = 0; j < K * D; j++) cent[j] = (float)((2 * unif() - 1) * 1.7 * zs);
        const double *wm = bc.with_wmean ? wmean : NULL, *PP = bc.with_P ? P : NULL;
        double *ref = xmalloc((size_t)(n * F) * sizeof *ref), *lo = xmalloc((size_t)(n * F) * sizeof *lo);
        double *hi = xmalloc((size_t)(n * F) * sizeof *hi);
        double *o1 = xmalloc((size_t)(n * F) * sizeof *o1), *o2 = xmalloc((size_t)(n * F) * sizeof *o2);
        for (int dbl = 0; dbl < 2; dbl++) {
            const double tol = dbl ? 1e-10 : 1e-4;
            bow_ref(img, n, h, w, c, p, wm, PP, cent, K, dbl ? 1e-10 : 1e-4, ref, lo, hi);
            int s = FL_OK;
            for (int T = 1; T <= 2; T++) {
                double *o = T == 1 ? o1 : o2;
                if (dbl) {
                    s |= fl_bow_encode_double(pix, bc.pixtype, n, h, w, c, st, p, wm, PP, cent, K,
                                              T, o);
                } else {
                    float *wf = to_float(wmean, (size_t)D), *Pf = to_float(P, (size_t)(D * D));
                    float *cf = to_float(cent, (size_t)(K * D));
                    float *of = xmalloc((size_t)(n * F) * sizeof *of);
                    s |= fl_bow_encode_float(pix, bc.pixtype, n, h, w, c, st, p, wm ? wf : NULL,
                                             PP ? Pf : NULL, cf, K, T, of);
                    for (ptrdiff_t j = 0; j < n * F; j++) o[j] = of[j];
                    free(wf), free(Pf), free(cf), free(of);
                }
            }
            double err;
            if (p->encoding == FL_BOW_TRIANGLE) {
                err = relerr(o1, ref, (size_t)(n * F));
            } else {
                err = 0;
                for (ptrdiff_t j = 0; j < n * F; j++)
                    if (!(o1[j] >= lo[j] && o1[j] <= hi[j])) err = INFINITY;
            }
            if (s != FL_OK) err = INFINITY;
            check_err(memcmp(o1, o2, (size_t)(n * F) * sizeof *o1) == 0 ? err : INFINITY, tol,
                      "bow encode %-6s %s (1 and 2 threads bitwise equal)", dbl ? "double" : "float",
                      bc.name);
        }
        free(img), free(u8), free(f32), free(wmean), free(P), free(cent);
        free(ref), free(lo), free(hi), free(o1), free(o2);
    }
}

/* -- patches ------------------------------------------------------------------ */

static void check_patches(void)
{
    const ptrdiff_t n = 4, h = 10, w = 9, c = 3, ph = 3, pw = 4, count = 50;
    const uint64_t seed = 7;
    int64_t pos[3 * 50];
    fl_patch_positions(n, h, w, ph, pw, count, seed, pos);
    fl_pcg32 rng;
    fl_pcg32_seed(&rng, seed, FL_PATCHES_STREAM);
    int ok = 1;
    for (ptrdiff_t i = 0; i < count; i++) {
        ok = ok && pos[3 * i] == fl_pcg32_bounded(&rng, (uint32_t)n);
        ok = ok && pos[3 * i + 1] == fl_pcg32_bounded(&rng, (uint32_t)(h - ph + 1));
        ok = ok && pos[3 * i + 2] == fl_pcg32_bounded(&rng, (uint32_t)(w - pw + 1));
    }
    check(ok, "patch positions: the PCG32 stream, in range");
    /* images seen with their columns reversed: a negative column stride */
    const ptrdiff_t npix = n * h * w * c, D = ph * pw * c;
    uint8_t *u8 = xmalloc((size_t)npix);
    float *f32 = xmalloc((size_t)npix * sizeof *f32);
    double *f64 = xmalloc((size_t)npix * sizeof *f64);
    for (ptrdiff_t j = 0; j < npix; j++) {
        u8[j] = (uint8_t)randint(256);
        f32[j] = (float)unif();
        f64[j] = unif();
    }
    const ptrdiff_t st[4] = {h * w * c, w * c, -c, 1}, off = (w - 1) * c;
    double *ref = xmalloc((size_t)(count * D) * sizeof *ref);
    float *of = xmalloc((size_t)(count * D) * sizeof *of);
    double *od = xmalloc((size_t)(count * D) * sizeof *od);
#define PATCH_REF(img)                                                                         \
    for (ptrdiff_t i = 0, q = 0; i < count; i++)                                                 \
        for (ptrdiff_t dy = 0; dy < ph; dy++)                                                    \
            for (ptrdiff_t dx = 0; dx < pw; dx++)                                                \
                for (ptrdiff_t ch = 0; ch < c; ch++)                                             \
                    ref[q++] = (img)[off + pos[3 * i] * st[0] + (pos[3 * i + 1] + dy) * st[1] +  \
                                     (pos[3 * i + 2] + dx) * st[2] + ch * st[3]]
    PATCH_REF(u8);
    fl_patches_uint8_float(u8 + off, n, h, w, c, st, ph, pw, pos, count, 2, of);
    fl_patches_uint8_double(u8 + off, n, h, w, c, st, ph, pw, pos, count, 2, od);
    ok = 1;
    for (ptrdiff_t j = 0; j < count * D; j++) ok = ok && of[j] == ref[j] && od[j] == ref[j];
    check(ok, "patches uint8 -> float, double (negative column stride)");
    PATCH_REF(f32);
    fl_patches_float_float(f32 + off, n, h, w, c, st, ph, pw, pos, count, 2, of);
    ok = 1;
    for (ptrdiff_t j = 0; j < count * D; j++) ok = ok && of[j] == ref[j];
    check(ok, "patches float -> float (negative column stride)");
    PATCH_REF(f64);
    fl_patches_double_double(f64 + off, n, h, w, c, st, ph, pw, pos, count, 2, od);
    ok = 1;
    for (ptrdiff_t j = 0; j < count * D; j++) ok = ok && od[j] == ref[j];
    check(ok, "patches double -> double (negative column stride)");
#undef PATCH_REF
    /* dense: every patch at (stride*oy, stride*ox), contiguous images */
    const ptrdiff_t s = 2, ny = (h - ph) / s + 1, nx = (w - pw) / s + 1;
    const ptrdiff_t sc[4] = {h * w * c, w * c, c, 1};
    float *dn = xmalloc((size_t)(n * ny * nx * D) * sizeof *dn);
    double *dd = xmalloc((size_t)(n * ny * nx * D) * sizeof *dd);
    fl_dense_patches_uint8_float(u8, n, h, w, c, sc, ph, pw, s, 2, dn);
    fl_dense_patches_double_double(f64, n, h, w, c, sc, ph, pw, s, 1, dd);
    ok = 1;
    for (ptrdiff_t i = 0, q = 0; i < n; i++)
        for (ptrdiff_t oy = 0; oy < ny; oy++)
            for (ptrdiff_t ox = 0; ox < nx; ox++)
                for (ptrdiff_t dy = 0; dy < ph; dy++)
                    for (ptrdiff_t dx = 0; dx < pw; dx++)
                        for (ptrdiff_t ch = 0; ch < c; ch++, q++) {
                            const ptrdiff_t j = ((i * h + oy * s + dy) * w + ox * s + dx) * c + ch;
                            ok = ok && dn[q] == u8[j] && dd[q] == f64[j];
                        }
    check(ok, "dense patches uint8 -> float, double -> double");
    /* contrast normalisation in place, rows ld apart (the gap untouched) */
    const ptrdiff_t rows = 40, ld = D + 3;
    double *X = xmalloc((size_t)(rows * ld) * sizeof *X), *R = xmalloc((size_t)(rows * ld) * sizeof *R);
    for (ptrdiff_t j = 0; j < rows * ld; j++) X[j] = (float)(255 * unif());
    for (ptrdiff_t i = 0; i < rows; i++) {
        double m = 0, v = 0;
        for (ptrdiff_t d = 0; d < D; d++) m += X[i * ld + d] / (double)D;
        for (ptrdiff_t d = 0; d < D; d++) v += (X[i * ld + d] - m) * (X[i * ld + d] - m) / (double)D;
        for (ptrdiff_t d = 0; d < ld; d++)
            R[i * ld + d] = d < D ? (X[i * ld + d] - m) / sqrt(v + 10.0) : X[i * ld + d];
    }
    float *Xf = to_float(X, (size_t)(rows * ld));
    fl_normalize_patches_float(Xf, rows, D, ld, 10.0, 2);
    fl_normalize_patches_double(X, rows, D, ld, 10.0, 2);
    double *Xfd = to_double_f(Xf, (size_t)(rows * ld));
    check_err(relerr(Xfd, R, (size_t)(rows * ld)), 1e-6, "normalize patches float");
    check_err(relerr(X, R, (size_t)(rows * ld)), 1e-13, "normalize patches double");
    free(u8), free(f32), free(f64), free(ref), free(of), free(od), free(dn), free(dd);
    free(X), free(R), free(Xf), free(Xfd);
}

/* -- HOG ---------------------------------------------------------------------- */

/* HOG of integer-valued images (n, h, w, c contiguous), in double, hard
 * unsigned bins, no normalisation or L2-Hys: fastlin.reference.hog.  The
 * gradients are integers, so the side of each bin edge is decided exactly by
 * the sign of a cross product (no edge is a multiple of 45 degrees for the
 * bin counts used here). */
static void hog_ref(const double *img, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                    const fl_hog_params *p, double *out)
{
    const int nb = p->orientations, cr = p->cell_rows, cc = p->cell_cols;
    const ptrdiff_t ncr = h / cr, ncc = w / cc;
    const ptrdiff_t nbr = ncr - p->block_rows + 1, nbc = ncc - p->block_cols + 1;
    const ptrdiff_t bl = (ptrdiff_t)p->block_rows * p->block_cols * nb;
    const double pi = 3.14159265358979323846;
    double *hist = xmalloc((size_t)(ncr * ncc * nb) * sizeof *hist);
    double *v = xmalloc((size_t)bl * sizeof *v);
    for (ptrdiff_t i = 0; i < n; i++) {
        const double *x = img + i * h * w * c;
        memset(hist, 0, (size_t)(ncr * ncc * nb) * sizeof *hist);
        for (ptrdiff_t r = 0; r < ncr * cr; r++)
            for (ptrdiff_t q = 0; q < ncc * cc; q++) {
                double gr = 0, gc = 0, m2 = -1;
                for (ptrdiff_t ch = 0; ch < c; ch++) {
                    const double a = r > 0 && r < h - 1 ? x[((r + 1) * w + q) * c + ch] - x[((r - 1) * w + q) * c + ch] : 0;
                    const double b = q > 0 && q < w - 1 ? x[(r * w + q + 1) * c + ch] - x[(r * w + q - 1) * c + ch] : 0;
                    if (a * a + b * b > m2) m2 = a * a + b * b, gr = a, gc = b;
                }
                if (m2 == 0) continue;
                if (gr < 0 || (gr == 0 && gc < 0)) gr = -gr, gc = -gc;
                int bin = 0;
                for (int k = 1; k < nb; k++)
                    bin += cos(pi * k / nb) * gr - sin(pi * k / nb) * gc > 0;
                hist[((r / cr) * ncc + q / cc) * nb + bin] += sqrt(m2) / (cr * cc);
            }
        double *o = out + i * (p->block_norm == FL_HOG_NORM_NONE ? ncr * ncc * nb : nbr * nbc * bl);
        if (p->block_norm == FL_HOG_NORM_NONE) {
            memcpy(o, hist, (size_t)(ncr * ncc * nb) * sizeof *o);
            continue;
        }
        for (ptrdiff_t by = 0; by < nbr; by++)
            for (ptrdiff_t bx = 0; bx < nbc; bx++) {
                ptrdiff_t q = 0;
                for (ptrdiff_t y = 0; y < p->block_rows; y++)
                    for (ptrdiff_t z = 0; z < p->block_cols; z++)
                        for (int k = 0; k < nb; k++) v[q++] = hist[((by + y) * ncc + bx + z) * nb + k];
                for (int pass = 0; pass < 2; pass++) {
                    double s = 1e-10;
                    for (ptrdiff_t j = 0; j < bl; j++) s += v[j] * v[j];
                    for (ptrdiff_t j = 0; j < bl; j++) {
                        v[j] /= sqrt(s);
                        if (pass == 0 && v[j] > 0.2) v[j] = 0.2;
                    }
                }
                memcpy(o + (by * nbc + bx) * bl, v, (size_t)bl * sizeof *v);
            }
    }
    free(hist), free(v);
}

typedef struct {
    const char *name;
    ptrdiff_t c;
    fl_hog_params p;
    int with_float; /* float images work in float: not with transform_sqrt */
} hog_case;

static void check_hog(void)
{
    static const hog_case cases[] = {
        {"9 bins, 8x8 cells, 2x2 blocks, L2-Hys, RGB", 3, {9, 8, 8, 2, 2, FL_HOG_NORM_L2_HYS, 0, 0, 0}, 1},
        {"9 bins, 8x8 cells, 2x2 blocks, L2-Hys, grey", 1, {9, 8, 8, 2, 2, FL_HOG_NORM_L2_HYS, 0, 0, 0}, 1},
        {"9 bins, 6x5 cells, cells only, RGB", 3, {9, 6, 5, 1, 1, FL_HOG_NORM_NONE, 0, 0, 0}, 1},
        {"7 bins, 6x5 cells, 3x2 blocks, L2-Hys, RGB", 3, {7, 6, 5, 3, 2, FL_HOG_NORM_L2_HYS, 0, 0, 0}, 1},
        {"12 bins signed, 4x4 cells, 2x2 blocks, L1, RGB", 3, {12, 4, 4, 2, 2, FL_HOG_NORM_L1, 0, 1, 0}, 1},
        {"9 bins interpolated, 8x8 cells, 2x2 blocks, L2, 2 channels", 2, {9, 8, 8, 2, 2, FL_HOG_NORM_L2, 0, 0, 1}, 1},
        {"9 bins, sqrt, 8x8 cells, 3x3 blocks, L1-sqrt, RGB", 3, {9, 8, 8, 3, 3, FL_HOG_NORM_L1_SQRT, 1, 0, 0}, 0},
    };
    const ptrdiff_t n = 3, h = 35, w = 29;
    for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        const hog_case hc = cases[ci];
        const fl_hog_params *p = &hc.p;
        const ptrdiff_t c = hc.c, npix = n * h * w * c, st[4] = {h * w * c, w * c, c, 1};
        const ptrdiff_t F = fl_hog_feature_size(p, h, w);
        uint8_t *u8 = xmalloc((size_t)npix);
        float *f32 = xmalloc((size_t)npix * sizeof *f32);
        double *f64 = xmalloc((size_t)npix * sizeof *f64);
        for (ptrdiff_t j = 0; j < npix; j++) f64[j] = f32[j] = u8[j] = (uint8_t)randint(256);
        float *o8 = xmalloc((size_t)(n * F) * sizeof *o8), *o8b = xmalloc((size_t)(n * F) * sizeof *o8b);
        float *of = xmalloc((size_t)(n * F) * sizeof *of);
        double *od = xmalloc((size_t)(n * F) * sizeof *od);
        ptrdiff_t bad = 0;
        int s = F > 0 ? FL_OK : -1;
        s |= fl_hog_uint8(u8, n, h, w, c, st, p, 1, o8, &bad);
        s |= fl_hog_uint8(u8, n, h, w, c, st, p, 2, o8b, &bad);
        s |= fl_hog_double(f64, n, h, w, c, st, p, 2, od, &bad);
        if (hc.with_float) s |= fl_hog_float(f32, n, h, w, c, st, p, 2, of, &bad);
        double *d8 = to_double_f(o8, (size_t)(n * F)), *dfl = to_double_f(of, (size_t)(n * F));
        check_err(s != FL_OK ? INFINITY : relerr(d8, od, (size_t)(n * F)), 1e-5,
                  "hog %s: uint8 (fast path) vs double images", hc.name);
        if (hc.with_float)
            check_err(relerr(dfl, od, (size_t)(n * F)), 1e-5,
                      "hog %s: float vs double images", hc.name);
        check(memcmp(o8, o8b, (size_t)(n * F) * sizeof *o8) == 0,
              "hog %s: uint8, 1 and 2 threads bitwise equal", hc.name);
        if (p->block_norm == FL_HOG_NORM_NONE || (p->block_norm == FL_HOG_NORM_L2_HYS &&
                                                  !p->signed_orientation && !p->interpolate &&
                                                  !p->transform_sqrt)) {
            double *ref = xmalloc((size_t)(n * F) * sizeof *ref);
            hog_ref(f64, n, h, w, c, p, ref);
            check_err(relerr(od, ref, (size_t)(n * F)), 1e-9, "hog %s: double vs reference", hc.name);
            check_err(relerr(d8, ref, (size_t)(n * F)), 1e-5, "hog %s: uint8 vs reference", hc.name);
            free(ref);
        }
        free(u8), free(f32), free(f64), free(o8), free(o8b), free(of), free(od), free(d8), free(dfl);
    }
    /* ramps: every gradient 6 along x, y or the diagonal (6, 6), in bin 0, 4 or 2 */
    const fl_hog_params p = {9, 8, 8, 1, 1, FL_HOG_NORM_NONE, 0, 0, 0};
    const ptrdiff_t c = 3, st[4] = {h * w * c, w * c, c, 1}, F = fl_hog_feature_size(&p, h, w);
    uint8_t *img = xmalloc((size_t)(h * w * c));
    float *o = xmalloc((size_t)F * sizeof *o);
    static const struct { int ax, ay, bin; double interior; const char *name; } ramps[] = {
        {3, 0, 0, 6.0, "along x"}, {0, 3, 4, 6.0, "along y"}, {3, 3, 2, 6.0 * 1.4142135623730951, "diagonal"},
        {0, 0, -1, 0.0, "flat"},
    };
    for (int ri = 0; ri < 4; ri++) {
        for (ptrdiff_t y = 0; y < h; y++)
            for (ptrdiff_t x = 0; x < w; x++)
                for (ptrdiff_t ch = 0; ch < c; ch++)
                    img[(y * w + x) * c + ch] = (uint8_t)(ramps[ri].ax * x + ramps[ri].ay * y + 20 * ch + 7);
        ptrdiff_t bad = 0;
        const int s = fl_hog_uint8(img, 1, h, w, c, st, &p, 1, o, &bad);
        int ok = s == FL_OK;
        /* cells off the first row and column (on the image border one gradient
         * component is 0); the last ones end before the border */
        for (ptrdiff_t j = 0; j < F; j++)
            if (j / 9 / (w / 8) > 0 && j / 9 % (w / 8) > 0)
                ok = ok && (j % 9 == ramps[ri].bin || o[j] == 0);
        /* cell (1, 1) lies inside the image: 64 votes of the same magnitude */
        const double v = o[(1 * (w / 8) + 1) * 9 + (ramps[ri].bin < 0 ? 0 : ramps[ri].bin)];
        ok = ok && fabs(v - ramps[ri].interior) <= 1e-6 * (1 + ramps[ri].interior);
        check(ok, "hog ramp %s: votes in bin %d only, interior cell %.4f (expected %.4f)",
              ramps[ri].name, ramps[ri].bin, v, ramps[ri].interior);
    }
    /* a NaN in image 1 of 2: FL_HOG_ENONFINITE naming it */
    float *fim = xmalloc((size_t)(2 * h * w * c) * sizeof *fim);
    float *fo = xmalloc((size_t)(2 * F) * sizeof *fo);
    fim[h * w * c + 5 * w * c + 4] = NAN;
    ptrdiff_t bad = -7;
    const int s = fl_hog_float(fim, 2, h, w, c, st, &p, 2, fo, &bad);
    check(s == FL_HOG_ENONFINITE && bad == 1, "hog: NaN pixel reported (status %d, image %td)", s, bad);
    free(img), free(o), free(fim), free(fo);
}

/* -- hue histogram -------------------------------------------------------------- */

/* fastlin.reference.colour: hue of pixel / xmax in double, times xmax, bin
 * by searchsorted on the edges; -1 outside them. */
static int hue_ref_bin(double r, double g, double b, double xmax, int nbin, const double *edges)
{
    r /= xmax, g /= xmax, b /= xmax;
    const double mx = fmax(r, fmax(g, b)), delta = mx - fmin(r, fmin(g, b));
    double hh = 0;
    if (delta > 0) {
        if (r == mx) hh = (g - b) / delta;
        if (g == mx) hh = 2.0 + (b - r) / delta;
        if (b == mx) hh = 4.0 + (r - g) / delta;
    }
    hh /= 6.0;
    if (hh < 0) hh += 1.0; /* numpy's % 1.0 on (-1/6, 0) */
    const double v = hh * xmax;
    if (!(v >= edges[0] && v <= edges[nbin])) return -1;
    if (v == edges[nbin]) return nbin - 1;
    int i = 0;
    while (i + 1 < nbin && edges[i + 1] <= v) i++;
    return i;
}

static void check_hue(void)
{
    const ptrdiff_t n = 4, h = 9, w = 13, npix = n * h * w * 3, st[4] = {h * w * 3, w * 3, 3, 1};
    uint8_t *u8 = xmalloc((size_t)npix);
    float *f32 = xmalloc((size_t)npix * sizeof *f32);
    double *f64 = xmalloc((size_t)npix * sizeof *f64);
    for (ptrdiff_t j = 0; j < npix; j++) u8[j] = (uint8_t)randint(256);
    /* grey, primaries, equal maxima, near-grey pixels at the start of image 0 */
    static const uint8_t special[][3] = {{0, 0, 0}, {255, 255, 255}, {90, 90, 90}, {255, 0, 0},
                                         {0, 255, 0}, {0, 0, 255}, {200, 200, 10}, {10, 200, 200},
                                         {200, 10, 200}, {255, 0, 1}, {100, 101, 100}, {7, 6, 6}};
    for (size_t k = 0; k < sizeof special / sizeof special[0]; k++)
        memcpy(u8 + 3 * k, special[k], 3);
    /* image 3: all pure green */
    for (ptrdiff_t j = 0; j < h * w; j++) memcpy(u8 + 3 * (3 * h * w + j), special[4], 3);
    for (ptrdiff_t j = 0; j < npix; j++) f64[j] = f32[j] = u8[j];
    static const struct { int nbin; double xmin, xmax; int uniform; } cfg[] = {
        {10, 0, 255, 1}, {7, 0, 255, 1}, {10, 50, 200, 1}, {5, 0, 255, 0}, {360, 0, 255, 1}};
    for (size_t ci = 0; ci < sizeof cfg / sizeof cfg[0]; ci++) {
        const int nb = cfg[ci].nbin;
        double *edges = xmalloc((size_t)(nb + 1) * sizeof *edges);
        const double step = (cfg[ci].xmax - cfg[ci].xmin) / nb;
        for (int i = 0; i <= nb; i++) /* np.linspace, or a bent scale */
            edges[i] = cfg[ci].uniform ? cfg[ci].xmin + i * step
                                       : cfg[ci].xmax * pow((double)i / nb, 1.5);
        edges[nb] = cfg[ci].xmax;
        double *ref = xmalloc((size_t)(n * nb) * sizeof *ref);
        for (ptrdiff_t i = 0; i < n; i++)
            for (ptrdiff_t j = 0; j < h * w; j++) {
                const uint8_t *q = u8 + (i * h * w + j) * 3;
                const int bin = hue_ref_bin(q[0], q[1], q[2], 255.0, nb, edges);
                if (bin >= 0) ref[i * nb + bin] += 1;
            }
        for (int norm = 0; norm < 2; norm++) {
            float *o8 = xmalloc((size_t)(n * nb) * sizeof *o8), *of = xmalloc((size_t)(n * nb) * sizeof *of);
            double *od = xmalloc((size_t)(n * nb) * sizeof *od), *want = xmalloc((size_t)(n * nb) * sizeof *want);
            for (ptrdiff_t i = 0; i < n; i++) {
                double tot = 0;
                for (int b = 0; b < nb; b++) tot += ref[i * nb + b];
                for (int b = 0; b < nb; b++)
                    want[i * nb + b] = norm ? (tot > 0 ? ref[i * nb + b] / tot : 0) : ref[i * nb + b];
            }
            ptrdiff_t bad = 0;
            int s = fl_hue_hist_uint8(u8, n, h, w, st, nb, edges, 255.0, norm, 2, o8, &bad);
            s |= fl_hue_hist_float(f32, n, h, w, st, nb, edges, 255.0, norm, 1, of, &bad);
            s |= fl_hue_hist_double(f64, n, h, w, st, nb, edges, 255.0, norm, 2, od, &bad);
            double *d8 = to_double_f(o8, (size_t)(n * nb)), *dfl = to_double_f(of, (size_t)(n * nb));
            const double tol = norm ? 1e-6 : 0; /* counts: exact */
            char name[96];
            snprintf(name, sizeof name, "hue histogram %d bins on [%g, %g]%s%s", nb, cfg[ci].xmin,
                     cfg[ci].xmax, cfg[ci].uniform ? "" : " (uneven edges)", norm ? " normalised" : "");
            check_err(s != FL_OK ? INFINITY : relerr(d8, want, (size_t)(n * nb)), tol,
                      "%s: uint8 vs reference", name);
            check_err(relerr(dfl, want, (size_t)(n * nb)), tol, "%s: float vs reference", name);
            check_err(relerr(od, want, (size_t)(n * nb)), norm ? 1e-15 : 0, "%s: double vs reference", name);
            free(o8), free(of), free(od), free(want), free(d8), free(dfl);
        }
        if (ci == 0) /* pure green: hue 1/3, v = 85, bin 3 of 10 */
            check(ref[3 * nb + 3] == (double)(h * w), "hue histogram: pure green image all in bin 3");
        free(edges), free(ref);
    }
    /* a pixel above xmax in image 2: FL_COLOUR_ERANGE naming it */
    const double edges[3] = {0, 0.5, 1};
    for (ptrdiff_t j = 0; j < npix; j++) f32[j] = j == 2 * h * w * 3 + 10 ? 1.5f : f32[j] / 255.0f;
    float out[8];
    ptrdiff_t bad = -7;
    const int s = fl_hue_hist_float(f32, n, h, w, st, 2, edges, 1.0, 0, 2, out, &bad);
    check(s == FL_COLOUR_ERANGE && bad == 2, "hue histogram: pixel above xmax reported (status %d, image %td)", s, bad);
    free(u8), free(f32), free(f64);
}

/* -------------------------------------------------------------------------- */

int main(void)
{
    const fl_kernel_table *k = fl_active_kernels();
#if defined(__aarch64__)
    const char *arch = "aarch64";
#elif defined(__x86_64__)
    const char *arch = "x86_64";
#else
    const char *arch = "other";
#endif
    printf("arch: %s\n", arch);
    int level = 0;
    for (int i = 0; i < fl_simd_count(); i++)
        if (strcmp(fl_simd_name(i), k->name) == 0) level = i;
    printf("level: %s (%s), %d level(s) built\n", k->name, fl_simd_description(level),
           fl_simd_count());
    printf("openmp: %d (config %d), max threads %d\n", fl_openmp_enabled(), FASTLIN_HAVE_OPENMP,
           omp_get_max_threads());
    check_losses();
    check_kmeans_assign();
    check_kmeans_plusplus();
    check_bow();
    check_patches();
    check_hog();
    check_hue();
    printf("%d checks, %d failed\n", n_checks, n_failed);
    return n_failed ? 1 : 0;
}
