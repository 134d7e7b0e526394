"""``fastlin train`` / ``evaluate`` / ``predict``: the subcommands of issue 3 (wired into cli.py)."""

import os
import sys
import time

import numpy as np


def _load(args):
    """(X_train, y_train, X_val, y_val, X_test, y_test, label_names, description)."""
    from .datasets import find_cifar10, load_cifar10, train_val_split

    root = find_cifar10(args.data) if args.data else find_cifar10()
    if root is None:
        where = args.data or "$FASTLIN_DATA or ~/.cache/fastlin"
        print(f"CIFAR-10 not found in {where}. Get cifar-10-python.tar.gz from the CIFAR-10 page "
              "(University of Toronto) and unpack it there, or pass --data DIR.", file=sys.stderr)
        if not args.synthetic_fallback:
            raise SystemExit(2)
        print("*** SYNTHETIC RUN: random Gaussian blobs shaped like CIFAR-10, not real images ***",
              file=sys.stderr)
        rng = np.random.default_rng(0)
        n, d, c = 11000, 3072, 10
        centers = rng.standard_normal((c, d)).astype(np.float32) * 0.05
        y = rng.integers(0, c, n)
        X = centers[y] + rng.standard_normal((n, d), dtype=np.float32)
        return X[:10000], y[:10000], X[10000:], y[10000:], None, None, [str(i) for i in range(c)], "synthetic"
    d = load_cifar10(root)
    X = d.X_train.reshape(len(d.X_train), -1)
    Xtr, ytr, Xva, yva = train_val_split(X, d.y_train, num_validation=args.num_val)
    Xte = d.X_test.reshape(len(d.X_test), -1) if d.has_test else None
    return Xtr, ytr, Xva, yva, Xte, d.y_test, d.label_names, f"CIFAR-10 from {root}"


def train(args):
    import fastlin

    Xtr, ytr, Xva, yva, Xte, yte, names, desc = _load(args)
    if getattr(args, "features", "pixels") == "bow":  # issue 5: bag of visual words
        from ._bow_cli import train_bow

        arrays = train_bow(args, Xtr, ytr, Xva, yva, Xte, yte, names, desc)
        if args.output:
            np.savez(args.output, **arrays)
            print(f"saved {args.output}")
        return 0
    # preprocessing: per-feature standardisation with training statistics, float32
    mean = Xtr.mean(axis=0, dtype=np.float64).astype(np.float32)
    std = Xtr.std(axis=0, dtype=np.float64).astype(np.float32)
    std[std == 0] = 1.0

    def prep(X):
        return ((X.astype(np.float32) - mean) / std).astype(np.float32)

    Xtr_p, Xva_p = prep(Xtr), prep(Xva)
    cls = fastlin.LinearSVM if args.model == "svm" else fastlin.Softmax
    kw = {k: v for k, v in dict(optimizer=args.optimizer, max_iter=args.epochs, learning_rate=args.lr,
                                reg=args.reg, batch_size=args.batch_size, num_threads=args.threads).items()
          if v is not None}
    model = cls(random_state=args.seed, verbose=1, tol=None, **kw)
    print(f"data: {desc}: train {Xtr.shape}, validation {Xva.shape}" + (f", test {Xte.shape}" if Xte is not None else ""))
    print(f"model: {model!r}")
    t0 = time.perf_counter()
    model.fit(Xtr_p, ytr, X_val=Xva_p, y_val=yva)
    elapsed = time.perf_counter() - t0
    print(f"training time: {elapsed:.2f} s ({model.n_iter_} epochs, {model.t_} updates)")
    print(f"validation accuracy: {model.score(Xva_p, yva):.4f}")
    if Xte is not None:
        print(f"test accuracy: {model.score(prep(Xte), yte):.4f}")
    if args.output:
        np.savez(args.output, model=np.array(args.model), coef=model.coef_, intercept=model.intercept_,
                 classes=model.classes_, mean=mean, std=std, label_names=np.array(names))
        print(f"saved {args.output}")
    return 0


def _load_model(path):
    if not os.path.isfile(path):
        raise SystemExit(f"model file not found: {path}")
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _scores(m, X):
    if "bow_centers" in m:  # a --features bow model: encode the images first
        from ._bow_cli import features

        X = features(m, X)
    Xp = (X.reshape(len(X), -1).astype(np.float32) - m["mean"]) / m["std"]
    return Xp @ m["coef"].T.astype(np.float32) + m["intercept"].astype(np.float32)


def evaluate(args):
    from .datasets import find_cifar10, load_cifar10, train_val_split

    m = _load_model(args.model_file)
    root = find_cifar10(args.data) if args.data else find_cifar10()
    if root is None:
        raise SystemExit("CIFAR-10 not found: pass --data DIR")
    d = load_cifar10(root)
    if d.has_test:
        X, y, what = d.X_test, d.y_test, "test"
    else:
        X, y, what = train_val_split(d.X_train, d.y_train, num_validation=args.num_val)[2:] + ("validation",)
    acc = float(np.mean(m["classes"][np.argmax(_scores(m, X), axis=1)] == y))
    print(f"{what} accuracy ({len(y)} images): {acc:.4f}")
    return 0


def predict(args):
    m = _load_model(args.model_file)
    X = np.load(args.input)
    if X.ndim == 3:
        X = X[None]
    labels = m["classes"][np.argmax(_scores(m, X), axis=1)]
    names = m["label_names"]
    for lab in labels:
        print(names[lab] if 0 <= int(lab) < len(names) else lab)
    return 0


def add_parsers(sub):
    p = sub.add_parser("train", help="train a linear classifier on CIFAR-10 and save it (.npz)")
    p.add_argument("--data", help="CIFAR-10 directory (default: $FASTLIN_DATA or ~/.cache/fastlin)")
    p.add_argument("--model", choices=["svm", "softmax"], default="softmax")
    p.add_argument("--optimizer", choices=["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
    p.add_argument("--epochs", type=int, help="epochs (default: the estimator's)")
    p.add_argument("--lr", type=float, help="learning rate (default: the estimator's)")
    p.add_argument("--reg", type=float, help="L2 strength (default: the estimator's)")
    p.add_argument("--batch-size", type=int)
    p.add_argument("--threads", type=int)
    p.add_argument("--num-val", type=int, default=1000, help="validation images (default 1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--output", "-o", default="fastlin-model.npz")
    p.add_argument("--no-synthetic-fallback", dest="synthetic_fallback", action="store_false",
                   help="fail instead of running on synthetic data when CIFAR-10 is absent")
    p.add_argument("--features", choices=["pixels", "bow"], default="pixels",
                   help="raw pixels (default) or a bag of visual words (k-means codebook)")
    from ._bow_cli import add_arguments

    add_arguments(p)
    p.set_defaults(func=train)
    for name, func, helptext in [("evaluate", evaluate, "accuracy of a saved model on CIFAR-10"),
                                 ("predict", predict, "class names for images in a .npy file")]:
        q = sub.add_parser(name, help=helptext)
        q.add_argument("model_file", help="a .npz saved by fastlin train")
        if name == "evaluate":
            q.add_argument("--data")
            q.add_argument("--num-val", type=int, default=1000)
        else:
            q.add_argument("input", help=".npy of uint8 images (N, 32, 32, 3) or (32, 32, 3)")
        q.set_defaults(func=func)
