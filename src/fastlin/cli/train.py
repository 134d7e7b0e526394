"""``fastlin train``: fit a linear classifier on CIFAR-10 (or the shipped sample images) and save
it with a record of what it was trained on."""

import os
import time

import numpy as np

from ._common import (CLIError, add_parser, nonnegative_float, nonnegative_int, positive_float,
                      positive_int, thread_count)
from ._estimator import estimator, fit
from .data import training_data
from .modelfile import default_output, save_model


def standardizer(F):
    """Per-feature mean and std (zeros replaced by 1) of the training rows, float32."""
    mean = F.mean(axis=0, dtype=np.float64).astype(np.float32)
    std = F.std(axis=0, dtype=np.float64).astype(np.float32)
    std[std == 0] = 1.0
    return mean, std


def run(args):
    data = training_data(args.data, args.dataset, args.num_val)
    output = args.output or default_output(data.dataset)
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK) or os.path.isdir(output):
        raise CLIError(f"cannot write the model file {output}: "
                       + ("it is a directory" if os.path.isdir(output) else
                          f"no writable directory {folder}"))
    if args.report is not None:
        _check_report(args)
    if args.features == "bow":
        from .bow import train_bow

        arrays = train_bow(args, data)
    else:
        arrays = train_pixels(args, data)
    save_model(output, dataset=data.dataset, image_shape=(32, 32, 3), label_names=data.label_names,
               kind=args.model, **arrays)
    note = " (a model of the sample images, not of CIFAR-10)" if data.dataset == "samples" else ""
    print(f"saved {output}{note}")
    return 0


def _check_report(args):
    """--report DIR: matplotlib present, DIR creatable (checked before training)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CLIError('--report needs matplotlib: pip install "fastlin[plot]"') from None
    path = os.path.abspath(args.report)
    if os.path.exists(path) and not os.path.isdir(path):
        raise CLIError(f"cannot write the report to {args.report}: it is a file")
    parent = path if os.path.isdir(path) else os.path.dirname(path)
    if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
        raise CLIError(f"cannot write the report to {args.report}: no writable directory {parent}")


def train_pixels(args, data):
    """Raw pixels -> standardisation -> classifier; return the arrays to save."""
    def flat(X):
        return X.reshape(len(X), -1).astype(np.float32)

    Xtr = flat(data.X_train)
    mean, std = standardizer(Xtr)
    Xtr -= mean  # in place: no second copy of the training set
    Xtr /= std
    Xva = (flat(data.X_val) - mean) / std
    model = estimator(args)
    print(f"data: {data.description}: train {data.X_train.shape}, validation {data.X_val.shape}"
          + (f", test {data.X_test.shape}" if data.X_test is not None else ""))
    print(f"model: {model!r}")
    t0 = time.perf_counter()
    fit(model, Xtr, data.y_train, X_val=Xva, y_val=data.y_val)
    elapsed = time.perf_counter() - t0
    print(f"training time: {elapsed:.2f} s ({model.n_iter_} epochs, {model.t_} updates)")
    print(f"validation accuracy: {model.score(Xva, data.y_val):.4f}")
    if data.X_test is not None:
        print(f"test accuracy: {model.score((flat(data.X_test) - mean) / std, data.y_test):.4f}")
    if args.report is not None:
        from ..plot import write_report

        settings = {k: v for k, v in vars(args).items() if k != "func"}
        index = write_report(model, Xva, data.y_val, args.report, class_names=data.label_names,
                             image_shape=(32, 32, 3), settings=settings,
                             timings={"training (s)": round(elapsed, 2)})
        print(f"report: {index}")
    return dict(features="pixels", feature_params={}, coef=model.coef_,
                intercept=model.intercept_, classes=model.classes_, mean=mean, std=std)


DESCRIPTION = """\
Train a linear classifier (multiclass SVM or softmax) on CIFAR-10 and save it as an .npz model
file that records the data set, the feature pipeline and the fastlin version.

CIFAR-10 is looked for in --data, else $FASTLIN_DATA, else ~/.cache/fastlin. When it is absent
and --data is not given, the run uses the sample images that ship with fastlin instead (32x32
crops of ten photographs; see fastlin.datasets.load_sample_images), says so, and saves to
fastlin-sample-model.npz unless -o is given."""


def add_parsers(sub):
    p = add_parser(sub, "train", help="train a linear classifier on CIFAR-10 and save it (.npz)",
                   description=DESCRIPTION)
    p.add_argument("--data", metavar="DIR",
                   help="CIFAR-10 directory (default: $FASTLIN_DATA or ~/.cache/fastlin)")
    p.add_argument("--dataset", choices=["auto", "cifar10", "samples"], default="auto",
                   help="auto: CIFAR-10 when found, else the shipped sample images; cifar10: "
                        "fail when CIFAR-10 is absent; samples: the sample images")
    p.add_argument("--model", choices=["svm", "softmax"], default="softmax",
                   help="multiclass SVM (hinge) or softmax (cross-entropy) loss")
    p.add_argument("--multi-class", choices=["weston_watkins", "one_vs_all", "crammer_singer"],
                   help="the multiclass SVM loss with --model svm (default: weston_watkins, the "
                        "sum over wrong classes; see fastlin.svm_loss)")
    p.add_argument("--svm-loss", choices=["hinge", "squared_hinge"],
                   help="each hinge as it is or squared, with --model svm (default: hinge)")
    p.add_argument("--features", choices=["pixels", "bow"], default="pixels",
                   help="raw pixels or a bag of visual words (k-means codebook)")
    p.add_argument("--optimizer", choices=["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"],
                   help="update rule (default: adam)")
    p.add_argument("--epochs", type=positive_int, metavar="N",
                   help="epochs (default: 6 for pixels, 40 for bow)")
    p.add_argument("--lr", type=positive_float, metavar="X",
                   help="learning rate (default: 1e-3 svm, 3e-3 softmax for pixels; 1e-2 for bow)")
    p.add_argument("--reg", type=nonnegative_float, metavar="X",
                   help="L2 strength (default: 1e-4 for pixels; 1e-3 svm, 1e-5 softmax for bow)")
    p.add_argument("--batch-size", type=positive_int, metavar="N", help="minibatch rows (default: 1000)")
    p.add_argument("--threads", type=thread_count, metavar="N",
                   help="threads for the kernels (default: fastlin's, see fastlin.show_config())")
    p.add_argument("--num-val", type=positive_int, metavar="N", default=1000,
                   help="training images held out for validation")
    p.add_argument("--seed", type=nonnegative_int, metavar="N", default=0, help="random seed")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="model file (default: fastlin-model.npz for CIFAR-10, "
                        "fastlin-sample-model.npz for the sample images)")
    p.add_argument("--report", metavar="DIR",
                   help="also write a static HTML report to DIR: loss, weight templates (or the "
                        "codebook with --features bow), confusion matrix (needs matplotlib; "
                        "default: no report)")
    from .bow import add_arguments

    add_arguments(p)
    p.set_defaults(func=run)
