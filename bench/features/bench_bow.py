"""Bag-of-visual-words benchmark: fastlin beside scikit-learn and NumPy, one run.

Sections (all by default):
  kmeans  one Lloyd step on 400,000 6x6x3 patches (normalised, whitened CIFAR-10 patches, or
          Gaussian noise without the data), k = 1600: fastlin.cluster.lloyd_step vs one
          iteration of sklearn KMeans (the difference of max_iter=3 and max_iter=1 fits, over 2:
          a fit also runs a final assignment pass), beside NumPy's matmul X @ C.T of the same
          shape (the floor of any exact method);
  kpp     k-means++ seeding, k = 400, same patches: fastlin.cluster.kmeans_plusplus vs
          sklearn.cluster.kmeans_plusplus;
  encode  triangle encoding (6x6 patches, stride 1, k = 1600, 4 quadrants) of --encode-images
          CIFAR-10 images: images/s, GFLOP/s and the fraction of NumPy's matmul rate measured
          here on the same (positions x 108) @ (108 x 1600) products;
  e2e     CIFAR-10 end to end (49,000 train / 1,000 validation from the training batches):
          BagOfVisualWords(n_words) -> StandardScaler -> fastlin.LinearSVM, wall time per stage,
          peak memory (ru_maxrss) and validation accuracy.

    nice -n -20 python bench/features/bench_bow.py [--sections kmeans,kpp,encode,e2e] [--threads 2]
        [--words 1600] [--encode-images 2000] [--svm-reg 1e-3 --svm-lr 1e-4 --svm-epochs 15]

The machine's load average is printed with every section (shared machines give noisy timings).
"""
import argparse
import math
import os
import resource
import sys
import time

import numpy as np


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def now():
    return time.perf_counter()


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def best_of(fn, repeat):
    t = math.inf
    for _ in range(repeat):
        t0 = now()
        fn()
        t = min(t, now() - t0)
    return t


def cifar(args):
    from fastlin.datasets import load_cifar10

    try:
        d = load_cifar10(args.data, split="train")
    except Exception as exc:  # noqa: BLE001 - any failure: no data
        print(f"(CIFAR-10 not available: {exc})")
        return None, None
    return d.X_train, d.y_train


def patches_400k(args, X):
    from fastlin import bow

    if X is None:
        print("patches: Gaussian noise (400000, 108) float32")
        return np.random.default_rng(0).normal(size=(400_000, 108)).astype(np.float32)
    P = bow.random_patches(X, 6, 400_000, random_state=0, num_threads=args.threads)
    bow.normalize_patches(P, 10.0, copy=False)
    m, W = bow.fit_zca(P, 0.1)
    for i in range(0, len(P), 65536):
        P[i:i + 65536] = (P[i:i + 65536] - m) @ W
    print("patches: 400000 random 6x6x3 CIFAR-10 patches, normalised and whitened, float32")
    return P


def numpy_matmul_rate(rows, threads):
    rng = np.random.default_rng(1)
    A = rng.random((rows, 108), dtype=np.float32)
    B = rng.random((108, 1600), dtype=np.float32)
    t = best_of(lambda: A @ B, 3)
    return 2 * rows * 108 * 1600 / t / 1e9


def section_kmeans(args, P):
    from sklearn.cluster import KMeans as SKKMeans

    from fastlin import cluster

    print(f"\n== k-means step: {P.shape[0]} x {P.shape[1]}, k = 1600  (load {load()})")
    C = P[np.random.default_rng(2).choice(len(P), 1600, replace=False)].copy()
    t_fl = best_of(lambda: cluster.lloyd_step(P, C, num_threads=args.threads), 3)
    t_mm = best_of(lambda: P @ C.T, 2)
    kw = dict(n_clusters=1600, init=C, n_init=1, tol=0, algorithm="lloyd")
    t1 = best_of(lambda: SKKMeans(max_iter=1, **kw).fit(P), 1)
    t3 = best_of(lambda: SKKMeans(max_iter=3, **kw).fit(P), 1)
    t_sk = (t3 - t1) / 2
    flop = 2 * P.shape[0] * P.shape[1] * 1600
    print(f"fastlin lloyd_step            {t_fl:8.3f} s  {flop / t_fl / 1e9:6.1f} GFLOP/s")
    print(f"numpy P @ C.T (floor)         {t_mm:8.3f} s  {flop / t_mm / 1e9:6.1f} GFLOP/s")
    print(f"sklearn KMeans, one iteration {t_sk:8.3f} s  (fit max_iter=1: {t1:.3f} s, "
          f"max_iter=3: {t3:.3f} s)")
    print(f"fastlin / sklearn = {t_fl / t_sk:.2f}x the time   (load {load()})")


