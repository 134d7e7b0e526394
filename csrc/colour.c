/* Hue histogram kernels: the float64 hue of one pixel, its bin, and the
 * uint8/float/double instantiations of colour_impl.h. */
#include <math.h>
#include <stdlib.h>

#include "colour.h"

/* Exact IEEE operations in the course's order: no contraction. */
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

/* hue * xmax of r, g, b already divided by xmax, as matplotlib computes it. */
FL_INLINE double fl_hue_value(double r, double g, double b, double xmax)
{
    const double mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
    const double mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
    const double delta = mx - mn;
    double h = 0.0;
    if (delta > 0) {
        if (b == mx)
            h = 4.0 + (r - g) / delta;
        else if (g == mx)
            h = 2.0 + (b - r) / delta;
        else
            h = (g - b) / delta;
    }
    h = h / 6.0;
    if (h < 0) /* numpy's h % 1.0 for h in (-1/6, 0) */
        h += 1.0;
    return h * xmax;
}

/* Bin of v for edges[0..nbin], or -1 outside [edges[0], edges[nbin]]. */
FL_INLINE int fl_hue_bin(double v, int nbin, const double *edges, double scale)
{
    if (!(v >= edges[0] && v <= edges[nbin]))
        return -1;
    int i = (int)((v - edges[0]) * scale);
    i = i < 0 ? 0 : (i >= nbin ? nbin - 1 : i);
    while (i > 0 && v < edges[i])
        i--;
    while (i < nbin - 1 && v >= edges[i + 1])
        i++;
    return i;
}

#define IN_T uint8_t
#define IN_U8 1
#define OUT_T float
#define SUF _u8
#include "colour_impl.h"

#define IN_T float
#define IN_U8 0
#define OUT_T float
#define SUF _f32
#include "colour_impl.h"

#define IN_T double
#define IN_U8 0
#define OUT_T double
#define SUF _f64
#include "colour_impl.h"

#include "simd.h"

#if FL_HAVE_VECTOR_EXT
/* uint8 hue histograms, FL_VL pixels at a time in float, with the bins of the
 * float64 definition above.  The float hue value v_f (from the exact integer
 * differences: one division, two roundings more) is within ~1e-6 * xmax of
 * the float64 one, so its bin position u = (v - edges[0]) * nbin / range
 * decides the bin unless u lies within `tol` (a bound on that error, with a
 * wide margin) of an integer, i.e. of an edge; those pixels (exact ties on an
 * edge included) take the float64 path of the scalar kernel.  Pixels whose
 * hue is exactly 0 in float64 (grey, or red maximum with green == blue) are
 * binned as v = 0 directly.  Needs uniform edges (np.linspace) and a tol
 * small against a bin; fl_hue_hist_uint8 checks both. */
typedef struct {
    int nbin;
    const double *edges;
    double xmax, scale;
    float e0, fscale, xmaxf, tol, ua, ub0, ub1;
    int zb;   /* edges[0] == 0, edges[nbin] == xmax: exact integer bin positions */
    int bin0; /* bin of v = 0, nbin when 0 is outside the edges */
    /* bins (nbin outside the edges) of the float64 hue of h6 = i exactly
     * (i = 0..5; i = 0 also grey): fl(fl(i / 6.0) * xmax); 6.. unused */
    int32_t hbin[FL_VL > 8 ? FL_VL : 8];
} fl_hue_vparams;

/* Capacity of the deferred near-edge pixel buffer (per channel). */
#define FL_HUE_SLOW 64

typedef double fl_v4d __attribute__((vector_size(32)));
typedef long long fl_v4l __attribute__((vector_size(32)));

FL_INLINE fl_v4d fl_v4d_sel(fl_v4l m, fl_v4d a, fl_v4d b)
{
    return (fl_v4d)(((fl_v4l)a & m) | ((fl_v4l)b & ~m));
}

/* The float64 bins (fl_hue_value, fl_hue_bin) of the n deferred pixels in
 * S (planes r, g, b of FL_HUE_SLOW floats holding uint8 values), 4 at a
 * time, counted into lane 0 of c8.  The same IEEE operations as the scalar
 * definition (x / xmax equals the scalar table entry).  These pixels have u within tol of an
 * integer k (bins wide against tol), so fl_hue_bin's answer is k - (v <
 * edges[k]), with -1 and nbin outside the edges (v == edges[nbin] is the
 * closed last bin). */
