/* Loss-and-gradient template, included by loss.c with REAL (float|double),
 * VEC (its 32-byte vector type), SUF (name suffix), EXP and LOG defined.
 *
 * Work is split in blocks of RB rows.  For each block: scores by a register
 * tile of 2 rows x 5 classes (10 vector accumulators), the per-row loss and
 * score gradient G (RB, C) in place of the scores, then dWt += G^T X by a
 * tile of 5 classes x 2 vectors of columns while the rows are still in
 * cache.  Each row of X is read from memory once. */

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SUF)

#define VL ((ptrdiff_t)(FL_VBYTES / sizeof(REAL)))
#define FWD_RT 2 /* rows per forward tile */
#define CT 5     /* classes per tile */

#if FL_HAVE_VECTOR_EXT

FL_INLINE VEC F(vload)(const REAL *p)
{
    VEC v;
    memcpy(&v, p, sizeof v);
    return v;
}

FL_INLINE void F(vstore)(REAL *p, VEC v) { memcpy(p, &v, sizeof v); }

FL_INLINE REAL F(hsum)(VEC v)
{
    REAL s = 0;
    for (int k = 0; k < (int)VL; k++) s += v[k];
    return s;
}

/* P[r*C + c] += lanes of dot(xr[r][d0:d1], Wt[c][d0:d1]) for r < rt, c < ct;
 * (d1 - d0) % VL == 0; rt, ct constant after inlining so that the
 * accumulators live in registers. */
FL_INLINE void F(fwd_tile)(const REAL *const *xr, const REAL *Wt, ptrdiff_t D,
                           ptrdiff_t d0, ptrdiff_t d1, const int rt,
                           const int ct, VEC *P, ptrdiff_t C)
{
    VEC acc[FWD_RT][CT];
    for (int r = 0; r < rt; r++)
        for (int c = 0; c < ct; c++) acc[r][c] = P[r * C + c];
    for (ptrdiff_t d = d0; d < d1; d += VL) {
        VEC xv[FWD_RT];
        for (int r = 0; r < rt; r++) xv[r] = F(vload)(xr[r] + d);
        for (int c = 0; c < ct; c++) {
            VEC w = F(vload)(Wt + c * D + d);
            for (int r = 0; r < rt; r++) acc[r][c] += xv[r] * w;
        }
    }
    for (int r = 0; r < rt; r++)
        for (int c = 0; c < ct; c++) P[r * C + c] = acc[r][c];
}

/* dWt[c] += sum_r G[r*C + c] * xr[r] for c < ct (constant after inlining). */
FL_INLINE void F(bwd_tile)(const REAL *const *xr, const REAL *const *g, int nr,
                           const int ct, REAL *dWt, ptrdiff_t D)
{
    ptrdiff_t d = 0;
    for (; d + 2 * VL <= D; d += 2 * VL) {
        VEC acc[CT][2];
        for (int c = 0; c < ct; c++) {
            acc[c][0] = F(vload)(dWt + c * D + d);
            acc[c][1] = F(vload)(dWt + c * D + d + VL);
        }
        for (int r = 0; r < nr; r++) {
            __builtin_prefetch(xr[r] + d + 8 * VL);
            VEC x0 = F(vload)(xr[r] + d), x1 = F(vload)(xr[r] + d + VL);
            for (int c = 0; c < ct; c++) {
                REAL gc = g[r][c];
                acc[c][0] += gc * x0;
                acc[c][1] += gc * x1;
            }
        }
        for (int c = 0; c < ct; c++) {
            F(vstore)(dWt + c * D + d, acc[c][0]);
            F(vstore)(dWt + c * D + d + VL, acc[c][1]);
        }
    }
    for (; d < D; d++)
        for (int c = 0; c < ct; c++) {
            REAL s = dWt[c * D + d];
            for (int r = 0; r < nr; r++) s += g[r][c] * xr[r][d];
            dWt[c * D + d] = s;
        }
}

#else /* scalar fallback for compilers without vector extensions */

