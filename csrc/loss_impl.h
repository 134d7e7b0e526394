/* Loss-and-gradient template, included by loss.c with REAL (float|double),
 * REAL_BYTES (its size), VEC (its vector type), IVEC (the integer vector of
 * the same lanes), SUF (name suffix), EXP and LOG defined.
 *
 * Rows are split into groups (F(loss_plan)), a group into blocks of at most
 * rb rows.  For each block: scores by a register tile of 2 rows x 5 classes
 * (10 vector accumulators; float64 with AVX-512: 8 rows in the lanes x 10
 * classes, F(fwd_lanes)), the per-row loss and score gradient G (rb, C) in
 * place of the scores, then dWt += G^T X by a tile of 5 classes x 2 vectors
 * of columns while the rows are still in cache.  Each row of X is read from
 * memory once. */

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SUF)

#define VL ((ptrdiff_t)(FL_VBYTES / sizeof(REAL))) /* lanes per vector */
#define W2 (2 * VL) /* columns per packed chunk / backward tile */
#define FWD_RT 2    /* rows per forward tile */
#define CT 5        /* classes per tile */
#define TB 16       /* columns of W per block of its transposed copy and of the reduction */
#ifndef FL_CHUNK_BYTES
#define FL_CHUNK_BYTES 2048
#endif
#ifndef FL_GROUP_ROWS
#define FL_GROUP_ROWS 96 /* rows per gradient accumulator, at least */
#endif
#ifndef FL_MAX_GROUPS
#define FL_MAX_GROUPS 16 /* independent gradient accumulators */
#endif
#ifndef FL_MIN_THREAD_WORK
/* multiply-adds per thread, at least: with the threads already running, a
 * 200-row minibatch of 155 features (310k) took 41-52 us on one thread
 * from rows out of cache, 18-41 us on two (a second core doubles the
 * memory requests in flight) */
#define FL_MIN_THREAD_WORK 32768.0
#endif
#ifndef FL_BLOCK_BYTES
#define FL_BLOCK_BYTES (384 * 1024) /* X rows per block, in bytes */
#endif

#if FL_HAVE_VECTOR_EXT
/* columns of a packed row: whole chunks of W2, the last one zero-filled */
#define PACK_COLS(D) (((D) + W2 - 1) / W2 * W2)

FL_INLINE VEC F(vload)(const REAL *p)
{
    VEC v;
    memcpy(&v, p, sizeof v);
    return v;
}

FL_INLINE void F(vstore)(REAL *p, VEC v) { memcpy(p, &v, sizeof v); }

/* Sum of the lanes as a tree (lane k + lane k + VL/2, ...): halves of the
 * vector added as whole vectors down to 16 bytes, then the last lanes. */
FL_INLINE REAL F(hsum)(VEC v)
{
    typedef REAL h16 __attribute__((vector_size(16)));
#if FL_VBYTES >= 32
    typedef REAL h32 __attribute__((vector_size(32)));
    h32 a32;
#if FL_VBYTES >= 64
    h32 b32;
    memcpy(&a32, &v, 32);
    memcpy(&b32, (const char *)&v + 32, 32);
    a32 += b32;
#else
    memcpy(&a32, &v, 32);
#endif
    h16 a, b;
    memcpy(&a, &a32, 16);
    memcpy(&b, (const char *)&a32 + 16, 16);
    a += b;
#else
    h16 a;
    memcpy(&a, &v, 16);
#endif
    REAL t[16 / sizeof(REAL)];
    memcpy(t, &a, 16);
#pragma GCC unroll 4
    for (int h = (int)(16 / sizeof(REAL)) / 2; h > 0; h /= 2)
#pragma GCC unroll 4
        for (int k = 0; k < h; k++) t[k] += t[k + h];
    return t[0];
}

/* Lanes of a and b (indices into their concatenation) by constant indices. */
#if defined(__clang__)
#define ZIP(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define ZIP(a, b, ...) __builtin_shuffle(a, b, (IVEC){__VA_ARGS__})
#endif
/* One round of a transpose: v[i] and v[i + VL/2] into t[2i], t[2i + 1] by
 * LO and HI, back into v. */
#define TROUND(LO, HI)                                                         \
    for (int i = 0; i < VL / 2; i++) {                                         \
        t[2 * i] = LO(v[i], v[i + VL / 2]);                                    \
        t[2 * i + 1] = HI(v[i], v[i + VL / 2]);                                \
    }                                                                          \
    for (int i = 0; i < VL; i++) v[i] = t[i];
/* The perfect shuffle of a and b: their low (PLO) or high (PHI) halves
 * interleaved, lane by lane. */
#if FL_VBYTES / REAL_BYTES == 16
#define PLO(a, b) ZIP(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define PHI(a, b) ZIP(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)
#elif FL_VBYTES / REAL_BYTES == 8
#define PLO(a, b) ZIP(a, b, 0, 8, 1, 9, 2, 10, 3, 11)
#define PHI(a, b) ZIP(a, b, 4, 12, 5, 13, 6, 14, 7, 15)
#elif FL_VBYTES / REAL_BYTES == 4
#define PLO(a, b) ZIP(a, b, 0, 4, 1, 5)
#define PHI(a, b) ZIP(a, b, 2, 6, 3, 7)
#endif

/* v (VL vectors of VL lanes: rows) transposed in registers, exactly: log2
 * VL rounds of the perfect shuffle.  For the copies of W in and out of the
 * kernel's layouts, not the hot loops (F(transpose) is cheaper there).  Not
 * for 2 lanes (float64 at 16 bytes), where GCC 12 moves the lanes through
 * MMX registers, which leaves the x87 unit unusable for long double. */
#ifdef PLO
#define TRANSPOSE_EXACT 1
FL_INLINE void F(transpose_exact)(VEC *v)
{
    VEC t[VL];
    for (int r = 1; r < VL; r *= 2) {
        TROUND(PLO, PHI)
    }
}
#endif
#else
#define PACK_COLS(D) 0
#endif

#if FL_HAVE_VECTOR_EXT
/* Lanes of dot(row r + i, Wt[c]) over packed columns [d0, d1), for i < rt,
 * c < ct (constants after inlining, so that the 10 accumulators live in
 * registers), added to the partial sums P[(r + i)*C + c] (or to 0 with
 * init); with S, their totals go to S[(r + i)*C + c] instead of P.  With
 * pack, the rows are read from xr and copied to Xp on the way; otherwise
 * they are read from Xp. */
