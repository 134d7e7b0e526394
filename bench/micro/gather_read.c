/* The read floor of a minibatch: T threads each reading (max of) its share of
 * n = 200 random rows of a 49,000 x D float32 array in transparent huge
 * pages, a fresh set of rows each call (64 sets); p10 and median per call.
 * A loss kernel on these rows cannot take less.
 *
 *   gcc -O3 -ffast-math -march=native -fopenmp bench/micro/gather_read.c -o /tmp/gr \
 *       && /tmp/gr 3073 1 && /tmp/gr 3073 2
 * Results: bench/notes/simd-levels.md. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static int cmp(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s D T\n", argv[0]);
        return 2;
    }
    const long D = atol(argv[1]), N = 49000, n = 200;
    const int T = atoi(argv[2]), iters = 2000;
    const size_t xb = (sizeof(float) * N * D + (2 << 20) - 1) / (2 << 20) * (2 << 20);
    float *X = aligned_alloc(2 << 20, xb);
    madvise(X, xb, MADV_HUGEPAGE);
    for (long i = 0; i < N * D; i++) X[i] = (float)(i % 1000);
    long *idx = malloc(sizeof(long) * n * 64);
    for (long k = 0; k < n * 64; k++) idx[k] = rand() % N;
    double *ts = malloc(sizeof(double) * iters);
    float sink = 0;
    for (int it = -100; it < iters; it++) {
        const long *ix = idx + (size_t)((it + 1000) % 64) * n;
        const double t0 = omp_get_wtime();
        float m = 0;
#pragma omp parallel for num_threads(T) reduction(max : m) schedule(static)
        for (long r = 0; r < n; r++) {
            const float *x = X + ix[r] * D;
            float mm = 0;
            for (long d = 0; d < D; d++) mm = x[d] > mm ? x[d] : mm;
            m = mm > m ? mm : m;
        }
        sink += m;
        if (it >= 0) ts[it] = omp_get_wtime() - t0;
    }
    qsort(ts, iters, sizeof(double), cmp);
    printf("%ld random rows of %ld floats, %d threads: p10 %.1f us, median %.1f us "
           "(%.1f GB/s at p10)%s\n", n, D, T, ts[iters / 10] * 1e6, ts[iters / 2] * 1e6,
           n * D * 4 / ts[iters / 10] / 1e9, sink < 0 ? " " : "");
    return 0;
}