FL_INLINE void F(bwd_tile)(const REAL *const *xr, const REAL *const *g, int nr,
                           const int ct, REAL *dWt, ptrdiff_t D)
{
    for (ptrdiff_t d = 0; d < D; d++)
        for (int c = 0; c < ct; c++) {
            REAL s = dWt[c * D + d];
            for (int r = 0; r < nr; r++) s += g[r][c] * xr[r][d];
            dWt[c * D + d] = s;
        }
}

#endif

#if FL_HAVE_VECTOR_EXT
/* Scores of rows xr[0..nr) against all C classes into S (nr, C).  Columns go
 * in chunks of DK so that a 5-class slab of Wt stays in L1 while every row
 * pair of the block streams past it; P (nr * C vectors) holds the partial
 * sums between chunks. */
FL_INLINE void F(scores)(const REAL *const *xr, int nr, const REAL *Wt,
                         ptrdiff_t D, ptrdiff_t C, REAL *S, VEC *P)
{
    const ptrdiff_t DK = 2048 / (ptrdiff_t)sizeof(REAL);
    const ptrdiff_t Dv = D - D % VL;
    for (ptrdiff_t k = 0; k < (ptrdiff_t)nr * C; k++) P[k] = (VEC){0};
    for (ptrdiff_t d0 = 0; d0 < Dv; d0 += DK) {
        const ptrdiff_t d1 = d0 + DK < Dv ? d0 + DK : Dv;
        for (ptrdiff_t c0 = 0; c0 < C; c0 += CT) {
            const int cw = (int)(C - c0 < CT ? C - c0 : CT);
            const REAL *w = Wt + c0 * D;
            for (int r = 0; r < nr; r += FWD_RT) {
                const int rw = nr - r < FWD_RT ? nr - r : FWD_RT;
                VEC *p = P + r * C + c0;
#define FWD_CASE(RW, CW) \
    case (RW) * 8 + (CW): F(fwd_tile)(xr + r, w, D, d0, d1, RW, CW, p, C); break;
                switch (rw * 8 + cw) {
                    FWD_CASE(2, 5) FWD_CASE(2, 4) FWD_CASE(2, 3) FWD_CASE(2, 2)
                    FWD_CASE(2, 1) FWD_CASE(1, 5) FWD_CASE(1, 4) FWD_CASE(1, 3)
                    FWD_CASE(1, 2) FWD_CASE(1, 1)
                }
#undef FWD_CASE
            }
        }
    }
    for (int r = 0; r < nr; r++)
        for (ptrdiff_t c = 0; c < C; c++) {
            REAL s = F(hsum)(P[r * C + c]);
            for (ptrdiff_t k = Dv; k < D; k++) s += xr[r][k] * Wt[c * D + k];
            S[r * C + c] = s;
        }
}
#else
FL_INLINE void F(scores)(const REAL *const *xr, int nr, const REAL *Wt,
                         ptrdiff_t D, ptrdiff_t C, REAL *S, void *P)
{
    (void)P;
    for (int r = 0; r < nr; r++)
        for (ptrdiff_t c = 0; c < C; c++) {
            REAL s = 0;
            for (ptrdiff_t k = 0; k < D; k++) s += xr[r][k] * Wt[c * D + k];
            S[r * C + c] = s;
        }
}
#endif

/* Multiclass SVM (Weston-Watkins) loss of one row; s (C) becomes dL/ds. */
FL_INLINE double F(svm_row)(REAL *s, ptrdiff_t C, ptrdiff_t y, REAL delta)
{
    const REAL sy = s[y];
    double loss = 0;
    REAL count = 0;
    for (ptrdiff_t c = 0; c < C; c++) {
        const REAL m = s[c] - sy + delta;
        if (c != y && m > 0) {
            loss += m;
            s[c] = 1;
            count += 1;
        } else {
            if (c != y && m != m) loss += m; /* propagate NaN */
            s[c] = 0;
        }
    }
    s[y] = -count;
    return loss;
}