FL_INLINE void F(fwd_tile)(const REAL *const *xr, REAL *Xp, int nr, int r,
                           const REAL *Wt, ptrdiff_t ldw, ptrdiff_t d0,
                           ptrdiff_t d1, const int rt, const int ct,
                           const int pack, int init, VEC *P, REAL *S, ptrdiff_t C)
{
    VEC acc[FWD_RT][CT];
    for (int i = 0; i < rt; i++)
        for (int c = 0; c < ct; c++) acc[i][c] = init ? (VEC){0} : P[(r + i) * C + c];
    const REAL *row[FWD_RT]; /* local copies: stores to Xp can't alias them */
    for (int i = 0; i < rt; i++) row[i] = xr[r + i];
    REAL *xp = Xp + (d0 / W2) * nr * W2 + (ptrdiff_t)r * W2;
    for (ptrdiff_t d = d0; d < d1; d += W2, xp += (ptrdiff_t)nr * W2) {
        for (ptrdiff_t h = 0; h < W2; h += VL) {
            VEC xv[FWD_RT];
            for (int i = 0; i < rt; i++) {
                if (pack) {
                    xv[i] = F(vload)(row[i] + d + h);
                    F(vstore)(xp + i * W2 + h, xv[i]);
                } else {
                    xv[i] = F(vload)(xp + i * W2 + h);
                }
            }
            for (int c = 0; c < ct; c++) {
                VEC w = F(vload)(Wt + c * ldw + d + h);
                FL_PIN(w); /* one load of w for the rt rows */
                for (int i = 0; i < rt; i++) acc[i][c] += xv[i] * w;
            }
        }
    }
    if (S) {
        for (int i = 0; i < rt; i++)
            for (int c = 0; c < ct; c++) {
                VEC a = acc[i][c];
                FL_PIN(a);
                S[(r + i) * C + c] = F(hsum)(a);
            }
    } else
        for (int i = 0; i < rt; i++)
            for (int c = 0; c < ct; c++) P[(r + i) * C + c] = acc[i][c];
}
#endif

#if FL_HAVE_VECTOR_EXT
/* The partial last chunk of W2 columns of the rows xr[0..nr) into Xp, zero-
 * filled; the whole chunks before it are packed on the way by the forward
 * pass, so that no vector load reads past the end of a row. */
FL_INLINE void F(pack_tail)(const REAL *const *xr, int nr, REAL *Xp, ptrdiff_t D)
{
    const ptrdiff_t D2 = PACK_COLS(D), Dv = D - D % W2;
    if (Dv < D2)
        for (int r = 0; r < nr; r++) {
            REAL *xp = Xp + (Dv / W2) * nr * W2 + (ptrdiff_t)r * W2;
            memcpy(xp, xr[r] + Dv, (size_t)(D - Dv) * sizeof(REAL));
            memset(xp + (D - Dv), 0, (size_t)(D2 - D) * sizeof(REAL));
        }
}
#endif

#if FL_HAVE_VECTOR_EXT && defined(REAL_BYTES) && REAL_BYTES == 8 && FL_VBYTES == 64 && \
    defined(__AVX512F__)
/* float64 with AVX-512: the forward pass with the rows in the lanes, an 8 x 8
 * tile of the rows transposed in registers, then each column of it times a
 * broadcast of W's own row into CTL class accumulators (no horizontal sums;
 * 18 of the 32 vector registers).  On one cache-resident block it takes 28
 * us against the 2 x 5 tile's 36 (bench/micro/forward_variants.c, L1); in
 * the kernel, 4-7 % less per call.  Not for float32: with 16 x 16 tiles it
 * ran 1-13 % slower in the kernel, blocks of 25-32 rows leaving lanes idle
 * (bench/notes/simd-levels.md, session 7). */
#define FWD_LANES 1
#define CTL 10 /* classes per tile of the forward pass */
/* Lanes of a and b (indices into their concatenation) by constant indices:
 * the three rounds of F(transpose), interleaves within each 16-byte block
 * (vunpcklpd / vunpckhpd), then of the even and the odd blocks (vshuff64x2),
 * twice.  They transpose up to an order: vector k of the result holds column
 * TCOLS[k], lane l the input vector TROWS[l] (found by running the rounds on
 * (row, column) labels). */
#define TLO0(a, b) ZIP(a, b, 0, 8, 2, 10, 4, 12, 6, 14)
#define THI0(a, b) ZIP(a, b, 1, 9, 3, 11, 5, 13, 7, 15)
#define TLO1(a, b) ZIP(a, b, 0, 1, 4, 5, 8, 9, 12, 13)
#define THI1(a, b) ZIP(a, b, 2, 3, 6, 7, 10, 11, 14, 15)
#define TCOLS {0, 4, 2, 6, 1, 5, 3, 7}
#define TROWS {0, 4, 2, 6, 1, 5, 3, 7}

/* v (VL vectors of VL lanes: rows of VL columns) transposed in registers,
 * up to the orders TCOLS and TROWS. */
FL_INLINE void F(transpose)(VEC *v)
{
    VEC t[VL];
    TROUND(TLO0, THI0)
    TROUND(TLO1, THI1)
    TROUND(TLO1, THI1)
}

/* acc[c] += column k of v times Wc[(d + k) ct + c], for the columns d + k of
 * the transposed tile v (ct a constant after inlining); with tail, only those
 * below D. */
FL_INLINE void F(lanes_fma)(VEC *acc, VEC *v, const REAL *Wc, const int ct, ptrdiff_t d,
                            ptrdiff_t D, const int tail)
{
    static const int tcols[VL] = TCOLS;
    F(transpose)(v);
    const REAL *w = Wc + d * ct;
    if (!tail) {
#pragma GCC unroll 8
        for (int k = 0; k < VL; k++)
#pragma GCC unroll 10
            for (int c = 0; c < ct; c++) acc[c] += v[k] * w[tcols[k] * ct + c];
    } else
        for (int k = 0; k < VL; k++)
            if (d + tcols[k] < D)
                for (int c = 0; c < ct; c++) acc[c] += v[k] * w[tcols[k] * ct + c];
}

/* Scores of rows r .. r + rw of a block (rw <= VL, a row per lane) and the
 * ct classes of a class tile Wc (D, ct) over packed columns [d0, d1): each
 * VL x VL tile of the rows transposed in registers, then column k of it
 * times a broadcast Wc[d + k, c] into the accumulator of class c.  Columns
 * [d0, dp) are read from xr and copied to Xp on the way, [dp, d1) read from
 * Xp.  Partial sums in P[c] between chunks (init: start from 0); with S, the
 * totals go to S[(r + i) * C + c] instead. */
