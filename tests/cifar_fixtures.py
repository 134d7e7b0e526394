"""Fake CIFAR-10 batch files in the official python layout, for the tests (importable from
every test folder: pytest puts this folder on sys.path for its conftest.py)."""

import os
import pickle
import struct

import numpy as np


class _Py2Pickler(pickle._Pickler):
    """Protocol 2 with bytes as Python 2 strings, as the official files are written: loaded with
    encoding="latin1" their keys are str, with encoding="bytes" they are bytes."""

    def save_bytes(self, obj):
        n = len(obj)
        if n < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([n]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", n) + obj)
        self.memoize(obj)

    dispatch = dict(pickle._Pickler.dispatch)
    dispatch[bytes] = save_bytes


def _dump(obj, path, style):
    with open(path, "wb") as f:
        if style == "py2":
            _Py2Pickler(f, protocol=2).dump(obj)
        else:
            pickle.dump(obj, f, protocol=style)


def _k(name, keys):
    return name.encode() if keys == "bytes" else name


def make_fake_cifar(root, n_per_batch=4, *, keys="bytes", style="py2", test=True, meta=True, seed=0):
    """Write data_batch_1..5 (+ test_batch, batches.meta) with known content; returns the images
    (N, 32, 32, 3) and labels that load_cifar10 must give back."""
    rng = np.random.default_rng(seed)
    os.makedirs(root, exist_ok=True)
    imgs, labs = {}, {}
    names = [f"data_batch_{i}" for i in range(1, 6)] + (["test_batch"] if test else [])
    for name in names:
        hwc = rng.integers(0, 256, size=(n_per_batch, 32, 32, 3), dtype=np.uint8)
        y = rng.integers(0, 10, size=n_per_batch)
        rows = np.ascontiguousarray(hwc.transpose(0, 3, 1, 2).reshape(n_per_batch, 3072))
        batch = {_k("data", keys): rows, _k("labels", keys): [int(v) for v in y],
                 _k("batch_label", keys): _k(name, keys)}  # fmt: skip
        _dump(batch, os.path.join(root, name), style)
        imgs[name], labs[name] = hwc, y
    if meta:
        m = {_k("label_names", keys): [_k(f"class{i}", keys) for i in range(10)], _k("num_vis", keys): 3072}
        _dump(m, os.path.join(root, "batches.meta"), style)
    train_X = np.concatenate([imgs[f"data_batch_{i}"] for i in range(1, 6)])
    train_y = np.concatenate([labs[f"data_batch_{i}"] for i in range(1, 6)])
    return train_X, train_y, imgs.get("test_batch"), labs.get("test_batch")
