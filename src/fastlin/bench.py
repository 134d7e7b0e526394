"""Kernel benchmark: fastlin beside NumPy and the machine's floors, one run.

Used by ``fastlin bench`` and ``bench/bench_loss.py``. Synthetic
CIFAR-10-shaped data (N=49000, D=3073, C=10) unless told otherwise.

Peers: NumPy's vectorized reference (:mod:`fastlin.reference`) and a lean
NumPy implementation (one ``X @ W``, the margins in place, one ``X.T @ G``).
Floors of a full-batch call: its 4NDC flops at NumPy's square-matmul rate
(same dtype and threads) and one read of X at the threads' read bandwidth;
the larger one is the floor. Minibatches of ``batch`` rows: the same rows every
call ("idx": they stay in cache), and a fresh batch every call ("fresh idx", a
training loop's case: the rows come from memory).
"""

import contextlib
import itertools
import os
import platform
import time
from concurrent.futures import ThreadPoolExecutor

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


def cpu_model():
    """The CPU's model name (/proc/cpuinfo on Linux), else platform.processor()."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def blas_description():
    """NumPy's BLAS and the kernels it runs, e.g. "openblas 0.3.29, SkylakeX kernels"; names
    OPENBLAS_CORETYPE when it forces the kernels (peers timed with it are slower than a
    user's NumPy on the same CPU). Needs threadpoolctl for the kernels."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not blas:
        return "none found"
    info = blas[0]
    text = f"{info.get('internal_api')} {info.get('version')}"
    if info.get("architecture"):
        text += f", {info['architecture']} kernels"
    forced = os.environ.get("OPENBLAS_CORETYPE")
    if forced and info.get("internal_api") == "openblas":
        text += f" (forced by OPENBLAS_CORETYPE={forced})"
    return text


def host_description():
    """One line: CPU model, logical CPUs, fastlin's SIMD level and NumPy's BLAS kernels."""
    from ._ext._build_info import simd_level
    return (f"{cpu_model()}; {os.cpu_count()} logical CPUs; fastlin SIMD level {simd_level()}; "
            f"BLAS {blas_description()}")


def _blas_limit(num_threads):
    """Context limiting NumPy's BLAS to num_threads, if threadpoolctl is there."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=num_threads, user_api="blas")


def matmul_gflops(dtype, repeat, size=2000):
    """FMA peak proxy: GFLOP/s of a large square matmul through NumPy's BLAS."""
    a = np.random.default_rng(1).standard_normal((size, size)).astype(dtype)
    return 2 * size**3 / best_time(lambda: a @ a, repeat) / 1e9


def read_seconds(X, num_threads, repeat):
    """One read of X by num_threads threads, each taking the max of its share of rows."""
    parts = np.array_split(X, num_threads)
    with ThreadPoolExecutor(num_threads) as pool:
        return best_time(lambda: list(pool.map(np.max, parts)), repeat)


def lean_svm_loss(W, X, y, reg):
    """Multiclass SVM loss and gradient in NumPy with the fewest passes and temporaries."""
    n = X.shape[0]
    rows = np.arange(n)
    M = X @ W
    M -= M[rows, y][:, None] - 1
    M[rows, y] = 0
    np.maximum(M, 0, out=M)
    loss = M.sum() / n + reg * np.vdot(W, W)
    G = np.greater(M, 0, out=M)  # bool into the float buffer: 0/1
    G[rows, y] = -G.sum(axis=1)
    dW = X.T @ G
    dW *= 1 / n
    dW += 2 * reg * W
    return loss, dW


def lean_softmax_loss(W, X, y, reg):
    """Softmax cross-entropy and gradient in NumPy with the fewest passes and temporaries."""
    n = X.shape[0]
    rows = np.arange(n)
    S = X @ W
    S -= S.max(axis=1, keepdims=True)
    sy = S[rows, y].copy()
    np.exp(S, out=S)
    total = S.sum(axis=1)
    loss = (np.log(total) - sy).sum() / n + reg * np.vdot(W, W)
    S /= total[:, None]
    S[rows, y] -= 1
    dW = X.T @ S
    dW *= 1 / n
    dW += 2 * reg * W
    return loss, dW


@contextlib.contextmanager
def _simd(level):
    """Run the kernels on SIMD `level` (None: leave as is) inside the block."""
    if level is None:
        yield
        return
    from ._ext._build_info import select_simd, simd_level
    before = simd_level()
    select_simd(level)
    try:
        yield
    finally:
        select_simd(before)


def run(n=49000, d=3073, c=10, dtypes=("float32", "float64"), num_threads=2,
        batch=200, repeat=5, seed=0, simd=None, file=None):
    """Time everything and print one table per dtype; return the rows.

    simd: list of SIMD levels to time fastlin on (None: the level in use).
    """
    from ._ext._build_info import simd_level

    levels = list(simd) if simd else [None]
    print(f"host: {host_description()}", file=file)
    rng = np.random.default_rng(seed)
    results = []
    with _blas_limit(num_threads):
        for name in dtypes:
            dtype = np.dtype(name)
            X = rng.standard_normal((n, d), dtype=np.float32).astype(dtype, copy=False)
            W = (1e-4 * rng.standard_normal((d, c))).astype(dtype)
            y = rng.integers(0, c, n)
            idx = rng.integers(0, n, batch)
            # a fresh batch every call, as in a training loop: 64 sets, more rows than any cache
            batches = [rng.integers(0, n, batch) for _ in range(64)]
            gflops = matmul_gflops(dtype, max(2, repeat // 2))
            flops = 4.0 * n * d * c
            floors = {
                "FMA floor (4NDC at the matmul rate)": flops / (gflops * 1e9),
                f"read floor (X by {num_threads} threads)": read_seconds(X, num_threads, repeat),
            }
            floor = max(floors.values())
            rows = []
            for loss, fast, ref, lean in (
                ("svm", svm_loss, reference.svm_loss_vectorized, lean_svm_loss),
                ("softmax", softmax_loss, reference.softmax_loss_vectorized, lean_softmax_loss),
            ):
                tn = best_time(lambda: ref(W, X, y, 1e-3), repeat)
                tl = best_time(lambda: lean(W, X, y, 1e-3), repeat)
                bn = best_time(lambda: ref(W, X[idx], y[idx], 1e-3), repeat * 20)
                bl = best_time(lambda: lean(W, X[idx], y[idx], 1e-3), repeat * 20)
                fresh = itertools.cycle(batches)
                rn = best_time(lambda: ref(W, X[(i := next(fresh))], y[i], 1e-3), repeat * 20)
                rl = best_time(lambda: lean(W, X[(i := next(fresh))], y[i], 1e-3), repeat * 20)
                for level in levels:
                    with _simd(level):
                        tag = f" [{simd_level()}]" if len(levels) > 1 else ""
                        tf = best_time(lambda: fast(W, X, y, 1e-3, num_threads=num_threads),
                                       repeat)
                        bf = best_time(lambda: fast(W, X, y, 1e-3, idx=idx,
                                                    num_threads=num_threads), repeat * 20)
                        rf = best_time(lambda: fast(W, X, y, 1e-3, idx=next(fresh),
                                                    num_threads=num_threads), repeat * 20)
                    rows.append((f"{loss} full batch{tag}", n, tn, tl, tf, tf / floor))
                    rows.append((f"{loss} minibatch {batch} (idx){tag}", batch, bn, bl, bf, None))
                    rows.append((f"{loss} minibatch {batch} (fresh idx){tag}", batch, rn, rl, rf,
                                 None))
            print(f"\n{name}: N={n} D={d} C={c}, {num_threads} threads, "
                  f"matmul {gflops:.0f} GFLOP/s", file=file)
            print(f"{'':44s}{'ref ms':>9s}{'lean ms':>9s}{'fastlin':>9s}{'vs ref':>8s}"
                  f"{'vs lean':>8s}{'/floor':>7s}{'GFLOP/s':>8s}", file=file)
            for label, m, tn, tl, tf, fl in rows:
                ratio = f"{fl:6.2f}x" if fl is not None else f"{'':7s}"
                print(f"{label:44s}{tn * 1e3:9.2f}{tl * 1e3:9.2f}{tf * 1e3:9.2f}"
                      f"{tn / tf:7.2f}x{tl / tf:7.2f}x{ratio}{4.0 * m * d * c / tf / 1e9:8.1f}",
                      file=file)
            for label, v in floors.items():
                print(f"{label:44s}{'':18s}{v * 1e3:9.2f}", file=file)
            results.append({"dtype": name, "rows": rows, "floors": floors, "gflops": gflops})
    return results