FL_INLINE void F(fwd_lanes)(const REAL *const *xr, REAL *Xp, int nr, int r, int rw,
                            const REAL *Wc, const int ct, ptrdiff_t D, ptrdiff_t d0,
                            ptrdiff_t dp, ptrdiff_t d1, int init, VEC *P, REAL *S, ptrdiff_t C)
{
    static const int trows[VL] = TROWS;
    VEC acc[CTL];
    for (int c = 0; c < ct; c++) acc[c] = init ? (VEC){0} : P[c];
    /* input vector i holds row trows[i], so that lane l ends up with row l;
     * rows from rw on repeat the last one: computed, never stored */
    ptrdiff_t off[VL];
    const REAL *row[VL];
    for (int i = 0; i < VL; i++) {
        const int j = r + (trows[i] < rw ? trows[i] : rw - 1);
        off[i] = (ptrdiff_t)j * W2;
        row[i] = xr[j];
    }
    ptrdiff_t d = d0;
    for (; d < dp; d += VL) {
        REAL *xp = Xp + (d / W2) * nr * W2 + d % W2;
        VEC v[VL];
#pragma GCC unroll 8
        for (int i = 0; i < VL; i++) {
            v[i] = F(vload)(row[i] + d);
            if (trows[i] < rw) F(vstore)(xp + off[i], v[i]);
        }
        F(lanes_fma)(acc, v, Wc, ct, d, D, 0);
    }
    const ptrdiff_t de = d1 < D ? d1 : D, dw = de - de % VL;
    for (; d < de; d += VL) {
        const REAL *xp = Xp + (d / W2) * nr * W2 + d % W2;
        VEC v[VL];
#pragma GCC unroll 8
        for (int i = 0; i < VL; i++) v[i] = F(vload)(xp + off[i]);
        if (d < dw)
            F(lanes_fma)(acc, v, Wc, ct, d, D, 0);
        else /* a last vector of columns that ends past D (zero there) */
            F(lanes_fma)(acc, v, Wc, ct, d, D, 1);
    }
    if (S) {
        REAL t[CTL][VL];
        for (int c = 0; c < ct; c++) F(vstore)(t[c], acc[c]);
        for (int i = 0; i < rw; i++)
            for (int c = 0; c < ct; c++) S[(ptrdiff_t)(r + i) * C + c] = t[c][i];
    } else
        for (int c = 0; c < ct; c++) P[c] = acc[c];
}

#endif

/* Software prefetch of the next block's rows, spread over the current
 * block's two passes (a step per forward tile call and per backward column
 * step) so that reading X from memory overlaps the FMAs.  On the Intel Xeon
 * host a core stops streaming from memory while it computes unless a
 * prefetch runs ahead (bench/micro/read_fma_overlap.c); spread over the
 * backward pass alone, the lines came too fast for the short backward and
 * the float32 full batch took 10-15 % longer there.  Into L1 and L2
 * (prefetcht0): 200 rows of 3073 out of cache took 5-11 % less than with
 * prefetcht1 on Zen 5; fetching a thread's first block before copying W did
 * not help. */
typedef struct {
    const REAL *const *rows; /* rows to fetch */
    int nrows, r;            /* count, current row */
    ptrdiff_t bytes, off;    /* bytes per row, offset in the current row */
    int per_step;            /* cache lines per step */
} F(prefetch_t);

FL_INLINE void F(prefetch_step)(F(prefetch_t) *pf)
{
#if FL_HAVE_VECTOR_EXT
    for (int k = 0; k < pf->per_step && pf->r < pf->nrows; k++) {
        __builtin_prefetch((const char *)pf->rows[pf->r] + pf->off, 0, 3);
        pf->off += 64;
        if (pf->off >= pf->bytes) {
            pf->off = 0;
            pf->r++;
        }
    }
#else
    (void)pf;
#endif
}

/* Scores S (nr, C) of the rows xr[0..nr) of a block; leaves the rows packed
 * in Xp (Xp[chunk][row][W2], the columns past D zero) for the backward pass.
 * Wf is W in the forward pass's layout: transposed, (C, ldw), for the 2 x 5
 * tile; with the rows in the lanes, class tiles of CTL classes (the last one
 * narrower), tile c0 at Wf + c0 D, (D, its width), W itself when C <= CTL.
 * Packed columns go in chunks of DK so that W's columns of the chunk (a
 * class slab) stay in L1 while every row tile of the block streams past
 * them; P (nr * C vectors) holds the partial sums between chunks (unused
 * when one chunk holds D).  pf takes a step per tile call, F(fwd_steps) in
 * all. */
FL_INLINE void F(scores)(const REAL *const *xr, int nr, const REAL *Wf,
                         ptrdiff_t D, ptrdiff_t ldw, ptrdiff_t C, REAL *S,
                         REAL *Xp, void *Pv, F(prefetch_t) *pf)
{
#if FL_HAVE_VECTOR_EXT
    const ptrdiff_t D2 = PACK_COLS(D);
    VEC *P = Pv;
    const ptrdiff_t DK = FL_CHUNK_BYTES / (ptrdiff_t)sizeof(REAL);
    const ptrdiff_t Dv = D - D % W2;
    F(pack_tail)(xr, nr, Xp, D);
    for (ptrdiff_t d0 = 0; d0 < D2; d0 += DK) {
        const ptrdiff_t d1 = d0 + DK < D2 ? d0 + DK : D2, dp = d1 < Dv ? d1 : Dv;
        const int init = d0 == 0, fin = d1 == D2; /* first and last chunk */
#ifdef FWD_LANES
        (void)ldw;
        for (ptrdiff_t c0 = 0; c0 < C; c0 += CTL) {
            const int cw = (int)(C - c0 < CTL ? C - c0 : CTL);
            const REAL *wc = Wf + c0 * D;
            const ptrdiff_t dc = c0 == 0 ? dp : d0; /* the first pass over the chunk copies it */
            for (int r = 0; r < nr; r += (int)VL) {
                const int rw = nr - r < VL ? nr - r : (int)VL;
                VEC *p = P + (r / VL) * C + c0;
                REAL *s = fin ? S + c0 : NULL;
#define LANES_CASE(CW)                                                         \
    case CW: F(fwd_lanes)(xr, Xp, nr, r, rw, wc, CW, D, d0, dc, d1, init, p, s, C); break;
                switch (cw) {
                    LANES_CASE(10) LANES_CASE(9) LANES_CASE(8) LANES_CASE(7) LANES_CASE(6)
                    LANES_CASE(5) LANES_CASE(4) LANES_CASE(3) LANES_CASE(2) LANES_CASE(1)
                }
                F(prefetch_step)(pf);
#undef LANES_CASE
            }
        }
#else
        for (ptrdiff_t c0 = 0; c0 < C; c0 += CT) {
            const int cw = (int)(C - c0 < CT ? C - c0 : CT);
            const REAL *w = Wf + c0 * ldw;
            const int pack = c0 == 0; /* first pass over the chunk copies it */
            VEC *p = P + c0;
            REAL *s = fin ? S + c0 : NULL;
            for (int r = 0; r < nr; r += FWD_RT) {
                const int rw = nr - r < FWD_RT ? nr - r : FWD_RT;
#define FWD_CASE(RW, CW)                                                       \
    case (RW) * 8 + (CW):                                                      \
        if (pack) {                                                            \
            F(fwd_tile)(xr, Xp, nr, r, w, ldw, d0, dp, RW, CW, 1, init, p,       \
                        dp < d1 ? NULL : s, C);                                \
            if (dp < d1)                                                       \
                F(fwd_tile)(xr, Xp, nr, r, w, ldw, dp, d1, RW, CW, 0, 0, p, s, C); \
        } else                                                                 \
            F(fwd_tile)(xr, Xp, nr, r, w, ldw, d0, d1, RW, CW, 0, init, p, s, C); \
        break;
                switch (rw * 8 + cw) {
                    FWD_CASE(2, 5) FWD_CASE(2, 4) FWD_CASE(2, 3) FWD_CASE(2, 2)
                    FWD_CASE(2, 1) FWD_CASE(1, 5) FWD_CASE(1, 4) FWD_CASE(1, 3)
                    FWD_CASE(1, 2) FWD_CASE(1, 1)
                }
                F(prefetch_step)(pf);
#undef FWD_CASE
            }
        }
#endif
    }
#else
    (void)Xp, (void)Pv, (void)pf;
    for (int r = 0; r < nr; r++)
        for (ptrdiff_t c = 0; c < C; c++) {
            REAL t = 0;
            for (ptrdiff_t k = 0; k < D; k++) t += xr[r][k] * Wf[c * ldw + k];
            S[r * C + c] = t;
        }
#endif
}

