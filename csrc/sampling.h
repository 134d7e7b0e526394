/* fastlin minibatch sampling: a seeded PCG32 generator, unbiased bounded integers (Lemire),
 * batches of row indices with replacement and shuffled epochs (Fisher-Yates).
 *
 * Plain C99, no Python headers, no global state: the caller owns the generator and all buffers.
 *
 * The stream, exactly (so any implementation can reproduce it bit for bit):
 *   - SplitMix64 (Steele, Lea, Flood 2014): x += 0x9e3779b97f4a7c15;
 *     z = x; z = (z ^ z>>30) * 0xbf58476d1ce4e5b9; z = (z ^ z>>27) * 0x94d049bb133111eb; z ^ z>>31.
 *   - PCG32 = PCG-XSH-RR 64/32 (O'Neill 2014, the "minimal C implementation" pcg32_random_r):
 *     LCG state' = state * 6364136223846793005 + inc; output from the old state
 *     rotr32(((state >> 18) ^ state) >> 27, state >> 59).
 *   - fl_pcg32_seed(seed, stream) is pcg32_srandom_r(initstate = first SplitMix64 output of seed,
 *     initseq = stream): state = 0; inc = stream << 1 | 1; step; state += initstate; step.
 *   - fl_pcg32_bounded(bound): Lemire's nearly-divisionless method (2019): m = x * bound (64-bit),
 *     reject while (uint32)m < (2^32 - bound) % bound, return m >> 32. Unbiased on [0, bound).
 *   - with replacement: k draws of bounded(n).
 *   - epoch: perm = 0..n-1, then Fisher-Yates from the top: for i = n-1 down to 1,
 *     j = bounded(i + 1), swap perm[i], perm[j]. Batches are consecutive slices of perm; the last
 *     batch of an epoch holds what remains, and the next call starts a new epoch (a fresh shuffle of
 *     0..n-1), so every index appears exactly once per epoch.
 */
#ifndef FASTLIN_SAMPLING_H
#define FASTLIN_SAMPLING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint64_t state;
    uint64_t inc; /* always odd */
} fl_pcg32;

/* largest n the samplers accept: bounded() works on 32-bit ranges */
#define FL_SAMPLING_MAX_N ((int64_t)UINT32_MAX)

enum { FL_SAMPLING_OK = 0, FL_SAMPLING_EINVAL = -1 };

uint64_t fl_splitmix64_next(uint64_t *x);
void fl_pcg32_seed(fl_pcg32 *rng, uint64_t seed, uint64_t stream);
void fl_pcg32_srandom(fl_pcg32 *rng, uint64_t initstate, uint64_t initseq);
uint32_t fl_pcg32_next(fl_pcg32 *rng);
/* uniform on [0, bound), bound >= 1 */
uint32_t fl_pcg32_bounded(fl_pcg32 *rng, uint32_t bound);

/* fill out[0..count) with raw 32-bit outputs */
void fl_pcg32_fill(fl_pcg32 *rng, uint32_t *out, int64_t count);

/* k indices uniform on [0, n), with replacement. 1 <= n <= FL_SAMPLING_MAX_N, k >= 0. */
int fl_sample_with_replacement(fl_pcg32 *rng, int64_t n, int64_t k, int64_t *out);

/* perm[0..n) = a uniformly random permutation of 0..n-1 */
int fl_shuffled_range(fl_pcg32 *rng, int64_t n, int64_t *perm);

/* Next batch of a shuffled-epoch sampler whose permutation is perm[0..n) and whose position in it
 * is *pos (0 <= *pos <= n; *pos == n means the epoch is spent, the initial state). When *pos == n,
 * a new epoch starts: perm is reshuffled, *pos = 0, *epoch += 1. Then min(k, n - *pos) indices are
 * copied to out and *pos advances. Returns the number of indices written (>= 1 for k >= 1), or
 * FL_SAMPLING_EINVAL. */
int64_t fl_sample_epoch_batch(fl_pcg32 *rng, int64_t n, int64_t *perm, int64_t *pos, int64_t *epoch,
                              int64_t k, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif
