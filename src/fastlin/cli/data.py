"""The images the subcommands train and evaluate on: CIFAR-10 when it is found, else (for
``train``) the sample images that ship with fastlin, clearly labelled."""

import sys
from dataclasses import dataclass

import numpy as np

from ..datasets import find_cifar10, load_cifar10, load_sample_images, train_val_split
from ._common import CLIError

NOT_FOUND_HELP = ("get cifar-10-python.tar.gz from the CIFAR-10 page (University of Toronto) and "
                  "unpack it there")
SAMPLES_BANNER = ("*** SAMPLE RUN: not CIFAR-10 but 32x32 crops of the 10 photographs that ship "
                  "with fastlin (fastlin.datasets.load_sample_images); the accuracy says nothing "
                  "about CIFAR-10 ***")


@dataclass
class Data:
    """uint8 images (N, 32, 32, 3) and int64 labels of each split (test may be None)."""

    dataset: str  # "cifar10" or "samples"
    description: str
    label_names: list
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray = None
    y_test: np.ndarray = None


def cifar10_root(data_dir):
    """The CIFAR-10 batch directory in ``data_dir`` (or the default places), else CLIError."""
    root = find_cifar10(data_dir) if data_dir else find_cifar10()
    if root is None:
        if data_dir:
            raise CLIError(f"CIFAR-10 not found in {data_dir} (no data_batch_1 there or in "
                           f"{data_dir}/cifar-10-batches-py): {NOT_FOUND_HELP}")
        raise CLIError("CIFAR-10 not found in $FASTLIN_DATA or ~/.cache/fastlin: "
                       f"{NOT_FOUND_HELP}, or pass --data DIR")
    return root


def load_cifar10_checked(root, **kw):
    """load_cifar10 with its errors (missing or corrupt batch files) as CLIError."""
    try:
        return load_cifar10(root, **kw)
    except (OSError, ValueError) as exc:
        raise CLIError(str(exc)) from None


def _split(X, y, num_val, what):
    if num_val >= len(X):
        raise CLIError(f"--num-val {num_val} leaves no training images out of the {len(X)} of {what}")
    return train_val_split(X, y, num_validation=num_val)


def training_data(data_dir, dataset, num_val):
    """The data ``fastlin train`` asked for. dataset: "auto" (CIFAR-10 when found, else the
    sample images, with a notice on stderr), "cifar10" or "samples"."""
    if dataset == "samples" and data_dir:
        raise CLIError("--data DIR names a CIFAR-10 directory; it does not go with --dataset samples")
    if dataset == "samples" or (dataset == "auto" and not data_dir and find_cifar10() is None):
        if dataset == "auto":
            print("CIFAR-10 not found in $FASTLIN_DATA or ~/.cache/fastlin (" + NOT_FOUND_HELP
                  + ", or pass --data DIR); training on the sample images instead.", file=sys.stderr)
            print(SAMPLES_BANNER, file=sys.stderr)
        s = load_sample_images()
        Xtr, ytr, Xva, yva = _split(s.X_train, s.y_train, num_val, "the sample images")
        return Data("samples", "sample images (crops of 10 photographs shipped with fastlin)",
                    s.label_names, Xtr, ytr, Xva, yva, s.X_test, s.y_test)
    root = cifar10_root(data_dir)
    d = load_cifar10_checked(root)
    Xtr, ytr, Xva, yva = _split(d.X_train, d.y_train, num_val, "CIFAR-10's training set")
    return Data("cifar10", f"CIFAR-10 from {root}", list(d.label_names), Xtr, ytr, Xva, yva,
                d.X_test, d.y_test)