/* Tile calls of F(scores) on nr rows: its steps of the prefetch. */
static ptrdiff_t F(fwd_steps)(int nr, ptrdiff_t D, ptrdiff_t C)
{
#if FL_HAVE_VECTOR_EXT
    const ptrdiff_t DK = FL_CHUNK_BYTES / (ptrdiff_t)sizeof(REAL);
    const ptrdiff_t chunks = (PACK_COLS(D) + DK - 1) / DK;
#ifdef FWD_LANES
    return chunks * ((C + CTL - 1) / CTL) * ((nr + VL - 1) / VL);
#else
    return chunks * ((C + CT - 1) / CT) * ((nr + FWD_RT - 1) / FWD_RT);
#endif
#else
    (void)nr, (void)D, (void)C;
    return 0;
#endif
}

/* dWt[c] += sum_a G[a*C + c] * row ri[a], for c < ct (constant after
 * inlining): packed columns from Xp (block of nr rows), the rest from xr.
 * With init, dWt[c] = the sum instead (dWt not read: no zeroing pass). */
FL_INLINE void F(bwd_tile)(const REAL *Xp, const REAL *const *xr, int nr,
                           const int *ri, const REAL *G, int na, ptrdiff_t C,
                           const int ct, REAL *dWt, ptrdiff_t D, ptrdiff_t ldw,
                           int init, F(prefetch_t) *pf)
{
    ptrdiff_t d = 0;
#if FL_HAVE_VECTOR_EXT
    const REAL *xp = Xp;
    for (; d < PACK_COLS(D); d += W2, xp += (ptrdiff_t)nr * W2) {
        F(prefetch_step)(pf);
        VEC acc[CT][2];
        for (int c = 0; c < ct; c++) {
            acc[c][0] = init ? (VEC){0} : F(vload)(dWt + c * ldw + d);
            acc[c][1] = init ? (VEC){0} : F(vload)(dWt + c * ldw + d + VL);
        }
        for (int a = 0; a < na; a++) {
            const REAL *x = xp + (ptrdiff_t)ri[a] * W2;
            const VEC x0 = F(vload)(x), x1 = F(vload)(x + VL);
            const REAL *g = G + (ptrdiff_t)a * C;
            for (int c = 0; c < ct; c++) {
                acc[c][0] += g[c] * x0;
                acc[c][1] += g[c] * x1;
            }
        }
        for (int c = 0; c < ct; c++) {
            F(vstore)(dWt + c * ldw + d, acc[c][0]);
            F(vstore)(dWt + c * ldw + d + VL, acc[c][1]);
        }
    }
#else
    (void)Xp, (void)nr;
#endif
    for (; d < D; d++)
        for (int c = 0; c < ct; c++) {
            REAL t = init ? 0 : dWt[c * ldw + d];
            for (int a = 0; a < na; a++) t += G[(ptrdiff_t)a * C + c] * xr[ri[a]][d];
            dWt[c * ldw + d] = t;
        }
}

/* The SVM rows below take sq: 0 for the hinge max(0, m), 1 for the squared
 * hinge max(0, m)^2, whose derivative 2 max(0, m) replaces the hinge's 1
 * (sq is a constant at every call, so each kind compiles to its own loop). */

/* Multiclass SVM (Weston-Watkins) loss of one row, the (squared) hinges of
 * every wrong class; s (C) becomes dL/ds. */
FL_INLINE double F(svm_row)(REAL *s, ptrdiff_t C, ptrdiff_t y, REAL delta, const int sq)
{
    const REAL sy = s[y];
    double loss = 0;
    REAL sum = 0;
    for (ptrdiff_t c = 0; c < C; c++) {
        const REAL m = s[c] - sy + delta;
        if (c != y && m > 0) {
            loss += sq ? (double)m * m : m;
            s[c] = sq ? 2 * m : 1;
            sum += s[c];
        } else {
            if (c != y && m != m) loss += m; /* propagate NaN */
            s[c] = 0;
        }
    }
    s[y] = -sum;
    return loss;
}

/* One-vs-All (squared) hinge of one row, a binary SVM per class with target
 * t_c = +1 for c = y and -1 otherwise: sum_c max(0, delta - t_c s_c) (^2);
 * s (C) becomes dL/ds (-t_c, or -2 t_c m, where the hinge is active, else 0). */
FL_INLINE double F(ova_row)(REAL *s, ptrdiff_t C, ptrdiff_t y, REAL delta, const int sq)
{
    double loss = 0;
    for (ptrdiff_t c = 0; c < C; c++) {
        const REAL t = c == y ? 1 : -1;
        const REAL m = delta - t * s[c];
        if (m > 0) {
            loss += sq ? (double)m * m : m;
            s[c] = sq ? -2 * t * m : -t;
        } else {
            if (m != m) loss += m; /* propagate NaN */
            s[c] = 0;
        }
    }
    return loss;
}

/* Crammer-Singer (structured) hinge of one row: only the highest-scoring
 * wrong class j counts (the lowest index among equal scores),
 * max(0, s_j - s_y + delta) (^2); s (C) becomes dL/ds (+g at j and -g at y
 * when active, g = 1, or 2 m squared).  A NaN score makes the loss NaN; with
 * C = 1 there is no wrong class and the loss is 0. */
FL_INLINE double F(cs_row)(REAL *s, ptrdiff_t C, ptrdiff_t y, REAL delta, const int sq)
{
    ptrdiff_t j = -1;
    REAL nan = 0;
    for (ptrdiff_t c = 0; c < C; c++) {
        if (s[c] != s[c]) nan = s[c];
        if (c != y && (j < 0 || s[c] > s[j])) j = c;
    }
    const REAL m = j >= 0 ? s[j] - s[y] + delta : 0;
    for (ptrdiff_t c = 0; c < C; c++) s[c] = 0;
    if (nan != nan) return nan;
    if (!(m > 0)) return 0;
    s[j] = sq ? 2 * m : 1;
    s[y] = -s[j];
    return sq ? (double)m * m : m;
}

