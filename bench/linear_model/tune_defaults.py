"""Grid search of estimator hyperparameters on CIFAR-10 standardized pixels (validation split only).

    python bench/linear_model/tune_defaults.py [--data DIR] [--model softmax|svm] [--grid JSON] [--float32]

Loads the training batches, splits 49,000 train / 1,000 validation (the course's split), fits a
StandardScaler on the training rows, then fits ``fastlin.Softmax`` / ``fastlin.LinearSVM`` for
every combination of the grid (a JSON object of parameter -> list of values, applied on top of
the defaults) and prints validation accuracy, fit time and epochs, best first. The test batch is
never read. This is how the defaults were chosen (see NOTES-train2.md for the grids tried).
"""

import argparse
import itertools
import json
import os
import time
import warnings

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data")
    ap.add_argument("--model", choices=["softmax", "svm"], default="softmax")
    ap.add_argument("--grid", default="{}", help='e.g. \'{"learning_rate": [1e-3, 3e-4], "average": [false, true]}\'')
    ap.add_argument("--float32", action="store_true", help="hand the estimator float32 data")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--seeds", type=int, default=1, help="random_state 0..seeds-1, accuracy averaged")
    args = ap.parse_args()
    if args.threads:
        os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import fastlin
    from fastlin.datasets import load_cifar10, train_val_split

    d = load_cifar10(args.data, split="train")
    X = d.X_train.reshape(len(d.X_train), -1)
    Xtr, ytr, Xva, yva = train_val_split(X, d.y_train)
    mean = Xtr.mean(axis=0)
    std = Xtr.std(axis=0)
    std[std == 0] = 1.0  # StandardScaler's rule
    dt = np.float32 if args.float32 else np.float64
    Xs = ((Xtr - mean) / std).astype(dt)
    Xvs = ((Xva - mean) / std).astype(dt)
    cls = fastlin.Softmax if args.model == "softmax" else fastlin.LinearSVM
    grid = json.loads(args.grid)
    keys = list(grid)
    print(f"load {open('/proc/loadavg').read().split()[:3]}, {cls.__name__}, X {Xs.dtype}, grid {grid}", flush=True)
    rows = []
    for values in itertools.product(*[grid[k] for k in keys]):
        params = dict(zip(keys, values))
        accs, times, epochs = [], [], []
        for seed in range(args.seeds):
            m = cls(random_state=seed, **params)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = time.perf_counter()
                m.fit(Xs, ytr)
                times.append(time.perf_counter() - t)
            accs.append(m.score(Xvs, yva))
            epochs.append(m.n_iter_)
        rows.append((float(np.mean(accs)), min(times), epochs, params))
        print(f"  {np.mean(accs):.4f} {min(times):7.2f} s  epochs {epochs}  {params}", flush=True)
    print("best first:")
    for acc, t, ep, params in sorted(rows, key=lambda r: -r[0]):
        print(f"  {acc:.4f} {t:7.2f} s  epochs {ep}  {params}")


if __name__ == "__main__":
    main()
