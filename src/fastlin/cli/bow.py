"""``fastlin train --features bow``: the bag-of-visual-words pipeline with a progress bar per
stage (random patches + whitening + k-means codebook, encoding, standardisation, linear
classifier); returns the arrays of the model file that ``fastlin evaluate`` / ``predict`` read."""

import os
import time

import numpy as np

from ._common import CLIError, positive_float, positive_int


def add_arguments(p):
    g = p.add_argument_group("bag of visual words (--features bow)")
    g.add_argument("--words", type=positive_int, metavar="N", default=1600, help="codebook size")
    g.add_argument("--encoding", choices=["triangle", "hard"], default="triangle",
                   help="soft 'triangle' activation or hard assignment to the nearest word")
    g.add_argument("--pooling", choices=["quadrants", "sum"], default="quadrants",
                   help="sum the codes over the image's four quadrants or over the whole image")
    g.add_argument("--patches", type=positive_int, metavar="N", default=400_000,
                   help="random 6x6 patches for the codebook")
    g.add_argument("--kmeans-iter", type=positive_int, metavar="N", default=10, help="Lloyd steps")
    g.add_argument("--kmeans-init", choices=["k-means++", "random"], default="random",
                   help="k-means initialisation")
    g.add_argument("--no-whiten", dest="whiten", action="store_false",
                   help="skip the ZCA whitening of the patches (default: whiten)")
    g.add_argument("--whiten-eps", type=positive_float, metavar="X", default=0.1,
                   help="ZCA eigenvalue epsilon (0.1 is the paper's)")
    g.add_argument("--flip", action="store_true",
                   help="also train on the horizontal mirror images of the training images "
                        "(default: off)")


# Classifier settings for the standardised codes when --epochs/--lr/--reg are not given: the
# estimators' defaults (6 epochs) underfit the 6,400-D codes; measured in bench/notes/bow.md.
BOW_CLASSIFIER = {"svm": dict(reg=1e-3, learning_rate=1e-2, max_iter=40),
                  "softmax": dict(reg=1e-5, learning_rate=1e-2, max_iter=40)}


def mean_std(F, chunk=4096):
    """Column means and standard deviations (zeros replaced by 1) of F as float32, two passes in
    float64 a chunk of rows at a time: no float64 copy of the whole (large) F."""
    n = max(len(F), 1)
    s = np.zeros(F.shape[1])
    for i in range(0, len(F), chunk):
        s += F[i:i + chunk].sum(0, dtype=np.float64)
    mean = s / n
    s2 = np.zeros(F.shape[1])
    for i in range(0, len(F), chunk):
        b = F[i:i + chunk] - mean
        s2 += np.einsum("ij,ij->j", b, b)
    std = np.sqrt(s2 / n)
    std[std == 0] = 1.0
    return mean.astype(np.float32), std.astype(np.float32)


def _check_memory(need, what):
    """CLIError when ``need`` bytes exceed the machine's physical memory (better than a run
    that the kernel's out-of-memory killer ends)."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not available on this platform
        return
    if need > total:
        raise CLIError(f"{what} need about {need / 2**30:.1f} GiB (the patches and the training "
                       f"codes in float32), more than this machine's {total / 2**30:.1f} GiB")


def _stage(name):
    print(f"[{time.strftime('%H:%M:%S')}] {name}", flush=True)


def train_bow(args, data):
    """Fit BagOfVisualWords -> standardisation -> classifier on ``data`` (uint8 images); return
    the arrays to save."""
    from ..features import BagOfVisualWords
    from ._estimator import estimator, fit

    Xtr, ytr, Xva, yva, Xte, yte = (data.X_train, data.y_train, data.X_val, data.y_val,
                                    data.X_test, data.y_test)
    print(f"data: {data.description}: train {Xtr.shape}, validation {Xva.shape}"
          + (f", test {Xte.shape}" if Xte is not None else ""))
    if args.words > args.patches:
        raise CLIError(f"--words {args.words} must be <= --patches {args.patches}: k-means needs "
                       "at least one patch per word")
    rows = len(Xtr) * (2 if args.flip else 1)
    need = (2 * args.patches * 108 + rows * args.words * (4 if args.pooling == "quadrants" else 1)) * 4
    _check_memory(need, f"--patches {args.patches} and --words {args.words}")
    t0 = time.perf_counter()
    _stage(f"codebook: {args.patches} random 6x6 patches, whitening={args.whiten}, "
           f"k-means ({args.kmeans_init}, k={args.words})")
    bovw = BagOfVisualWords(n_words=args.words, encoding=args.encoding, pooling=args.pooling,
                            whiten=args.whiten, whiten_eps=args.whiten_eps,
                            n_patches=args.patches,
                            kmeans_init=args.kmeans_init, kmeans_max_iter=args.kmeans_iter,
                            random_state=args.seed, num_threads=args.threads)
    try:
        bovw.fit(Xtr, progress=True)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    _stage("encoding")
    if args.flip:  # the codes of the images, then of their mirror images
        n = len(Xtr)
        Ftr = None
        for half, X in enumerate((Xtr, Xtr[:, :, ::-1])):
            if half:
                _stage("encoding the mirror images")
            F = bovw.transform(X, progress=True)
            if Ftr is None:
                Ftr = np.empty((2 * n, F.shape[1]), dtype=F.dtype)
            Ftr[half * n:(half + 1) * n] = F
            del F
        ytr = np.concatenate([ytr, ytr])
    else:
        Ftr = bovw.transform(Xtr, progress=True)
    Fva = bovw.transform(Xva, progress=True)
    mean, std = mean_std(Ftr)
    Ftr -= mean
    Ftr /= std
    Fva = (Fva - mean) / std
    model = estimator(args, BOW_CLASSIFIER[args.model])
    _stage(f"classifier: {model!r}")
    fit(model, Ftr, ytr, X_val=Fva, y_val=yva)
    val_acc = model.score(Fva, yva)
    test_acc = None
    if Xte is not None:
        _stage("encoding the test images")
        test_acc = model.score((bovw.transform(Xte, progress=True) - mean) / std, yte)
    print(f"total time: {time.perf_counter() - t0:.1f} s (codebook, encoding, training"
          + (", test encoding)" if Xte is not None else ")"))
    print(f"validation accuracy: {val_acc:.4f}")
    if test_acc is not None:
        print(f"test accuracy: {test_acc:.4f}")
    if args.report is not None:
        from ..plot import write_report

        settings = {k: v for k, v in vars(args).items() if k != "func"}
        index = write_report(model, Fva, yva, args.report, class_names=data.label_names,
                             bow=bovw, settings=settings,
                             timings={"total (s)": round(time.perf_counter() - t0, 2)})
        print(f"report: {index}")
    params = dict(words=args.words, patch_size=bovw.patch_size, stride=bovw.stride,
                  encoding=args.encoding, pooling=args.pooling, normalize=bovw.normalize,
                  whiten=args.whiten, whiten_eps=args.whiten_eps, patches=args.patches,
                  kmeans_init=args.kmeans_init, kmeans_iter=args.kmeans_iter, flip=args.flip)
    return dict(features="bow", feature_params=params, coef=model.coef_,
                intercept=model.intercept_, classes=model.classes_, mean=mean, std=std,
                bow_centers=bovw.cluster_centers_,
                bow_whiten_mean=(bovw.whiten_mean_ if bovw.whiten else np.zeros(0, np.float32)),
                bow_whiten_matrix=(bovw.whiten_matrix_ if bovw.whiten
                                   else np.zeros((0, 0), np.float32)))
