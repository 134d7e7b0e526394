"""Feature options vs validation accuracy: HOG + colour histograms + StandardScaler +
fastlin.LinearSVM on CIFAR-10 (49,000 train / 1,000 validation from the training batches).

Each row: one feature configuration (cell size, block size, orientation interpolation,
signed bins, extra colour features), its feature count, the seconds spent on features
(all 50,000 images) and on standardisation + training, and the validation accuracy
(mean over --seeds training seeds).

    python bench/features/bench_features_accuracy.py [--data DIR] [--threads 2] [--train-threads 1] [--seeds 1]
        [--only NAME ...] [--reg 1e-3 --learning-rate 1e-4 --max-iter 15 --batch-size 500]

The saturation / value histograms are NumPy (fastlin has no kernel for them): their time
is NumPy's.
"""
import argparse
import os
import time

import numpy as np


def sat_val_histograms(X, nbin=10):
    """Histograms of HSV saturation and value (NumPy), fractions per image: (N, 2 nbin)."""
    x = X.reshape(len(X), -1, 3).astype(np.int16)
    mx, mn = x.max(-1), x.min(-1)
    val = np.minimum(mx * nbin // 256, nbin - 1)
    sat = np.where(mx > 0, (mx - mn) * nbin // np.maximum(mx, 1), 0).clip(0, nbin - 1)
    out = np.empty((len(X), 2 * nbin), np.float32)
    rows = np.arange(len(X))[:, None] * nbin
    out[:, :nbin] = np.bincount((rows + sat).ravel(), minlength=len(X) * nbin).reshape(-1, nbin)
    out[:, nbin:] = np.bincount((rows + val).ravel(), minlength=len(X) * nbin).reshape(-1, nbin)
    return out / x.shape[1]


CONFIGS = {
    # name: (hog kwargs or None, hue nbin or 0, sat/val histograms)
    "hog8 + hue": (dict(), 10, False),
    "hog8 only": (dict(), 0, False),
    "hog8 1x1 blocks + hue": (dict(cells_per_block=(1, 1)), 10, False),
    "hog8 signed18 + hue": (dict(orientations=18, signed=True), 10, False),
    "hog8 interp + hue": (dict(interpolate=True), 10, False),
    "hog6 + hue": (dict(pixels_per_cell=(6, 6)), 10, False),
    "hog4 + hue": (dict(pixels_per_cell=(4, 4)), 10, False),
    "hog4 3x3 blocks + hue": (dict(pixels_per_cell=(4, 4), cells_per_block=(3, 3)), 10, False),
    "hog4 interp + hue": (dict(pixels_per_cell=(4, 4), interpolate=True), 10, False),
    "hog4 signed18 + hue": (dict(pixels_per_cell=(4, 4), orientations=18, signed=True), 10,
                            False),
    "hog8 + hue + sat/val": (dict(), 10, True),
    "hog4 + hue + sat/val": (dict(pixels_per_cell=(4, 4)), 10, True),
    "hog4 + hog8 + hue": ([dict(pixels_per_cell=(4, 4)), dict()], 10, False),
    "hog4 + hog8 + hue + sat/val": ([dict(pixels_per_cell=(4, 4)), dict()], 10, True),
}


def features(X, cfg, nt):
    from fastlin import features as F
    hog_kw, nbin, satval = cfg
    parts = []
    for kw in ([] if hog_kw is None else hog_kw if isinstance(hog_kw, list) else [hog_kw]):
        parts.append(F.hog(X, **kw, num_threads=nt))
    if nbin:
        parts.append(F.color_histogram_hsv(X, nbin=nbin, num_threads=nt))
    if satval:
        parts.append(sat_val_histograms(X))
    return np.hstack(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/fastlin/cifar-10-batches-py"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--train-threads", type=int, default=1,
                    help="threads for LinearSVM (small minibatches: 1 is fastest on a busy "
                         "machine, where every OpenMP barrier may wait for a descheduled "
                         "thread)")
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--only", nargs="*", help="configuration names (default: all)")
    ap.add_argument("--reg", type=float)
    ap.add_argument("--learning-rate", type=float)
    ap.add_argument("--max-iter", type=int)
    ap.add_argument("--batch-size", type=int)
    args = ap.parse_args()

    import fastlin
    from fastlin.datasets import load_cifar10

    data = load_cifar10(args.data, split="train")
    X, y = data.X_train, data.y_train
    Xtr, ytr, Xva, yva = X[:49000], y[:49000], X[49000:50000], y[49000:50000]
    svm_kw = {k: v for k, v in dict(reg=args.reg, learning_rate=args.learning_rate,
                                    max_iter=args.max_iter, batch_size=args.batch_size).items()
              if v is not None}
    print(f"CIFAR-10 49,000 train / 1,000 val; features on {args.threads} threads, training on "
          f"{args.train_threads}; LinearSVM"
          f"({', '.join(f'{k}={v}' for k, v in svm_kw.items()) or 'defaults'}); "
          f"{args.seeds} seed(s)\n")
    print(f"{'features':30s} {'F':>6s} {'feat s':>7s} {'train s':>8s} {'total s':>8s} "
          f"{'val acc':>8s}")
    for name, cfg in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        t = time.perf_counter()
        Ftr = features(Xtr, cfg, args.threads)
        Fva = features(Xva, cfg, args.threads)
        t_feat = time.perf_counter() - t
        accs, t_train = [], []
        for seed in range(args.seeds):
            t = time.perf_counter()
            mean, std = Ftr.mean(0), Ftr.std(0) + 1e-6      # StandardScaler, in float32
            Str = (Ftr - mean) / std
            clf = fastlin.LinearSVM(**svm_kw, random_state=seed, num_threads=args.train_threads)
            clf.fit(Str, ytr)
            t_train.append(time.perf_counter() - t)
            accs.append(float((clf.predict((Fva - mean) / std) == yva).mean()))
        tt = float(np.mean(t_train))
        print(f"{name:30s} {Ftr.shape[1]:6d} {t_feat:7.2f} {tt:8.2f} {t_feat + tt:8.2f} "
              f"{np.mean(accs):8.3f}", flush=True)


if __name__ == "__main__":
    main()
