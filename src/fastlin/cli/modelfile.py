"""The model file of ``fastlin train``: an .npz of plain arrays (never pickles) that records what
the model was trained on, checked in full on loading.

Entries: ``fastlin_format`` ("fastlin-model"), ``format_version`` (1), ``fastlin_version``,
``dataset`` ("cifar10" or "samples"), ``features`` ("pixels" or "bow"), ``feature_params``
(JSON), ``image_shape`` (3,), ``model`` ("svm" or "softmax"), ``coef`` (C, D), ``intercept``
(C,), ``classes`` (C,), ``label_names`` (L,), ``mean`` and ``std`` (D,) of the standardisation;
for ``bow`` also ``bow_centers`` (K, P*P*3), ``bow_whiten_mean`` (P*P*3,) or (0,) and
``bow_whiten_matrix`` (P*P*3, P*P*3) or (0, 0).
"""

import json
import os
import zipfile
import zlib
from dataclasses import dataclass, field

import numpy as np

from ._common import CLIError, version

FORMAT = "fastlin-model"
FORMAT_VERSION = 1
DATASETS = {"cifar10": "CIFAR-10", "samples": "the fastlin sample images"}
FEATURES = ("pixels", "bow")
KINDS = ("svm", "softmax")
ENCODINGS = ("triangle", "hard")
POOLINGS = {"quadrants": 4, "sum": 1}


def default_output(dataset):
    """The file name ``fastlin train`` writes when -o is not given: a model of the sample images
    never takes the name of a CIFAR-10 model."""
    return "fastlin-model.npz" if dataset == "cifar10" else "fastlin-sample-model.npz"


def save_model(path, *, kind, dataset, features, feature_params, image_shape, coef, intercept,
               classes, label_names, mean, std, **extra):
    """Write the model file (``path`` as given: no ".npz" is appended)."""
    arrays = dict(fastlin_format=np.array(FORMAT), format_version=np.array(FORMAT_VERSION),
                  fastlin_version=np.array(version()), dataset=np.array(dataset),
                  features=np.array(features), feature_params=np.array(json.dumps(feature_params)),
                  image_shape=np.array(image_shape, dtype=np.int64), model=np.array(kind),
                  coef=coef, intercept=intercept, classes=classes,
                  label_names=np.array([str(n) for n in label_names]), mean=mean, std=std, **extra)
    try:
        with open(path, "wb") as f:
            np.savez(f, **arrays)
    except OSError as exc:
        raise CLIError(f"cannot write the model file {path}: {exc.strerror or exc}") from None


@dataclass
class Model:
    """A loaded, checked model file."""

    path: str
    kind: str
    dataset: str
    features: str
    feature_params: dict
    fastlin_version: str
    image_shape: tuple
    coef: np.ndarray
    intercept: np.ndarray
    classes: np.ndarray
    label_names: list
    mean: np.ndarray
    std: np.ndarray
    bow: dict = field(default_factory=dict)

    def describe(self):
        return (f"{self.kind} on {self.features}, trained on {DATASETS[self.dataset]} "
                f"with fastlin {self.fastlin_version}")

    def transform(self, X):
        """Standardised features (N, D) float32 of uint8 images X (N, *image_shape)."""
        if self.features == "bow":
            from ..features import encode

            p = self.feature_params
            wm, wP = self.bow["whiten_mean"], self.bow["whiten_matrix"]
            X = encode(X, self.bow["centers"], p["patch_size"], p["stride"],
                       encoding=p["encoding"], pooling=p["pooling"], normalize=p["normalize"],
                       whiten_mean=wm if wm.size else None, whiten_matrix=wP if wP.size else None)
        F = X.reshape(len(X), -1).astype(np.float32)
        return (F - self.mean) / self.std

    def decision_function(self, X):
        """Class scores (N, C) of uint8 images X."""
        return self.transform(X) @ self.coef.T.astype(np.float32) + self.intercept.astype(np.float32)

    def predict(self, X):
        """Label indices (N,) of uint8 images X."""
        return self.classes[np.argmax(self.decision_function(X), axis=1)]

    def class_names(self):
        return [self.label_names[int(c)] for c in self.classes]


