/* Hue-histogram template, included by colour.c with IN_T (pixel type), IN_U8
 * (1 for uint8 pixels, divided by xmax through a 256-entry table), OUT_T and
 * SUF defined.  One pass over each image's pixels; images in parallel. */

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SUF)

/* Counts of one image into cnt (nbin); returns 1 on a NaN or out-of-range
 * pixel (float input only). */
static int F(hue_one)(const IN_T *img, ptrdiff_t h, ptrdiff_t w, const ptrdiff_t *st,
                      const double *lut, int nbin, const double *edges, double xmax,
                      double scale, int64_t *cnt)
{
    int bad = 0;
    for (ptrdiff_t r = 0; r < h; r++) {
        const IN_T *row = img + r * st[1];
        for (ptrdiff_t j = 0; j < w; j++) {
            const IN_T *px = row + j * st[2];
#if IN_U8
            (void)xmax;
            const double x0 = lut[px[0]], x1 = lut[px[st[3]]], x2 = lut[px[2 * st[3]]];
#else
            (void)lut;
            const double v0 = px[0], v1 = px[st[3]], v2 = px[2 * st[3]];
            bad |= !(v0 >= 0 && v0 <= xmax && v1 >= 0 && v1 <= xmax && v2 >= 0 &&
                     v2 <= xmax);
            const double x0 = v0 / xmax, x1 = v1 / xmax, x2 = v2 / xmax;
#endif
            const int b = fl_hue_bin(fl_hue_value(x0, x1, x2, xmax), nbin, edges, scale);
            if (b >= 0)
                cnt[b]++;
        }
    }
    return bad;
}

static int F(fl_hue_hist)(const IN_T *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w,
                          const ptrdiff_t strides[4], int nbin, const double *edges,
                          double xmax, int normalized, int num_threads, OUT_T *out,
                          ptrdiff_t *bad_image)
{
    double lut[256];
    const double scale = nbin / (edges[nbin] - edges[0]);
    ptrdiff_t first_bad = n;
    int nomem = 0;
    *bad_image = -1;
#if IN_U8
    for (int v = 0; v < 256; v++)
        lut[v] = (double)v / xmax;
#endif
    const int nt = fl_num_threads(num_threads, n);
    (void)nt;
#pragma omp parallel num_threads(nt)
    {
        int64_t *cnt = malloc(sizeof(int64_t) * (size_t)nbin);
        if (!cnt) {
#pragma omp atomic
            nomem |= 1;
        }
#pragma omp for schedule(static)
        for (ptrdiff_t i = 0; i < n; i++) {
            if (!cnt)
                continue;
            memset(cnt, 0, sizeof(int64_t) * (size_t)nbin);
            if (F(hue_one)(images + i * strides[0], h, w, strides, lut, nbin, edges, xmax,
                           scale, cnt)) {
#pragma omp critical(fl_hue_bad)
                if (i < first_bad)
                    first_bad = i;
                continue;
            }
            int64_t total = 0;
            for (int b = 0; b < nbin; b++)
                total += cnt[b];
            OUT_T *o = out + i * nbin;
            for (int b = 0; b < nbin; b++)
                o[b] = normalized ? (total ? (OUT_T)((double)cnt[b] / (double)total) : (OUT_T)0)
                                  : (OUT_T)cnt[b];
        }
        free(cnt);
    }
    if (nomem)
        return FL_ENOMEM;
    if (first_bad < n) {
        *bad_image = first_bad;
        return FL_COLOUR_ERANGE;
    }
    return FL_OK;
}

#undef F
#undef CAT
#undef CAT_
#undef IN_T
#undef IN_U8
#undef OUT_T
#undef SUF
