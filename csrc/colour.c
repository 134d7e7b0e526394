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

int fl_hue_hist_uint8(const uint8_t *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                      const ptrdiff_t strides[4], int nbin, const double *edges,
                      double xmax, int normalized, int num_threads, float *out,
                      ptrdiff_t *bad_image)
{
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
