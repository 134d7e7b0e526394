/* Patch extraction and normalisation (see patches.h). */
#include <math.h>
#include <stdint.h>

#include "patches.h"
#include "sampling.h"

int fl_patch_positions(ptrdiff_t n, ptrdiff_t h, ptrdiff_t w, ptrdiff_t ph, ptrdiff_t pw,
                       ptrdiff_t count, uint64_t seed, int64_t *pos)
{
    fl_pcg32 rng;
    fl_pcg32_seed(&rng, seed, FL_PATCHES_STREAM);
    const uint32_t ny = (uint32_t)(h - ph + 1), nx = (uint32_t)(w - pw + 1);
    for (ptrdiff_t i = 0; i < count; i++) {
        pos[3 * i] = fl_pcg32_bounded(&rng, (uint32_t)n);
        pos[3 * i + 1] = fl_pcg32_bounded(&rng, ny);
        pos[3 * i + 2] = fl_pcg32_bounded(&rng, nx);
    }
    return FL_OK;
}

#define CAT3_(a, b, c) a##b##c
#define CAT3(a, b, c) CAT3_(a, b, c)
#define G(name) CAT3(name, PSUF, SUF)

#define PIX uint8_t
#define PSUF _uint8
#define REAL float
#define SUF _float
#include "patches_impl.h"
#undef REAL
#undef SUF
#define REAL double
#define SUF _double
#include "patches_impl.h"
#undef PIX
#undef PSUF
#undef REAL
#undef SUF

#define PIX float
#define PSUF _float
#define REAL float
#define SUF _float
#include "patches_impl.h"
#undef PIX
#undef PSUF
#undef REAL
#undef SUF

#define PIX double
#define PSUF _double
#define REAL double
#define SUF _double
#include "patches_impl.h"
#undef PIX
#undef PSUF
#undef REAL
#undef SUF

int fl_normalize_patches_float(float *X, ptrdiff_t n, ptrdiff_t D, ptrdiff_t ld, double eps,
                               int num_threads)
{
    const int T = fl_num_threads(num_threads, n);
#pragma omp parallel for schedule(static) num_threads(T) if (n * D > 65536)
    for (ptrdiff_t i = 0; i < n; i++) FL_NORMALIZE_ROW(float, X + i * ld, D, eps);
    return FL_OK;
}

int fl_normalize_patches_double(double *X, ptrdiff_t n, ptrdiff_t D, ptrdiff_t ld, double eps,
                                int num_threads)
{
    const int T = fl_num_threads(num_threads, n);
#pragma omp parallel for schedule(static) num_threads(T) if (n * D > 65536)
    for (ptrdiff_t i = 0; i < n; i++) FL_NORMALIZE_ROW(double, X + i * ld, D, eps);
    return FL_OK;
}
