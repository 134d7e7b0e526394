"""Feature benchmark: fastlin batch HOG / hue histogram beside their peers, one run.

On the CIFAR-10 training images (50,000 x 32 x 32 x 3 uint8):
  HOG:  fastlin.features.hog (batch, OpenMP) vs scikit-image ``hog`` per image,
        OpenCV ``HOGDescriptor((32,32),(16,16),(8,8),(8,8),9)`` per image, and the
        course's NumPy ``hog_feature`` (on a subset, extrapolated: it is slow);
  hue:  fastlin.features.color_histogram_hsv vs OpenCV ``cvtColor(RGB2HSV_FULL)`` +
        ``bincount`` per image, and the course's matplotlib function (subset).

    python bench/features/bench_features.py [--data DIR] [--threads 2] [--subset 2000] [--repeat 5]

Peers that are not installed are skipped.  Prints images/s (best of --repeat
runs; the per-image peers are single-threaded) and ratios; "1 thread (CPU)"
rows are fastlin on one thread timed by process CPU time, the per-core figure
that a loaded machine does not distort as much as wall time.
"""
import argparse
import time

import numpy as np


def load_cifar_train(root):
    """The 50,000 training images (N, 32, 32, 3) uint8 from ``root`` (the batch directory or its
    parent; None: where fastlin.datasets looks)."""
    from fastlin.datasets import load_cifar10

    try:
        return load_cifar10(root, split="train").X_train
    except (FileNotFoundError, ValueError) as exc:
        raise SystemExit(f"CIFAR-10 not available: {exc}") from None


def timed(fn, n_images, repeat=1, clock=time.perf_counter):
    """Images per second, best of `repeat` runs (wall clock, or CPU time with
    clock=time.process_time: fair on a loaded machine for one thread)."""
    best = np.inf
    for _ in range(repeat):
        t = clock()
        fn()
        best = min(best, clock() - t)
    return n_images / best


def course_hog_feature(im):
    """The course's hog_feature (the peer measured), as the course ships it."""
    from scipy.ndimage import uniform_filter
    image = np.dot(im[..., :3], [0.299, 0.587, 0.144])
    sx, sy = image.shape
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[:, :-1] = np.diff(image, n=1, axis=1)
    gy[:-1, :] = np.diff(image, n=1, axis=0)
    grad_mag = np.sqrt(gx ** 2 + gy ** 2)
    grad_ori = np.arctan2(gy, (gx + 1e-15)) * (180 / np.pi) + 90
    hist = np.zeros((sx // 8, sy // 8, 9))
    for i in range(9):
        t = np.where(grad_ori < 20 * (i + 1), grad_ori, 0)
        t = np.where(grad_ori >= 20 * i, t, 0)
        hist[:, :, i] = uniform_filter(np.where(t > 0, grad_mag, 0), size=(8, 8))[4::8, 4::8].T
    return hist.ravel()


def course_color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    import matplotlib.colors
    bins = np.linspace(xmin, xmax, nbin + 1)
    hsv = matplotlib.colors.rgb_to_hsv(im / xmax) * xmax
    h, edges = np.histogram(hsv[:, :, 0], bins=bins, density=normalized)
    return h * np.diff(edges)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None,
                    help="cifar-10-batches-py or its parent (default: where fastlin.datasets looks)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--subset", type=int, default=2000,
                    help="images for the slow per-image peers (extrapolated)")
    ap.add_argument("--repeat", type=int, default=5, help="best of this many runs")
    args = ap.parse_args()

    from fastlin import features
    X = load_cifar_train(args.data)
    n, nt = len(X), args.threads
    sub = X[:args.subset]
    from fastlin.bench import host_description
    print("host:", host_description())
    print(f"{n} CIFAR-10 images {X.shape[1:]} uint8, fastlin with {nt} threads, "
          f"per-image peers single-threaded (slow ones on {len(sub)} images)\n")

    rows = []
    features.hog(X[:1000], num_threads=nt)                          # warm up
    rep = args.repeat
    fast_hog = timed(lambda: features.hog(X, num_threads=nt), n, repeat=rep)
    rows.append(("HOG", f"fastlin.features.hog (batch, {nt} threads)", fast_hog))
    rows.append(("HOG", "fastlin.features.hog (batch, 1 thread, CPU)",
                 timed(lambda: features.hog(X, num_threads=1), n, rep, time.process_time)))
    try:
        from skimage.feature import hog as sk_hog
        r = timed(lambda: [sk_hog(im, 9, (8, 8), (2, 2), channel_axis=-1) for im in sub], len(sub))
        rows.append(("HOG", "skimage.feature.hog per image", r))
    except ImportError:
        pass
    try:
        import cv2
        cv2.setNumThreads(nt)
        d = cv2.HOGDescriptor((32, 32), (16, 16), (8, 8), (8, 8), 9)
        r = timed(lambda: [d.compute(im) for im in X], n, repeat=rep)
        rows.append(("HOG", "OpenCV HOGDescriptor per image", r))
        r = timed(lambda: [d.compute(im) for im in X], n, rep, time.process_time)
        rows.append(("HOG", "OpenCV HOGDescriptor per image (CPU)", r))
    except (ImportError, AttributeError):
        pass
    try:
        r = timed(lambda: [course_hog_feature(im) for im in sub], len(sub))
        rows.append(("HOG", "course hog_feature (NumPy) per image", r))
    except ImportError:
        pass

    features.color_histogram_hsv(X[:1000], num_threads=nt)
    fast_hue = timed(lambda: features.color_histogram_hsv(X, num_threads=nt), n, repeat=rep)
    rows.append(("hue", f"fastlin color_histogram_hsv ({nt} threads)", fast_hue))
    rows.append(("hue", "fastlin color_histogram_hsv (1 thread, CPU)",
                 timed(lambda: features.color_histogram_hsv(X, num_threads=1), n, rep,
                       time.process_time)))
    try:
        import cv2

        def cv_hue():
            out = np.empty((n, 10), np.float32)
            for i, im in enumerate(X):
                h = cv2.cvtColor(im, cv2.COLOR_RGB2HSV_FULL)[..., 0].ravel()
                out[i] = np.bincount(h // 26, minlength=10)[:10] / h.size
            return out
        rows.append(("hue", "OpenCV cvtColor(RGB2HSV_FULL) + bincount",
                     timed(cv_hue, n, repeat=rep)))
        rows.append(("hue", "OpenCV cvtColor + bincount (CPU)",
                     timed(cv_hue, n, rep, time.process_time)))
    except ImportError:
        pass
    try:
        subf = sub.astype(np.float64)
        r = timed(lambda: [course_color_histogram_hsv(im) for im in subf], len(subf))
        rows.append(("hue", "course color_histogram_hsv (matplotlib)", r))
    except ImportError:
        pass

    # wall-clock rows against fastlin on all threads, CPU-time rows against
    # fastlin on one thread (CPU time)
    base = {(kind, "CPU)" in name): rate for kind, name, rate in rows
            if name.startswith("fastlin") and (("CPU)" in name) or f"{nt} threads" in name)}
    print(f"{'feature':8s} {'implementation':48s} {'images/s':>12s} {'fastlin is':>12s}")
    for kind, name, rate in rows:
        b = base[(kind, "CPU)" in name)]
        print(f"{kind:8s} {name:48s} {rate:12,.0f} {b / rate:11.1f}x")


if __name__ == "__main__":
    main()
