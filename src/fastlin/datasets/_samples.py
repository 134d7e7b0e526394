"""The sample images shipped with fastlin: a small labelled set of 32x32 RGB crops of ten
public-domain and CC0 photographs (``fastlin/datasets/data``, 0.3 MB), no download needed."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

__all__ = ["SampleImages", "load_sample_images"]

SAMPLE_IMAGES_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                                  "sample_images.npz")


@dataclass
class SampleImages:
    """The set made by :func:`load_sample_images`.

    X_train, X_test : uint8 (N, 32, 32, 3), C-contiguous, RGB, HWC.
    y_train, y_test : int64 (N,), labels in [0, 10).
    label_names : the 10 class names (what each source photograph shows).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    label_names: list

    has_test = True

    def __repr__(self):
        return (f"SampleImages(train={self.X_train.shape}, test={self.X_test.shape}, "
                f"label_names={self.label_names})")


def _crops(photos, per_class, rng, size=32, min_crop=40):
    """``per_class`` random square crops of each photo (side ``min_crop`` .. the photo's side,
    half of them mirrored), box-filtered down to ``size`` x ``size``."""
    n_cls, side = photos.shape[0], photos.shape[1]
    # summed-area tables (exact in int64): the sum over any box from four entries
    sat = np.zeros((n_cls, side + 1, side + 1, 3), dtype=np.int64)
    sat[:, 1:, 1:] = photos.astype(np.int64).cumsum(1).cumsum(2)
    sat = sat.reshape(-1, 3)
    cls = np.repeat(np.arange(n_cls), per_class)
    n = cls.size
    s = rng.integers(min_crop, side + 1, n)
    top = (rng.random(n) * (side - s + 1)).astype(np.int64)
    left = (rng.random(n) * (side - s + 1)).astype(np.int64)
    edges = np.floor(np.linspace(0.0, 1.0, size + 1)[None, :] * s[:, None] + 1e-9).astype(np.int64)
    r = (cls[:, None] * (side + 1) + top[:, None] + edges) * (side + 1)  # (n, size + 1) row offsets
    c = left[:, None] + edges  # (n, size + 1) columns
    area = (np.diff(r) // (side + 1))[:, :, None] * np.diff(c)[:, None, :]
    X = np.empty((n, size, size, 3), dtype=np.uint8)
    for i in range(0, n, 256):  # a block of crops at a time: the gathers stay in cache
        rb, cb = r[i:i + 256], c[i:i + 256]
        total = (sat[rb[:, 1:, None] + cb[:, None, 1:]] - sat[rb[:, :-1, None] + cb[:, None, 1:]]
                 - sat[rb[:, 1:, None] + cb[:, None, :-1]] + sat[rb[:, :-1, None] + cb[:, None, :-1]])
        X[i:i + 256] = np.rint(total / area[i:i + 256, :, :, None])
    flip = rng.random(n) < 0.5
    X[flip] = X[flip, :, ::-1]
    order = rng.permutation(n)  # classes interleaved, as in CIFAR-10
    return np.ascontiguousarray(X[order]), cls[order].astype(np.int64)


def load_sample_images(n_train: int = 500, n_test: int = 100, *, random_state=0) -> SampleImages:
    """A small labelled image set shaped like CIFAR-10 that ships with fastlin (no download).

    Random 32x32 RGB crops (side 40 to 128 pixels, box-filtered down, half mirrored) of ten
    photographs stored in the package at 128x128, one class per photograph: astronaut, cat,
    coffee, rocket, galaxies, retina, grass, gravel, brick, camera (all public domain or CC0;
    sources in ``fastlin/datasets/data/README.md``). Training and test crops are drawn independently
    from the same ten photographs, so test accuracy measures telling their parts apart, not
    recognising new photographs: a smoke test and a teaching set, not a benchmark.

    Parameters
    ----------
    n_train, n_test : int >= 1
        Crops per class in each split (default 500 and 100: 5,000 and 1,000 images).
    random_state : int, default 0
        Seed of the crops; the same seed gives the same images.

    Returns
    -------
    SampleImages
        ``X_train``/``X_test`` uint8 (N, 32, 32, 3), ``y_train``/``y_test`` int64 (N,),
        ``label_names``; the classes interleaved in random order (as in CIFAR-10, so that
        :func:`train_val_split` holds out every class).
    """
    for name, v in (("n_train", n_train), ("n_test", n_test)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must be an integer, got {type(v).__name__}")
        if v < 1:
            raise ValueError(f"{name} must be >= 1, got {v}")
    with np.load(SAMPLE_IMAGES_PATH, allow_pickle=False) as z:
        photos, names = z["images"], [str(v) for v in z["label_names"]]
    rng = np.random.default_rng(random_state)
    X_train, y_train = _crops(photos, int(n_train), rng)
    X_test, y_test = _crops(photos, int(n_test), rng)
    return SampleImages(X_train, y_train, X_test, y_test, names)
