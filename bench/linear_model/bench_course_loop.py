"""The course's training loop: NumPy against fastlin.compat.cs231n, one run.

    python bench/linear_model/bench_course_loop.py [--data DIR] [--threads 2] [--repeats 3]

The loop of the course's LinearClassifier.train (batch 200 drawn with replacement from NumPy's
global generator, 1500 iterations, W -= lr * dW), float64, run twice per problem with the same
seed: with the course's vectorized NumPy loss on the gathered batch, and with
fastlin.compat.cs231n (the fused kernel reading the batch through `idx`). Two problems, as in the
course: mean-subtracted pixels with a bias column (D = 3073; lr 1e-7, reg 2.5e4) and the
features notebook's HOG (9 bins on 8x8 cells of the grey image) + hue histogram (10 bins),
standardised, with a bias column (D = 155; lr 1e-3, reg 1e-3). CIFAR-10 from --data
or FASTLIN_DATA when present, else random data of the same shapes (accuracy then means little,
but the times and the equality of the two runs still hold). Prints the host, the SIMD level,
the times, the ratio and both validation accuracies, which must be equal.
"""

import argparse
import os
import time

import numpy as np

# the NumPy loop (bench/linear_model is the script's folder, first on sys.path)
from bench_training import course_loop
from threadpoolctl import threadpool_limits

from fastlin.compat import cs231n
from fastlin.reference import softmax_loss_vectorized, svm_loss_vectorized


def fastlin_loop(cls, X, y, lr, reg, iters, batch, seed):
    np.random.seed(seed)
    clf = cls()
    clf.train(X, y, learning_rate=lr, reg=reg, num_iters=iters, batch_size=batch)
    return clf.W


def load(data):
    """(images uint8 (50000, 32, 32, 3), labels, description), or random data of that shape."""
    from fastlin.datasets import load_cifar10
    try:
        d = load_cifar10(data, split="train")
        X, y = d.X_train, d.y_train
        source = f"CIFAR-10 ({d.root})"
    except FileNotFoundError:
        rng = np.random.default_rng(0)
        X = rng.integers(0, 256, (50000, 32, 32, 3), dtype=np.uint8)
        y = rng.integers(0, 10, 50000)
        source = "random images (no CIFAR-10 found)"
    return X, np.asarray(y), source


def pixels(images):
    X = images.reshape(len(images), -1).astype(np.float64)
    X -= X[:49000].mean(axis=0)
    return np.hstack([X, np.ones((len(X), 1))])


def features(images):
    from fastlin.features import color_histogram_hsv, hog
    F = np.hstack([hog(images.mean(axis=3).astype(np.float64), orientations=9,
                       pixels_per_cell=(8, 8), cells_per_block=(1, 1), block_norm=None),
                   color_histogram_hsv(images, nbin=10)]).astype(np.float64)
    F -= F[:49000].mean(axis=0)
    F /= F[:49000].std(axis=0) + 1e-12
    return np.hstack([F, np.ones((len(F), 1))])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("FASTLIN_DATA"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--iters", type=int, default=1500)
    args = ap.parse_args()
    images, y, source = load(args.data)
    from fastlin.bench import host_description
    print(f"host: {host_description()}\n{args.threads} threads; data: {source}")
    problems = [("pixels D=3073", pixels(images), 1e-7, 2.5e4),
                ("HOG+hue D=%d", features(images), 1e-3, 1e-3)]
    with threadpool_limits(args.threads):
        for name, X, lr, reg in problems:
            name = name % X.shape[1] if "%" in name else name
            Xtr, ytr, Xval, yval = X[:49000], y[:49000], X[49000:], y[49000:]
            for label, np_loss, cls in (("SVM", svm_loss_vectorized, cs231n.LinearSVM),
                                        ("softmax", softmax_loss_vectorized, cs231n.Softmax)):
                tn = tf = float("inf")
                for _ in range(args.repeats):
                    t = time.perf_counter()
                    Wn = course_loop(np_loss, Xtr, ytr, lr, reg, args.iters, 200, 0)
                    tn = min(tn, time.perf_counter() - t)
                    t = time.perf_counter()
                    Wf = fastlin_loop(cls, Xtr, ytr, lr, reg, args.iters, 200, 0)
                    tf = min(tf, time.perf_counter() - t)
                an = np.mean(np.argmax(Xval @ Wn, 1) == yval)
                af = np.mean(np.argmax(Xval @ Wf, 1) == yval)
                print(f"{name:16s} {label:8s} NumPy {tn:6.2f} s  fastlin {tf:6.2f} s  "
                      f"{tn / tf:5.2f}x   val. accuracy {an:.4f} / {af:.4f}"
                      f"{'' if an == af else '  (DIFFERENT)'}", flush=True)


if __name__ == "__main__":
    main()
