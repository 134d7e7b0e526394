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
 * Return FL_OK or FL_ENOMEM.
 *
 * Both run in parts, so that a caller can check for interrupts between them:
 * the work is fl_kmeans_*_steps(...) steps and fl_kmeans_*_part does steps
 * [s0, s1).  Calls for consecutive ranges from 0 to the step count, with the
 * same arguments and the same scratch (at least fl_kmeans_*_scratch_bytes,
 * any alignment), give bitwise the result of one call.  Labels and distances
 * are written as their rows are done; sums, counts, *inertia and *potential
 * by the part that ends at the step count, centres[c] by the part that
 * chooses it.  A Lloyd step is a block of rows of every group; a k-means++
 * step a chunk of rows of one pass over the data (two passes per centre),
 * chunks of about step_macs multiply-adds of a candidates' pass (the same
 * value for every part; the result does not depend on it).  The _part
 * functions return FL_OK or FL_KMEANS_EINVAL. */
#ifndef FASTLIN_KMEANS_H
#define FASTLIN_KMEANS_H

#include <stdint.h>

#include "common.h"

#define FL_KMEANS_STREAM 0x6b6d65616e73ULL /* "kmeans" */

enum { FL_KMEANS_EINVAL = 2 }; /* the _part functions: bad scratch or step range */

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

typedef ptrdiff_t fl_kmeans_assign_steps_float_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int with_sums);
fl_kmeans_assign_steps_float_fn fl_kmeans_assign_steps_float;
typedef ptrdiff_t fl_kmeans_assign_steps_double_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int with_sums);
fl_kmeans_assign_steps_double_fn fl_kmeans_assign_steps_double;
typedef size_t fl_kmeans_assign_scratch_bytes_float_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int with_sums,
                                                       int num_threads);
fl_kmeans_assign_scratch_bytes_float_fn fl_kmeans_assign_scratch_bytes_float;
typedef size_t fl_kmeans_assign_scratch_bytes_double_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int with_sums,
                                                        int num_threads);
fl_kmeans_assign_scratch_bytes_double_fn fl_kmeans_assign_scratch_bytes_double;
typedef int fl_kmeans_assign_part_float_fn(const float *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                                           const float *centres, ptrdiff_t K, int num_threads, void *scratch,
                                           size_t scratch_bytes, ptrdiff_t s0, ptrdiff_t s1, int64_t *labels,
                                           float *mindist, double *sums, int64_t *counts, double *inertia);
fl_kmeans_assign_part_float_fn fl_kmeans_assign_part_float;
typedef int fl_kmeans_assign_part_double_fn(const double *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                                            const double *centres, ptrdiff_t K, int num_threads,
                                            void *scratch, size_t scratch_bytes, ptrdiff_t s0, ptrdiff_t s1,
                                            int64_t *labels, double *mindist, double *sums, int64_t *counts,
                                            double *inertia);
fl_kmeans_assign_part_double_fn fl_kmeans_assign_part_double;

typedef ptrdiff_t fl_kmeans_plusplus_steps_float_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int n_trials,
                                                    int num_threads, double step_macs);
fl_kmeans_plusplus_steps_float_fn fl_kmeans_plusplus_steps_float;
typedef ptrdiff_t fl_kmeans_plusplus_steps_double_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K, int n_trials,
                                                     int num_threads, double step_macs);
fl_kmeans_plusplus_steps_double_fn fl_kmeans_plusplus_steps_double;
typedef size_t fl_kmeans_plusplus_scratch_bytes_float_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K,
                                                         int n_trials, int num_threads);
fl_kmeans_plusplus_scratch_bytes_float_fn fl_kmeans_plusplus_scratch_bytes_float;
typedef size_t fl_kmeans_plusplus_scratch_bytes_double_fn(ptrdiff_t n, ptrdiff_t D, ptrdiff_t K,
                                                          int n_trials, int num_threads);
fl_kmeans_plusplus_scratch_bytes_double_fn fl_kmeans_plusplus_scratch_bytes_double;
typedef int fl_kmeans_plusplus_part_float_fn(const float *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                                             ptrdiff_t K, int n_trials, uint64_t seed, int num_threads,
                                             double step_macs, void *scratch, size_t scratch_bytes,
                                             ptrdiff_t s0, ptrdiff_t s1, int64_t *centres,
                                             double *potential);
fl_kmeans_plusplus_part_float_fn fl_kmeans_plusplus_part_float;
typedef int fl_kmeans_plusplus_part_double_fn(const double *X, ptrdiff_t ldx, ptrdiff_t n, ptrdiff_t D,
                                              ptrdiff_t K, int n_trials, uint64_t seed, int num_threads,
                                              double step_macs, void *scratch, size_t scratch_bytes,
                                              ptrdiff_t s0, ptrdiff_t s1, int64_t *centres,
                                              double *potential);
fl_kmeans_plusplus_part_double_fn fl_kmeans_plusplus_part_double;

#endif