FL_INLINE void fl_hue_slow_batch(const fl_hue_vparams *q, float *S, int n, int32_t *c8)
{
    const int nbin = q->nbin;
    for (int k = n; k < ((n + 3) & ~3); k++)
        S[k] = S[FL_HUE_SLOW + k] = S[2 * FL_HUE_SLOW + k] = 0.0f;
    const fl_v4d z = {0, 0, 0, 0};
    const fl_v4d xmax = z + q->xmax;
    for (int p = 0; p < n; p += 4) {
        const float *sr = S + p, *sg = S + FL_HUE_SLOW + p, *sb = S + 2 * FL_HUE_SLOW + p;
        const fl_v4d r = (fl_v4d){sr[0], sr[1], sr[2], sr[3]} / xmax;
        const fl_v4d g = (fl_v4d){sg[0], sg[1], sg[2], sg[3]} / xmax;
        const fl_v4d b = (fl_v4d){sb[0], sb[1], sb[2], sb[3]} / xmax;
        const fl_v4d rg = fl_v4d_sel(r > g, r, g), rgn = fl_v4d_sel(r < g, r, g);
        const fl_v4d mx = fl_v4d_sel(rg > b, rg, b), mn = fl_v4d_sel(rgn < b, rgn, b);
        const fl_v4d delta = mx - mn;
        const fl_v4l isb = b == mx, isg = (g == mx) & ~isb, isr = ~isb & ~isg;
        const fl_v4d num = fl_v4d_sel(isb, r - g, fl_v4d_sel(isg, b - r, g - b));
        const fl_v4l pos = delta > z;
        const fl_v4d qt = num / fl_v4d_sel(pos, delta, z + 1.0);
        /* 4 + q, 2 + q, or q itself (red maximum) */
        const fl_v4d off = fl_v4d_sel(isb, z + 4.0, fl_v4d_sel(isg, z + 2.0, z));
        fl_v4d h = fl_v4d_sel(isr, qt, off + qt);
        h = (fl_v4d)((fl_v4l)h & pos);
        h = h / 6.0;
        h = fl_v4d_sel(h < z, h + 1.0, h);
        const fl_v4d v = h * xmax;
        const fl_v4d u = (v - q->edges[0]) * q->scale;
        for (int l = 0; l < 4 && p + l < n; l++) {
            int k = (int)floor(u[l] + 0.5);
            k = k < 0 ? 0 : (k > nbin ? nbin : k);
            int bi = k - (v[l] < q->edges[k]);
            if (bi == nbin)
                bi = v[l] == q->edges[nbin] ? nbin - 1 : -1;
            c8[bi >= 0 ? bi : nbin]++;
        }
    }
}

/* Adds the byte counters C[0..na) (bin 4a + k in byte k) to c8 and zeroes them. */
FL_INLINE void fl_hue_flush_bytes(fl_vi32 *C, int na, int nb1, int32_t *c8)
{
    for (int a = 0; a < na; a++) {
        for (int l = 0; l < FL_VL; l++)
            for (int k = 0; k < 4 && 4 * a + k < nb1; k++)
                c8[l * nb1 + 4 * a + k] += ((uint32_t)C[a][l] >> (8 * k)) & 255u;
        C[a] = (fl_vi32){0};
    }
}

/* Counts of one image into c8 (FL_VL lanes x (nbin + 1), the last column for
 * the pixels outside the edges); nbin = vnbin > 0 is a compile-time constant
 * counted in vector registers, vnbin = 0 counts lane by lane in c8. */
