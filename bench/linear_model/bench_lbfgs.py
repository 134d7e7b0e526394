"""Full-batch L-BFGS: fastlin.Softmax(solver="lbfgs") vs scikit-learn LogisticRegression(lbfgs)
on standardized CIFAR-10 pixels and on HOG + hue features; LinearSVM(solver="lbfgs") vs the SGD
defaults on HOG + hue (held-out accuracy), with the hinge and the squared hinge.

49,000 training / 1,000 held-out images of the CIFAR-10 training batches. Both solvers minimise
the same objective, mean cross-entropy + reg * ||W||^2 (intercept unpenalised), scikit-learn with
C = 1 / (2 reg n); both get the same tol and max_iter. The script prints each fit's time, its
iterations and function evaluations, the objective of its solution recomputed in float64 by one
formula (the relative gap to scikit-learn's), held-out accuracy, and the time ratio.

    FASTLIN_DATA=/path/to/dir python bench/linear_model/bench_lbfgs.py [--sections pixels,hog,svm]
        [--reg 1e-4] [--tol 1e-5] [--max-iter 1000] [--threads 2] [--skip-sklearn]

--data (or FASTLIN_DATA) names the directory holding cifar-10-batches-py (or that directory).
scikit-learn's BLAS gets the same threads as fastlin (threadpoolctl when installed, else the
OPENBLAS/OMP environment).
"""
import argparse
import os
import time
import warnings

import numpy as np


def objective(W, b, X, y, reg):
    """mean cross-entropy + reg ||W||^2 in float64 (W (D, C), b (C,))."""
    from fastlin import softmax_loss

    return softmax_loss(np.ascontiguousarray(W, dtype=np.float64), X, y, reg,
                        b=np.asarray(b, dtype=np.float64))[0]


def standardize(Ftr, Fva):
    m, s = Ftr.mean(0), Ftr.std(0) + 1e-8
    return (Ftr - m) / s, (Fva - m) / s


def hog_hue(X, threads):
    from fastlin import features as F

    return np.hstack([F.hog(X, num_threads=threads),
                      F.color_histogram_hsv(X, nbin=10, num_threads=threads)]).astype(np.float64)


def limit_blas(threads):
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return threadpool_limits(limits=threads)