#if FL_HAVE_VECTOR_EXT
/* e^x in every lane, for x <= 0 or NaN: x = n ln 2 + r, |r| <= ln 2 / 2, e^r
 * by its Taylor polynomial (degree 7 in float, 13 in double: truncation
 * below 0.1 ulp), times 2^n written into the exponent bits.  Where e^x is
 * below the smallest normal number, 0; NaN stays NaN. */
FL_INLINE VEC F(exp_neg)(VEC x)
{
    static const double inv_fact[14] = {
        1.0, 1.0, 0.5, 1.66666666666666666667e-1, 4.16666666666666666667e-2,
        8.33333333333333333333e-3, 1.38888888888888888889e-3, 1.98412698412698412698e-4,
        2.48015873015873015873e-5, 2.75573192239858906526e-6, 2.75573192239858906526e-7,
        2.50521083854417187751e-8, 2.08767569878680989792e-9, 1.60590438368216145994e-10};
    const int single = sizeof(REAL) == 4, deg = single ? 7 : 13;
    const REAL magic = single ? 12582912.0f : 6755399441055744.0; /* 1.5 * 2^(mantissa bits) */
    const REAL ln2hi = single ? 0.693359375f : 6.93145751953125e-1;
    const REAL ln2lo = single ? -2.12194440e-4f : 1.42860682030941723212e-6;
    const REAL lo = single ? -87.0f : -708.0; /* e^lo is still normal */
    const IVEC under = x < lo, nan = x != x;
    const VEC xs = (VEC)((IVEC)x & ~(under | nan)); /* those lanes at 0: n stays in range */
    const VEC m = (VEC){0} + magic;
    const VEC t = xs * (REAL)1.44269504088896340736 + m; /* magic + round(x / ln 2) */
    const VEC nf = t - m;
    const VEC r = (xs - nf * ln2hi) - nf * ln2lo;
    VEC p = (VEC){0} + (REAL)inv_fact[deg];
#pragma GCC unroll 14
    for (int k = deg - 1; k >= 0; k--) p = p * r + (REAL)inv_fact[k];
    const IVEC scale = ((IVEC)t - (IVEC)m + (single ? 127 : 1023)) << (single ? 23 : 52);
    const VEC e = p * (VEC)scale;
    return (VEC)(((IVEC)e & ~under & ~nan) | ((IVEC)x & nan));
}
#endif

/* Softmax cross-entropy, first part, for the nr rows of scores S (nr, C):
 * each row's largest score is subtracted (sy[r] = the shifted score of label
 * y[r]); then S = e^S, as vectors over S. */
FL_INLINE void F(softmax_exp)(REAL *S, int nr, ptrdiff_t C, const ptrdiff_t *y, REAL *sy)
{
    for (int r = 0; r < nr; r++) {
        REAL *s = S + (ptrdiff_t)r * C;
        REAL mx = s[0];
        for (ptrdiff_t c = 1; c < C; c++) mx = s[c] > mx ? s[c] : mx;
        for (ptrdiff_t c = 0; c < C; c++) s[c] -= mx;
        sy[r] = s[y[r]];
    }
    const ptrdiff_t len = (ptrdiff_t)nr * C;
    ptrdiff_t k = 0;
#if FL_HAVE_VECTOR_EXT
    for (; k + VL <= len; k += VL) F(vstore)(S + k, F(exp_neg)(F(vload)(S + k)));
    if (k < len) { /* the last lanes through a padded copy */
        REAL t[VL];
        for (ptrdiff_t j = 0; j < VL; j++) t[j] = k + j < len ? S[k + j] : 0;
        F(vstore)(t, F(exp_neg)(F(vload)(t)));
        for (ptrdiff_t j = 0; k + j < len; j++) S[k + j] = t[j];
        k = len;
    }
#endif
    for (; k < len; k++) S[k] = EXP(S[k]);
}

/* Softmax cross-entropy of one row, second part: s (C) holds e^(scores -
 * max) and sy the shifted score of label y; s becomes dL/ds = p - onehot(y). */
FL_INLINE double F(softmax_row)(REAL *s, ptrdiff_t C, ptrdiff_t y, REAL sy)
{
    double sum = 0;
    for (ptrdiff_t c = 0; c < C; c++) sum += s[c];
    const REAL inv = (REAL)(1.0 / sum);
    for (ptrdiff_t c = 0; c < C; c++) s[c] *= inv;
    s[y] -= 1;
    return log(sum) - (double)sy;
}

/* Per-thread scratch of a block of rb rows, in REAL units. */
FL_INLINE size_t F(work_len)(ptrdiff_t rb, ptrdiff_t D, ptrdiff_t C)
{
    const size_t len = (size_t)(rb * PACK_COLS(D) + rb * C * VL + 2 * rb * C);
    return (len + (size_t)W2 - 1) / (size_t)W2 * (size_t)W2; /* keeps alignment */
}

/* One block of rows [r0, r1): loss into *loss, G^T X into dWt (= with
 * init, += otherwise), sum of G
 * into db (double, may be NULL), prefetching rows [r1, rnext); with fetch,
 * the block's own rows are prefetched first (no earlier block did).  work:
 * F(work_len) values; xr: 2 rb row pointers; ri: rb ints. */
