/* How far can a core overlap reading X from memory with FMAs?  The loss
 * kernel's floor assumes both at once: one read of X (the 2-thread read
 * bandwidth) and its 4NDC flops, whichever takes longer.  This loop is the
 * kernel at its simplest: per 64-byte line of a 600 MB array (half per
 * thread) one vector load, then NF independent vector FMAs on 12 register
 * chains, no stores, no horizontal sums.  NF = 20 is the kernel's balance
 * for C = 10: 4 C flops per element of X are 640 flops per line of floats,
 * 20 FMAs of 16 lanes (and 20 of 8 lanes per line of doubles).
 *
 * Prints the read alone, the FMAs alone and both in one loop: perfect
 * overlap gives the larger of the two, none gives their sum.
 *
 *   gcc -O3 -march=x86-64-v4 -fopenmp -DNF=20 bench/micro/read_fma_overlap.c -o /tmp/ov
 *   OMP_NUM_THREADS=2 /tmp/ov
 * Results: bench/notes/host-intel.md. */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NF
#define NF 20
#endif
#ifndef PD
#define PD 0 /* software prefetch distance in bytes (0: none) */
#endif
#define CHAINS 12
#define N (150000000L) /* floats: 600 MB, far beyond any cache */

static float *X;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* One pass over this thread's half of X: with load, a vector load per line;
 * with fma, NF FMAs per line.  Returns the sum, so that nothing is dropped. */
static float pass(int load, int fma)
{
    float sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
        const int t = omp_get_thread_num(), T = omp_get_num_threads();
        const long a = N / T * t, b = N / T * (t + 1);
        const __m512 m = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(1e-4f);
        __m512 acc[CHAINS], s = _mm512_setzero_ps();
        for (int k = 0; k < CHAINS; k++) acc[k] = _mm512_set1_ps(1e-3f * (float)k);
        for (long i = a; i < b; i += 16) {
            if (load) {
#if PD
                _mm_prefetch((const char *)(X + i) + PD, _MM_HINT_T0);
#endif
                s = _mm512_add_ps(s, _mm512_load_ps(X + i));
            }
            if (fma) {
                _Pragma("GCC unroll 64") for (int f = 0; f < NF; f++)
                    acc[f % CHAINS] = _mm512_fmadd_ps(acc[f % CHAINS], m, c);
            }
        }
        for (int k = 0; k < CHAINS; k++) s = _mm512_add_ps(s, acc[k]);
        sum += _mm512_reduce_add_ps(s);
    }
    return sum;
}

static double best_of(int reps, int load, int fma, float *sink)
{
    double best = 1e9;
    for (int r = 0; r < reps; r++) {
        const double t0 = now();
        *sink += pass(load, fma);
        const double dt = now() - t0;
        if (dt < best) best = dt;
    }
    return best;
}

int main(void)
{
    X = aligned_alloc(64, N * sizeof(float));
    if (!X) return 1;
    memset(X, 0, N * sizeof(float));
    float sink = 0;
    printf("%d threads, %ld MB of float32, %d FMAs of 16 lanes per 64-byte line\n",
           omp_get_max_threads(), N * 4 / 1000000, NF);
    for (int round = 0; round < 3; round++) {
        const double r = best_of(3, 1, 0, &sink), f = best_of(3, 0, 1, &sink),
                     b = best_of(3, 1, 1, &sink), mx = r > f ? r : f;
        printf("read %.1f ms (%.1f GB/s), FMAs %.1f ms (%.0f GFLOP/s), both %.1f ms: "
               "%.2fx the larger, %.2fx the sum\n",
               r * 1e3, N * 4 / r / 1e9, f * 1e3, 2.0 * NF * N / f / 1e9, b * 1e3, b / mx,
               b / (r + f));
    }
    free(X);
    return sink == 12345.f;
}
