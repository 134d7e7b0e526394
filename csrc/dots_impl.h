/* Register-tiled dot products of rows against packed columns, shared by the
 * k-means and encoding templates.  Included with REAL (float|double), VEC
 * (its 32-byte vector), IVEC (the integer vector of the same lane count and
 * width, i.e. the type of a VEC comparison), SUF and F(name) defined.
 *
 * Packed columns ("panels"): the columns of a K x D matrix C (element (k, d)
 * at C[k*sk + d*sd]), times a scale, are stored w = nv*VL at a time:
 * Bp[(p*D + d)*w + j] = scale * C[(p*w + j)*sk + d*sd], zero for columns >= K.
 * A panel of D x w values then streams through L1 while a tile of mr rows
 * broadcasts against it: mr x nv vector accumulators (6 x 2 or 12 x 1), i.e.
 * the classic 6 x 16 single-precision AVX2 microkernel. */

#define VL ((ptrdiff_t)(FL_VBYTES / sizeof(REAL))) /* lanes per vector */
#define NR (2 * VL)                                   /* widest panel */
#define MR 6                                          /* rows per tile, 2-vector panels */
#define MR1 12                                        /* rows per tile, 1-vector panels */

#if FL_HAVE_VECTOR_EXT
FL_INLINE VEC F(vld)(const REAL *p)
{
    VEC v;
    memcpy(&v, p, sizeof v);
    return v;
}

FL_INLINE void F(vst)(REAL *p, VEC v) { memcpy(p, &v, sizeof v); }
#endif

/* Number of packed columns for K columns in panels of w. */
FL_INLINE ptrdiff_t F(padded)(ptrdiff_t K, ptrdiff_t w) { return (K + w - 1) / w * w; }

static void F(pack_panels)(const REAL *C, ptrdiff_t sk, ptrdiff_t sd, ptrdiff_t K, ptrdiff_t D,
                           REAL scale, ptrdiff_t w, REAL *Bp)
{
    const ptrdiff_t np = F(padded)(K, w) / w;
    for (ptrdiff_t p = 0; p < np; p++)
        for (ptrdiff_t d = 0; d < D; d++) {
            REAL *b = Bp + (p * D + d) * w;
            for (ptrdiff_t j = 0; j < w; j++) {
                const ptrdiff_t k = p * w + j;
                b[j] = k < K ? scale * C[k * sk + d * sd] : (REAL)0;
            }
        }
}

/* Centres (K, D) row-major as the panels the block kernels read: -2 * centres
 * into Bp (F(padded)(K, NR) x D values) and their squared norms into ccp (Kp
 * values; the padding columns get +inf, so that they are never the nearest). */
static void F(pack_centres)(const REAL *centres, ptrdiff_t K, ptrdiff_t D, ptrdiff_t Kp,
                            REAL *Bp, REAL *ccp)
{
    F(pack_panels)(centres, D, 1, K, D, (REAL)-2, NR, Bp);
    for (ptrdiff_t k = 0; k < Kp; k++) {
        REAL t = 0;
        if (k < K)
            for (ptrdiff_t d = 0; d < D; d++) t += centres[k * D + d] * centres[k * D + d];
        ccp[k] = k < K ? t : (REAL)INFINITY;
    }
}

/* S[i*lds + j] = sum_d A[i*lda + d] * Bp[d*w + j] for i < mr, j < w = nv*VL
 * (mr, nv constants after inlining: the accumulators live in registers). */
FL_INLINE void F(ukernel)(const REAL *A, ptrdiff_t lda, const REAL *Bp, ptrdiff_t D, REAL *S,
                          ptrdiff_t lds, const int mr, const int nv)
{
#if FL_HAVE_VECTOR_EXT
    VEC acc[MR1][2];
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++) acc[i][v] = (VEC){0};
    const ptrdiff_t w = nv * VL;
    for (ptrdiff_t d = 0; d < D; d++) {
        const REAL *b = Bp + d * w;
        const VEC b0 = F(vld)(b);
        const VEC b1 = nv > 1 ? F(vld)(b + VL) : (VEC){0};
        for (int i = 0; i < mr; i++) {
            const REAL a = A[i * lda + d];
            acc[i][0] += a * b0;
            if (nv > 1) acc[i][1] += a * b1;
        }
    }
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++) F(vst)(S + i * lds + v * VL, acc[i][v]);
#else
    const ptrdiff_t w = nv * VL;
    for (int i = 0; i < mr; i++)
        for (ptrdiff_t j = 0; j < w; j++) {
            REAL t = 0;
            for (ptrdiff_t d = 0; d < D; d++) t += A[i * lda + d] * Bp[d * w + j];
            S[i * lds + j] = t;
        }
