/* Small SIMD helpers shared by the feature kernels: 8-lane float/int
 * vectors (GNU vector extensions), loads/stores of unaligned memory, selects,
 * lane square roots and sums, uint8 -> float conversion and the RGB
 * de-interleave of 8 packed pixels.  Only with FL_HAVE_VECTOR_EXT. */
#ifndef FASTLIN_SIMD_H
#define FASTLIN_SIMD_H

#include <math.h>
#include <stdint.h>

#include "common.h"

#if FL_HAVE_VECTOR_EXT

typedef float fl_v8f __attribute__((vector_size(32)));
typedef int fl_v8i __attribute__((vector_size(32)));

FL_INLINE fl_v8f fl_v8f_load(const float *p)
{
    fl_v8f v;
    memcpy(&v, p, sizeof v);
    return v;
}

FL_INLINE void fl_v8f_store(float *p, fl_v8f v) { memcpy(p, &v, sizeof v); }

FL_INLINE fl_v8f fl_v8f_and(fl_v8f a, fl_v8i m) { return (fl_v8f)((fl_v8i)a & m); }

FL_INLINE fl_v8f fl_v8f_sel(fl_v8i m, fl_v8f a, fl_v8f b)
{
    return (fl_v8f)(((fl_v8i)a & m) | ((fl_v8i)b & ~m));
}

/* Square roots of the lanes (vsqrtps where the target has it). */
FL_INLINE fl_v8f fl_v8f_sqrt(fl_v8f x)
{
    float t[8];
    memcpy(t, &x, sizeof t);
    for (int k = 0; k < 8; k++)
        t[k] = sqrtf(t[k]);
    memcpy(&x, t, sizeof t);
    return x;
}

#if defined(__clang__)
#define FL_SHUFFLE8(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define FL_SHUFFLE8(a, b, ...) __builtin_shuffle(a, b, (fl_v8i){__VA_ARGS__})
#endif

/* Lanes of the int vector t picked by the lane indices idx (0..7). */
FL_INLINE fl_v8i fl_v8i_permute(fl_v8i t, fl_v8i idx)
{
#if defined(__clang__)
    int a[8], ix[8], o[8];
    memcpy(a, &t, sizeof a);
    memcpy(ix, &idx, sizeof ix);
    for (int k = 0; k < 8; k++)
        o[k] = a[ix[k] & 7];
    memcpy(&t, o, sizeof o);
    return t;
#else
    return __builtin_shuffle(t, idx);
#endif
}
#define FL_PERMUTE8(t, idx) fl_v8i_permute(t, idx)

FL_INLINE void fl_u8_to_float(const uint8_t *restrict src, float *restrict dst, ptrdiff_t n)
{
    for (ptrdiff_t k = 0; k < n; k++)
        dst[k] = (float)src[k];
}

typedef float fl_v4f __attribute__((vector_size(16)));

FL_INLINE float fl_v8f_hsum(fl_v8f v)
{
    const fl_v4f lo = {v[0], v[1], v[2], v[3]}, hi = {v[4], v[5], v[6], v[7]};
    const fl_v4f s = lo + hi;
    return (s[0] + s[2]) + (s[1] + s[3]);
}

/* Channels of 8 packed RGB float pixels (24 floats at T) into r, g, b. */
FL_INLINE void fl_rgb8_planes(const float *T, fl_v8f *r, fl_v8f *g, fl_v8f *b)
{
    const fl_v8f A = fl_v8f_load(T), B = fl_v8f_load(T + 8), C = fl_v8f_load(T + 16);
    fl_v8f t = FL_SHUFFLE8(A, B, 0, 3, 6, 9, 12, 15, 0, 0);
    *r = FL_SHUFFLE8(t, C, 0, 1, 2, 3, 4, 5, 10, 13);
    t = FL_SHUFFLE8(A, B, 1, 4, 7, 10, 13, 0, 0, 0);
    *g = FL_SHUFFLE8(t, C, 0, 1, 2, 3, 4, 8, 11, 14);
    t = FL_SHUFFLE8(A, B, 2, 5, 8, 11, 14, 0, 0, 0);
    *b = FL_SHUFFLE8(t, C, 0, 1, 2, 3, 4, 9, 12, 15);
}

#endif
#endif
