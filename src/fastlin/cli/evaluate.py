"""``fastlin evaluate``: the accuracy of a saved model on the data set it was trained for."""

import numpy as np

from ..datasets import load_sample_images, train_val_split
from ._common import CLIError, add_parser, positive_int
from .data import cifar10_root, load_cifar10_checked
from .modelfile import load_model


def run(args):
    m = load_model(args.model_file)
    print(f"model: {m.path}: {m.describe()}")
    if m.dataset == "samples":
        if args.data:
            raise CLIError(f"{m.path} was trained on the fastlin sample images, not CIFAR-10: "
                           "evaluate it without --data (on the sample images' test crops)")
        s = load_sample_images()
        X, y, names, what = s.X_test, s.y_test, s.label_names, "sample images' test"
    else:
        root = cifar10_root(args.data)
        d = load_cifar10_checked(root)
        names = list(d.label_names)
        if d.has_test:
            X, y, what = d.X_test, d.y_test, f"CIFAR-10 test ({root})"
        else:
            if args.num_val >= len(d.X_train):
                raise CLIError(f"--num-val {args.num_val} leaves no training images")
            X, y = train_val_split(d.X_train, d.y_train, num_validation=args.num_val)[2:]
            what = f"CIFAR-10 validation ({root}, no test_batch)"
    if names != m.label_names:
        raise CLIError(f"{m.path} was trained on the classes {', '.join(m.label_names)}; the "
                       f"evaluation data has {', '.join(names)}")
    acc = float(np.mean(m.predict(X) == y))
    print(f"{what} accuracy ({len(y)} images): {acc:.4f}")
    return 0


DESCRIPTION = """\
Accuracy of a model saved by fastlin train, on the data it was trained for (read from the model
file): CIFAR-10's test batch (or, without it, the validation images), or for a model of the
sample images, their test crops. A model is refused when its record does not match the data."""


def add_parsers(sub):
    p = add_parser(sub, "evaluate", help="accuracy of a saved model on its data set",
                   description=DESCRIPTION)
    p.add_argument("model_file", help="a model file (.npz) saved by fastlin train")
    p.add_argument("--data", metavar="DIR",
                   help="CIFAR-10 directory (default: $FASTLIN_DATA or ~/.cache/fastlin)")
    p.add_argument("--num-val", type=positive_int, metavar="N", default=1000,
                   help="validation images, used when CIFAR-10's test_batch is absent")
    p.set_defaults(func=run)
