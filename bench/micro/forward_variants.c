/* Micro-benchmark of the loss kernel's forward pass (scores = X W) and of
 * its backward pass (dWt += G^T X) on one cache-resident block of rows,
 * single thread: the kernel's own code (csrc/loss_impl.h) beside two other
 * formulations of the forward pass.
 *
 *   A  the kernel's F(scores): 2-rows x 5-classes tile of vector
 *      accumulators along D, horizontal sums at the end (float64 with
 *      AVX-512: the kernel's rows-in-lanes forward, as L1); also packs the
 *      rows for the backward pass.
 *   B  classes in the lanes: broadcast X[r, d], FMA with W[d, :] (padded to
 *      whole vectors); no horizontal sums, but C = 10 fills 10 of 16 float
 *      lanes (12 double lanes); no packing.
 *   T  rows in the lanes, on a transposed block Xt (D, rows): broadcast
 *      W[c, d]; the (scalar) transpose is timed apart.
 *   L  rows in the lanes, transposed in registers (AVX-512 only: 16 x 16
 *      floats or 8 x 8 doubles in 4 or 3 rounds of vunpck / vshuff), W
 *      broadcast from its own (D, C) layout, 10 accumulators: L1 reads the
 *      rows in place and packs them on the way, as the kernel must; L2 reads
 *      the rows already packed (Xp, left by A).
 *   backward: the kernel's F(bwd_tile) on the packed rows, and the same tile
 *      reading the rows of X in place.
 *
 * Build and run from the repository root, one SIMD level at a time
 * (-DDOUBLE for float64; -march=x86-64-v4 -DFL_VBYTES=64 for the AVX-512 level):
 *   gcc -O3 -march=x86-64-v3 -DFL_VBYTES=32 -ffp-contract=fast -Wno-psabi -Icsrc \
 *       bench/micro/forward_variants.c csrc/parallel.c -lm -o /tmp/fv && /tmp/fv
 * GFLOP/s count 2 * rows * D * C useful flops; bench/micro/fma_peak.c gives
 * the core's FMA peak at the same vector width.  Results on the development
 * hosts: bench/notes/loss-forward.md (Zen 3), bench/notes/simd-levels.md (Zen 5). */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "loss.h"

#ifdef DOUBLE
#define REAL double
#define REAL_BYTES 8
#define VEC fl_vd
#define SUF _double
#define EXP exp
#define LOG log
#define NAME "float64"
#define IVEC fl_vi64
#define RB 3 /* rows per tile of B */
#else
#define REAL float
#define REAL_BYTES 4
#define VEC fl_vf
#define SUF _float
#define EXP expf
#define LOG logf
#define NAME "float32"
#define IVEC fl_vi32
#define RB 6
#endif
#include "loss_impl.h"

/* loss_impl.h undefines its helper macros; the ones needed here again */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SUF)
#define VL ((ptrdiff_t)(FL_VBYTES / sizeof(REAL)))
#define W2 (2 * VL)
#define PACK_COLS(D) ((D) - (D) % W2)
#define NC 10                     /* classes */
#define NV ((NC * (int)sizeof(REAL) + FL_VBYTES - 1) / FL_VBYTES) /* class vectors of B */
#define NR 30                     /* rows per block, a multiple of RB */
#define ND 3073                   /* CIFAR-10 + bias */

static void fwd_classes_in_lanes(const REAL *const *xr, const REAL *Wd, REAL *S)
{
    for (int r = 0; r < NR; r += RB) {
        VEC a[RB][NV];
        const REAL *x[RB];
        for (int i = 0; i < RB; i++) {
            x[i] = xr[r + i];
            for (int j = 0; j < NV; j++) a[i][j] = (VEC){0};
        }
        const REAL *w = Wd;
        for (ptrdiff_t d = 0; d < ND; d++, w += NV * VL) {
            VEC wv[NV];
#pragma GCC unroll 8
            for (int j = 0; j < NV; j++) memcpy(&wv[j], w + j * VL, sizeof(VEC));
#pragma GCC unroll 8
            for (int i = 0; i < RB; i++) {
                const REAL xs = x[i][d];
#pragma GCC unroll 8
                for (int j = 0; j < NV; j++) a[i][j] += xs * wv[j];
            }
        }
        for (int i = 0; i < RB; i++)
            for (int c = 0; c < NC; c++) S[(r + i) * NC + c] = a[i][c / VL][c % VL];
    }
}

