/* fastlin minibatch sampling; see sampling.h for the exact stream. */
#include "sampling.h"

#include <string.h>

uint64_t fl_splitmix64_next(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint32_t fl_pcg32_next(fl_pcg32 *rng)
{
    uint64_t old = rng->state;
    rng->state = old * UINT64_C(6364136223846793005) + rng->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((0u - rot) & 31u));
}

void fl_pcg32_srandom(fl_pcg32 *rng, uint64_t initstate, uint64_t initseq)
{
    rng->state = 0;
    rng->inc = (initseq << 1) | 1u;
    (void)fl_pcg32_next(rng);
    rng->state += initstate;
    (void)fl_pcg32_next(rng);
}

void fl_pcg32_seed(fl_pcg32 *rng, uint64_t seed, uint64_t stream)
{
    uint64_t sm = seed;
    fl_pcg32_srandom(rng, fl_splitmix64_next(&sm), stream);
}

uint32_t fl_pcg32_bounded(fl_pcg32 *rng, uint32_t bound)
{
    uint64_t m = (uint64_t)fl_pcg32_next(rng) * bound;
    uint32_t low = (uint32_t)m;
    if (low < bound) {
        uint32_t threshold = (0u - bound) % bound; /* 2^32 mod bound */
        while (low < threshold) {
            m = (uint64_t)fl_pcg32_next(rng) * bound;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

void fl_pcg32_fill(fl_pcg32 *rng, uint32_t *out, int64_t count)
{
    for (int64_t i = 0; i < count; i++)
        out[i] = fl_pcg32_next(rng);
}

int fl_sample_with_replacement(fl_pcg32 *rng, int64_t n, int64_t k, int64_t *out)
{
    if (n < 1 || n > FL_SAMPLING_MAX_N || k < 0)
        return FL_SAMPLING_EINVAL;
    uint32_t bound = (uint32_t)n;
    for (int64_t i = 0; i < k; i++)
        out[i] = (int64_t)fl_pcg32_bounded(rng, bound);
    return FL_SAMPLING_OK;
}

int fl_shuffled_range(fl_pcg32 *rng, int64_t n, int64_t *perm)
{
    if (n < 1 || n > FL_SAMPLING_MAX_N)
        return FL_SAMPLING_EINVAL;
    for (int64_t i = 0; i < n; i++)
        perm[i] = i;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)fl_pcg32_bounded(rng, (uint32_t)(i + 1));
        int64_t tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
    }
    return FL_SAMPLING_OK;
}

int64_t fl_sample_epoch_batch(fl_pcg32 *rng, int64_t n, int64_t *perm, int64_t *pos, int64_t *epoch,
                              int64_t k, int64_t *out)
{
    int64_t p = *pos; /* read once: the checked value is the one used */
    if (n < 1 || n > FL_SAMPLING_MAX_N || k < 0 || p < 0 || p > n)
        return FL_SAMPLING_EINVAL;
    if (k == 0)
        return 0;
    if (p == n) {
        fl_shuffled_range(rng, n, perm);
        p = 0;
        *epoch += 1;
    }
    int64_t m = n - p;
    if (m > k)
        m = k;
    memcpy(out, perm + p, (size_t)m * sizeof(int64_t));
    *pos = p + m;
    return m;
}
