/* Encoding template, included by encode.c with REAL, VEC, IVEC, SUF, SQRT and
 * F(name) defined.  See encode.h for the contract. */
#include "dots_impl.h"

#ifndef FL_ENC_MB
#define FL_ENC_MB 48 /* patch positions per block */
#endif
#define ENC_KC (16 * NR) /* packed centres per chunk */

FL_INLINE size_t F(enc_round)(size_t len) { return (len + (size_t)NR - 1) / (size_t)NR * (size_t)NR; }

/* One block of mb patches Xb (mb x D, normalised and shifted): whiten, dot
 * with the packed centres chunk by chunk, encode, pool into o by region. */
static void F(enc_block)(const REAL *Xb, ptrdiff_t mb, ptrdiff_t D, const REAL *Pp, ptrdiff_t Dp,
                         const REAL *Bp, const REAL *ccp, ptrdiff_t K, ptrdiff_t Kp, int encoding,
                         const int *reg, REAL *o, REAL *Zb, REAL *S, REAL *Dist, REAL *T)
{
    const REAL *A = Xb;
    ptrdiff_t lda = D;
    if (Pp) {
        F(block_dots)(Xb, D, mb, Pp, D, 0, Dp, Zb, Dp, MR, 2, T);
        A = Zb;
        lda = Dp;
    }
    REAL zz[FL_ENC_MB], best[FL_ENC_MB];
    ptrdiff_t arg[FL_ENC_MB];
    for (ptrdiff_t r = 0; r < mb; r++) {
        REAL t = 0;
        for (ptrdiff_t d = 0; d < D; d++) t += A[r * lda + d] * A[r * lda + d];
        zz[r] = t;
        best[r] = (REAL)INFINITY;
        arg[r] = 0;
    }
    for (ptrdiff_t c0 = 0; c0 < Kp; c0 += ENC_KC) {
        const ptrdiff_t c1 = c0 + ENC_KC < Kp ? c0 + ENC_KC : Kp;
        F(block_dots)(A, lda, mb, Bp, D, c0, c1, S, ENC_KC, MR, 2, T);
        if (encoding == FL_BOW_TRIANGLE) {
            const ptrdiff_t ce = c1 < K ? c1 : K;
            for (ptrdiff_t r = 0; r < mb; r++) {
                const REAL *s = S + r * ENC_KC - c0;
                REAL *dr = Dist + r * K;
                const REAL z = zz[r];
                for (ptrdiff_t k = c0; k < ce; k++) {
                    const REAL t = z + ccp[k] + s[k];
                    dr[k] = SQRT(t > 0 ? t : 0);
                }
            }
        } else {
            F(argmin_rows)(S, ENC_KC, mb, ccp + c0, c0, c1 - c0, best, arg);
        }
    }
    if (encoding == FL_BOW_TRIANGLE) {
        for (ptrdiff_t r = 0; r < mb; r++) {
            const REAL *dr = Dist + r * K;
            ptrdiff_t k = 0;
            REAL sum = 0;
#if FL_HAVE_VECTOR_EXT
            VEC vs = {0};
            for (; k + VL <= K; k += VL) vs += F(vld)(dr + k);
            for (int l = 0; l < (int)VL; l++) sum += vs[l];
#endif
            for (; k < K; k++) sum += dr[k];
            const REAL mu = sum / (REAL)K;
            REAL *q = o + (ptrdiff_t)reg[r] * K;
            for (k = 0; k < K; k++) {
                const REAL f = mu - dr[k];
                q[k] += f > 0 ? f : 0;
            }
        }
    } else {
        for (ptrdiff_t r = 0; r < mb; r++) o[(ptrdiff_t)reg[r] * K + arg[r]] += 1;
    }
}