FL_INLINE void fl_hue_v_image(const uint8_t *img, ptrdiff_t h, ptrdiff_t w,
                              const ptrdiff_t *st, const fl_hue_vparams *q, float *pl, int32_t *c8, const int vnbin,
                              const int zb)
{
    fl_vi32 C[16];
    const ptrdiff_t wv = (w + FL_VL - 1) / FL_VL * FL_VL;
    float *S = pl + 3 * wv; /* deferred pixels: r, g, b planes */
    int ns = 0, it = 0;
    for (int a = 0; a < (vnbin + 4) / 4; a++)
        C[a] = (fl_vi32){0};
    const int nb1 = q->nbin + 1, trash = q->nbin;
    float *R = pl, *G = pl + wv, *B = pl + 2 * wv;
    const fl_vf zero = {0};
    const fl_vi32 izero = {0};
    const fl_vi32 iota = fl_vi_iota();
    const fl_vf tol = zero + q->tol, nbf = zero + (float)q->nbin;
    for (ptrdiff_t r = 0; r < h; r++) {
        const uint8_t *src = img + r * st[1];
        ptrdiff_t j0 = 0;
        if (st[2] == 3 && st[3] == 1) /* packed RGB row: straight from src */
            j0 = w - w % FL_VL;
        for (ptrdiff_t j = j0; j < w; j++) {
            R[j] = (float)src[j * st[2]];
            G[j] = (float)src[j * st[2] + st[3]];
            B[j] = (float)src[j * st[2] + 2 * st[3]];
        }
        for (ptrdiff_t j = w; j < wv; j++)
            R[j] = G[j] = B[j] = 0.0f;
        for (ptrdiff_t j = 0; j < w; j += FL_VL) {
            fl_vf vr, vg, vb;
            if (j < j0) {
                fl_rgb_planes(src + 3 * j, &vr, &vg, &vb);
            } else {
                vr = fl_vf_load(R + j);
                vg = fl_vf_load(G + j);
                vb = fl_vf_load(B + j);
            }
            const fl_vf rg = fl_vf_sel(vr > vg, vr, vg), rgn = fl_vf_sel(vr < vg, vr, vg);
            const fl_vf mx = fl_vf_sel(rg > vb, rg, vb), mn = fl_vf_sel(rgn < vb, rgn, vb);
            const fl_vf delta = mx - mn;
            /* matplotlib's order: blue, then green, then red maximum */
            const fl_vi32 isb = vb == mx, isg = (vg == mx) & ~isb;
            const fl_vf num = fl_vf_sel(isb, vr - vg, fl_vf_sel(isg, vb - vr, vg - vb));
            const fl_vf off = fl_vf_sel(isb, zero + 4.0f, fl_vf_and(zero + 2.0f, isg));
            const fl_vi32 grey = delta == zero;
            /* h6 an exact integer, in float64 too: grey (hue 0), num == 0
             * (x - x == 0) or |num| == delta (two equal channels: the float64
             * difference is -delta or delta exactly, the quotient +-1) */
            const fl_vf anum = fl_vf_and(num, izero + 0x7fffffff);
            const fl_vi32 hue0 = grey | (num == zero) | (anum == delta);
            const fl_vi32 valid = iota + (int)j < (int)w;
            /* h6 of those: off, off + 1 or off - 1 (grey: index 0) */
            const fl_vi32 hi6 =
                (__builtin_convertvector(off, fl_vi32) - (num > zero) + (num < zero)) & ~grey;
            fl_vi32 bin, slow;
            if (zb) {
                /* edges 0 .. xmax: u = hue * nbin = P / Q, P = (off6 * delta +
                 * num) * nbin, Q = 6 * delta, exact integers in float; the
                 * quotient is an integer exactly on an edge (a tie), else at
                 * least 1 / Q away from one, far beyond the float rounding */
                const fl_vf dd = fl_vf_sel(grey, zero + 1.0f, delta);
                const fl_vf off6 = fl_vf_sel(isb | isg, off, fl_vf_and(zero + 6.0f, num < zero));
                const fl_vf uq = (off6 * dd + num) * nbf / (dd * 6.0f);
                const fl_vi32 bi = __builtin_convertvector(uq, fl_vi32);
                const fl_vi32 tie = __builtin_convertvector(bi, fl_vf) == uq;
                bin = (bi & ~hue0) | (fl_vi_lookup8(q->hbin, hi6, 6) & hue0);
                bin = (bin & valid) | ((izero + trash) & ~valid);
                slow = tie & ~hue0 & valid;
            } else {
                const fl_vf h6 = off + num / fl_vf_sel(grey, zero + 1.0f, delta);
                /* u = (hue * xmax - e0) * nbin / range, hue = h6 / 6 (+ 1 below 0) */
                const fl_vf u = h6 * q->ua + fl_vf_sel(h6 < zero, zero + q->ub1, zero + q->ub0);
                const fl_vi32 inside = (u > -tol) & (u < nbf + tol);
                const fl_vi32 core = (u >= tol) & (u <= nbf - tol);
                const fl_vf uc = fl_vf_sel(core, u, zero);
                const fl_vi32 bi = __builtin_convertvector(uc, fl_vi32);
                const fl_vf frac = uc - __builtin_convertvector(bi, fl_vf);
                const fl_vi32 near = (frac < tol) | (frac > 1.0f - tol);
                bin = (bi & (core & ~near)) | ((izero + trash) & ~(core & ~near));
                const fl_vi32 hb = fl_vi_lookup8(q->hbin, hi6, 6);
                bin = (bin & ~hue0) | (hb & hue0);
                bin = (bin & valid) | ((izero + trash) & ~valid);
                slow = inside & ~(core & ~near) & ~hue0 & valid;
            }
            if (fl_vi_any(slow)) {
                /* near an edge: deferred to the float64 batch, counted
                 * there; here they go to the trash column */
                int sl[FL_VL];
                memcpy(sl, &slow, sizeof sl);
                bin = (bin & ~slow) | ((izero + trash) & slow);
                for (int l = 0; l < FL_VL; l++) {
                    S[ns] = vr[l];
                    S[FL_HUE_SLOW + ns] = vg[l];
                    S[2 * FL_HUE_SLOW + ns] = vb[l];
                    ns += sl[l] & 1;
                }
                if (ns > FL_HUE_SLOW - FL_VL) {
                    fl_hue_slow_batch(q, S, ns, c8);
                    ns = 0;
                }
            }
            if (vnbin > 0) {
                /* byte counters: bin b in byte b % 4 of accumulator b / 4 */
                const fl_vi32 one = fl_vi_byte_one(bin), hi = bin >> 2;
#pragma GCC unroll 4
                for (int a = 0; a < (vnbin + 4) / 4; a++)
                    C[a] += one & (hi == a);
                if (++it == 255) {
                    fl_hue_flush_bytes(C, (vnbin + 4) / 4, nb1, c8);
                    it = 0;
                }
            } else {
                int idx[FL_VL];
                memcpy(idx, &bin, sizeof idx);
                for (int l = 0; l < FL_VL; l++)
                    c8[l * nb1 + idx[l]]++;
            }
        }
    }
    if (vnbin > 0)
        fl_hue_flush_bytes(C, (vnbin + 4) / 4, nb1, c8);
    if (ns)
        fl_hue_slow_batch(q, S, ns, c8);
}

