/* Per-core FMA peak of this CPU at a vector width: 12 independent chains of
 * vfmadd in registers, no memory.  Prints GFLOP/s for float32 and float64.
 *
 *   gcc -O3 -march=native -DVBYTES=64 fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
 *   (VBYTES=32 for AVX2 registers, 16 for SSE) */
#include <stdio.h>
#include <time.h>

#ifndef VBYTES
#define VBYTES 64
#endif
typedef float vf __attribute__((vector_size(VBYTES)));
typedef double vd __attribute__((vector_size(VBYTES)));

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

#define CHAINS 12
#define PEAK(T, NAME)                                                                  \
    static double NAME(long iters)                                                     \
    {                                                                                  \
        T acc[CHAINS], a = (T){0} + (__typeof__(a[0]))0.999999, b = (T){0} + (__typeof__(a[0]))1e-7; \
        for (int k = 0; k < CHAINS; k++) acc[k] = (T){0} + (__typeof__(a[0]))k;       \
        const double t0 = now();                                                       \
        for (long i = 0; i < iters; i++) {                                             \
            for (int k = 0; k < CHAINS; k++) acc[k] = acc[k] * a + b;                  \
            __asm__ volatile("" : "+x"(a));                                            \
        }                                                                              \
        const double t = now() - t0;                                                   \
        T s = acc[0];                                                                  \
        for (int k = 1; k < CHAINS; k++) s += acc[k];                                  \
        if (s[0] == 12345) puts("");                                                   \
        return 2.0 * CHAINS * (VBYTES / sizeof(a[0])) * iters / t / 1e9;              \
    }
PEAK(vf, peak_f)
PEAK(vd, peak_d)

int main(void)
{
    double bf = 0, bd = 0;
    for (int r = 0; r < 5; r++) {
        const double f = peak_f(100000000), d = peak_d(100000000);
        bf = f > bf ? f : bf;
        bd = d > bd ? d : bd;
    }
    printf("%d-byte vectors, one core: float32 %.1f GFLOP/s, float64 %.1f GFLOP/s\n", VBYTES, bf, bd);
    return 0;
}
