/* Thread-count defaults, and the guard against late threads. */
#include "common.h"

/* Small calls left to run on one thread since the guard tripped, and which of
 * the last FL_LAG_WINDOW small parallel calls started a thread late (bits). */
static int fl_lag_calls;
static unsigned fl_lag_seen;

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
    int one = 0;
#ifdef _OPENMP
#pragma omp critical(fl_lag)
#endif
    {
        if (fl_lag_calls > 0) {
            fl_lag_calls--;
            one = 1;
        }
    }
    return one ? 1 : T;
}

void fl_team_lag(int T, double work, double lag)
{
    if (T <= 1 || work >= FL_LAG_WORK)
        return;
#ifdef _OPENMP
#pragma omp critical(fl_lag)
#endif
    {
        fl_lag_seen = ((fl_lag_seen << 1) | (lag >= FL_LAG_SECONDS)) & ((1u << FL_LAG_WINDOW) - 1);
        int late = 0;
        for (unsigned b = fl_lag_seen; b; b >>= 1) late += (int)(b & 1);
        if (late >= FL_LAG_LATE) {
            fl_lag_calls = FL_LAG_CALLS;
            fl_lag_seen = 0;
        }
    }
}

int fl_openmp_enabled(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}