static void fl_hue_v_one(const uint8_t *img, ptrdiff_t h, ptrdiff_t w, const ptrdiff_t *st,
                         const fl_hue_vparams *q, float *pl, int32_t *c8)
{
    if (q->nbin == 10)
        q->zb ? fl_hue_v_image(img, h, w, st, q, pl, c8, 10, 1)
              : fl_hue_v_image(img, h, w, st, q, pl, c8, 10, 0);
    else
        fl_hue_v_image(img, h, w, st, q, pl, c8, 0, 0);
}

static int fl_hue_hist_u8v(const uint8_t *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                           const ptrdiff_t strides[4], const fl_hue_vparams *q,
                           int normalized, int num_threads, float *out)
{
    const int nbin = q->nbin, nb1 = nbin + 1;
    int nomem = 0;
    const int nt = fl_num_threads(num_threads, n);
    (void)nt;
#pragma omp parallel num_threads(nt)
    {
        const ptrdiff_t wv = (w + FL_VL - 1) / FL_VL * FL_VL;
        float *pl = malloc(sizeof(float) * (size_t)(3 * wv + 3 * FL_HUE_SLOW + 8));
        int32_t *c8 = malloc(sizeof(int32_t) * (size_t)(FL_VL * nb1));
        if (!pl || !c8) {
#pragma omp atomic
            nomem |= 1;
        }
#pragma omp for schedule(static)
        for (ptrdiff_t i = 0; i < n; i++) {
            if (!pl || !c8)
                continue;
            if (i + 1 < n)
                fl_prefetch_image(images + (i + 1) * strides[0], h, w, 3, strides);
            memset(c8, 0, sizeof(int32_t) * (size_t)(FL_VL * nb1));
            fl_hue_v_one(images + i * strides[0], h, w, strides, q, pl, c8);
            int64_t total = 0;
            float *o = out + i * nbin;
            for (int b = 0; b < nbin; b++) {
                int64_t s = 0;
                for (int l = 0; l < FL_VL; l++)
                    s += c8[l * nb1 + b];
                o[b] = (float)s;
                total += s;
            }
            if (normalized)
                for (int b = 0; b < nbin; b++)
                    o[b] = total ? (float)((double)o[b] / (double)total) : 0.0f;
        }
        free(pl);
        free(c8);
    }
    return nomem ? FL_ENOMEM : FL_OK;
}
#endif