static void transpose(const REAL *const *xr, REAL *Xt, int ldt)
{
    for (ptrdiff_t d = 0; d < ND; d++)
        for (int r = 0; r < NR; r++) Xt[d * ldt + r] = xr[r][d];
}

static void fwd_rows_in_lanes(const REAL *Xt, int ldt, const REAL *Wt, ptrdiff_t ldw, REAL *S)
{
    for (int r = 0; r < ldt; r += 2 * (int)VL)
        for (int c0 = 0; c0 < NC; c0 += 5) {
            VEC a[5][2];
            for (int c = 0; c < 5; c++) a[c][0] = a[c][1] = (VEC){0};
            const REAL *xt = Xt + r;
            for (ptrdiff_t d = 0; d < ND; d++, xt += ldt) {
                VEC x0, x1;
                memcpy(&x0, xt, sizeof x0);
                memcpy(&x1, xt + VL, sizeof x1);
                for (int c = 0; c < 5; c++) {
                    const REAL w = Wt[(c0 + c) * ldw + d];
                    a[c][0] += w * x0;
                    a[c][1] += w * x1;
                }
            }
            for (int c = 0; c < 5; c++)
                for (int k = 0; k < 2 * VL && r + k < NR; k++)
                    S[(r + k) * NC + c0 + c] = a[c][k / VL][k % VL];
        }
}

#if FL_VBYTES == 64
/* Rounds of the in-register transpose: lanes of a and b (indices into their
 * concatenation) interleaved within 16-byte blocks, then even/odd blocks.
 * The result is a transpose up to orders: vector k holds column TCOLS[k];
 * lane l holds input vector TROWS[l]. */
#if defined(__clang__)
#define ZIP(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define ZIP(a, b, ...) __builtin_shuffle(a, b, (IVEC){__VA_ARGS__})
#endif
#ifndef DOUBLE
#define NROUND 4
#define LO0(a, b) ZIP(a, b, 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29)
#define HI0(a, b) ZIP(a, b, 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31)
#define LO1(a, b) ZIP(a, b, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29)
#define HI1(a, b) ZIP(a, b, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31)
#define LO2(a, b) ZIP(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)
#define HI2(a, b) ZIP(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31)
#define LO3 LO2
#define HI3 HI2
#define TCOLS {0, 8, 4, 12, 1, 9, 5, 13, 2, 10, 6, 14, 3, 11, 7, 15}
#define TROWS {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15}
#else
#define NROUND 3
#define LO0(a, b) ZIP(a, b, 0, 8, 2, 10, 4, 12, 6, 14)
#define HI0(a, b) ZIP(a, b, 1, 9, 3, 11, 5, 13, 7, 15)
#define LO1(a, b) ZIP(a, b, 0, 1, 4, 5, 8, 9, 12, 13)
#define HI1(a, b) ZIP(a, b, 2, 3, 6, 7, 10, 11, 14, 15)
#define LO2 LO1
#define HI2 HI1
#define LO3 LO1
#define HI3 HI1
#define TCOLS {0, 4, 2, 6, 1, 5, 3, 7}
#define TROWS {0, 4, 2, 6, 1, 5, 3, 7}
#endif
#define ROUND(LO, HI)                                                          \
    for (int i = 0; i < VL / 2; i++) {                                         \
        t[2 * i] = LO(v[i], v[i + VL / 2]);                                    \
        t[2 * i + 1] = HI(v[i], v[i + VL / 2]);                                \
    }                                                                          \
    for (int i = 0; i < VL; i++) v[i] = t[i];

static inline __attribute__((always_inline)) void transpose_regs(VEC *v)
{
    VEC t[VL];
    ROUND(LO0, HI0)
    ROUND(LO1, HI1)
    ROUND(LO2, HI2)
    if (NROUND > 3) {
        ROUND(LO3, HI3)
    }
}

/* L: rows r .. r + rw of the block in the lanes, all NC classes, columns in
 * chunks of 2 KiB (W's columns of a chunk stay in L1); with pack the rows
 * are read from xr and stored to Xp (layout of the kernel), else read from
 * Xp.  The last ND % VL columns are added one by one. */