def _member(z, path, key):
    try:
        return z[key]
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise CLIError(f"{path}: entry {key!r} holds Python objects (an object array); "
                           "a fastlin model file holds only numbers and text") from None
        raise CLIError(f"{path}: entry {key!r} is corrupt") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error):
        raise CLIError(f"{path}: entry {key!r} is truncated or corrupt") from None


def _text(a, path, key, choices=None):
    if a.dtype.kind != "U" or a.ndim != 0:
        raise CLIError(f"{path}: entry {key!r} must be one text value, got {a.dtype} {a.shape}")
    v = str(a)
    if choices is not None and v not in choices:
        raise CLIError(f"{path}: entry {key!r} is {v!r}, expected one of {', '.join(choices)}")
    return v


def _numbers(a, path, key, shape, kind="f"):
    """a as a numeric array of the given shape (None: any length); kind "f" (finite floats) or
    "i" (integers)."""
    want = "integer" if kind == "i" else "float"
    ok_dtype = a.dtype.kind in ("iu" if kind == "i" else "f")
    ok_shape = a.ndim == len(shape) and all(s is None or s == n for s, n in zip(shape, a.shape))
    if not (ok_dtype and ok_shape):
        dims = ", ".join("?" if s is None else str(s) for s in shape)
        raise CLIError(f"{path}: entry {key!r} must be a {want} array of shape ({dims}"
                       f"{',' if len(shape) == 1 else ''}), got {a.dtype} {a.shape}")
    if kind == "f" and not np.all(np.isfinite(a)):
        raise CLIError(f"{path}: entry {key!r} holds NaN or infinite values")
    return a