def section_kpp(args, P):
    from sklearn.cluster import kmeans_plusplus as sk_kpp

    from fastlin import cluster

    print(f"\n== k-means++ seeding: {P.shape[0]} x {P.shape[1]}, k = 400  (load {load()})")
    t_fl = best_of(lambda: cluster.kmeans_plusplus(P, 400, random_state=0,
                                                   num_threads=args.threads), 2)
    t_sk = best_of(lambda: sk_kpp(P, 400, random_state=0), 1)
    inert_fl = cluster.lloyd_step(P, cluster.kmeans_plusplus(P, 400, random_state=0)[0])[3]
    inert_sk = cluster.lloyd_step(P, sk_kpp(P, 400, random_state=0)[0])[3]
    print(f"fastlin kmeans_plusplus   {t_fl:8.3f} s   inertia of the seeds {inert_fl:.4g}")
    print(f"sklearn kmeans_plusplus   {t_sk:8.3f} s   inertia of the seeds {inert_sk:.4g}")
    print(f"speed-up {t_sk / t_fl:.1f}x   (load {load()})")


def section_encode(args, X):
    from fastlin import bow

    n = args.encode_images
    rng = np.random.default_rng(3)
    if X is None:
        imgs = rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
    else:
        imgs = X[:n]
    C = rng.normal(size=(1600, 108)).astype(np.float32)
    m, W = bow.fit_zca(rng.normal(size=(5000, 108)).astype(np.float32))
    print(f"\n== triangle encoding: {n} images 32x32x3, 6x6 patches, stride 1, k = 1600, "
          f"quadrants, whitening  (load {load()})")
    rate_np = numpy_matmul_rate(729 * 64, args.threads)
    t = best_of(lambda: bow.encode(imgs, C, 6, 1, whiten_mean=m, whiten_matrix=W,
                                   num_threads=args.threads), 2)
    flop_dots = n * 729 * 108 * 1600 * 2
    flop_all = n * 729 * 108 * (1600 + 108) * 2
    print(f"numpy matmul (46656 x 108) @ (108 x 1600): {rate_np:6.1f} GFLOP/s")
    print(f"fastlin encode: {n / t:7.1f} images/s, {flop_dots / t / 1e9:6.1f} GFLOP/s of centre "
          f"dot products ({flop_all / t / 1e9:.1f} with the whitening)  = "
          f"{flop_dots / t / 1e9 / rate_np:.2f} of NumPy's matmul rate")
    print(f"50,000 images: {50000 / (n / t):.0f} s at this rate   (load {load()})")


def section_e2e(args, X, y):
    import fastlin
    from fastlin.cli.bow import mean_std
    from fastlin.features import BagOfVisualWords

    if X is None:
        print("\n== e2e skipped: no CIFAR-10")
        return
    print(f"\n== CIFAR-10 end to end: 49000 train / 1000 validation, n_words={args.words}, "
          f"encoding={args.encoding}  (load {load()})")
    Xtr, ytr, Xva, yva = X[:49000], y[:49000], X[49000:50000], y[49000:50000]
    if args.cache and os.path.exists(args.cache + ".train.npy"):
        print(f"features from the cache {args.cache}.*.npy (not timed)")
        Ftr, Fva = np.load(args.cache + ".train.npy"), np.load(args.cache + ".val.npy")
        if len(Ftr) == 2 * len(ytr):  # a --flip cache: the mirror images follow the originals
            ytr = np.concatenate([ytr, ytr])
        return svm_grid(args, Ftr, ytr, Fva, yva)
    t0, c0 = now(), cpu()
    bovw = BagOfVisualWords(n_words=args.words, encoding=args.encoding, pooling=args.pooling,
                            whiten_eps=args.whiten_eps,
                            kmeans_init=args.kmeans_init, kmeans_max_iter=args.kmeans_iter,
                            n_patches=args.patches, random_state=0, num_threads=args.threads,
                            verbose=1)
    bovw.fit(Xtr)
    t1 = now()
    print(f"fit (patches, normalisation, whitening, k-means): {t1 - t0:.1f} s, "
          f"cpu {cpu() - c0:.1f} s "
          f"({bovw.kmeans_.n_iter_} Lloyd steps)", flush=True)
    nf = bovw.n_words * (4 if args.pooling == "quadrants" else 1)
    Ftr = np.empty(((2 if args.flip else 1) * len(Xtr), nf), dtype=np.float32)
    for i in range(0, len(Xtr), 5000):
        Ftr[i:min(i + 5000, len(Xtr))] = bovw.transform(Xtr[i:i + 5000])
    if args.flip:  # horizontal mirror images of the training images, after the originals
        for i in range(0, len(Xtr), 5000):
            j = min(i + 5000, len(Xtr))
            Ftr[len(Xtr) + i:len(Xtr) + j] = bovw.transform(Xtr[i:j, :, ::-1])
        ytr = np.concatenate([ytr, ytr])
    Fva = bovw.transform(Xva)
    t2 = now()
    ne = len(Ftr) + len(Fva)
    print(f"encode {ne} images: {t2 - t1:.1f} s ({ne / (t2 - t1):.0f} images/s), "
          f"cpu so far {cpu() - c0:.1f} s", flush=True)
    if args.cache:
        np.save(args.cache + ".train.npy", Ftr)
        np.save(args.cache + ".val.npy", Fva)
    mean, std = mean_std(Ftr)  # as StandardScaler, without its float64 copy of Ftr
    Ftr -= mean
    Ftr /= std
    Fva = (Fva - mean) / std
    t3 = now()
    print(f"standardise: {t3 - t2:.1f} s", flush=True)
    cls = fastlin.LinearSVM if args.classifier == "svm" else fastlin.Softmax
    svm = cls(reg=args.svm_reg, learning_rate=args.svm_lr, max_iter=args.svm_epochs,
              random_state=0, num_threads=args.threads).fit(Ftr, ytr)
    t4 = now()
    acc = float((svm.predict(Fva) == yva).mean())
    tr_acc = float((svm.predict(Ftr[:5000]) == ytr[:5000]).mean())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    print(f"{cls.__name__} (reg={args.svm_reg}, lr={args.svm_lr}, {args.svm_epochs} epochs): "
          f"{t4 - t3:.1f} s")
    print(f"validation accuracy {acc:.4f} (train subset {tr_acc:.4f});  total {t4 - t0:.1f} s "
          f"wall, {cpu() - c0:.1f} s cpu; "
          f"peak RSS {rss:.2f} GB   (load {load()})")