/* Softmax cross-entropy of one row; s (C) becomes dL/ds = p - onehot(y). */
FL_INLINE double F(softmax_row)(REAL *s, ptrdiff_t C, ptrdiff_t y)
{
    REAL mx = s[0];
    for (ptrdiff_t c = 1; c < C; c++) mx = s[c] > mx ? s[c] : mx;
    const REAL sy = s[y] - mx;
    double sum = 0;
    for (ptrdiff_t c = 0; c < C; c++) {
        const REAL e = EXP(s[c] - mx);
        s[c] = e;
        sum += e;
    }
    const REAL inv = (REAL)(1.0 / sum);
    for (ptrdiff_t c = 0; c < C; c++) s[c] *= inv;
    s[y] -= 1;
    return log(sum) - (double)sy;
}

/* One block of rows [r0, r1): loss into *loss, G^T X into dWt, sum of G
 * into db (double, may be NULL).  xr/gr: scratch of RB pointers each; work:
 * RB*C*(VL+1) values, 32-byte aligned (partial sums, then scores). */
FL_MULTIVERSION
static void F(loss_block)(int kind, const REAL *Wt, const REAL *b,
                          const REAL *X, ptrdiff_t ldx, const ptrdiff_t *idx,
                          const ptrdiff_t *y, ptrdiff_t r0, ptrdiff_t r1,
                          ptrdiff_t D, ptrdiff_t C, REAL delta, REAL *work,
                          const REAL **xr, const REAL **gr, REAL *dWt,
                          double *db, double *loss)
{
    const int nr = (int)(r1 - r0);
    for (int r = 0; r < nr; r++) {
        const ptrdiff_t row = idx ? idx[r0 + r] : r0 + r;
        xr[r] = X + row * ldx;
    }
    REAL *S = work + (r1 - r0) * C * VL;
    F(scores)(xr, nr, Wt, D, C, S, (void *)work);

    /* Per-row loss; keep only rows with a nonzero gradient. */
    int na = 0;
    double l = 0;
    for (int r = 0; r < nr; r++) {
        REAL *s = S + (ptrdiff_t)r * C;
        if (b)
            for (ptrdiff_t c = 0; c < C; c++) s[c] += b[c];
        l += kind == FL_LOSS_SVM ? F(svm_row)(s, C, y[r0 + r], delta)
                                 : F(softmax_row)(s, C, y[r0 + r]);
        int nonzero = 0;
        for (ptrdiff_t c = 0; c < C; c++) nonzero |= s[c] != 0;
        if (!nonzero) continue;
        if (db)
            for (ptrdiff_t c = 0; c < C; c++) db[c] += s[c];
        xr[na] = xr[r];
        gr[na] = s;
        na++;
    }
    *loss += l;

    for (ptrdiff_t c0 = 0; c0 < C; c0 += CT) {
        const int cw = (int)(C - c0 < CT ? C - c0 : CT);
        const REAL *g[64];
        REAL *dw = dWt + c0 * D;
        for (int r0g = 0; r0g < na; r0g += 64) {
            const int m = na - r0g < 64 ? na - r0g : 64;
            for (int r = 0; r < m; r++) g[r] = gr[r0g + r] + c0;
            const REAL *const *x = xr + r0g;
            switch (cw) {
            case 5: F(bwd_tile)(x, g, m, 5, dw, D); break;
            case 4: F(bwd_tile)(x, g, m, 4, dw, D); break;
            case 3: F(bwd_tile)(x, g, m, 3, dw, D); break;
            case 2: F(bwd_tile)(x, g, m, 2, dw, D); break;
            default: F(bwd_tile)(x, g, m, 1, dw, D); break;
            }
        }
    }
}

/* Rows per block: the block of X stays in L2 between the two passes. */
static ptrdiff_t F(block_rows)(ptrdiff_t D, ptrdiff_t C)
{
    ptrdiff_t rb = (ptrdiff_t)(160 * 1024 / ((size_t)D * sizeof(REAL)));
    const ptrdiff_t rc = (ptrdiff_t)(65536 / ((size_t)C * FL_VBYTES));
    if (rb > rc) rb = rc;
    if (rb > 64) rb = 64;
    if (rb < 2) rb = 2;
    return rb & ~(ptrdiff_t)1;
}