def load_model(path):
    """Read and check a model file written by :func:`save_model`; raise CLIError naming the file
    and what is wrong."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise CLIError(f"model file not found: {path}")
    if os.path.isdir(path):
        raise CLIError(f"{path} is a directory, not a model file")
    try:
        z = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error):
        with open(path, "rb") as f:
            zip_magic = f.read(4) == b"PK\x03\x04"
        what = "a truncated or corrupt .npz archive" if zip_magic else "not an .npz archive"
        raise CLIError(f"{path} is not a fastlin model file: {what}") from None
    if not isinstance(z, np.lib.npyio.NpzFile):
        raise CLIError(f"{path} is not a fastlin model file: it holds one array (.npy), "
                       "a model file is the .npz written by fastlin train")
    with z:
        return _check(z, path)


def _check(z, path):
    files = set(z.files)
    if "fastlin_format" not in files:
        if {"coef", "classes"} <= files:
            raise CLIError(f"{path} was written by an older fastlin that did not record what the "
                           "model was trained on; train it again")
        raise CLIError(f"{path} is not a fastlin model file (no 'fastlin_format' entry)")
    if _text(_member(z, path, "fastlin_format"), path, "fastlin_format") != FORMAT:
        raise CLIError(f"{path} is not a fastlin model file (unknown 'fastlin_format')")
    required = ["format_version", "fastlin_version", "dataset", "features", "feature_params",
                "image_shape", "model", "coef", "intercept", "classes", "label_names", "mean",
                "std"]
    features = None
    if "features" in files:
        features = _text(_member(z, path, "features"), path, "features", FEATURES)
    if features == "bow":
        required += ["bow_centers", "bow_whiten_mean", "bow_whiten_matrix"]
    missing = [k for k in required if k not in files]
    if missing:
        raise CLIError(f"{path}: model file lacks the entries {', '.join(missing)}")
    a = {k: _member(z, path, k) for k in required}
    fv = _numbers(a["format_version"], path, "format_version", (), "i")
    if int(fv) > FORMAT_VERSION:
        raise CLIError(f"{path} was written by a newer fastlin (model format {int(fv)}; this "
                       f"fastlin {version()} reads format {FORMAT_VERSION}): upgrade fastlin")
    try:
        params = json.loads(_text(a["feature_params"], path, "feature_params"))
    except json.JSONDecodeError:
        params = None
    if not isinstance(params, dict):
        raise CLIError(f"{path}: entry 'feature_params' is not a JSON object")
    shape = _numbers(a["image_shape"], path, "image_shape", (3,), "i")
    if tuple(int(s) for s in shape) != (32, 32, 3):
        raise CLIError(f"{path}: the model is for images of shape {tuple(shape.tolist())}; "
                       "fastlin's command line works on 32x32 RGB images (32, 32, 3)")
    label_names = a["label_names"]
    if label_names.dtype.kind != "U" or label_names.ndim != 1 or len(label_names) < 2:
        raise CLIError(f"{path}: entry 'label_names' must be a list of at least 2 names, got "
                       f"{label_names.dtype} {label_names.shape}")
    coef = _numbers(a["coef"], path, "coef", (None, None))
    C, D = coef.shape
    if C < 2 or D < 1:
        raise CLIError(f"{path}: entry 'coef' must have at least 2 rows and 1 column, got {coef.shape}")
    intercept = _numbers(a["intercept"], path, "intercept", (C,))
    classes = _numbers(a["classes"], path, "classes", (C,), "i")
    if classes.min() < 0 or classes.max() >= len(label_names) or len(np.unique(classes)) != C:
        raise CLIError(f"{path}: entry 'classes' must hold {C} distinct indices into the "
                       f"{len(label_names)} label names")
    mean = _numbers(a["mean"], path, "mean", (D,))
    std = _numbers(a["std"], path, "std", (D,))
    if np.any(std <= 0):
        raise CLIError(f"{path}: entry 'std' must be > 0")
    bow = {}
    if features == "pixels":
        if D != 32 * 32 * 3:
            raise CLIError(f"{path}: a pixels model needs 'coef' of shape ({C}, 3072), got {coef.shape}")
    else:
        p = params
        if (p.get("encoding") not in ENCODINGS or p.get("pooling") not in POOLINGS
                or not all(isinstance(p.get(k), int) and p[k] >= 1 for k in ("patch_size", "stride"))
                or p["patch_size"] > 32 or not isinstance(p.get("normalize"), bool)):
            raise CLIError(f"{path}: entry 'feature_params' must give encoding ({', '.join(ENCODINGS)}), "
                           f"pooling ({', '.join(POOLINGS)}), patch_size and stride (integers >= 1) "
                           "and normalize (true or false)")
        P = p["patch_size"] ** 2 * 3
        centers = _numbers(a["bow_centers"], path, "bow_centers", (None, P))
        K = len(centers)
        if K < 1 or D != K * POOLINGS[p["pooling"]]:
            raise CLIError(f"{path}: entry 'coef' has {D} columns, the codebook of {K} words with "
                           f"{p['pooling']} pooling gives {K * POOLINGS[p['pooling']]}")
        wm, wP = a["bow_whiten_mean"], a["bow_whiten_matrix"]
        whitened = wm.size > 0
        _numbers(wm, path, "bow_whiten_mean", (P if whitened else 0,))
        _numbers(wP, path, "bow_whiten_matrix", (P, P) if whitened else (0, 0))
        bow = dict(centers=centers, whiten_mean=wm, whiten_matrix=wP)
    return Model(path=path, kind=_text(a["model"], path, "model", KINDS),
                 dataset=_text(a["dataset"], path, "dataset", tuple(DATASETS)), features=features,
                 feature_params=params,
                 fastlin_version=_text(a["fastlin_version"], path, "fastlin_version"),
                 image_shape=(32, 32, 3), coef=coef, intercept=intercept, classes=classes,
                 label_names=[str(n) for n in label_names], mean=mean.astype(np.float32),
                 std=std.astype(np.float32), bow=bow)
