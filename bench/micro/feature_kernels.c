/* Micro-benchmark of the uint8 HOG and hue-histogram kernels (csrc/hog.c,
 * csrc/colour.c) at one SIMD level, without Python: images per second on a
 * batch of CIFAR-10 images, best of `reps` runs, into an output written once
 * before the timing (no page faults), by process CPU time with 1 thread and
 * by wall time otherwise.
 *
 * The images: raw uint8 (n, 32, 32, 3), e.g. from the CIFAR-10 batches:
 *   python -c "import numpy as np, pickle; np.concatenate([pickle.load(open( \
 *     f'DIR/data_batch_{i}', 'rb'), encoding='bytes')[b'data'] for i in (1, 2)]) \
 *     .reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).tofile('/tmp/cifar.u8')"
 * Build and run from the repository root, one level at a time (-DFL_VBYTES=16
 * without -march for the baseline level, -march=x86-64-v4 -DFL_VBYTES=64 for
 * AVX-512), after a build of the package (for fastlin_config.h):
 *   gcc -O3 -march=x86-64-v3 -DFL_VBYTES=32 -fno-math-errno -fno-trapping-math \
 *       -Wno-psabi -fopenmp -Icsrc -Ibuild/cp311 bench/micro/feature_kernels.c \
 *       csrc/hog.c csrc/colour.c csrc/parallel.c -lm -o /tmp/fk
 *   /tmp/fk /tmp/cifar.u8 [reps=15] [threads=1] [orientations=9] [block_norm=4] [cell=8]
 * block_norm: 0 none, 1 L1, 2 L1-sqrt, 3 L2, 4 L2-Hys (FL_HOG_NORM_*).
 * Results on the Zen 5 host: bench/notes/simd-levels.md. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "colour.h"
#include "hog.h"

static double seconds(int cpu)
{
    struct timespec t;
    clock_gettime(cpu ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s IMAGES.u8 [reps threads orientations block_norm cell]\n",
                argv[0]);
        return 2;
    }
    const ptrdiff_t h = 32, w = 32, c = 3, isize = h * w * c;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    const ptrdiff_t n = ftell(f) / isize;
    fseek(f, 0, SEEK_SET);
    uint8_t *X = malloc((size_t)(n * isize));
    if (!X || fread(X, 1, (size_t)(n * isize), f) != (size_t)(n * isize)) {
        fprintf(stderr, "cannot read %td images from %s\n", n, argv[1]);
        return 1;
    }
    fclose(f);
    const int reps = argc > 2 ? atoi(argv[2]) : 15, nt = argc > 3 ? atoi(argv[3]) : 1;
    const int nb = argc > 4 ? atoi(argv[4]) : 9, norm = argc > 5 ? atoi(argv[5]) : 4;
    const int cell = argc > 6 ? atoi(argv[6]) : 8;
    const ptrdiff_t st[4] = {isize, w * c, c, 1};
    const fl_hog_params p = {nb, cell, cell, 2, 2, norm, 0, nb == 18, 0};
    const ptrdiff_t fs = fl_hog_feature_size(&p, h, w);
    float *out = calloc((size_t)(n * (fs > 10 ? fs : 10)), sizeof(float));
    double edges[11];
    for (int i = 0; i <= 10; i++)
        edges[i] = 25.5 * i;
    ptrdiff_t bad;
    double best_hog = 1e30, best_hue = 1e30;
    for (int r = 0; r < reps; r++) {
        double t = seconds(nt == 1);
        fl_hog_uint8(X, n, h, w, c, st, &p, nt, out, &bad);
        t = seconds(nt == 1) - t;
        best_hog = t < best_hog ? t : best_hog;
        t = seconds(nt == 1);
        fl_hue_hist_uint8(X, n, h, w, st, 10, edges, 255.0, 1, nt, out, &bad);
        t = seconds(nt == 1) - t;
        best_hue = t < best_hue ? t : best_hue;
    }
    printf("FL_VBYTES %d, %td images, %d thread(s)%s: HOG (%d bins, %dx%d cells, norm %d) "
           "%.0f images/s, hue %.0f images/s\n",
           FL_VBYTES, n, nt, nt == 1 ? " (CPU time)" : "", nb, cell, cell, norm,
           (double)n / best_hog, (double)n / best_hue);
    free(out);
    free(X);
    return 0;
}