def svm_grid(args, Ftr, ytr, Fva, yva):
    """Standardise cached features and train LinearSVM for each (reg, lr, epochs) of --grid."""
    from sklearn.preprocessing import StandardScaler

    import fastlin

    sc = StandardScaler(copy=False)
    Ftr = sc.fit_transform(Ftr)
    Fva = sc.transform(Fva)
    for item in args.grid.split(";"):
        reg, lr, ep = (float(v) for v in item.split(","))
        t = now()
        svm = fastlin.LinearSVM(reg=reg, learning_rate=lr, max_iter=int(ep), random_state=0,
                                num_threads=args.threads).fit(Ftr, ytr)
        acc = float((svm.predict(Fva) == yva).mean())
        tr = float((svm.predict(Ftr[:5000]) == ytr[:5000]).mean())
        print(f"LinearSVM reg={reg:g} lr={lr:g} epochs={int(ep)}: val {acc:.4f} "
              f"train-subset {tr:.4f}  {now() - t:.1f} s", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--sections", default="kmeans,kpp,encode,e2e")
    ap.add_argument("--encode-images", type=int, default=2000)
    ap.add_argument("--words", type=int, default=1600)
    ap.add_argument("--encoding", default="triangle")
    ap.add_argument("--pooling", default="quadrants")
    ap.add_argument("--whiten-eps", type=float, default=0.1)
    ap.add_argument("--flip", action="store_true",
                    help="e2e: train on the training images and their horizontal mirror images")
    ap.add_argument("--classifier", choices=["svm", "softmax"], default="svm")
    ap.add_argument("--patches", type=int, default=400_000)
    ap.add_argument("--kmeans-init", default="random")
    ap.add_argument("--kmeans-iter", type=int, default=10)
    ap.add_argument("--svm-reg", type=float, default=1e-3)
    ap.add_argument("--svm-lr", type=float, default=1e-4)
    ap.add_argument("--svm-epochs", type=int, default=15)
    ap.add_argument("--cache", default=None,
                    help="e2e: save the features to CACHE.{train,val}.npy, or reuse them and "
                         "run the --grid of LinearSVM settings instead")
    ap.add_argument("--grid", default="1e-3,1e-3,15;1e-4,1e-3,30;1e-2,1e-3,30;1e-3,3e-4,30")
    args = ap.parse_args(argv)
    sections = args.sections.split(",")
    from fastlin.bench import host_description
    print(f"host: {host_description()}")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, "
          f"threads {args.threads or 'default'}, load {load()}")
    X, y = cifar(args)
    if "kmeans" in sections or "kpp" in sections:
        P = patches_400k(args, X)
        if "kmeans" in sections:
            section_kmeans(args, P)
        if "kpp" in sections:
            section_kpp(args, P)
        del P
    if "encode" in sections:
        section_encode(args, X)
    if "e2e" in sections:
        section_e2e(args, X, y)


if __name__ == "__main__":
    main()
