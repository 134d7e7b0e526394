/* Small SIMD helpers shared by the feature kernels, for the float vectors
 * fl_vf of common.h (FL_VL = FL_VBYTES / 4 lanes: 4, 8 or 16) and their
 * int32 masks fl_vi32: loads/stores of unaligned memory, selects, lane
 * square roots, sums of lanes and of aligned lane groups, a lookup in an
 * 8-entry table, uint8 -> float conversion and the RGB de-interleave of
 * FL_VL packed pixels.  The shuffles are written per width (GCC's
 * __builtin_shuffle, Clang's __builtin_shufflevector), with a portable lane
 * loop for any other width.  Only with FL_HAVE_VECTOR_EXT. */
#ifndef FASTLIN_SIMD_H
#define FASTLIN_SIMD_H

#include <math.h>
#include <stdint.h>

#include "common.h"

#if FL_HAVE_VECTOR_EXT

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#define FL_VL (FL_VBYTES / 4) /* float lanes */

FL_INLINE fl_vf fl_vf_load(const float *p)
{
    fl_vf v;
    memcpy(&v, p, sizeof v);
    return v;
}

FL_INLINE void fl_vf_store(float *p, fl_vf v) { memcpy(p, &v, sizeof v); }

FL_INLINE fl_vf fl_vf_and(fl_vf a, fl_vi32 m) { return (fl_vf)((fl_vi32)a & m); }

FL_INLINE fl_vf fl_vf_sel(fl_vi32 m, fl_vf a, fl_vf b)
{
    return (fl_vf)(((fl_vi32)a & m) | ((fl_vi32)b & ~m));
}

/* 0, 1, ..., FL_VL - 1 */
FL_INLINE fl_vi32 fl_vi_iota(void)
{
    int32_t t[FL_VL];
    fl_vi32 v;
    for (int k = 0; k < FL_VL; k++)
        t[k] = k;
    memcpy(&v, t, sizeof v);
    return v;
}

/* 1 when some lane of the mask m is set. */
FL_INLINE int fl_vi_any(fl_vi32 m)
{
#if defined(__AVX512F__) && FL_VL == 16
    return _mm512_test_epi32_mask((__m512i)m, (__m512i)m) != 0;
#elif defined(__AVX__) && FL_VL == 8
    return _mm256_movemask_ps((__m256)m) != 0;
#elif defined(__SSE2__) && FL_VL == 4
    return _mm_movemask_ps((__m128)m) != 0;
#else
    uint64_t t[FL_VBYTES / 8], a = 0;
    memcpy(t, &m, sizeof t);
    for (int k = 0; k < FL_VBYTES / 8; k++)
        a |= t[k];
    return a != 0;
#endif
}

/* Square roots of the lanes (sqrtps where the target has it). */
FL_INLINE fl_vf fl_vf_sqrt(fl_vf x)
{
    float t[FL_VL];
    memcpy(t, &x, sizeof t);
    for (int k = 0; k < FL_VL; k++)
        t[k] = sqrtf(t[k]);
    memcpy(&x, t, sizeof t);
    return x;
}

/* Lanes of a and b (indices 0 .. 2 FL_VL - 1 into their concatenation),
 * picked by constant indices; FL_SHUFFLE1 with one vector. */
#if defined(__clang__)
#define FL_SHUFFLE(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#define FL_SHUFFLE1(a, ...) __builtin_shufflevector(a, a, __VA_ARGS__)
#else
#define FL_SHUFFLE(a, b, ...) __builtin_shuffle(a, b, (fl_vi32){__VA_ARGS__})
#define FL_SHUFFLE1(a, ...) __builtin_shuffle(a, (fl_vi32){__VA_ARGS__})
#endif

/* Lane k of the result = lane k ^ step of v (step a constant power of two
 * < FL_VL). */