int F(fl_loss)(int kind, const REAL *Wt, const REAL *b, const REAL *X,
               ptrdiff_t ldx, const ptrdiff_t *idx, const ptrdiff_t *y,
               ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, REAL delta,
               int num_threads, double *loss, REAL *dWt, REAL *db)
{
    const ptrdiff_t rb = F(block_rows)(D, C);
    const ptrdiff_t nblocks = (n + rb - 1) / rb;
    int T = num_threads > 0 ? num_threads : fl_default_num_threads();
    if (T > nblocks) T = (int)nblocks;
    if (T < 1) T = 1;

    /* Scratch: gradient buffers of threads 1..T-1 (thread 0 uses dWt),
     * per-thread scores/gradients, row pointers, loss and db sums. */
    const size_t cd = (size_t)C * (size_t)D;
    REAL *wbuf = T > 1 ? malloc((size_t)(T - 1) * cd * sizeof(REAL)) : NULL;
    /* per-thread work, a multiple of FL_VBYTES so each stays aligned */
    const size_t wlen = ((size_t)(rb * C * (VL + 1)) + (size_t)VL - 1) / (size_t)VL * (size_t)VL;
    char *sraw = malloc((size_t)T * wlen * sizeof(REAL) + FL_VBYTES);
    REAL *sbuf = sraw ? (REAL *)(sraw + (FL_VBYTES - (uintptr_t)sraw % FL_VBYTES)) : NULL;
    const REAL **pbuf = malloc((size_t)T * 2 * (size_t)rb * sizeof(REAL *));
    double *acc = malloc((size_t)T * (size_t)(C + 1) * sizeof(double));
    if ((T > 1 && !wbuf) || !sbuf || !pbuf || !acc) {
        free(wbuf);
        free(sraw);
        free((void *)pbuf);
        free(acc);
        return FL_ENOMEM;
    }
    int nth_used = 1;
    const REAL inv_n = (REAL)(1.0 / (double)n);

#pragma omp parallel num_threads(T)
    {
        const int nth = omp_get_num_threads(), tid = omp_get_thread_num();
        if (tid == 0) nth_used = nth;
        REAL *dw = tid == 0 ? dWt : wbuf + (size_t)(tid - 1) * cd;
        double *a = acc + (size_t)tid * (size_t)(C + 1);
        memset(dw, 0, cd * sizeof(REAL));
        memset(a, 0, (size_t)(C + 1) * sizeof(double));
        const ptrdiff_t b0 = nblocks * tid / nth, b1 = nblocks * (tid + 1) / nth;
        for (ptrdiff_t blk = b0; blk < b1; blk++) {
            const ptrdiff_t r0 = blk * rb, r1 = r0 + rb < n ? r0 + rb : n;
            F(loss_block)(kind, Wt, b, X, ldx, idx, y, r0, r1, D, C, delta,
                          sbuf + (size_t)tid * wlen,
                          pbuf + (size_t)tid * 2 * (size_t)rb,
                          pbuf + (size_t)tid * 2 * (size_t)rb + rb, dw,
                          db ? a + 1 : NULL, a);
        }
#pragma omp barrier
        /* Fixed-order reduction of the thread buffers into dWt. */
#pragma omp for schedule(static)
        for (ptrdiff_t k = 0; k < (ptrdiff_t)cd; k++) {
            REAL s = dWt[k];
            for (int t = 1; t < nth; t++) s += wbuf[(size_t)(t - 1) * cd + (size_t)k];
            dWt[k] = s * inv_n;
        }
    }

    double l = 0;
    for (int t = 0; t < nth_used; t++) l += acc[(size_t)t * (size_t)(C + 1)];
    *loss = l / (double)n;
    if (db)
        for (ptrdiff_t c = 0; c < C; c++) {
            double s = 0;
            for (int t = 0; t < nth_used; t++) s += acc[(size_t)t * (size_t)(C + 1) + 1 + c];
            db[c] = (REAL)(s / (double)n);
        }

    free(wbuf);
    free(sraw);
    free((void *)pbuf);
    free(acc);
    return FL_OK;
}

#undef CAT_
#undef CAT
#undef F
#undef VL
#undef FWD_RT
#undef CT
