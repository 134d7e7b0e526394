/* A/B timing of two builds of the loss kernel in one process: variant A (its
 * entry points suffixed _va) and B (_vb) are called alternately, call by
 * call, on the same problem, so that the noise of a shared virtual machine
 * (a neighbour's load changes the speed of both by up to 2x from one second
 * to the next) hits both alike.  Each call of a variant reads its own rows
 * (idx sets 32 apart), so that neither finds the other's rows in cache.
 * Prints p10, median and mean per variant.
 *
 *   args: D T mode iters [n]; mode 0: n random rows of 49,000 (from memory),
 *   1: the same n rows every call (from cache), 3: the full batch (idx NULL).
 *   X is 64-byte aligned in transparent huge pages, as NumPy allocates it.
 *
 *   F="-O3 -fno-math-errno -fno-trapping-math -ffp-contract=fast -Wno-psabi \
 *      -march=x86-64-v4 -fopenmp -DFL_VBYTES=64 -Ibuild/cp311"
 *   gcc $F -DFL_ISA=va -IA -c A/loss.c -o /tmp/la.o   # A, B: two copies of csrc/
 *   gcc $F -DFL_ISA=vb -IB -c B/loss.c -o /tmp/lb.o
 *   gcc $F -IA -c A/parallel.c -o /tmp/par.o
 *   gcc $F -DREAL=float bench/micro/loss_ab.c /tmp/la.o /tmp/lb.o /tmp/par.o -lm -o /tmp/ab
 *   /tmp/ab 3073 2 0 2000        # KIND=1 (-DKIND=1): softmax; default SVM
 * Results: bench/notes/simd-levels.md. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#ifndef REAL
#define REAL float
#endif
#ifndef KIND
#define KIND 0
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define CAT3(a, b, c) CAT(CAT(a, b), c)

typedef int loss_fn(int, const REAL *, const REAL *, const REAL *, ptrdiff_t, const ptrdiff_t *,
                    const ptrdiff_t *, ptrdiff_t, ptrdiff_t, ptrdiff_t, REAL, double, int, void *,
                    size_t, double *, REAL *, REAL *);
typedef size_t scratch_fn(ptrdiff_t, ptrdiff_t, ptrdiff_t, int);
loss_fn CAT3(fl_loss_, REAL, _va), CAT3(fl_loss_, REAL, _vb);
scratch_fn CAT3(fl_loss_scratch_bytes_, REAL, _va), CAT3(fl_loss_scratch_bytes_, REAL, _vb);

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s D T mode iters [n]\n", argv[0]);
        return 2;
    }
    const ptrdiff_t D = atoi(argv[1]), N = 49000, C = 10;
    const int T = atoi(argv[2]), mode = atoi(argv[3]), iters = atoi(argv[4]);
    const ptrdiff_t n = mode == 3 ? N : argc > 5 ? atoi(argv[5]) : 200;
    const size_t xb = (sizeof(REAL) * N * D + (2 << 20) - 1) / (2 << 20) * (2 << 20);
    REAL *X = aligned_alloc(2 << 20, xb), *W = malloc(sizeof(REAL) * D * C);
    madvise(X, xb, MADV_HUGEPAGE);
    for (ptrdiff_t i = 0; i < N * D; i++) X[i] = (REAL)((i * 2654435761u) % 1000) / 1000 - 0.5f;
    for (ptrdiff_t i = 0; i < D * C; i++) W[i] = (REAL)((i * 40503u) % 1000) / 1e5f;
    ptrdiff_t *y = malloc(sizeof(ptrdiff_t) * n), *idx = malloc(sizeof(ptrdiff_t) * n * 64);
    srand(1);
    for (ptrdiff_t k = 0; k < n * 64; k++) idx[k] = mode == 1 && k >= n ? idx[k % n] : rand() % N;
    for (ptrdiff_t k = 0; k < n; k++) y[k] = rand() % C;
    loss_fn *fn[2] = {CAT3(fl_loss_, REAL, _va), CAT3(fl_loss_, REAL, _vb)};
    size_t sb = CAT3(fl_loss_scratch_bytes_, REAL, _va)(n, D, C, T);
    const size_t sb2 = CAT3(fl_loss_scratch_bytes_, REAL, _vb)(n, D, C, T);
    if (sb2 > sb) sb = sb2;
    void *s = malloc(sb);
    REAL *dW = malloc(sizeof(REAL) * D * C);
    double loss, *ts[2] = {malloc(sizeof(double) * iters), malloc(sizeof(double) * iters)};
    for (int it = mode == 3 ? -2 : -200; it < iters; it++)
        for (int v = 0; v < 2; v++) {
            const ptrdiff_t *ix = mode == 3 ? NULL : idx + (size_t)((it + 1000 + v * 32) % 64) * n;
            const double t0 = now();
            fn[v](KIND, W, NULL, X, D, ix, y, n, D, C, 1, 1e-5, T, s, sb, &loss, dW, NULL);
            if (it >= 0) ts[v][it] = now() - t0;
        }
    for (int v = 0; v < 2; v++) {
        double m = 0;
        for (int i = 0; i < iters; i++) m += ts[v][i];
        qsort(ts[v], iters, sizeof(double), cmp);
        printf("%c D=%td T=%d mode %d n=%td: p10 %.1f median %.1f mean %.1f us\n", v ? 'B' : 'A',
               D, T, mode, n, ts[v][iters / 10] * 1e6, ts[v][iters / 2] * 1e6, m / iters * 1e6);
    }
    return 0;
}
