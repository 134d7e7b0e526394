/* Shared definitions of the fastlin C core: status codes, SIMD vector
 * types, function multiversioning and the OpenMP shim. C99 + GNU vector
 * extensions where the compiler has them; no Python headers. */
#ifndef FASTLIN_COMMON_H
#define FASTLIN_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Status codes returned by every kernel entry point. */
enum {
    FL_OK = 0,
    FL_ENOMEM = 1, /* scratch allocation failed */
};

#if defined(__GNUC__) || defined(__clang__)
#define FL_INLINE static inline __attribute__((always_inline))
#define FL_HAVE_VECTOR_EXT 1
#else
#define FL_INLINE static inline
#define FL_HAVE_VECTOR_EXT 0
#endif

/* Hot block kernels are compiled twice on x86-64 Linux/GCC (baseline and
 * x86-64-v3 = AVX2+FMA) and picked once at load time through an ifunc.
 * ifuncs need glibc's loader: musl (no __GLIBC__) gets the baseline only. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__linux__) && defined(__GLIBC__) && (__GNUC__ >= 12)
#define FL_HAVE_MULTIVERSION 1
#define FL_MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define FL_HAVE_MULTIVERSION 0
#define FL_MULTIVERSION
#endif

/* 32-byte SIMD vectors: one AVX register, two SSE registers. */
#define FL_VBYTES 32
#if FL_HAVE_VECTOR_EXT
typedef float fl_vf __attribute__((vector_size(FL_VBYTES)));
typedef double fl_vd __attribute__((vector_size(FL_VBYTES)));
/* the integer vectors of the same lane counts (comparison masks) */
typedef int32_t fl_vi32 __attribute__((vector_size(FL_VBYTES)));
typedef int64_t fl_vi64 __attribute__((vector_size(FL_VBYTES)));
#endif

#ifdef _OPENMP
#include <omp.h>
#else
FL_INLINE int omp_get_thread_num(void) { return 0; }
FL_INLINE int omp_get_num_threads(void) { return 1; }
FL_INLINE int omp_get_max_threads(void) { return 1; }
FL_INLINE int omp_get_thread_limit(void) { return 1; }
FL_INLINE int omp_get_num_procs(void) { return 1; }
#endif

/* Threads used when the caller passes num_threads <= 0 (at most fl_thread_cap()). */
int fl_default_num_threads(void);
/* Most threads a kernel starts: OpenMP's thread limit, and at most
 * max(4 x processors, 64) (libgomp aborts or crashes on absurd team sizes). */
int fl_thread_cap(void);
/* Threads of a parallel region: `requested` (<= 0: the default) capped to
 * fl_thread_cap() and to `work` (independent items, e.g. images), at least 1. */
int fl_num_threads(int requested, ptrdiff_t work);
/* 1 when the core was compiled with OpenMP. */
int fl_openmp_enabled(void);
/* Name of the SIMD code path the block kernels run on this CPU. */
const char *fl_simd_path(void);

#endif
