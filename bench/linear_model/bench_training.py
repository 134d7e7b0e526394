"""Training benchmarks on CIFAR-10 (49,000 train / 1,000 validation from the training batches).

    nice -n -20 python bench/linear_model/bench_training.py [--data DIR] [--threads 1,2] [--repeats 3]
                                               [--skip-sklearn] [--sgd-max-iter 15]

0. The machine, measured in the same run: load average, NumPy's float64 matmul rate on
   1000x1000 matrices (the compute peak a BLAS reaches here) and the read bandwidth of X.sum()
   over the float64 training matrix, at each thread count.
1. The course loop in NumPy (batch 200 drawn with replacement, 1500 iterations, lr 1e-7,
   reg 2.5e4; gather X[idx] + vectorized loss + W -= lr*dW; float64, mean-subtracted pixels with a
   bias column) against fastlin.compat.cs231n with the same settings: validation accuracy, wall
   time (best of --repeats) and the lower bound that the FLOPs and bytes of one iteration put on
   any implementation at the measured matmul rate and bandwidth.
2. fastlin.Softmax() / fastlin.LinearSVM() at their defaults against scikit-learn's
   SGDClassifier(hinge), SGDClassifier(log_loss) (both capped at --sgd-max-iter epochs, tol 1e-3,
   n_jobs = threads) and LogisticRegression(lbfgs), all behind a StandardScaler fitted on the
   training rows, float64 input. fastlin: best of --repeats; scikit-learn: best of --sk-repeats.

Thread counts are switched inside the run with threadpoolctl (OpenMP and BLAS alike).
"""

import argparse
import os
import time
import warnings

import numpy as np


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


def best_of(fn, repeats):
    """(best wall time, result of the last call)."""
    best, out = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def course_loop(loss_fn, X, y, lr, reg, num_iters, batch_size, seed):
    """The course's LinearClassifier.train, in NumPy (global generator, as the course)."""
    np.random.seed(seed)
    W = 0.001 * np.random.randn(X.shape[1], int(y.max()) + 1)
    for _ in range(num_iters):
        idx = np.random.choice(X.shape[0], batch_size)
        loss, dW = loss_fn(W, X[idx], y[idx], reg)
        W -= lr * dW
    return W


