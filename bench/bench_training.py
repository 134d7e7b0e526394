"""Training benchmarks of issue 3 on CIFAR-10 raw pixels (49,000 train / 1,000 validation).

    python bench/bench_training.py [--data DIR] [--threads 2] [--skip-sklearn]

1. The course loop in NumPy (batch 200 with replacement, 1500 iterations, lr 1e-7, reg 2.5e4;
   gather X[idx] + vectorized loss + W -= lr*dW) against fastlin.compat.cs231n with the same
   settings: validation accuracy and wall time.
2. fastlin estimators at their defaults against scikit-learn SGDClassifier (hinge, log_loss) and
   LogisticRegression(lbfgs), all behind a StandardScaler fitted on the training rows.
"""

import argparse
import os
import time
import warnings

import numpy as np


def course_loop(loss_fn, X, y, lr, reg, num_iters, batch_size, seed):
    rng = np.random.RandomState(seed)
    W = 0.001 * rng.randn(X.shape[1], int(y.max()) + 1)
    for _ in range(num_iters):
        idx = rng.choice(X.shape[0], batch_size, replace=True)
        loss, dW = loss_fn(W, X[idx], y[idx], reg)
        W -= lr * dW
    return W


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-sklearn", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import fastlin
    from fastlin import reference
    from fastlin.compat import cs231n
    from fastlin.datasets import load_cifar10, train_val_split

    d = load_cifar10(args.data, split="train")
    X = d.X_train.reshape(len(d.X_train), -1)
    Xtr, ytr, Xva, yva = train_val_split(X, d.y_train)
    print(f"CIFAR-10 from {d.root}: train {Xtr.shape}, validation {Xva.shape}, threads {args.threads}")

    # -- 1. course loop ------------------------------------------------------------------------
    mean = Xtr.mean(axis=0)
    Xb = np.hstack([Xtr - mean, np.ones((len(Xtr), 1))])
    Xvb = np.hstack([Xva - mean, np.ones((len(Xva), 1))])
    settings = dict(lr=1e-7, reg=2.5e4, num_iters=1500, batch_size=200)
    print("\n1. course loop, raw pixels (mean-subtracted, bias column), float64,", settings)
    print(f"{'model':10s} {'numpy acc':>10s} {'numpy s':>8s} {'fastlin acc':>12s} {'fastlin s':>10s} {'speed-up':>9s}")
    for name, ref, cls in [("svm", reference.svm_loss_vectorized, cs231n.LinearSVM),
                           ("softmax", reference.softmax_loss_vectorized, cs231n.Softmax)]:
        t = time.perf_counter()
        W = course_loop(ref, Xb, ytr, settings["lr"], settings["reg"], settings["num_iters"], settings["batch_size"], 0)
        t_np = time.perf_counter() - t
        acc_np = np.mean(np.argmax(Xvb @ W, 1) == yva)
        np.random.seed(0)
        clf = cls()
        t = time.perf_counter()
        clf.train(Xb, ytr, learning_rate=settings["lr"], reg=settings["reg"], num_iters=settings["num_iters"],
                  batch_size=settings["batch_size"])
        t_fl = time.perf_counter() - t
        acc_fl = np.mean(clf.predict(Xvb) == yva)
        print(f"{name:10s} {acc_np:10.3f} {t_np:8.2f} {acc_fl:12.3f} {t_fl:10.2f} {t_np / t_fl:8.1f}x", flush=True)

    # -- 2. estimators -------------------------------------------------------------------------
    from sklearn.preprocessing import StandardScaler

    sc = StandardScaler().fit(Xtr)
    Xs, Xvs = sc.transform(Xtr), sc.transform(Xva)
    models = [("fastlin.LinearSVM()", fastlin.LinearSVM(random_state=0)),
              ("fastlin.Softmax()", fastlin.Softmax(random_state=0))]
    if not args.skip_sklearn:
        from sklearn.linear_model import LogisticRegression, SGDClassifier

        models += [("SGDClassifier(hinge)", SGDClassifier(loss="hinge", random_state=0)),
                   ("SGDClassifier(log_loss)", SGDClassifier(loss="log_loss", random_state=0)),
                   ("LogisticRegression(lbfgs)", LogisticRegression(max_iter=100))]
    print("\n2. estimators at defaults, StandardScaler in front, float64")
    print(f"{'model':28s} {'val acc':>8s} {'fit s':>8s}")
    results = []
    for name, m in models:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            m.fit(Xs, ytr)
            dt = time.perf_counter() - t
        acc = m.score(Xvs, yva)
        results.append((name, acc, dt))
        print(f"{name:28s} {acc:8.3f} {dt:8.2f}", flush=True)
    fl = [r for r in results if r[0].startswith("fastlin")]
    sk = [r for r in results if not r[0].startswith("fastlin")]
    for name, acc, dt in fl:
        peers = [r for r in sk if r[1] >= acc]
        if peers:
            best = min(peers, key=lambda r: r[2])
            print(f"{name}: {best[2] / dt:.1f}x faster than {best[0]} (fastest scikit-learn model at >= {acc:.3f})")
        elif sk:
            print(f"{name}: no scikit-learn model reached {acc:.3f}")


if __name__ == "__main__":
    main()
