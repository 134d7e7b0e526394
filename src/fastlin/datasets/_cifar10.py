"""Image data sets on disk. No download code: fastlin works offline.

CIFAR-10 comes in the official "python version" layout, a directory ``cifar-10-batches-py`` holding
``data_batch_1`` .. ``data_batch_5``, ``test_batch`` and ``batches.meta`` (get it from the
CIFAR-10 page of the University of Toronto, ``cifar-10-python.tar.gz``, and unpack it). Each batch
is a pickled dict: ``data`` (uint8, (10000, 3072), a row is the red, green and blue 32x32 planes)
and ``labels`` (10000 ints). :func:`load_cifar10` looks for it in ``$FASTLIN_DATA`` and
``~/.cache/fastlin`` when no ``root`` is given.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "CIFAR10",
    "cifar10_search_paths",
    "find_cifar10",
    "load_cifar10",
    "load_cifar10_batch",
    "train_val_split",
]

CIFAR10_DIRNAME = "cifar-10-batches-py"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
META = "batches.meta"
CIFAR10_LABEL_NAMES = (
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# locating the data
# --------------------------------------------------------------------------------------------


def cifar10_search_paths() -> list[str]:
    """Where :func:`find_cifar10` looks, in order: ``$FASTLIN_DATA/cifar-10-batches-py``,
    ``$FASTLIN_DATA`` itself, then ``~/.cache/fastlin/cifar-10-batches-py``."""
    paths = []
    env = os.environ.get("FASTLIN_DATA")
    if env:
        paths += [os.path.join(env, CIFAR10_DIRNAME), env]
    paths.append(os.path.join(os.path.expanduser("~"), ".cache", "fastlin", CIFAR10_DIRNAME))
    return paths


def _resolve_root(root):
    """The directory holding the batch files: ``root`` itself or ``root/cifar-10-batches-py``."""
    root = os.fspath(root)
    if not os.path.isdir(root):
        raise FileNotFoundError(f"CIFAR-10 directory not found: {root!r}")
    sub = os.path.join(root, CIFAR10_DIRNAME)
    if not os.path.exists(os.path.join(root, TRAIN_BATCHES[0])) and os.path.isdir(sub):
        return sub
    return root


def find_cifar10(root=None) -> str | None:
    """The CIFAR-10 batch directory, or None when it is not found.

    With ``root``, look there (and in ``root/cifar-10-batches-py``); otherwise in
    :func:`cifar10_search_paths`. A directory counts when it holds ``data_batch_1``.
    """
    candidates = [root] if root is not None else cifar10_search_paths()
    for cand in candidates:
        for d in (os.fspath(cand), os.path.join(os.fspath(cand), CIFAR10_DIRNAME)):
            if os.path.isfile(os.path.join(d, TRAIN_BATCHES[0])):
                return d
    return None


# --------------------------------------------------------------------------------------------
# reading batches
# --------------------------------------------------------------------------------------------

# Only what a CIFAR batch needs may be resolved while unpickling: the files come from outside and
# a plain pickle.load would run any code a crafted file names.
_ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),
    ("copy_reg", "_reconstructor"),
    ("copyreg", "_reconstructor"),
    ("__builtin__", "object"),
    ("builtins", "object"),
}


class _BatchUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected global {module}.{name}")


def _key(k):
    return k.decode("latin1") if isinstance(k, bytes) else k


def _unpickle(path):
    if not os.path.isfile(path):
        raise FileNotFoundError(f"CIFAR-10 file not found: {path!r}")
    try:
        with open(path, "rb") as f:
            obj = _BatchUnpickler(f, encoding="latin1").load()
    except Exception as exc:  # noqa: BLE001 - any failure here means a bad file
        raise ValueError(f"corrupt CIFAR-10 file {path!r}: {type(exc).__name__}: {exc}") from exc
    if not isinstance(obj, dict):
        raise ValueError(f"corrupt CIFAR-10 file {path!r}: expected a pickled dict, got {type(obj).__name__}")
    return {_key(k): v for k, v in obj.items()}


def load_cifar10_batch(path) -> tuple[np.ndarray, np.ndarray]:
    """Read one batch file: ``X`` uint8 (N, 32, 32, 3) (C-contiguous, HWC) and ``y`` int64 (N,).

    Accepts str or bytes pickle keys. Raises FileNotFoundError / ValueError naming the file.
    """
    path = os.fspath(path)
    d = _unpickle(path)
    if "data" not in d or "labels" not in d:
        raise ValueError(f"corrupt CIFAR-10 file {path!r}: missing key 'data' or 'labels' (keys: {sorted(d)})")
    data = d["data"]
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        desc = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise ValueError(f"corrupt CIFAR-10 file {path!r}: 'data' must be uint8 (N, 3072), got {desc}")
    try:
        y = np.asarray(d["labels"], dtype=np.int64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"corrupt CIFAR-10 file {path!r}: 'labels' are not integers") from exc
    if y.shape != (data.shape[0],):
        raise ValueError(f"corrupt CIFAR-10 file {path!r}: {y.shape} labels for {data.shape[0]} images")
    if y.size and (y.min() < 0 or y.max() > 9):
        raise ValueError(f"corrupt CIFAR-10 file {path!r}: labels outside [0, 9]")
    X = np.ascontiguousarray(data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
    return X, y


def _load_many(paths):
    parts = [load_cifar10_batch(p) for p in paths]
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _label_names(directory):
    path = os.path.join(directory, META)
    if not os.path.exists(path):
        return list(CIFAR10_LABEL_NAMES)
    meta = _unpickle(path)
    names = meta.get("label_names")
    if not isinstance(names, (list, tuple)) or not names:
        raise ValueError(f"corrupt CIFAR-10 file {path!r}: no 'label_names' list")
    return [n.decode("latin1") if isinstance(n, bytes) else str(n) for n in names]


@dataclass
class CIFAR10:
    """CIFAR-10 as loaded by :func:`load_cifar10`.

    X_train, X_test : uint8 (N, 32, 32, 3), C-contiguous, RGB, HWC.
    y_train, y_test : int64 (N,), labels in [0, 10).
    X_test and y_test are None when the test split was not loaded (or absent, with split="auto").
    label_names : the 10 class names, from ``batches.meta`` (or the standard names when absent).
    root : the directory read.
    """

    X_train: np.ndarray | None
    y_train: np.ndarray | None
    X_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    label_names: list = field(default_factory=lambda: list(CIFAR10_LABEL_NAMES))
    root: str | None = None

    @property
    def has_test(self) -> bool:
        return self.X_test is not None

    def __repr__(self):
        def shape(a):
            return None if a is None else a.shape

        return (
            f"CIFAR10(root={self.root!r}, train={shape(self.X_train)}, test={shape(self.X_test)}, "
            f"label_names={self.label_names})"
        )


_SPLITS = ("auto", "train", "test", "all")


def load_cifar10(root=None, *, split="auto") -> CIFAR10:
    """Load CIFAR-10 from the official python-batch files.

    Parameters
    ----------
    root : path, optional
        The ``cifar-10-batches-py`` directory or its parent. Default: the first of
        :func:`cifar10_search_paths` that holds the data.
    split : {"auto", "train", "test", "all"}
        "train": the five training batches (50,000 images). "test": ``test_batch`` only.
        "all": both (``test_batch`` must exist). "auto" (default): the training batches, plus the
        test batch when the file is present.

    Returns
    -------
    CIFAR10
        ``X_train``/``X_test`` uint8 (N, 32, 32, 3), ``y_train``/``y_test`` int64 (N,), ``label_names``;
        the fields of splits not loaded are None.

    Raises
    ------
    FileNotFoundError
        The directory, or a file of a requested split, is missing (the message names it).
    ValueError
        A file is corrupt (the message names it), or ``split`` is not one of the above.
    """
    if not isinstance(split, str) or split not in _SPLITS:
        raise ValueError(f"split must be one of {_SPLITS}, got {split!r}")
    if root is None:
        directory = find_cifar10()
        if directory is None:
            raise FileNotFoundError(
                "CIFAR-10 not found in " + ", ".join(repr(p) for p in cifar10_search_paths()) + "; pass root= "
                "or set FASTLIN_DATA to the folder holding cifar-10-batches-py (unpack cifar-10-python.tar.gz there)"
            )
    else:
        directory = _resolve_root(root)

    out = CIFAR10(None, None, label_names=_label_names(directory), root=directory)
    if split in ("auto", "train", "all"):
        out.X_train, out.y_train = _load_many([os.path.join(directory, n) for n in TRAIN_BATCHES])
    test_path = os.path.join(directory, TEST_BATCH)
    if split in ("test", "all") or (split == "auto" and os.path.exists(test_path)):
        if not os.path.exists(test_path):
            raise FileNotFoundError(f"CIFAR-10 file not found: {test_path!r} (split={split!r} asks for the test set)")
        out.X_test, out.y_test = load_cifar10_batch(test_path)
    return out


# --------------------------------------------------------------------------------------------
# splits
# --------------------------------------------------------------------------------------------


def train_val_split(X, y, num_validation=1000, num_training=None, *, shuffle=False, random_state=None):
    """Split off a validation set, as the course does: the first ``num_training`` rows train and
    the ``num_validation`` rows after them validate (49,000 / 1,000 of CIFAR-10's 50,000 by default).

    X : array (N, ...); y : array (N,).
    num_validation : int >= 1.  num_training : int >= 1, default ``N - num_validation``.
    shuffle : permute the rows first (with ``numpy.random.default_rng(random_state)``); without it
        the four results are views of the inputs, with it copies.

    Returns ``X_train, y_train, X_val, y_val``.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim < 1:
        raise ValueError("X must have at least one dimension")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    n = X.shape[0]
    for name, v in (("num_validation", num_validation), ("num_training", num_training)):
        if v is None and name == "num_training":
            continue
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must be an integer, got {type(v).__name__}")
        if v < 1:
            raise ValueError(f"{name} must be >= 1, got {v}")
    if num_training is None:
        num_training = n - num_validation
        if num_training < 1:
            raise ValueError(f"num_validation={num_validation} leaves no training rows out of {n}")
    if num_training + num_validation > n:
        raise ValueError(
            f"num_training + num_validation = {num_training + num_validation} exceeds the {n} rows of X"
        )
    if shuffle:
        order = np.random.default_rng(random_state).permutation(n)
        tr, va = order[:num_training], order[num_training : num_training + num_validation]
        return X[tr], y[tr], X[va], y[va]
    tr, va = slice(0, num_training), slice(num_training, num_training + num_validation)
    return X[tr], y[tr], X[va], y[va]