int F(fl_bow_encode)(const void *images, int pixtype, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                     ptrdiff_t c, const ptrdiff_t strides[4], const fl_bow_params *p,
                     const REAL *wmean, const REAL *P, const REAL *centres, ptrdiff_t K,
                     int num_threads, REAL *out)
{
    const ptrdiff_t ph = p->ph, pw = p->pw, stride = p->stride;
    const ptrdiff_t D = ph * pw * c;
    const ptrdiff_t ny = (h - ph) / stride + 1, nx = (w - pw) / stride + 1, npos = ny * nx;
    const int grid = p->grid, tri = p->encoding == FL_BOW_TRIANGLE;
    const ptrdiff_t R = (ptrdiff_t)grid * grid;
    const ptrdiff_t Kp = F(padded)(K, NR), Dp = P ? F(padded)(D, NR) : 0;
    const int T = fl_num_threads(num_threads, n);

    const size_t lx = F(enc_round)((size_t)FL_ENC_MB * (size_t)D);
    const size_t lz = F(enc_round)((size_t)FL_ENC_MB * (size_t)Dp);
    const size_t ls = (size_t)FL_ENC_MB * ENC_KC;
    const size_t ld = tri ? F(enc_round)((size_t)FL_ENC_MB * (size_t)K) : 0;
    const size_t wlen = F(enc_round)(lx + lz + ls + ld + F(dots_scratch)(D));
    REAL *Bp = malloc((size_t)Kp * (size_t)D * sizeof(REAL));
    REAL *ccp = malloc((size_t)Kp * sizeof(REAL));
    REAL *Pp = P ? malloc((size_t)Dp * (size_t)D * sizeof(REAL)) : NULL;
    char *raw = malloc((size_t)T * wlen * sizeof(REAL) + FL_VBYTES);
    int *regs = malloc((size_t)T * FL_ENC_MB * sizeof(int));
    if (!Bp || !ccp || (P && !Pp) || !raw || !regs) {
        free(Bp), free(ccp), free(Pp), free(raw), free(regs);
        return FL_ENOMEM;
    }
    REAL *work = (REAL *)(raw + (FL_VBYTES - (uintptr_t)raw % FL_VBYTES));
    F(pack_centres)(centres, K, D, Kp, Bp, ccp);
    if (P) F(pack_panels)(P, 1, D, D, D, (REAL)1, NR, Pp);

#pragma omp parallel num_threads(T)
    {
        const int tid = omp_get_thread_num();
        REAL *Xb = work + (size_t)tid * wlen, *Zb = Xb + lx, *S = Zb + lz, *Dist = S + ls;
        REAL *Tw = Dist + ld;
        int *reg = regs + (size_t)tid * FL_ENC_MB;
#pragma omp for schedule(dynamic, 1)
        for (ptrdiff_t i = 0; i < n; i++) {
            REAL *o = out + i * R * K;
            memset(o, 0, (size_t)(R * K) * sizeof(REAL));
            for (ptrdiff_t p0 = 0; p0 < npos; p0 += FL_ENC_MB) {
                const ptrdiff_t mb = npos - p0 < FL_ENC_MB ? npos - p0 : FL_ENC_MB;
                for (ptrdiff_t r = 0; r < mb; r++) {
                    const ptrdiff_t oy = (p0 + r) / nx, ox = (p0 + r) % nx;
                    reg[r] = (int)((oy * grid / ny) * grid + ox * grid / nx);
                    const ptrdiff_t off = i * strides[0] + oy * stride * strides[1] +
                                          ox * stride * strides[2];
                    REAL *x = Xb + r * D;
                    if (pixtype == FL_PIX_UINT8)
                        FL_PATCH_COPY(uint8_t, REAL, (const uint8_t *)images + off, strides, ph, pw, c, x);
                    else if (pixtype == FL_PIX_FLOAT)
                        FL_PATCH_COPY(float, REAL, (const float *)images + off, strides, ph, pw, c, x);
                    else
                        FL_PATCH_COPY(double, REAL, (const double *)images + off, strides, ph, pw, c, x);
                    if (p->normalize) FL_NORMALIZE_ROW(REAL, x, D, p->eps);
                    if (wmean)
                        for (ptrdiff_t d = 0; d < D; d++) x[d] -= wmean[d];
                }
                F(enc_block)(Xb, mb, D, Pp, Dp, Bp, ccp, K, Kp, p->encoding, reg, o, Zb, S, Dist, Tw);
            }
        }
    }
    free(Bp), free(ccp), free(Pp), free(raw), free(regs);
    return FL_OK;
}

#undef VL
#undef NR
#undef MR
#undef MR1
#undef ENC_KC