int fl_hue_hist_uint8(const uint8_t *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                      const ptrdiff_t strides[4], int nbin, const double *edges,
                      double xmax, int normalized, int num_threads, float *out,
                      ptrdiff_t *bad_image)
{
#if FL_HAVE_VECTOR_EXT
    /* the SIMD kernel when the edges are uniform and a bin is wide against
     * the float error bound tol (always for the usual nbin, xmin, xmax) */
    fl_hue_vparams q;
    const double range = edges[nbin] - edges[0];
    int uniform = range > 0 && nbin < (1 << 20);
    for (int i = 0; uniform && i <= nbin; i++)
        uniform = fabs(edges[i] - (edges[0] + range * i / nbin)) <=
                  1e-12 * (fabs(edges[0]) + fabs(edges[nbin]));
    q.nbin = nbin;
    q.edges = edges;
    q.xmax = xmax;
    q.scale = nbin / range;
    q.e0 = (float)edges[0];
    q.fscale = (float)q.scale;
    q.xmaxf = (float)xmax;
    q.ua = (float)(xmax * q.scale / 6.0);
    q.ub0 = (float)(-edges[0] * q.scale);
    q.ub1 = (float)((xmax - edges[0]) * q.scale);
    q.tol = (float)(4e-6 * q.scale * (fabs(xmax) + fabs(edges[0])) + 1e-6 * (nbin + 1));
    if (uniform && q.tol < 0.05f && w < (1 << 24) && xmax < 1e30) {
        const int b0 = fl_hue_bin(0.0, nbin, edges, q.scale);
        q.bin0 = b0 >= 0 ? b0 : nbin;
        q.zb = edges[0] == 0.0 && edges[nbin] == xmax && nbin <= 1000;
        for (int i = 0; i < (int)(sizeof q.hbin / sizeof q.hbin[0]); i++) {
            const double v = (i < 6 ? (double)i / 6.0 : 0.0) * xmax;
            const int bi = i == 0 ? q.bin0 : fl_hue_bin(v, nbin, edges, q.scale);
            q.hbin[i] = bi >= 0 ? bi : nbin;
        }
        *bad_image = -1;
        return fl_hue_hist_u8v(images, n, h, w, strides, &q, normalized, num_threads, out);
    }
#endif
    return fl_hue_hist_u8(images, n, h, w, strides, nbin, edges, xmax, normalized,
                          num_threads, out, bad_image);
}

int fl_hue_hist_float(const float *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                      const ptrdiff_t strides[4], int nbin, const double *edges,
                      double xmax, int normalized, int num_threads, float *out,
                      ptrdiff_t *bad_image)
{
    return fl_hue_hist_f32(images, n, h, w, strides, nbin, edges, xmax, normalized,
                           num_threads, out, bad_image);
}

int fl_hue_hist_double(const double *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                       const ptrdiff_t strides[4], int nbin, const double *edges,
                       double xmax, int normalized, int num_threads, double *out,
                       ptrdiff_t *bad_image)
{
    return fl_hue_hist_f64(images, n, h, w, strides, nbin, edges, xmax, normalized,
                           num_threads, out, bad_image);
}