static inline __attribute__((always_inline)) void fwd_lanes(const REAL *const *xr, REAL *Xp,
                                                            const REAL *Wn, REAL *S, const int pack)
{
    static const int tcols[VL] = TCOLS, trows[VL] = TROWS;
    const ptrdiff_t DK = 2048 / (ptrdiff_t)sizeof(REAL), Dl = ND - ND % VL;
    VEC P[(NR + VL - 1) / VL][NC];
    for (ptrdiff_t d0 = 0; d0 < Dl; d0 += DK) {
        const ptrdiff_t d1 = d0 + DK < Dl ? d0 + DK : Dl;
        for (int r = 0; r < NR; r += (int)VL) {
            const int rw = NR - r < VL ? NR - r : (int)VL;
            VEC acc[NC];
            for (int c = 0; c < NC; c++) acc[c] = d0 ? P[r / VL][c] : (VEC){0};
            const REAL *row[VL];
            ptrdiff_t off[VL];
            for (int i = 0; i < VL; i++) {
                const int j = r + (trows[i] < rw ? trows[i] : rw - 1);
                row[i] = xr[j];
                off[i] = (ptrdiff_t)j * W2;
            }
            for (ptrdiff_t d = d0; d < d1; d += VL) {
                REAL *xp = Xp + (d / W2) * NR * W2 + d % W2;
                VEC v[VL];
#pragma GCC unroll 16
                for (int i = 0; i < VL; i++) {
                    if (pack) {
                        memcpy(&v[i], row[i] + d, sizeof(VEC));
                        if (trows[i] < rw) memcpy(xp + off[i], &v[i], sizeof(VEC));
                    } else
                        memcpy(&v[i], xp + off[i], sizeof(VEC));
                }
                transpose_regs(v);
                const REAL *w = Wn + d * NC;
#pragma GCC unroll 16
                for (int k = 0; k < VL; k++)
#pragma GCC unroll 10
                    for (int c = 0; c < NC; c++) acc[c] += v[k] * w[tcols[k] * NC + c];
            }
            for (int c = 0; c < NC; c++) P[r / VL][c] = acc[c];
        }
    }
    for (int r = 0; r < NR; r++)
        for (int c = 0; c < NC; c++) {
            REAL t = P[r / VL][c][r % VL];
            for (ptrdiff_t d = Dl; d < ND; d++) t += xr[r][d] * Wn[d * NC + c];
            S[r * NC + c] = t;
        }
}
#endif

