/* Shared definitions of the fastlin C core: status codes, SIMD vector
 * types and the OpenMP shim. C99 + GNU vector
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

/* The kernel families (loss, HOG, colour, k-means, encoding, patches) are compiled
 * once per instruction-set level, each object with FL_ISA (its name) and
 * FL_VBYTES (its vector width) defined; see kernels.h.  Inside such an
 * object every entry point carries the level as a suffix. */
#ifdef FL_ISA
#include "isa_names.h"
#endif

/* SIMD vectors of FL_VBYTES bytes: 16 (SSE2, NEON), 32 (AVX2), 64 (AVX-512). */
#ifndef FL_VBYTES
#define FL_VBYTES 32
#endif
#if FL_HAVE_VECTOR_EXT
typedef float fl_vf __attribute__((vector_size(FL_VBYTES)));
typedef double fl_vd __attribute__((vector_size(FL_VBYTES)));
/* the integer vectors of the same lane counts (comparison masks) */
typedef int32_t fl_vi32 __attribute__((vector_size(FL_VBYTES)));
typedef int64_t fl_vi64 __attribute__((vector_size(FL_VBYTES)));
#endif

/* Keeps vector v in a register: the compiler may not fold its load into
 * each instruction that uses it (a load per use).  The constraint naming
 * a SIMD register is "v" on x86-64 and "w" on aarch64. */
#if FL_HAVE_VECTOR_EXT && defined(__x86_64__)
#define FL_PIN(v) __asm__("" : "+v"(v))
#elif FL_HAVE_VECTOR_EXT && defined(__aarch64__)
#define FL_PIN(v) __asm__("" : "+w"(v))
#else
#define FL_PIN(v) (void)0
#endif

#ifdef _OPENMP
#include <omp.h>
#else
FL_INLINE int omp_get_thread_num(void) { return 0; }
FL_INLINE int omp_get_num_threads(void) { return 1; }
FL_INLINE int omp_get_max_threads(void) { return 1; }
FL_INLINE int omp_get_thread_limit(void) { return 1; }
FL_INLINE int omp_get_num_procs(void) { return 1; }
FL_INLINE double omp_get_wtime(void) { return 0; }
#endif

/* Threads used when the caller passes num_threads <= 0 (at most fl_thread_cap()). */
int fl_default_num_threads(void);
/* Most threads a kernel starts: OpenMP's thread limit, and at most
 * max(4 x processors, 64) (libgomp aborts or crashes on absurd team sizes). */
int fl_thread_cap(void);
/* Threads of a parallel region: `requested` (<= 0: the default) capped to
 * fl_thread_cap() and to `work` (independent items, e.g. images), at least 1. */
int fl_num_threads(int requested, ptrdiff_t work);
/* The guard against late threads.  A parallel region ends when its last
 * thread does, and a thread whose core another process holds starts
 * milliseconds late (measured: a 0.4 ms call took 5-12 ms with the other
 * of 2 cores busy).  Results do not depend on the thread count, so when
 * FL_LAG_LATE of the last FL_LAG_WINDOW calls of less than FL_LAG_WORK
 * multiply-adds started a thread more than FL_LAG_SECONDS late, the next
 * FL_LAG_CALLS such calls run on one thread; then threads are tried again.
 * A single late start does not trip it: an idle virtual CPU can take
 * milliseconds to wake now and then (measured on a 2-vCPU VM: 0.7 % of
 * regions 100 us apart, max 20 ms), and one thread would cost every call.
 * Larger calls always use their threads: the work is shared dynamically,
 * so a late thread costs them its delay at most once. */
#define FL_LAG_WORK 268435456.0 /* 2^28 multiply-adds, ~3 ms on one core */
#define FL_LAG_SECONDS 5e-4
#define FL_LAG_WINDOW 8
#define FL_LAG_LATE 2
#define FL_LAG_CALLS 256
/* Threads for a region of `work` multiply-adds planned for T (<= T). */
int fl_team_threads(int T, double work);
/* Reports a region of T threads whose last thread started `lag` seconds
 * after the region (omp_get_wtime()). */
void fl_team_lag(int T, double work, double lag);
/* 1 when the core was compiled with OpenMP. */
int fl_openmp_enabled(void);

#endif
