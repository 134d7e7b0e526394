"""``fastlin predict``: class names (and optionally probabilities or scores) for images in a .npy
file."""

import os
import zipfile

import numpy as np

from ._common import CLIError, add_parser
from .modelfile import load_model

IMAGE_SHAPE = (32, 32, 3)
EXPECTED = "uint8 RGB images of shape (N, 32, 32, 3) or one image (32, 32, 3)"


def load_images(path):
    """uint8 images (N, 32, 32, 3) from a .npy file; CLIError naming the file for anything else.
    Integer arrays with values in 0..255 are accepted; floats are refused (never rescaled)."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise CLIError(f"images file not found: {path}")
    if os.path.isdir(path):
        raise CLIError(f"{path} is a directory, not a .npy file of images")
    with open(path, "rb") as f:
        magic = f.read(6)
    try:
        X = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        if magic == b"\x93NUMPY" and "allow_pickle" in str(exc):
            raise CLIError(f"{path} holds Python objects (an object array); expected {EXPECTED}") from None
        if magic == b"\x93NUMPY":
            raise CLIError(f"{path} is a truncated or corrupt .npy file") from None
        raise CLIError(f"{path} is not a .npy file (save the images with numpy.save); "
                       f"expected {EXPECTED}") from None
    if isinstance(X, np.lib.npyio.NpzFile):
        X.close()
        raise CLIError(f"{path} is an .npz archive (a model file?), not a .npy file of images; "
                       f"expected {EXPECTED}")
    if X.dtype.kind == "f":
        raise CLIError(f"{path} holds {X.dtype} values; expected {EXPECTED}, pixel values 0-255 "
                       "(for floats in [0, 1], save (X * 255).round().astype(np.uint8))")
    if X.dtype.kind not in "iu":
        raise CLIError(f"{path} holds {X.dtype} values; expected {EXPECTED}")
    if X.shape == IMAGE_SHAPE:
        X = X[None]
    if X.ndim != 4 or X.shape[1:] != IMAGE_SHAPE:
        hint = " (channels first? move them last)" if X.ndim == 4 and X.shape[1:] == (3, 32, 32) else ""
        raise CLIError(f"{path} holds an array of shape {X.shape}; expected {EXPECTED}{hint}")
    if len(X) == 0:
        raise CLIError(f"{path} holds no images")
    if X.dtype != np.uint8:
        if X.min() < 0 or X.max() > 255:
            raise CLIError(f"{path} holds {X.dtype} values outside 0..255; expected {EXPECTED}")
        X = X.astype(np.uint8)
    return X


def softmax(S):
    """Row-wise softmax of scores S (N, C), float64."""
    S = S.astype(np.float64)
    E = np.exp(S - S.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def run(args):
    m = load_model(args.model_file)
    X = load_images(args.images)
    scores = m.decision_function(X)
    names = m.class_names()
    best = np.argmax(scores, axis=1)
    if not args.proba:
        for i in best:
            print(names[i])
        return 0
    values, fmt = (softmax(scores), "{:.4f}") if m.kind == "softmax" else (scores, "{:.4g}")
    print("\t".join(["label"] + names))
    for i, row in zip(best, values):
        print("\t".join([names[i]] + [fmt.format(v) for v in row]))
    return 0


DESCRIPTION = """\
Print the predicted class name of each image, one line per image. The images are a .npy file
(numpy.save) of uint8 RGB pixels, shape (N, 32, 32, 3) or (32, 32, 3); integer arrays with values
0-255 are accepted too, float arrays are refused."""


def add_parsers(sub):
    p = add_parser(sub, "predict", help="class names for images in a .npy file",
                   description=DESCRIPTION)
    p.add_argument("model_file", help="a model file (.npz) saved by fastlin train")
    p.add_argument("images", help=".npy of uint8 images (N, 32, 32, 3) or (32, 32, 3)")
    p.add_argument("--proba", action="store_true",
                   help="after a header line, print per image its label and the class "
                        "probabilities (softmax models) or class scores (SVM models), "
                        "tab-separated (default: labels only)")
    p.set_defaults(func=run)
