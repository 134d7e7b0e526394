/* The choice of instruction-set level (see kernels.h). */
#include <stdlib.h>
#include <string.h>

#include "fastlin_config.h"
#include "kernels.h"

extern const fl_kernel_table fl_kernels_baseline;
#if FASTLIN_X86_LEVELS
extern const fl_kernel_table fl_kernels_avx2, fl_kernels_avx512;
#endif

static const struct {
    const fl_kernel_table *table;
    const char *description;
} levels[] = {
#if FASTLIN_X86_LEVELS
    {&fl_kernels_baseline, "x86-64 baseline (SSE2)"},
    {&fl_kernels_avx2, "x86-64-v3 (AVX2, FMA)"},
    {&fl_kernels_avx512, "x86-64-v4 (AVX-512 F/BW/DQ/VL)"},
#elif FL_HAVE_VECTOR_EXT
    {&fl_kernels_baseline, "portable C with 16-byte vector extensions"},
#else
    {&fl_kernels_baseline, "portable C"},
#endif
};
enum { NLEVELS = (int)(sizeof levels / sizeof levels[0]) };

int fl_simd_count(void) { return NLEVELS; }

const char *fl_simd_name(int i) { return i >= 0 && i < NLEVELS ? levels[i].table->name : NULL; }

const char *fl_simd_description(int i)
{
    return i >= 0 && i < NLEVELS ? levels[i].description : NULL;
}

int fl_simd_supported(int i)
{
    if (i < 0 || i >= NLEVELS) return 0;
#if FASTLIN_X86_LEVELS
    __builtin_cpu_init();
    /* what -march=x86-64-v3 / -v4 let the compiler use; the checks also ask
     * whether the OS saves the wide registers */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
    const int v3 = __builtin_cpu_supports("x86-64-v3");
    const int v4 = __builtin_cpu_supports("x86-64-v4");
#else
    const int v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                   __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
                   __builtin_cpu_supports("popcnt");
    const int v4 = v3 && __builtin_cpu_supports("avx512f") &&
                   __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
                   __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd");
#endif
    return i == 0 || (i == 1 && v3) || (i == 2 && v4);
#else
    return 1;
#endif
}

static int find(const char *name)
{
    for (int i = 0; i < NLEVELS; i++)
        if (strcmp(name, levels[i].table->name) == 0) return i;
    return -1;
}

#if defined(__GNUC__) || defined(__clang__)
#define LOAD(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#else
#define LOAD(p) (p)
#define STORE(p, v) ((p) = (v))
#endif

static const fl_kernel_table *active;
static int request = FL_SIMD_DEFAULT;

static const fl_kernel_table *choose(void)
{
    int best = 0;
    for (int i = 0; i < NLEVELS; i++)
        if (fl_simd_supported(i)) best = i;
    const char *env = getenv("FASTLIN_SIMD");
    int status = FL_SIMD_DEFAULT;
    if (env && *env) {
        const int i = find(env);
        if (i < 0)
            status = FL_SIMD_UNKNOWN;
        else if (!fl_simd_supported(i))
            status = FL_SIMD_UNSUPPORTED;
        else {
            status = FL_SIMD_FORCED;
            best = i;
        }
    }
    STORE(request, status);
    return levels[best].table;
}

const fl_kernel_table *fl_active_kernels(void)
{
    const fl_kernel_table *t = LOAD(active);
    if (!t) {
        /* threads racing here compute the same choice */
        t = choose();
        STORE(active, t);
    }
    return t;
}

int fl_simd_request(void)
{
    fl_active_kernels();
    return LOAD(request);
}

int fl_simd_select(const char *name)
{
    fl_active_kernels();
    const int i = find(name);
    if (i < 0) return FL_SIMD_UNKNOWN;
    if (!fl_simd_supported(i)) return FL_SIMD_UNSUPPORTED;
    STORE(active, levels[i].table);
    return FL_SIMD_FORCED;
}