def machine(X, threads_list, repeats):
    """{threads: (matmul GFLOP/s, X.sum() GB/s)}."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((1000, 1000)), rng.standard_normal((1000, 1000))
    out = {}
    for th in threads_list:
        with threadpool_limits(th):
            A @ B
            t_mm, _ = best_of(lambda: A @ B, max(5, repeats))
            t_sum, _ = best_of(lambda: X.sum(), max(3, repeats))
        out[th] = (2e9 / t_mm / 1e9, X.nbytes / t_sum / 1e9)
        print(f"  threads {th}: matmul 1000x1000 float64 {out[th][0]:6.1f} GFLOP/s, "
              f"X.sum() over {X.nbytes / 1e9:.2f} GB {out[th][1]:5.1f} GB/s", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data")
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sk-repeats", type=int, default=1)
    ap.add_argument("--sgd-max-iter", type=int, default=15)
    ap.add_argument("--skip-sklearn", action="store_true")
    ap.add_argument("--skip-course", action="store_true")
    args = ap.parse_args()
    threads_list = [int(t) for t in args.threads.split(",")]
    os.environ.setdefault("OMP_NUM_THREADS", str(max(threads_list)))
    from threadpoolctl import threadpool_limits

    import fastlin
    import fastlin.bench
    from fastlin import reference
    from fastlin.compat import cs231n
    from fastlin.datasets import load_cifar10, train_val_split

    print(f"host: {fastlin.bench.host_description()}")
    print(f"load average at start: {loadavg()} ({os.cpu_count()} CPUs); fastlin {fastlin.__version__}, "
          f"numpy {np.__version__}")
    d = load_cifar10(args.data, split="train")
    X = d.X_train.reshape(len(d.X_train), -1)
    Xtr, ytr, Xva, yva = train_val_split(X, d.y_train)
    print(f"CIFAR-10 from {d.root}: train {Xtr.shape}, validation {Xva.shape}; repeats {args.repeats}")

    mean = Xtr.mean(axis=0)
    Xb = np.hstack([Xtr - mean, np.ones((len(Xtr), 1))])
    Xvb = np.hstack([Xva - mean, np.ones((len(Xva), 1))])
    print("\n0. machine")
    mach = machine(Xb, threads_list, args.repeats)

    # -- 1. course loop ------------------------------------------------------------------------
    S = dict(lr=1e-7, reg=2.5e4, num_iters=1500, batch_size=200)
    if not args.skip_course:
        N, D = Xb.shape
        C = int(ytr.max()) + 1
        B = S["batch_size"]
        flops = 4.0 * B * D * C  # scores X W (2BDC) + gradient X^T G (2BDC)
        nbytes = 8.0 * B * D  # the minibatch rows, read once at best
        print(f"\n1. course loop, raw pixels (mean-subtracted, bias column), float64, {S}")
        print(f"   per iteration: {flops / 1e6:.1f} MFLOP (4*B*D*C, B={B}, D={D}, C={C}) and "
              f"{nbytes / 1e6:.1f} MB of rows")
        print(f"{'model':8s} {'thr':>3s} {'numpy acc':>9s} {'numpy s':>8s} {'fastlin acc':>11s} {'fastlin s':>9s} "
              f"{'speed-up':>8s} {'bound s':>8s} {'numpy/4':>8s}")
        for th in threads_list:
            gflops, gbs = mach[th]
            bound = S["num_iters"] * max(flops / (gflops * 1e9), nbytes / (gbs * 1e9))
            for name, ref, cls in [("svm", reference.svm_loss_vectorized, cs231n.LinearSVM),
                                   ("softmax", reference.softmax_loss_vectorized, cs231n.Softmax)]:
                with threadpool_limits(th):
                    t_np, W = best_of(lambda: course_loop(ref, Xb, ytr, S["lr"], S["reg"], S["num_iters"],
                                                          S["batch_size"], 0), args.repeats)

                    def run_fl():
                        np.random.seed(0)
                        clf = cls()
                        clf.train(Xb, ytr, learning_rate=S["lr"], reg=S["reg"], num_iters=S["num_iters"],
                                  batch_size=S["batch_size"])
                        return clf

                    t_fl, clf = best_of(run_fl, args.repeats)
                acc_np = np.mean(np.argmax(Xvb @ W, 1) == yva)
                acc_fl = np.mean(clf.predict(Xvb) == yva)
                print(f"{name:8s} {th:3d} {acc_np:9.3f} {t_np:8.2f} {acc_fl:11.3f} {t_fl:9.2f} "
                      f"{t_np / t_fl:7.1f}x {bound:8.2f} {t_np / 4:8.2f}", flush=True)
        print("   bound s: iterations * max(FLOPs / matmul rate, bytes / X.sum() bandwidth) at that thread "
              "count; the 4x target needs fastlin s <= numpy/4, impossible where bound s > numpy/4")

    # -- 2. estimators -------------------------------------------------------------------------
    from sklearn.preprocessing import StandardScaler

    sc = StandardScaler().fit(Xtr)
    Xs, Xvs = sc.transform(Xtr), sc.transform(Xva)
    print(f"\n2. estimators at defaults, StandardScaler in front, float64 input (load {loadavg()})")
    print(f"{'model':38s} {'thr':>3s} {'val acc':>8s} {'fit s':>8s} {'epochs':>7s}")
    results = []
    for th in threads_list:
        for name, make in [("fastlin.Softmax()", lambda: fastlin.Softmax(random_state=0)),
                           ("fastlin.LinearSVM()", lambda: fastlin.LinearSVM(random_state=0)),
                           ("fastlin.Softmax(dtype=None) [float64]",
                            lambda: fastlin.Softmax(dtype=None, random_state=0)),
                           ("fastlin.Softmax(average=False)",
                            lambda: fastlin.Softmax(average=False, random_state=0))]:
            with threadpool_limits(th), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, m = best_of(lambda: make().fit(Xs, ytr), args.repeats)
            acc = m.score(Xvs, yva)
            results.append((name, th, acc, t))
            print(f"{name:38s} {th:3d} {acc:8.3f} {t:8.2f} {m.n_iter_:7d}", flush=True)
    if not args.skip_sklearn:
        from sklearn.linear_model import LogisticRegression, SGDClassifier

        th = max(threads_list)
        k = args.sgd_max_iter
        sk = [(f"SGDClassifier(hinge, max_iter={k})",
               lambda: SGDClassifier(loss="hinge", max_iter=k, tol=1e-3, n_jobs=th, random_state=0)),
              (f"SGDClassifier(log_loss, max_iter={k})",
               lambda: SGDClassifier(loss="log_loss", max_iter=k, tol=1e-3, n_jobs=th, random_state=0)),
              ("LogisticRegression(lbfgs)", lambda: LogisticRegression(max_iter=100))]
        for name, make in sk:
            with threadpool_limits(th), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, m = best_of(lambda: make().fit(Xs, ytr), args.sk_repeats)
            acc = m.score(Xvs, yva)
            n_it = int(np.max(m.n_iter_))
            results.append((name, th, acc, t))
            print(f"{name:38s} {th:3d} {acc:8.3f} {t:8.2f} {n_it:7d}", flush=True)
        print()
        fl = [r for r in results if r[0] in ("fastlin.Softmax()", "fastlin.LinearSVM()")]
        skr = [r for r in results if not r[0].startswith("fastlin")]
        for name, th, acc, t in fl:
            peers = [r for r in skr if r[2] >= acc]
            if peers:
                b = min(peers, key=lambda r: r[3])
                print(f"{name} (threads {th}, {acc:.3f}): {b[3] / t:.1f}x faster than {b[0]} "
                      f"({b[2]:.3f}, {b[3]:.2f} s), the fastest scikit-learn model at >= {acc:.3f}")
            else:
                b = max(skr, key=lambda r: r[2])
                print(f"{name} (threads {th}, {acc:.3f}): no scikit-learn model reached {acc:.3f}; "
                      f"{b[3] / t:.1f}x faster than the most accurate, {b[0]} ({b[2]:.3f}, {b[3]:.2f} s)")
    print(f"\nload average at end: {loadavg()}")


if __name__ == "__main__":
    main()