FL_INLINE fl_vf fl_vf_swap(fl_vf v, const int step)
{
#if FL_VL == 4
    if (step == 2)
        return FL_SHUFFLE1(v, 2, 3, 0, 1);
    return FL_SHUFFLE1(v, 1, 0, 3, 2);
#elif FL_VL == 8
    if (step == 4)
        return FL_SHUFFLE1(v, 4, 5, 6, 7, 0, 1, 2, 3);
    if (step == 2)
        return FL_SHUFFLE1(v, 2, 3, 0, 1, 6, 7, 4, 5);
    return FL_SHUFFLE1(v, 1, 0, 3, 2, 5, 4, 7, 6);
#elif FL_VL == 16
    if (step == 8)
        return FL_SHUFFLE1(v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
    if (step == 4)
        return FL_SHUFFLE1(v, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    if (step == 2)
        return FL_SHUFFLE1(v, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
    return FL_SHUFFLE1(v, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
#else
    float t[FL_VL], o[FL_VL];
    memcpy(t, &v, sizeof t);
    for (int k = 0; k < FL_VL; k++)
        o[k] = t[k ^ step];
    memcpy(&v, o, sizeof o);
    return v;
#endif
}

/* Sums of the aligned groups of s lanes of v (s a power of two <= FL_VL) in
 * the first lane of each group.  A group is folded in halves: lane k + s/2
 * added to lane k, then the same on the first half, so that its sum does
 * not depend on the vector width (a group of 8 lanes sums alike in an 8- or
 * a 16-lane vector, and so does the lane-wise sum of two 4-lane vectors
 * folded as a group of 4). */
FL_INLINE fl_vf fl_vf_group_sums(fl_vf v, int s)
{
#if FL_VL > 8
    if (s >= 16)
        v += fl_vf_swap(v, 8);
#endif
#if FL_VL > 4
    if (s >= 8)
        v += fl_vf_swap(v, 4);
#endif
    if (s >= 4)
        v += fl_vf_swap(v, 2);
    if (s >= 2)
        v += fl_vf_swap(v, 1);
    return v;
}

FL_INLINE float fl_vf_hsum(fl_vf v) { return fl_vf_group_sums(v, FL_VL)[0]; }

/* tab[idx] per lane, for indices 0..n-1 (n <= 8 a constant; tab: max(8,
 * FL_VL) entries). */
FL_INLINE fl_vi32 fl_vi_lookup8(const int32_t *tab, fl_vi32 idx, const int n)
{
#if defined(__AVX512F__) && FL_VL == 16
    __m512i t;
    (void)n;
    memcpy(&t, tab, sizeof t);
    return (fl_vi32)_mm512_permutexvar_epi32((__m512i)idx, t);
#elif defined(__AVX2__) && FL_VL == 8
    __m256i t;
    (void)n;
    memcpy(&t, tab, sizeof t);
    return (fl_vi32)_mm256_permutevar8x32_epi32(t, (__m256i)idx);
#else
    /* no variable permute of 8 entries in one instruction (SSE2, NEON) */
    fl_vi32 r = idx & 0;
    for (int i = 0; i < n; i++)
        r |= (idx == i) & tab[i];
    return r;
#endif
}

/* Asks for the h rows of an image (w pixels of c values, element strides
 * st = (image, row, column, channel)) to be brought into the cache. */
FL_INLINE void fl_prefetch_image(const uint8_t *img, ptrdiff_t h, ptrdiff_t w, ptrdiff_t c,
                                 const ptrdiff_t *st)
{
    const ptrdiff_t a = (w - 1) * st[2], b = (c - 1) * st[3];
    const ptrdiff_t lo = (a < 0 ? a : 0) + (b < 0 ? b : 0), hi = (a > 0 ? a : 0) + (b > 0 ? b : 0);
    for (ptrdiff_t r = 0; r < h; r++)
        for (ptrdiff_t k = lo; k <= hi + 63; k += 64)
            __builtin_prefetch(img + r * st[1] + (k < hi ? k : hi));
}

/* 1 << (8 (x & 3)) per lane: a variable shift where the target has one,
 * else the float 2^(8 (x & 3)) built from its exponent bits, converted. */
FL_INLINE fl_vi32 fl_vi_byte_one(fl_vi32 x)
{
#if defined(__AVX2__) || !defined(__SSE2__)
    return ((x & 0) + 1) << ((x & 3) << 3);
#else
    return __builtin_convertvector((fl_vf)((((x & 3) << 3) + 127) << 23), fl_vi32);
#endif
}

FL_INLINE void fl_u8_to_float(const uint8_t *restrict src, float *restrict dst, ptrdiff_t n)
{
    for (ptrdiff_t k = 0; k < n; k++)
        dst[k] = (float)src[k];
}

typedef uint8_t fl_vu8 __attribute__((vector_size(FL_VL))); /* FL_VL bytes */

/* FL_VL bytes at p as floats (GCC 12 makes scalar code of the vector
 * extensions' uint8 -> float conversion: intrinsics on x86). */
FL_INLINE fl_vf fl_vf_load_u8(const uint8_t *p)
{
#if defined(__AVX512F__) && FL_VL == 16
    return (fl_vf)_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)p)));
#elif defined(__AVX2__) && FL_VL == 8
    return (fl_vf)_mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)p)));
