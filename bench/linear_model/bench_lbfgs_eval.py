"""One evaluation of the softmax objective (loss + gradient, with intercept): scikit-learn
against fastlin, on CIFAR-10-sized random data, 2 threads, best of 7.

    python bench/linear_model/bench_lbfgs_eval.py [--n 49000] [--threads 2]

scikit-learn: the LinearModelLoss(HalfMultinomialLoss).loss_gradient that its
LogisticRegression(lbfgs) calls once per L-BFGS evaluation (float64, as it trains); fastlin: the
fused kernel in float64 and float32. With the same L-BFGS-B (SciPy) on both sides, the ratio of
these times is the ratio of whole fits, up to the iteration counts and a fit's one-off costs.
"""
import argparse

import numpy as np
from sklearn._loss.loss import HalfMultinomialLoss
from sklearn.linear_model._linear_loss import LinearModelLoss
from threadpoolctl import threadpool_limits

import fastlin
from fastlin.bench import best_time, host_description


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=49000)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    n, d, c, reg, th = args.n, 3072, 10, 1e-2, args.threads
    rng = np.random.default_rng(0)
    X64 = rng.standard_normal((n, d))
    X32 = X64.astype(np.float32)
    y = rng.integers(0, c, n)
    coef = 1e-3 * rng.standard_normal((c, d + 1))  # scikit-learn's layout: (C, D + 1)
    loss = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=c), fit_intercept=True)
    sw = np.ones(n)
    C = 1 / (2 * reg * n)  # the same objective (see README, "Full-batch L-BFGS")
    W64, b64 = np.ascontiguousarray(coef[:, :d].T), coef[:, d].copy()
    W32, b32 = W64.astype(np.float32), b64.astype(np.float32)
    with threadpool_limits(th):
        times = {
            "scikit-learn LinearModelLoss(HalfMultinomialLoss) float64": best_time(
                lambda: loss.loss_gradient(coef.ravel(order="F"), X64, y.astype(np.float64), sw,
                                           l2_reg_strength=1.0 / (C * n), n_threads=th), 7),
            "fastlin softmax_loss float64": best_time(
                lambda: fastlin.softmax_loss(W64, X64, y, reg, b=b64, num_threads=th), 7),
            "fastlin softmax_loss float32": best_time(
                lambda: fastlin.softmax_loss(W32, X32, y, reg, b=b32, num_threads=th), 7),
        }
    print(f"host: {host_description()}\nn={n} D={d} C={c}, {th} threads; "
          f"one evaluation (loss + gradient):")
    ref = next(iter(times.values()))
    for label, t in times.items():
        print(f"  {label:58s}{t * 1e3:9.2f} ms  {ref / t:6.2f}x")


if __name__ == "__main__":
    main()
