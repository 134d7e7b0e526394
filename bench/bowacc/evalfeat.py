"""Judge cached BoW features (bench_bow.py --cache PREFIX): exact ridge oracle over a range of
lambdas (one eigendecomposition of X'X) and, optionally, fastlin classifiers.

Standardisation as Coates et al.: (f - mean) / sqrt(var + 0.01) (--scaler coates, default) or
StandardScaler (--scaler sklearn). Rows as bench_bow.py's e2e: train = images [:49000],
validation = [49000:50000] of load_cifar10(split="train").

    python bench/bowacc/evalfeat.py PREFIX [--ridge] [--fl "svm,reg,lr,epochs;softmax,reg,lr,epochs"]
"""
import argparse
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("prefix")
    ap.add_argument("--ridge", action="store_true")
    ap.add_argument("--fl", default="")
    ap.add_argument("--scaler", default="coates")
    ap.add_argument("--batch", type=int, default=1000)
    args = ap.parse_args()
    import fastlin
    from fastlin.datasets import load_cifar10

    y = load_cifar10(split="train").y_train
    ytr, yva = y[:49000], y[49000:50000]
    Ftr = np.load(args.prefix + ".train.npy")
    Fva = np.load(args.prefix + ".val.npy")
    if len(Ftr) != len(ytr):  # flip-augmented cache: images then their mirror images
        assert len(Ftr) % len(ytr) == 0
        ytr = np.tile(ytr, len(Ftr) // len(ytr))
    m = Ftr.mean(0, dtype=np.float64)
    v = Ftr.var(0, dtype=np.float64)
    sd = np.sqrt(v + 0.01) if args.scaler == "coates" else np.where(v > 0, np.sqrt(v), 1.0)
    Ftr -= m.astype(np.float32)
    Ftr /= sd.astype(np.float32)
    Fva = ((Fva - m) / sd).astype(np.float32)
    print(f"{args.prefix}: train {Ftr.shape}, scaler {args.scaler}", flush=True)
    if args.ridge:
        t = time.time()
        G = (Ftr.T @ Ftr).astype(np.float64)
        Y = -np.ones((len(ytr), 10), np.float32)
        Y[np.arange(len(ytr)), ytr] = 1
        B = (Ftr.T @ Y).astype(np.float64)
        e, V = np.linalg.eigh(G)
        VB = V.T @ B
        print(f"gram + eigh {time.time() - t:.0f} s; eig max {e[-1]:.3g}, "
              f"n > 1e-3 max: {(e > 1e-3 * e[-1]).sum()}", flush=True)
        for lam in [3, 10, 30, 100, 300, 1000]:
            W = (V @ (VB / (e + lam)[:, None])).astype(np.float32)
            va = ((Fva @ W).argmax(1) == yva).mean()
            tr = ((Ftr[:5000] @ W).argmax(1) == ytr[:5000]).mean()
            print(f"ridge lam={lam:g}: val {va:.4f} train5k {tr:.4f}", flush=True)
    for item in filter(None, args.fl.split(";")):
        kind, reg, lr, ep = item.split(",")
        cls = fastlin.LinearSVM if kind == "svm" else fastlin.Softmax
        t = time.time()
        clf = cls(reg=float(reg), learning_rate=float(lr), max_iter=int(ep),
                  batch_size=args.batch, random_state=0).fit(Ftr, ytr)
        va = (clf.predict(Fva) == yva).mean()
        tr = (clf.predict(Ftr[:5000]) == ytr[:5000]).mean()
        print(f"{kind} reg={reg} lr={lr} epochs={ep}: val {va:.4f} train5k {tr:.4f}  "
              f"{time.time() - t:.1f} s", flush=True)


if __name__ == "__main__":
    main()