def compare(name, Xtr, ytr, Xva, yva, args):
    import fastlin

    n = len(Xtr)
    reg = args.reg
    print(f"\n{name}: X {Xtr.shape}, reg={reg:g} (scikit-learn C={1 / (2 * reg * n):.6g}), "
          f"tol={args.tol:g}, max_iter={args.max_iter}", flush=True)
    print(f"{'solver':44s} {'time s':>8s} {'iters':>6s} {'evals':>6s} {'objective':>14s} "
          f"{'rel. gap':>9s} {'val acc':>8s}")
    rows = []
    for dtype in ("float64", "float32"):
        X = Xtr.astype(dtype)
        m = fastlin.Softmax(solver="lbfgs", reg=reg, tol=args.tol, max_iter=args.max_iter,
                            dtype=dtype, num_threads=args.threads)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            t = time.perf_counter()
            m.fit(X, ytr)
            dt = time.perf_counter() - t
        warn = " (warned)" if any("converge" in str(x.message) for x in w) else ""
        f = objective(m.coef_.T, m.intercept_, Xtr, ytr, reg)
        rows.append((f"fastlin Softmax lbfgs {dtype}{warn}", dt, m.n_iter_, m.t_, f,
                     float((m.predict(Xva) == yva).mean())))
    if not args.skip_sklearn:
        from sklearn.linear_model import LogisticRegression

        sk = LogisticRegression(C=1 / (2 * reg * n), tol=args.tol, max_iter=args.max_iter)
        with limit_blas(args.threads) or _null(), warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            t = time.perf_counter()
            sk.fit(Xtr, ytr)
            dt = time.perf_counter() - t
        warn = " (warned)" if any("converge" in str(x.message) for x in w) else ""
        f = objective(sk.coef_.T, sk.intercept_, Xtr, ytr, reg)
        rows.append((f"scikit-learn LogisticRegression lbfgs{warn}", dt, int(sk.n_iter_[0]), -1, f,
                     float((sk.predict(Xva) == yva).mean())))
    f_ref = rows[-1][4]
    for label, dt, it, ev, f, acc in rows:
        print(f"{label:44s} {dt:8.2f} {it:6d} {ev if ev >= 0 else '':>6} {f:14.10f} "
              f"{(f - f_ref) / abs(f_ref):9.1e} {acc:8.3f}", flush=True)
    if not args.skip_sklearn:
        for label, dt, *_ in rows[:-1]:
            print(f"  {label}: {rows[-1][1] / dt:.1f}x faster than scikit-learn")


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def svm(Ftr, ytr, Fva, yva, args):
    import fastlin

    print(f"\nLinearSVM on HOG + hue (standardized, {Ftr.shape[1]} features): held-out accuracy",
          flush=True)
    print("(objective: each estimator's own training objective, hinge or squared hinge)")
    print(f"{'estimator':66s} {'time s':>7s} {'iters':>6s} {'evals':>6s} {'conv':>4s} "
          f"{'objective':>10s} {'val acc':>8s}")
    sq = "squared_hinge"
    fits = [("LinearSVM() (SGD defaults), seed 0", dict(random_state=0)),
            ("LinearSVM(solver='lbfgs') (defaults)", dict(solver="lbfgs")),
            ("LinearSVM(solver='lbfgs', reg=1e-3)", dict(solver="lbfgs", reg=1e-3)),
            ("LinearSVM(solver='lbfgs', max_iter=1000)", dict(solver="lbfgs", max_iter=1000)),
            ("LinearSVM(loss='squared_hinge') (SGD defaults), seed 0",
             dict(random_state=0, loss=sq)),
            ("LinearSVM(solver='lbfgs', loss='squared_hinge')", dict(solver="lbfgs", loss=sq)),
            ("LinearSVM(solver='lbfgs', loss='squared_hinge', reg=1e-3)",
             dict(solver="lbfgs", loss=sq, reg=1e-3)),
            ("LinearSVM(solver='lbfgs', loss='squared_hinge', max_iter=1000)",
             dict(solver="lbfgs", loss=sq, max_iter=1000)),
            ("Softmax() (SGD defaults), seed 0", dict(random_state=0, softmax=True)),
            ("Softmax(solver='lbfgs') (defaults)", dict(solver="lbfgs", softmax=True))]
    from fastlin import svm_loss

    for label, kw in fits:
        cls = fastlin.Softmax if kw.pop("softmax", False) else fastlin.LinearSVM
        m = cls(num_threads=args.threads, **kw)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            t = time.perf_counter()
            m.fit(Ftr.astype(np.float32), ytr)
            dt = time.perf_counter() - t
        status = ""
        for x in w:
            if "status=" in str(x.message):
                status = " [" + str(x.message).split("(status=")[1].split(")")[0] + "]"
        conv = "-" if m.solver == "sgd" else ("no" if status else "yes")
        W = np.ascontiguousarray(m.coef_.T, dtype=np.float64)
        b = m.intercept_.astype(np.float64)
        f = (svm_loss(W, Ftr, ytr, m.reg, b=b, loss=m.loss)[0] if cls is fastlin.LinearSVM
             else objective(W, b, Ftr, ytr, m.reg))
        print(f"{label + status:66s} {dt:7.2f} {m.n_iter_:6d} {m.t_:6d} {conv:>4s} {f:10.5f} "
              f"{float((m.predict(Fva.astype(np.float32)) == yva).mean()):8.3f}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("FASTLIN_DATA")
    ap.add_argument("--data", default=default)
    ap.add_argument("--sections", default="pixels,hog,svm")
    ap.add_argument("--reg", type=float, default=1e-4)
    ap.add_argument("--tol", type=float, default=1e-5)
    ap.add_argument("--max-iter", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n-train", type=int, default=49000)
    ap.add_argument("--skip-sklearn", action="store_true")
    args = ap.parse_args()
    from fastlin.datasets import load_cifar10

    from fastlin.bench import host_description

    print("host:", host_description())
    d = load_cifar10(args.data, split="train")
    X, y = d.X_train, d.y_train
    Xtr, ytr = X[:args.n_train], y[:args.n_train]
    Xva, yva = X[49000:50000], y[49000:50000]
    sections = args.sections.split(",")
    if "pixels" in sections:
        Ptr, Pva = standardize(Xtr.reshape(len(Xtr), -1).astype(np.float64),
                               Xva.reshape(len(Xva), -1).astype(np.float64))
        compare("CIFAR-10 pixels, standardized", Ptr, ytr, Pva, yva, args)
        del Ptr, Pva
    if "hog" in sections or "svm" in sections:
        Ftr, Fva = standardize(hog_hue(Xtr, args.threads), hog_hue(Xva, args.threads))
        if "hog" in sections:
            compare("HOG + hue, standardized", Ftr, ytr, Fva, yva, args)
        if "svm" in sections:
            svm(Ftr, ytr, Fva, yva, args)


if __name__ == "__main__":
    main()
