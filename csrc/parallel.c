/* Thread-count defaults. */
#include "common.h"

int fl_thread_cap(void)
{
    int cap = 4 * omp_get_num_procs();
    if (cap < 64) cap = 64;
    const int limit = omp_get_thread_limit();
    if (cap > limit) cap = limit;
    return cap < 1 ? 1 : cap;
}

int fl_default_num_threads(void)
{
    const int t = omp_get_max_threads(), cap = fl_thread_cap();
    return t > cap ? cap : (t < 1 ? 1 : t);
}

int fl_num_threads(int requested, ptrdiff_t work)
{
    int t = requested > 0 ? requested : fl_default_num_threads();
    const int cap = fl_thread_cap();
    if (t > cap) t = cap;
    if ((ptrdiff_t)t > work) t = (int)work;
    return t < 1 ? 1 : t;
}

int fl_openmp_enabled(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}