static void F(loss_block)(int kind, const REAL *Wf, const REAL *b,
                          const REAL *X, ptrdiff_t ldx, const ptrdiff_t *idx,
                          const ptrdiff_t *y, ptrdiff_t r0, ptrdiff_t r1,
                          ptrdiff_t D, ptrdiff_t ldw, ptrdiff_t C, REAL delta,
                          ptrdiff_t rnext, int fetch, int init, REAL *work, const REAL **xr,
                          int *ri, REAL *dWt, double *db, double *loss)
{
    const int nr = (int)(r1 - r0), nn = (int)(rnext - r1);
    REAL *Xp = work, *P = Xp + nr * PACK_COLS(D), *S = P + nr * C * VL, *G = S + nr * C;
    for (int r = 0; r < nr; r++) {
        const ptrdiff_t row = idx ? idx[r0 + r] : r0 + r;
        xr[r] = X + row * ldx;
    }
    for (int r = 0; r < nn; r++) {
        const ptrdiff_t row = idx ? idx[r1 + r] : r1 + r;
        xr[nr + r] = X + row * ldx;
    }
    if (fetch) {
        F(prefetch_t) pf = {xr, nr, 0, (ptrdiff_t)sizeof(REAL) * D, 0, INT_MAX};
        F(prefetch_step)(&pf);
    }
    const ptrdiff_t steps = F(fwd_steps)(nr, D, C) + (C + CT - 1) / CT * (PACK_COLS(D) / W2);
    const ptrdiff_t lines = (ptrdiff_t)nn * (((ptrdiff_t)sizeof(REAL) * D + 63) / 64);
    F(prefetch_t) pf = {xr + nr, nn, 0, (ptrdiff_t)sizeof(REAL) * D, 0,
                        steps ? (int)((lines + steps - 1) / steps) : 0};
    F(scores)(xr, nr, Wf, D, ldw, C, S, Xp, (void *)P, &pf);

    /* Per-row loss; gradients of rows with a nonzero one go to G, packed. */
    int na = 0;
    double l = 0;
    REAL sy[64]; /* rb <= 64 */
    if (b)
        for (int r = 0; r < nr; r++)
            for (ptrdiff_t c = 0; c < C; c++) S[(ptrdiff_t)r * C + c] += b[c];
    if (kind == FL_LOSS_SOFTMAX) F(softmax_exp)(S, nr, C, y + r0, sy);
    for (int r = 0; r < nr; r++) {
        REAL *s = S + (ptrdiff_t)r * C;
        const ptrdiff_t yr = y[r0 + r];
        switch (kind) {
        case FL_LOSS_SVM: l += F(svm_row)(s, C, yr, delta, 0); break;
        case FL_LOSS_SVM_OVA: l += F(ova_row)(s, C, yr, delta, 0); break;
        case FL_LOSS_SVM_CS: l += F(cs_row)(s, C, yr, delta, 0); break;
        case FL_LOSS_SVM_SQ: l += F(svm_row)(s, C, yr, delta, 1); break;
        case FL_LOSS_SVM_OVA_SQ: l += F(ova_row)(s, C, yr, delta, 1); break;
        case FL_LOSS_SVM_CS_SQ: l += F(cs_row)(s, C, yr, delta, 1); break;
        default: l += F(softmax_row)(s, C, yr, sy[r]); break; /* FL_LOSS_SOFTMAX */
        }
        int nonzero = 0;
        for (ptrdiff_t c = 0; c < C; c++) nonzero |= s[c] != 0;
        if (!nonzero) continue;
        REAL *g = G + (ptrdiff_t)na * C;
        for (ptrdiff_t c = 0; c < C; c++) g[c] = s[c];
        if (db)
            for (ptrdiff_t c = 0; c < C; c++) db[c] += s[c];
        ri[na++] = r;
    }
    *loss += l;

    for (ptrdiff_t c0 = 0; c0 < C; c0 += CT) {
        const int cw = (int)(C - c0 < CT ? C - c0 : CT);
        REAL *dw = dWt + c0 * ldw;
        const REAL *g = G + c0;
        switch (cw) {
        case 5: F(bwd_tile)(Xp, xr, nr, ri, g, na, C, 5, dw, D, ldw, init, &pf); break;
        case 4: F(bwd_tile)(Xp, xr, nr, ri, g, na, C, 4, dw, D, ldw, init, &pf); break;
        case 3: F(bwd_tile)(Xp, xr, nr, ri, g, na, C, 3, dw, D, ldw, init, &pf); break;
        case 2: F(bwd_tile)(Xp, xr, nr, ri, g, na, C, 2, dw, D, ldw, init, &pf); break;
        default: F(bwd_tile)(Xp, xr, nr, ri, g, na, C, 1, dw, D, ldw, init, &pf); break;
        }
    }
}

/* Rows per block: a block of X (and its packed copy) stays in L2 between
 * the forward and the backward pass. */
static ptrdiff_t F(block_rows)(ptrdiff_t D, ptrdiff_t C)
{
    ptrdiff_t rb = (ptrdiff_t)(FL_BLOCK_BYTES / ((size_t)D * sizeof(REAL)));
    const ptrdiff_t rc = (ptrdiff_t)(65536 / ((size_t)C * sizeof(REAL)));
    if (rb > rc) rb = rc;
    if (rb > 64) rb = 64;
    if (rb < 2) rb = 2;
#ifdef FWD_LANES
    if (rb > VL) /* whole row tiles */
        return (rb + VL - 1) / VL * VL;
#endif
    return rb & ~(ptrdiff_t)1;
}

/* First row of block k of the nb = ceil((g1 - g0) / rb) blocks of rows
 * [g0, g1) (k = nb: g1): the blocks are as equal as can be, 1 to rb rows (a
 * short last block would cost a pass over the gradient buffer for a few
 * rows); with a quantum q > 1 (q divides rb), multiples of q rows but the
 * last block. */
FL_INLINE ptrdiff_t F(block_start)(ptrdiff_t g0, ptrdiff_t g1, ptrdiff_t nb, ptrdiff_t k,
                                   ptrdiff_t q)
{
    if (q > 1) { /* blocks of whole row tiles but the last: ceil(rows / nb) <= rb rounded up */
        const ptrdiff_t s = ((g1 - g0 + nb - 1) / nb + q - 1) / q * q, e = g0 + s * k;
        return e < g1 ? e : g1;
    }
    return g0 + (g1 - g0) * (k < nb ? k : nb) / nb;
}

/* How a call is split and the layout of its scratch (one block). */
typedef struct {
    ptrdiff_t rb, q, steps, G, ldw, nd;
    int T;
    size_t cd, wlen, alen;
    size_t off_acc, off_sq, off_work, off_ptr, off_idx, bytes;
} F(plan_t);

static F(plan_t) F(loss_plan)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, int num_threads)
{
    /* The rows are split into G groups of consecutive rows, as equal as can
     * be, G fixed by the problem size alone; a group goes in equal blocks of
     * at most rb rows (steps blocks at most) and sums into its own buffers;
     * groups are handed to threads dynamically and reduced in group order.
     * Results are thus bitwise identical for every thread count, and a
     * descheduled thread does not hold the others up. */
    F(plan_t) p;
    p.rb = F(block_rows)(D, C);
#ifdef FWD_LANES
    p.q = p.rb % VL ? 1 : VL; /* blocks of whole row tiles of the forward pass */
#else
    p.q = 1;
#endif
    p.G = n / FL_GROUP_ROWS; /* rows amortise the group buffer */
    if (p.G > FL_MAX_GROUPS) p.G = FL_MAX_GROUPS;
    if (p.G > (n + p.rb - 1) / p.rb) p.G = (n + p.rb - 1) / p.rb;
    if (p.G < 1) p.G = 1;
    p.steps = ((n + p.G - 1) / p.G + p.rb - 1) / p.rb;
    int T = fl_num_threads(num_threads, p.G);
    /* enough multiply-adds per thread, or the threads cost more than they save */
    const double macs = (double)n * (double)D * (double)C;
    if ((double)T > macs / FL_MIN_THREAD_WORK) T = (int)(macs / FL_MIN_THREAD_WORK);
    p.T = T < 1 ? 1 : T;
    /* W is copied transposed, rows padded to whole cache lines (Wp, C x
     * ldw), and the group gradients use the same layout, so that no vector
     * load or store of them straddles two lines (worth 5-20 % here); the
     * rows-in-lanes forward reads W as it is (C <= CTL) or in class tiles. */
    const ptrdiff_t LA = 64 / (ptrdiff_t)sizeof(REAL);
    const ptrdiff_t Dp = PACK_COLS(D) > D ? PACK_COLS(D) : D;
    p.ldw = (Dp + LA - 1) / LA * LA;
    p.nd = (D + TB - 1) / TB;
    p.cd = (size_t)C * (size_t)p.ldw;
    p.wlen = F(work_len)(p.rb, D, C);
    p.alen = ((size_t)C + 1 + 7) / 8 * 8;
    /* Scratch, 64-byte aligned: the gradient buffers of the G groups and
     * Wp; loss and db sums per group (a cache line apart); the sum of the
     * squares of W per TB columns of Wp; per thread: block work, row
     * pointers, row indices. */
    const size_t T_ = (size_t)p.T, rb = (size_t)p.rb;
    p.off_acc = ((size_t)p.G + 1) * p.cd * sizeof(REAL);
    p.off_sq = p.off_acc + (size_t)p.G * p.alen * sizeof(double);
    p.off_work = p.off_sq + ((size_t)p.nd + 7) / 8 * 8 * sizeof(double);
    p.off_ptr = p.off_work + T_ * p.wlen * sizeof(REAL);
    p.off_idx = p.off_ptr + T_ * 2 * rb * sizeof(REAL *);
    p.bytes = p.off_idx + T_ * rb * sizeof(int) + 64;
    return p;
}

