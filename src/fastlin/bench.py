"""Kernel benchmark: fastlin beside NumPy and the machine's floors, one run.

Used by ``fastlin bench`` and ``bench/bench_loss.py``. Synthetic
CIFAR-10-shaped data (N=49000, D=3073, C=10) unless told otherwise.
"""

import time

import numpy as np

from . import reference
from .losses import softmax_loss, svm_loss


def best_time(fn, repeat):
    """Minimum wall time of `repeat` calls after one warm-up call, in seconds."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _blas_limit(num_threads):
    """Context limiting NumPy's BLAS to num_threads, if threadpoolctl is there."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        import contextlib
        return contextlib.nullcontext()
    return threadpool_limits(limits=num_threads, user_api="blas")


def matmul_gflops(dtype, repeat, size=2000):
    """FMA peak proxy: GFLOP/s of a large square matmul through NumPy's BLAS."""
    a = np.random.default_rng(1).standard_normal((size, size)).astype(dtype)
    return 2 * size**3 / best_time(lambda: a @ a, repeat) / 1e9


def run(n=49000, d=3073, c=10, dtypes=("float32", "float64"), num_threads=2,
        batch=200, repeat=5, seed=0, file=None):
    """Time everything and print one table per dtype; return the rows."""
    rng = np.random.default_rng(seed)
    results = []
    with _blas_limit(num_threads):
        for name in dtypes:
            dtype = np.dtype(name)
            X = rng.standard_normal((n, d), dtype=np.float32).astype(dtype, copy=False)
            W = (1e-4 * rng.standard_normal((d, c))).astype(dtype)
            y = rng.integers(0, c, n)
            idx = rng.integers(0, n, batch)
            gflops = matmul_gflops(dtype, max(2, repeat // 2))
            flops = 4.0 * n * d * c
            t = {
                "X.sum() (one read of X)": best_time(lambda: X.sum(), repeat),
                "FMA floor (4NDC / matmul peak)": flops / (gflops * 1e9),
            }
            rows = []
            for loss, fast, ref in (
                ("svm", svm_loss, reference.svm_loss_vectorized),
                ("softmax", softmax_loss, reference.softmax_loss_vectorized),
            ):
                tf = best_time(lambda: fast(W, X, y, 1e-3, num_threads=num_threads), repeat)
                tn = best_time(lambda: ref(W, X, y, 1e-3), repeat)
                bf = best_time(lambda: fast(W, X, y, 1e-3, idx=idx, num_threads=num_threads),
                               repeat * 20)
                bn = best_time(lambda: ref(W, X[idx], y[idx], 1e-3), repeat * 20)
                rows.append((f"{loss} full batch", tn, tf))
                rows.append((f"{loss} minibatch {batch} (idx)", bn, bf))
            print(f"\n{name}: N={n} D={d} C={c}, {num_threads} threads, "
                  f"matmul peak {gflops:.0f} GFLOP/s", file=file)
            print(f"{'':34s}{'NumPy ms':>10s}{'fastlin ms':>12s}{'speed-up':>10s}"
                  f"{'GFLOP/s':>9s}", file=file)
            for label, tn, tf in rows:
                m = batch if "minibatch" in label else n
                print(f"{label:34s}{tn * 1e3:10.2f}{tf * 1e3:12.2f}{tn / tf:9.1f}x"
                      f"{4.0 * m * d * c / tf / 1e9:9.1f}", file=file)
            for label, v in t.items():
                print(f"{label:34s}{'':10s}{v * 1e3:12.2f}", file=file)
            results.append({"dtype": name, "rows": rows, "floors": t, "gflops": gflops})
    return results