#elif defined(__SSE2__) && FL_VL == 4
    int32_t t;
    memcpy(&t, p, sizeof t);
    const __m128i z = _mm_setzero_si128();
    const __m128i x = _mm_unpacklo_epi8(_mm_cvtsi32_si128(t), z);
    return (fl_vf)_mm_cvtepi32_ps(_mm_unpacklo_epi16(x, z));
#else
    fl_vu8 v;
    memcpy(&v, p, sizeof v);
    return __builtin_convertvector(v, fl_vf);
#endif
}

/* Channels of FL_VL packed RGB uint8 pixels (3 FL_VL bytes at src) into r,
 * g, b as floats: converted in registers (no float copy in memory, whose
 * narrower stores a wide load could not forward), then value v of the three
 * vectors is channel v % 3 of pixel v / 3; each plane takes its values from
 * the first two vectors, then the third. */
FL_INLINE void fl_rgb_planes(const uint8_t *src, fl_vf *r, fl_vf *g, fl_vf *b)
{
    const fl_vf A = fl_vf_load_u8(src), B = fl_vf_load_u8(src + FL_VL);
    const fl_vf C = fl_vf_load_u8(src + 2 * FL_VL);
#if FL_VL == 4
    fl_vf t = FL_SHUFFLE(A, B, 0, 3, 6, 0);
    *r = FL_SHUFFLE(t, C, 0, 1, 2, 5);
    t = FL_SHUFFLE(A, B, 1, 4, 7, 0);
    *g = FL_SHUFFLE(t, C, 0, 1, 2, 6);
    t = FL_SHUFFLE(A, B, 2, 5, 0, 0);
    *b = FL_SHUFFLE(t, C, 0, 1, 4, 7);
#elif FL_VL == 8
    fl_vf t = FL_SHUFFLE(A, B, 0, 3, 6, 9, 12, 15, 0, 0);
    *r = FL_SHUFFLE(t, C, 0, 1, 2, 3, 4, 5, 10, 13);
    t = FL_SHUFFLE(A, B, 1, 4, 7, 10, 13, 0, 0, 0);
    *g = FL_SHUFFLE(t, C, 0, 1, 2, 3, 4, 8, 11, 14);
    t = FL_SHUFFLE(A, B, 2, 5, 8, 11, 14, 0, 0, 0);
    *b = FL_SHUFFLE(t, C, 0, 1, 2, 3, 4, 9, 12, 15);
#elif FL_VL == 16
    fl_vf t = FL_SHUFFLE(A, B, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
    *r = FL_SHUFFLE(t, C, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29);
    t = FL_SHUFFLE(A, B, 1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0);
    *g = FL_SHUFFLE(t, C, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30);
    t = FL_SHUFFLE(A, B, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0);
    *b = FL_SHUFFLE(t, C, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31);
#else
    float pr[FL_VL], pg[FL_VL], pb[FL_VL];
    (void)A, (void)B, (void)C;
    for (int k = 0; k < FL_VL; k++) {
        pr[k] = src[3 * k];
        pg[k] = src[3 * k + 1];
        pb[k] = src[3 * k + 2];
    }
    *r = fl_vf_load(pr);
    *g = fl_vf_load(pg);
    *b = fl_vf_load(pb);
#endif
}

#endif
#endif
