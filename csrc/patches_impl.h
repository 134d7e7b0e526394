/* Patch extraction template, included by patches.c with PIX, PSUF, REAL, SUF
 * and G(name) defined. */

int G(fl_patches)(const PIX *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                  const ptrdiff_t strides[4], ptrdiff_t ph, ptrdiff_t pw, const int64_t *pos,
                  ptrdiff_t count, int num_threads, REAL *out)
{
    (void)n, (void)h, (void)w;
    const ptrdiff_t D = ph * pw * c;
    const int T = fl_num_threads(num_threads, count);
#pragma omp parallel for schedule(static) num_threads(T) if (count * D > 65536)
    for (ptrdiff_t i = 0; i < count; i++) {
        const PIX *p = images + pos[3 * i] * strides[0] + pos[3 * i + 1] * strides[1] +
                       pos[3 * i + 2] * strides[2];
        FL_PATCH_COPY(PIX, REAL, p, strides, ph, pw, c, out + i * D);
    }
    return FL_OK;
}

int G(fl_dense_patches)(const PIX *images, ptrdiff_t n, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                        const ptrdiff_t strides[4], ptrdiff_t ph, ptrdiff_t pw, ptrdiff_t stride,
                        int num_threads, REAL *out)
{
    const ptrdiff_t D = ph * pw * c;
    const ptrdiff_t ny = (h - ph) / stride + 1, nx = (w - pw) / stride + 1;
    const int T = fl_num_threads(num_threads, n);
#pragma omp parallel for schedule(static) num_threads(T) if (n * ny * nx * D > 65536)
    for (ptrdiff_t i = 0; i < n; i++)
        for (ptrdiff_t oy = 0; oy < ny; oy++)
            for (ptrdiff_t ox = 0; ox < nx; ox++) {
                const PIX *p = images + i * strides[0] + oy * stride * strides[1] +
                               ox * stride * strides[2];
                FL_PATCH_COPY(PIX, REAL, p, strides, ph, pw, c, out + ((i * ny + oy) * nx + ox) * D);
            }
    return FL_OK;
}
