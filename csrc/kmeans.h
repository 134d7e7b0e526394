/* k-means kernels: the fused Lloyd step (assignment + centroid sums) and
 * k-means++ seeding, for float and double.
 *
 * Data: n rows of D values, `ldx` elements apart (X[i*ldx + d]).  Centres:
 * K rows of D contiguous values.  Callers validate everything beforehand:
 * n >= 1, D >= 1, 1 <= K, finite values.  num_threads <= 0 means OpenMP's
 * default.
 *
 * fl_kmeans_assign: for every row i, labels[i] = argmin_k ||x_i - c_k||^2
 * (first index on ties), computed as ||x||^2 + min_k (||c_k||^2 - 2 x.c_k)
 * by register-tiled dot products against the packed centres, block by block
 * of rows: the n x K distance matrix is never held.  While a block is in
 * cache its rows are added to sums[label] (K x D, double) and counted in
 * counts[label] (K).  mindist (n, may be NULL) receives the squared distance
 * to the nearest centre (clipped at 0), *inertia their sum.  sums and counts
 * may both be NULL (prediction only).  Rows are summed in groups fixed by the
 * problem size and reduced in group order, so every output is bitwise
 * identical for every thread count.
 *
 * fl_kmeans_plusplus: greedy k-means++ (Arthur & Vassilvitskii 2007, with
 * n_trials candidates per centre as scikit-learn's kmeans_plusplus), driven
 * by the PCG32 generator of sampling.h seeded with (seed, FL_KMEANS_STREAM):
 *   first centre: fl_pcg32_bounded(n);
 *   then for each further centre, n_trials candidates, each the first row i
 *   with cumsum(closest)[i] >= u * pot (clipped to n - 1), where closest[i]
 *   is the squared distance of row i to its nearest chosen centre, pot its
 *   sum and u = (a >> 5) * 2^-27 + (b >> 6) * 2^-53 for two successive
 *   32-bit outputs a, b (53-bit uniform on [0, 1));
 *   the candidate kept is the one minimising the new potential (first on
 *   ties).  centres[0..K) receives the chosen row indices.  Per-block partial
 *   sums are reduced in block order: bitwise identical for every thread
 *   count.  Scratch: n * n_trials values (each row's distances to the
 *   candidates, so that X is read once per centre) plus O(n + K * D).
 * Return FL_OK or FL_ENOMEM. */
#ifndef FASTLIN_KMEANS_H
#define FASTLIN_KMEANS_H

#include <stdint.h>

#include "common.h"

#define FL_KMEANS_STREAM 0x6b6d65616e73ULL /* "kmeans" */

typedef int fl_kmeans_assign_float_fn(const float *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                                      const float *centres, ptrdiff_t K, int num_threads, int64_t *labels,
                                      float *mindist, double *sums, int64_t *counts, double *inertia);
fl_kmeans_assign_float_fn fl_kmeans_assign_float;
typedef int fl_kmeans_assign_double_fn(const double *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                                       const double *centres, ptrdiff_t K, int num_threads, int64_t *labels,
                                       double *mindist, double *sums, int64_t *counts, double *inertia);
fl_kmeans_assign_double_fn fl_kmeans_assign_double;

typedef int fl_kmeans_plusplus_float_fn(const float *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D, ptrdiff_t K,
                                        int n_trials, uint64_t seed, int num_threads, int64_t *centres,
                                        double *potential);
fl_kmeans_plusplus_float_fn fl_kmeans_plusplus_float;
typedef int fl_kmeans_plusplus_double_fn(const double *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                                         ptrdiff_t K, int n_trials, uint64_t seed, int num_threads,
                                         int64_t *centres, double *potential);
fl_kmeans_plusplus_double_fn fl_kmeans_plusplus_double;

#endif
