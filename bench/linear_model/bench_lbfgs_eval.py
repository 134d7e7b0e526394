"""One evaluation of the softmax objective (loss + gradient, with intercept): scikit-learn
against fastlin, on CIFAR-10-sized random data, 2 threads, best of 7.

    python bench/linear_model/bench_lbfgs_eval.py [N]

scikit-learn: the LinearModelLoss(HalfMultinomialLoss).loss_gradient that its
LogisticRegression(lbfgs) calls once per L-BFGS evaluation (float64, as it trains); fastlin: the
fused kernel in float64 and float32. With the same L-BFGS-B (SciPy) on both sides, the ratio of
these times is the ratio of whole fits, up to the iteration counts and a fit's one-off costs.
"""
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits
import fastlin
from sklearn.linear_model._linear_loss import LinearModelLoss
from sklearn._loss.loss import HalfMultinomialLoss
rng = np.random.default_rng(0)
n, d, c = int(sys.argv[1]) if len(sys.argv) > 1 else 49000, 3072, 10
X64 = rng.standard_normal((n, d)); y = rng.integers(0, c, n).astype(np.float64); yi = y.astype(np.int64)
X32 = X64.astype(np.float32)
reg = 1e-2; C = 1 / (2 * reg * n)
lml = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=c), fit_intercept=True)
coef = 1e-3 * rng.standard_normal((c, d + 1))
sw = np.ones(n)
def best(f, k=7):
    f(); b = 9
    for _ in range(k):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return b
with threadpool_limits(2):
    ts = best(lambda: lml.loss_gradient(coef.ravel(order="F"), X64, y, sw, l2_reg_strength=1.0 / (C * sw.sum()), n_threads=2))
    W64 = np.ascontiguousarray(coef[:, :d].T); b64 = coef[:, d].copy()
    t64 = best(lambda: fastlin.softmax_loss(W64, X64, yi, reg, b=b64, num_threads=2))
    W32 = W64.astype(np.float32); b32 = b64.astype(np.float32)
    t32 = best(lambda: fastlin.softmax_loss(W32, X32, yi, reg, b=b32, num_threads=2))
    tmm = best(lambda: X64 @ W64)
    tmm32 = best(lambda: X32 @ W32)
from fastlin._ext._build_info import simd_level
import platform
print(f"{platform.processor() or platform.machine()}; n={n} D={d}: per evaluation (loss + gradient), 2 threads, fastlin level {simd_level()}")
print(f"  scikit-learn LinearModelLoss(HalfMultinomialLoss) float64  {ts*1e3:8.2f} ms")
print(f"  fastlin softmax_loss float64                               {t64*1e3:8.2f} ms  {ts/t64:5.2f}x")
print(f"  fastlin softmax_loss float32                               {t32*1e3:8.2f} ms  {ts/t32:5.2f}x")
print(f"  one X @ W (NumPy) float64 / float32                        {tmm*1e3:8.2f} / {tmm32*1e3:.2f} ms")
