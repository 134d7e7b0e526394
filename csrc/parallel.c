/* Thread-count defaults and build introspection. */
#include "common.h"

int fl_default_num_threads(void) { return omp_get_max_threads(); }

int fl_openmp_enabled(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

const char *fl_simd_path(void)
{
#if FL_HAVE_MULTIVERSION
    __builtin_cpu_init();
    /* the test the target_clones resolvers make (AVX2, FMA, BMI1/2, ...) */
    if (__builtin_cpu_supports("x86-64-v3"))
        return "x86-64-v3 (AVX2+FMA)";
    return "x86-64 baseline (SSE2)";
#elif FL_HAVE_VECTOR_EXT
    return "generic vector extensions";
#else
    return "scalar";
#endif
}
