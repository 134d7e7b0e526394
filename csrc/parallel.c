/* Thread-count defaults, and the guard against late threads. */
#include "common.h"

/* Small calls left to run on one thread since a late thread tripped the guard. */
static int fl_lag_calls;

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

int fl_team_threads(int T, double work)
{
    if (T <= 1 || work >= FL_LAG_WORK)
        return T;
    int left;
#if defined(_OPENMP) && _OPENMP >= 201107
#pragma omp atomic read
#endif
    left = fl_lag_calls;
    if (left <= 0)
        return T;
#ifdef _OPENMP
#pragma omp atomic
#endif
    fl_lag_calls -= 1;
    return 1;
}

void fl_team_lag(int T, double work, double lag)
{
    if (T <= 1 || work >= FL_LAG_WORK || lag < FL_LAG_SECONDS)
        return;
#if defined(_OPENMP) && _OPENMP >= 201107
#pragma omp atomic write
#endif
    fl_lag_calls = FL_LAG_CALLS;
}

int fl_openmp_enabled(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}