/* F(bwd_tile) reading the rows in place instead of the packed block */
static void bwd_in_place(const REAL *const *xr, const int *ri, const REAL *G, int na, int ct,
                         REAL *dWt, ptrdiff_t ldw)
{
    for (ptrdiff_t d = 0; d < PACK_COLS(ND); d += W2) {
        VEC acc[5][2];
        for (int c = 0; c < ct; c++) {
            memcpy(&acc[c][0], dWt + c * ldw + d, sizeof(VEC));
            memcpy(&acc[c][1], dWt + c * ldw + d + VL, sizeof(VEC));
        }
        for (int a = 0; a < na; a++) {
            VEC x0, x1;
            memcpy(&x0, xr[ri[a]] + d, sizeof x0);
            memcpy(&x1, xr[ri[a]] + d + VL, sizeof x1);
            for (int c = 0; c < ct; c++) {
                acc[c][0] += G[a * NC + c] * x0;
                acc[c][1] += G[a * NC + c] * x1;
            }
        }
        for (int c = 0; c < ct; c++) {
            memcpy(dWt + c * ldw + d, &acc[c][0], sizeof(VEC));
            memcpy(dWt + c * ldw + d + VL, &acc[c][1], sizeof(VEC));
        }
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *zalloc(size_t bytes)
{
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) exit(1);
    memset(p, 0, (bytes + 63) / 64 * 64);
    return p;
}

int main(void)
{
    const ptrdiff_t ldw = (ND + 15) / 16 * 16, ldt = (NR + 2 * VL - 1) / (2 * VL) * (2 * VL);
    REAL *X = zalloc(sizeof(REAL) * NR * ND), *Wt = zalloc(sizeof(REAL) * NC * ldw);
    REAL *Wd = zalloc(sizeof(REAL) * ND * NV * VL), *Xt = zalloc(sizeof(REAL) * ND * ldt);
    REAL *Wn = zalloc(sizeof(REAL) * ND * NC), *Xq = zalloc(sizeof(REAL) * NR * PACK_COLS(ND));
    REAL *Xp = zalloc(sizeof(REAL) * NR * ND), *dWt = zalloc(sizeof(REAL) * NC * ldw);
    void *P = zalloc(sizeof(VEC) * NR * NC);
    REAL S[5][NR * NC], G[NR * NC];
    const REAL *xr[NR];
    int ri[NR];
    for (ptrdiff_t i = 0; i < NR * ND; i++) X[i] = (REAL)((i * 7919) % 1000) * (REAL)1e-3;
    for (ptrdiff_t c = 0; c < NC; c++)
        for (ptrdiff_t d = 0; d < ND; d++) {
            Wt[c * ldw + d] = (REAL)((c * 31 + d * 17) % 100) * (REAL)1e-3;
            Wd[d * NV * VL + c] = Wt[c * ldw + d];
            Wn[d * NC + c] = Wt[c * ldw + d];
        }
    for (int r = 0; r < NR; r++) {
        xr[r] = X + r * ND;
        ri[r] = r;
        for (int c = 0; c < NC; c++) G[r * NC + c] = (REAL)0.01 * (REAL)(r + c);
    }
    double best[8] = {1e9, 1e9, 1e9, 1e9, 1e9, 1e9, 1e9, 1e9};
    for (int rep = 0; rep < 3000; rep++) {
        double t[9];
        F(prefetch_t) pf = {xr, 0, 0, 0, 0, 0};
        t[0] = now();
#if defined(DOUBLE) && FL_VBYTES == 64 && defined(__AVX512F__)
        F(scores)(xr, NR, Wn, ND, ldw, NC, S[0], Xp, P, &pf); /* rows in the lanes: W as it is */
#else
        F(scores)(xr, NR, Wt, ND, ldw, NC, S[0], Xp, P, &pf);
#endif
        t[1] = now();
        fwd_classes_in_lanes(xr, Wd, S[1]);
        t[2] = now();
        transpose(xr, Xt, (int)ldt);
        t[3] = now();
        fwd_rows_in_lanes(Xt, (int)ldt, Wt, ldw, S[2]);
        t[4] = now();
        for (int c0 = 0; c0 < NC; c0 += 5)
            F(bwd_tile)(Xp, xr, NR, ri, G + c0, NR, NC, 5, dWt + c0 * ldw, ND, ldw, 0, &pf);
        t[5] = now();
        for (int c0 = 0; c0 < NC; c0 += 5) bwd_in_place(xr, ri, G + c0, NR, 5, dWt + c0 * ldw, ldw);
        t[6] = now();
#if FL_VBYTES == 64
        fwd_lanes(xr, Xq, Wn, S[3], 1);
#endif
        t[7] = now();
#if FL_VBYTES == 64
        fwd_lanes(xr, Xp, Wn, S[4], 0);
#endif
        t[8] = now();
        for (int k = 0; k < 8; k++)
            if (t[k + 1] - t[k] < best[k]) best[k] = t[k + 1] - t[k];
    }
    double e1 = 0, e2 = 0, e3 = 0;
    (void)e3, (void)Xq, (void)Wn; /* used by L, at 64-byte vectors only */
    for (int k = 0; k < NR * NC; k++) {
#if FL_VBYTES == 64
        e3 = fmax(e3, fmax(fabs((double)(S[3][k] - S[0][k])), fabs((double)(S[4][k] - S[0][k]))));
#endif
        e1 = fmax(e1, fabs((double)(S[1][k] - S[0][k])));
        e2 = fmax(e2, fabs((double)(S[2][k] - S[0][k])));
    }
    const double fl = 2.0 * NR * ND * NC / 1e9;
    printf("%s, %d rows x %d columns, %d classes, best of 3000 (us, GFLOP/s)\n", NAME, NR, ND, NC);
    printf("  A kernel forward + packing   %7.1f  %5.1f\n", best[0] * 1e6, fl / best[0]);
    printf("  B classes in lanes           %7.1f  %5.1f  (max |diff| %.1e)\n", best[1] * 1e6, fl / best[1], e1);
    printf("  T rows in lanes              %7.1f  %5.1f  (max |diff| %.1e), + scalar transpose %.1f\n",
           best[3] * 1e6, fl / best[3], e2, best[2] * 1e6);
#if FL_VBYTES == 64
    printf("  L1 rows in lanes + packing   %7.1f  %5.1f  (max |diff| %.1e)\n", best[6] * 1e6,
           fl / best[6], e3);
    printf("  L2 rows in lanes, packed     %7.1f  %5.1f\n", best[7] * 1e6, fl / best[7]);
#endif
    printf("  backward, packed rows        %7.1f  %5.1f\n", best[4] * 1e6, fl / best[4]);
    printf("  backward, rows in place      %7.1f  %5.1f\n", best[5] * 1e6, fl / best[5]);
    return 0;
}