/* Sum of the squares of v[0..len) in 8 interleaved double accumulators
 * (one running sum is bound by the latency of the add). */
static double F(sum_squares)(const REAL *v, size_t len)
{
    double a[8] = {0};
    size_t k = 0;
    for (; k + 8 <= len; k += 8)
        for (int j = 0; j < 8; j++) a[j] += (double)v[k + j] * (double)v[k + j];
    for (; k < len; k++) a[k % 8] += (double)v[k] * (double)v[k];
    return ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]));
}

/* Columns [d0, d1) of W (D, C) in the forward pass's layout: rows of Wp (C,
 * ldw), the padding past D zeroed by the block that ends at D; or, with the
 * rows in the lanes, class tiles (tile c0 at Wp + c0 D, (D, its width)),
 * only when C > CTL (W itself is then the one tile).  Returns the sum of
 * their squares with squares, else 0. */
static double F(prepare_w)(const REAL *W, ptrdiff_t D, ptrdiff_t C, ptrdiff_t d0,
                           ptrdiff_t d1, REAL *Wp, ptrdiff_t ldw, int squares)
{
#ifdef FWD_LANES
    (void)ldw;
    for (ptrdiff_t c0 = 0; C > CTL && c0 < C; c0 += CTL) {
        const ptrdiff_t cw = C - c0 < CTL ? C - c0 : CTL;
        for (ptrdiff_t d = d0; d < d1; d++)
            for (ptrdiff_t c = 0; c < cw; c++) Wp[c0 * D + d * cw + c] = W[d * C + c0 + c];
    }
#else
    for (ptrdiff_t c0 = 0; c0 < C; c0 += VL) {
        const ptrdiff_t cw = C - c0 < VL ? C - c0 : VL;
        ptrdiff_t d = d0;
#ifdef TRANSPOSE_EXACT
        /* VL x VL tiles transposed in registers: rows d .. d + VL of W from
         * class c0 on (past C, the next row's classes: never stored), but
         * the last tile of W, which would read past its end */
        for (; d + VL <= d1 && (d + VL - 1) * C + c0 + VL <= D * C; d += VL) {
            VEC v[VL];
            for (int i = 0; i < VL; i++) v[i] = F(vload)(W + (d + i) * C + c0);
            F(transpose_exact)(v);
            for (ptrdiff_t k = 0; k < cw; k++) F(vstore)(Wp + (c0 + k) * ldw + d, v[k]);
        }
#endif
        for (; d < d1; d++)
            for (ptrdiff_t k = 0; k < cw; k++) Wp[(c0 + k) * ldw + d] = W[d * C + c0 + k];
    }
    if (d1 == D)
        for (ptrdiff_t c = 0; c < C; c++)
            memset(Wp + c * ldw + D, 0, (size_t)(ldw - D) * sizeof(REAL));
#endif
    /* apart from the copy, whose strided loads would hold the sums back */
    return squares ? F(sum_squares)(W + d0 * C, (size_t)((d1 - d0) * C)) : 0;
}

/* dW[d*C + c] = (sum over the G group buffers of gbuf[c][d]) / n + 2 reg
 * W[d, c] for d in [d0, d0 + nd), nd <= TB, W[d, c] read at Wr[d wsd + c
 * wsc]: the sums along d as vectors, then a transposed copy of each TB x TB
 * tile. */
FL_INLINE void F(reduce_block)(const REAL *gbuf, ptrdiff_t G, size_t cd, const REAL *Wr,
                               ptrdiff_t wsd, ptrdiff_t wsc, ptrdiff_t ldw, ptrdiff_t C,
                               ptrdiff_t d0, const ptrdiff_t nd, REAL inv_n, double reg,
                               REAL reg2, REAL *dW)
{
    const int wide = isinf(reg2);
    for (ptrdiff_t c0 = 0; c0 < C; c0 += TB) {
        const ptrdiff_t cw = C - c0 < TB ? C - c0 : TB;
        REAL r[TB][TB];
        for (ptrdiff_t c = 0; c < cw; c++) {
            const REAL *gc = gbuf + (c0 + c) * ldw + d0, *w = Wr + d0 * wsd + (c0 + c) * wsc;
            REAL t[TB];
            for (ptrdiff_t d = 0; d < nd; d++) t[d] = gc[d];
            for (ptrdiff_t g = 1; g < G; g++)
                for (ptrdiff_t d = 0; d < nd; d++) t[d] += gc[(size_t)g * cd + (size_t)d];
            /* reg is double: beyond the float range, reg2 * W goes through double (a W
             * of 0 then gives a 0 gradient, not inf * 0 = NaN) */
            if (wide)
                for (ptrdiff_t d = 0; d < nd; d++) r[c][d] = (REAL)(t[d] * inv_n + reg * w[d * wsd] * 2);
            else
                for (ptrdiff_t d = 0; d < nd; d++) r[c][d] = t[d] * inv_n + reg2 * w[d * wsd];
        }
        for (ptrdiff_t d = 0; d < nd; d++)
            for (ptrdiff_t c = 0; c < cw; c++) dW[(d0 + d) * C + c0 + c] = r[c][d];
    }
}

size_t F(fl_loss_scratch_bytes)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, int num_threads)
{
    return F(loss_plan)(n, D, C, num_threads).bytes;
}

ptrdiff_t F(fl_loss_steps)(ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, int num_threads)
{
    return F(loss_plan)(n, D, C, num_threads).steps;
}