#endif
}

/* S[r*lds + (j - c0)] = dot(row r of A, packed column j) for r < mb and
 * packed columns [c0, c1) (multiples of w = nv*VL).  The last mb % mr rows go
 * through a zero-padded copy in T (mr*D + mr*w values). */
FL_INLINE void F(block_dots)(const REAL *A, ptrdiff_t lda, ptrdiff_t mb, const REAL *Bp,
                             ptrdiff_t D, ptrdiff_t c0, ptrdiff_t c1, REAL *S, ptrdiff_t lds,
                             const int mr, const int nv, REAL *T)
{
    const ptrdiff_t w = nv * VL;
    const ptrdiff_t full = mb - mb % mr, rem = mb - full;
    REAL *Ta = T, *Ts = T + mr * D;
    if (rem) {
        for (ptrdiff_t r = 0; r < mr; r++)
            for (ptrdiff_t d = 0; d < D; d++) Ta[r * D + d] = r < rem ? A[(full + r) * lda + d] : 0;
    }
    for (ptrdiff_t c = c0; c < c1; c += w) {
        const REAL *bp = Bp + c * D;
        for (ptrdiff_t r = 0; r < full; r += mr)
            F(ukernel)(A + r * lda, lda, bp, D, S + r * lds + (c - c0), lds, mr, nv);
        if (rem) {
            F(ukernel)(Ta, D, bp, D, Ts, w, mr, nv);
            for (ptrdiff_t r = 0; r < rem; r++)
                memcpy(S + (full + r) * lds + (c - c0), Ts + r * w, (size_t)w * sizeof(REAL));
        }
    }
}

/* Scratch of block_dots, in REAL units. */
FL_INLINE size_t F(dots_scratch)(ptrdiff_t D) { return (size_t)(MR1 * D + MR1 * NR); }

/* First index of the minimum of S[j] + cc[j], j < len (len a multiple of VL;
 * no NaN).  Ties go to the smallest index, as numpy.argmin. */
FL_INLINE ptrdiff_t F(argmin_sum)(const REAL *S, const REAL *cc, ptrdiff_t len, REAL *minval)
{
    REAL bv;
    ptrdiff_t bi = 0;
#if FL_HAVE_VECTOR_EXT
    VEC vm = F(vld)(S) + F(vld)(cc);
    IVEC vi, idx, step;
    for (int l = 0; l < (int)VL; l++) {
        vi[l] = l;
        step[l] = VL;
    }
    idx = vi + step;
    for (ptrdiff_t j = VL; j < len; j += VL, idx += step) {
        const VEC v = F(vld)(S + j) + F(vld)(cc + j);
        const IVEC m = v < vm;
        vm = (VEC)(((IVEC)v & m) | ((IVEC)vm & ~m));
        vi = (idx & m) | (vi & ~m);
    }
    bv = vm[0];
    bi = (ptrdiff_t)vi[0];
    for (int l = 1; l < (int)VL; l++)
        if (vm[l] < bv || (vm[l] == bv && (ptrdiff_t)vi[l] < bi)) {
            bv = vm[l];
            bi = (ptrdiff_t)vi[l];
        }
#else
    bv = S[0] + cc[0];
    for (ptrdiff_t j = 1; j < len; j++) {
        const REAL v = S[j] + cc[j];
        if (v < bv) {
            bv = v;
            bi = j;
        }
    }
#endif
    *minval = bv;
    return bi;
}

/* Running nearest centre of mb rows over one chunk of centres [c0, c0 +
 * len): for row r, S + r * lds holds its dot products with the chunk; best
 * and arg are updated where the chunk holds a smaller S + cc. */
FL_INLINE void F(argmin_rows)(const REAL *S, ptrdiff_t lds, ptrdiff_t mb, const REAL *cc,
                              ptrdiff_t c0, ptrdiff_t len, REAL *best, ptrdiff_t *arg)
{
    for (ptrdiff_t r = 0; r < mb; r++) {
        REAL v;
        const ptrdiff_t j = F(argmin_sum)(S + r * lds, cc, len, &v);
        if (v < best[r]) {
            best[r] = v;
            arg[r] = c0 + j;
        }
    }
}
