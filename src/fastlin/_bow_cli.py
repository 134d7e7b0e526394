"""``fastlin train --features bow``: the bag-of-visual-words pipeline on CIFAR-10 with a progress
bar per stage (random patches + whitening + k-means codebook, encoding, standardisation, linear
classifier), saved as an .npz that ``fastlin evaluate`` / ``predict`` understand."""

import time

import numpy as np


def add_arguments(p):
    g = p.add_argument_group("bag of visual words (--features bow)")
    g.add_argument("--words", type=int, default=1600, help="codebook size (default 1600)")
    g.add_argument("--encoding", choices=["triangle", "hard"], default="triangle")
    g.add_argument("--pooling", choices=["quadrants", "sum"], default="quadrants")
    g.add_argument("--patches", type=int, default=400_000,
                   help="random patches for the codebook (default 400000)")
    g.add_argument("--kmeans-iter", type=int, default=10, help="Lloyd steps (default 10)")
    g.add_argument("--kmeans-init", choices=["k-means++", "random"], default="random")
    g.add_argument("--no-whiten", dest="whiten", action="store_false")
    g.add_argument("--whiten-eps", type=float, default=0.1,
                   help="ZCA eigenvalue epsilon (default 0.1, the paper's)")
    g.add_argument("--flip", action="store_true",
                   help="also train on the horizontal mirror images of the training images")


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


def _stage(name):
    print(f"[{time.strftime('%H:%M:%S')}] {name}", flush=True)


def train_bow(args, Xtr, ytr, Xva, yva, Xte, yte, names, desc):
    """Fit BagOfVisualWords -> standardisation -> classifier; return the arrays to save."""
    import fastlin
    from .bow import BagOfVisualWords

    shape = (32, 32, 3)
    if Xtr.ndim == 2:
        if Xtr.shape[1] != 3072:
            raise SystemExit(f"--features bow needs 32x32x3 images, got {Xtr.shape[1]} columns")
        Xtr, Xva = Xtr.reshape((-1,) + shape), Xva.reshape((-1,) + shape)
        Xte = Xte.reshape((-1,) + shape) if Xte is not None else None
    if Xtr.dtype != np.uint8:  # the synthetic fallback: map to 0-255
        lo, hi = float(Xtr.min()), float(Xtr.max())

        def to8(X):
            return np.clip((X - lo) * (255.0 / max(hi - lo, 1e-12)), 0, 255).astype(np.uint8)

        Xtr, Xva = to8(Xtr), to8(Xva)
        Xte = to8(Xte) if Xte is not None else None
    print(f"data: {desc}: train {Xtr.shape}, validation {Xva.shape}"
          + (f", test {Xte.shape}" if Xte is not None else ""))
    t0 = time.perf_counter()
    _stage(f"codebook: {args.patches} random 6x6 patches, whitening={args.whiten}, "
           f"k-means ({args.kmeans_init}, k={args.words})")
    bovw = BagOfVisualWords(n_words=args.words, encoding=args.encoding, pooling=args.pooling,
                            whiten=args.whiten, whiten_eps=args.whiten_eps,
                            n_patches=args.patches,
                            kmeans_init=args.kmeans_init, kmeans_max_iter=args.kmeans_iter,
                            random_state=args.seed, num_threads=args.threads)
    bovw.fit(Xtr, progress=True)
    _stage("encoding")
    if getattr(args, "flip", False):  # the codes of the images, then of their mirror images
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
    cls = fastlin.LinearSVM if args.model == "svm" else fastlin.Softmax
    kw = dict(BOW_CLASSIFIER[args.model])
    kw.update({k: v for k, v in dict(optimizer=args.optimizer, max_iter=args.epochs,
                                     learning_rate=args.lr, reg=args.reg,
                                     batch_size=args.batch_size,
                                     num_threads=args.threads).items() if v is not None})
    model = cls(random_state=args.seed, verbose=1, tol=None, **kw)
    _stage(f"classifier: {model!r}")
    model.fit(Ftr, ytr, X_val=Fva, y_val=yva)
    print(f"total time: {time.perf_counter() - t0:.1f} s")
    print(f"validation accuracy: {model.score(Fva, yva):.4f}")
    if Xte is not None:
        Fte = (bovw.transform(Xte, progress=True) - mean) / std
        print(f"test accuracy: {model.score(Fte, yte):.4f}")
    return dict(model=np.array(args.model), coef=model.coef_, intercept=model.intercept_,
                classes=model.classes_, mean=mean, std=std, label_names=np.array(names),
                bow_centers=bovw.cluster_centers_,
                bow_whiten_mean=(bovw.whiten_mean_ if bovw.whiten else np.zeros(0, np.float32)),
                bow_whiten_matrix=(bovw.whiten_matrix_ if bovw.whiten
                                   else np.zeros((0, 0), np.float32)),
                bow_params=np.array([args.encoding, args.pooling]))


def features(m, X):
    """Bag-of-words features of images X for a model saved by train_bow."""
    from .bow import encode

    X = np.asarray(X)
    if X.ndim == 2:
        X = X.reshape(-1, 32, 32, 3)
    wm = m["bow_whiten_mean"]
    wP = m["bow_whiten_matrix"]
    enc, pool = (str(v) for v in m["bow_params"])
    return encode(X, m["bow_centers"], 6, 1, encoding=enc, pooling=pool,
                  whiten_mean=wm if wm.size else None, whiten_matrix=wP if wP.size else None)
