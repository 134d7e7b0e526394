/* Read bandwidth of one core by working-set size: a buffer summed with
 * 64-byte vector loads (8 independent sums), best of 5 passes, from 16 KiB
 * (L1) to 512 MiB (memory).  Shows where the cache levels end and what each
 * delivers to one core, which is what the loss kernel's blocks live on.
 *
 *   gcc -O3 -march=x86-64-v4 bench/micro/read_bandwidth.c -o /tmp/rbw && /tmp/rbw
 * Results: bench/notes/host-intel.md. */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(void)
{
    static const size_t kib[] = {16, 32, 256, 512, 1024, 1536, 4096, 65536, 524288};
    for (size_t s = 0; s < sizeof kib / sizeof kib[0]; s++) {
        const size_t bytes = kib[s] << 10, n = bytes / sizeof(double);
        double *a = aligned_alloc(64, bytes);
        if (!a) return 1;
        memset(a, 0, bytes);
        size_t reps = (size_t)(4e9 / (double)bytes);
        reps = reps < 2 ? 2 : reps > 200000 ? 200000 : reps;
        __m512d acc[8];
        for (int k = 0; k < 8; k++) acc[k] = _mm512_setzero_pd();
        double best = 1e9;
        for (int t = 0; t < 5; t++) {
            const double t0 = now();
            for (size_t r = 0; r < reps; r++)
                for (size_t i = 0; i < n; i += 64)
                    for (int k = 0; k < 8; k++)
                        acc[k] = _mm512_add_pd(acc[k], _mm512_load_pd(a + i + 8 * k));
            const double dt = (now() - t0) / (double)reps;
            if (dt < best) best = dt;
        }
        double sum = 0;
        for (int k = 0; k < 8; k++) sum += _mm512_reduce_add_pd(acc[k]);
        printf("%8zu KiB: %6.1f GB/s%s\n", kib[s], (double)bytes / best / 1e9, sum ? " " : "");
        free(a);
    }
    return 0;
}