int F(fl_loss)(int kind, const REAL *W, const REAL *b, const REAL *X,
               ptrdiff_t ldx, const ptrdiff_t *idx, const ptrdiff_t *y,
               ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, REAL delta, double reg,
               int num_threads, void *scratch, size_t scratch_bytes,
               double *loss, REAL *dW, REAL *db)
{
    const size_t bytes = F(fl_loss_scratch_bytes)(n, D, C, num_threads);
    void *own = NULL;
    if (!scratch || scratch_bytes < bytes) {
        scratch = own = malloc(bytes);
        if (!own) return FL_ENOMEM;
    }
    const int status = F(fl_loss_part)(kind, W, b, X, ldx, idx, y, n, D, C, delta, reg,
                                       num_threads, scratch, bytes, 0,
                                       F(fl_loss_steps)(n, D, C, num_threads), loss, dW, db);
    free(own);
    return status;
}

int F(fl_loss_part)(int kind, const REAL *W, const REAL *b, const REAL *X,
                    ptrdiff_t ldx, const ptrdiff_t *idx, const ptrdiff_t *y,
                    ptrdiff_t n, ptrdiff_t D, ptrdiff_t C, REAL delta, double reg,
                    int num_threads, void *scratch, size_t scratch_bytes,
                    ptrdiff_t s0, ptrdiff_t s1, double *loss, REAL *dW, REAL *db)
{
    const F(plan_t) p = F(loss_plan)(n, D, C, num_threads);
    const ptrdiff_t rb = p.rb, steps = p.steps, G = p.G, ldw = p.ldw, nd = p.nd;
    const double macs = (double)n * (double)D * (double)C;
    const int T = fl_team_threads(p.T, macs); /* <= p.T, which sized the scratch */
    const size_t cd = p.cd, wlen = p.wlen, alen = p.alen;
    if (!scratch || scratch_bytes < p.bytes || s0 < 0 || s0 > s1 || s1 > steps ||
        kind < FL_LOSS_SVM || kind > FL_LOSS_SVM_CS_SQ)
        return FL_LOSS_EINVAL;
    const int first = s0 == 0, last = s1 == steps;
    char *base = (char *)scratch + (64 - (uintptr_t)scratch % 64) % 64;
    REAL *gbuf = (REAL *)base, *Wp = gbuf + (size_t)G * cd;
    /* W for the forward pass (Wf) and for the regularisation gradient (Wr) */
#ifdef FWD_LANES
    const REAL *Wf = C > CTL ? Wp : W, *Wr = W;
    const ptrdiff_t wsd = C, wsc = 1;
#else
    const REAL *Wf = Wp, *Wr = Wp;
    const ptrdiff_t wsd = 1, wsc = ldw;
#endif
    double *acc = (double *)(base + p.off_acc), *sq = (double *)(base + p.off_sq);
    REAL *work = (REAL *)(base + p.off_work);
    const REAL **pbuf = (const REAL **)(void *)(base + p.off_ptr);
    int *ibuf = (int *)(void *)(base + p.off_idx);
    const REAL inv_n = (REAL)(1.0 / (double)n), reg2 = (REAL)(2 * reg);

    const double t0 = omp_get_wtime();
    double lag = 0;
#pragma omp parallel num_threads(T) reduction(max : lag)
    {
        lag = omp_get_wtime() - t0;
        const int tid = omp_get_thread_num();
        REAL *wk = work + (size_t)tid * wlen;
        const REAL **xr = pbuf + (size_t)tid * 2 * (size_t)rb;
        int *ri = ibuf + (size_t)tid * (size_t)rb;
        /* W in the forward pass's layout (Wp), and the sum of its squares by columns */
#pragma omp for schedule(static)
        for (ptrdiff_t k = 0; k < (first ? nd : 0); k++) {
            const ptrdiff_t d0 = k * TB, d1 = d0 + TB < D ? d0 + TB : D;
            sq[k] = F(prepare_w)(W, D, C, d0, d1, Wp, ldw, reg != 0);
        }
#pragma omp for schedule(dynamic, 1)
        for (ptrdiff_t g = 0; g < G; g++) {
            REAL *dw = gbuf + (size_t)g * cd;
            double *a = acc + (size_t)g * alen;
            if (first) /* the group's first block sets dw (init) */
                memset(a, 0, alen * sizeof(double));
            /* steps [s0, s1) of the group: a call split in parts sums the same blocks
             * in the same order into the same buffers as one call */
            const ptrdiff_t g0 = n * g / G, g1 = n * (g + 1) / G;
            const ptrdiff_t nb = (g1 - g0 + rb - 1) / rb, k1 = s1 < nb ? s1 : nb;
            for (ptrdiff_t k = s0; k < k1; k++) {
                const ptrdiff_t r0 = F(block_start)(g0, g1, nb, k, p.q);
                const ptrdiff_t r1 = F(block_start)(g0, g1, nb, k + 1, p.q);
                const ptrdiff_t rn = F(block_start)(g0, g1, nb, k + 1 < nb ? k + 2 : nb, p.q);
                F(loss_block)(kind, Wf, b, X, ldx, idx, y, r0, r1, D, ldw, C, delta,
                              rn, k == s0, k == 0, wk, xr, ri, dw, db ? a + 1 : NULL, a);
            }
        }
        /* Fixed-order reduction of the group buffers (C, D) into dW (D, C),
         * plus the regularisation gradient. */
#pragma omp for schedule(dynamic, 16)
        for (ptrdiff_t k = 0; k < (last ? nd : 0); k++) {
            if ((k + 1) * TB <= D)
                F(reduce_block)(gbuf, G, cd, Wr, wsd, wsc, ldw, C, k * TB, TB, inv_n, reg, reg2,
                                dW);
            else
                F(reduce_block)(gbuf, G, cd, Wr, wsd, wsc, ldw, C, k * TB, D - k * TB, inv_n,
                                reg, reg2, dW);
        }
    }

    fl_team_lag(T, macs, lag);
    if (!last)
        return FL_OK;
    double l = 0;
    for (ptrdiff_t g = 0; g < G; g++) l += acc[(size_t)g * alen];
    double ww = 0; /* 0 without reg: an inf in W must not make the loss NaN */
    for (ptrdiff_t k = 0; k < nd; k++) ww += sq[k];
    *loss = l / (double)n + (double)reg * ww;
    if (db)
        for (ptrdiff_t c = 0; c < C; c++) {
            double s = 0;
            for (ptrdiff_t g = 0; g < G; g++) s += acc[(size_t)g * alen + 1 + (size_t)c];
            db[c] = (REAL)(s / (double)n);
        }
    return FL_OK;
}

#undef CAT_
#undef CAT
#undef F
#undef VL
#undef W2
#undef FWD_RT
#undef CT
#undef TB
#undef PACK_COLS
#undef ZIP
#undef TROUND
#ifdef TRANSPOSE_EXACT
#undef TRANSPOSE_EXACT
#undef PLO
#undef PHI
#endif
#ifdef FWD_LANES
#undef FWD_LANES
#undef CTL
#undef TLO0
#undef THI0
#undef TLO1
#undef THI1
#undef TCOLS
#undef TROWS
#endif
