"""fastlin.datasets: CIFAR-10 batch reading on tiny fake files, and on the real data when present."""

import os
import pickle

import numpy as np
import pytest

from fastlin import datasets
from fastlin.datasets import find_cifar10, load_cifar10, load_cifar10_batch, train_val_split

from cifar_fixtures import _Py2Pickler, _dump, _k, make_fake_cifar  # noqa: F401


@pytest.mark.parametrize(
    "keys,style",
    [("bytes", "py2"), ("str", "py2"), ("bytes", 4), ("str", 4), ("str", 5), ("bytes", 2)],
)
def test_fake_batches_roundtrip(tmp_path, keys, style):
    Xtr, ytr, Xte, yte = make_fake_cifar(tmp_path / "cifar-10-batches-py", keys=keys, style=style)
    for root in (tmp_path / "cifar-10-batches-py", tmp_path, str(tmp_path)):  # the dir or its parent
        d = load_cifar10(root)
        assert d.X_train.dtype == np.uint8 and d.X_train.shape == (20, 32, 32, 3)
        assert d.X_train.flags.c_contiguous
        assert d.y_train.dtype == np.int64
        np.testing.assert_array_equal(d.X_train, Xtr)
        np.testing.assert_array_equal(d.y_train, ytr)
        np.testing.assert_array_equal(d.X_test, Xte)
        np.testing.assert_array_equal(d.y_test, yte)
        assert d.has_test
        assert d.label_names == [f"class{i}" for i in range(10)]


def test_splits(tmp_path):
    Xtr, ytr, Xte, yte = make_fake_cifar(tmp_path)
    d = load_cifar10(tmp_path, split="train")
    assert d.X_test is None and d.y_test is None
    np.testing.assert_array_equal(d.X_train, Xtr)
    d = load_cifar10(tmp_path, split="test")
    assert d.X_train is None
    np.testing.assert_array_equal(d.X_test, Xte)
    d = load_cifar10(tmp_path, split="all")
    np.testing.assert_array_equal(d.y_test, yte)
    with pytest.raises(ValueError, match="split"):
        load_cifar10(tmp_path, split="validation")


def test_test_batch_absent(tmp_path):
    Xtr, _, _, _ = make_fake_cifar(tmp_path, test=False, meta=False)
    d = load_cifar10(tmp_path)  # auto: train only, no complaint
    assert not d.has_test and d.X_test is None
    np.testing.assert_array_equal(d.X_train, Xtr)
    assert d.label_names == list(datasets.CIFAR10_LABEL_NAMES)  # no batches.meta: standard names
    for split in ("test", "all"):
        with pytest.raises(FileNotFoundError, match="test_batch"):
            load_cifar10(tmp_path, split=split)


def test_missing_train_batch_names_file(tmp_path):
    make_fake_cifar(tmp_path)
    os.remove(tmp_path / "data_batch_3")
    with pytest.raises(FileNotFoundError, match="data_batch_3"):
        load_cifar10(tmp_path)
    with pytest.raises(FileNotFoundError, match="nope"):
        load_cifar10(tmp_path / "nope")


@pytest.mark.parametrize(
    "content,what",
    [
        (b"", "data_batch_2"),  # empty file
        (b"\x80\x02}q\x00(U\x04data", "data_batch_2"),  # truncated pickle
        (b"not a pickle at all", "data_batch_2"),
        (pickle.dumps([1, 2, 3]), "dict"),
        (pickle.dumps({b"data": np.zeros((2, 3072), np.uint8)}), "labels"),
        (pickle.dumps({b"data": np.zeros((2, 100), np.uint8), b"labels": [0, 1]}), "3072"),
        (pickle.dumps({b"data": np.zeros((2, 3072), np.float32), b"labels": [0, 1]}), "uint8"),
        (pickle.dumps({b"data": np.zeros((2, 3072), np.uint8), b"labels": [0]}), "labels"),
        (pickle.dumps({b"data": np.zeros((2, 3072), np.uint8), b"labels": [0, 12]}), "labels"),
        (pickle.dumps({b"data": np.zeros((2, 3072), np.uint8), b"labels": ["a", "b"]}), "labels"),
        (pickle.dumps({"data": os.system}), "unexpected global"),  # never run code from a data file
    ],
)
def test_corrupt_file_names_file(tmp_path, content, what):
    make_fake_cifar(tmp_path)
    (tmp_path / "data_batch_2").write_bytes(content)
    with pytest.raises(ValueError, match="data_batch_2") as exc:
        load_cifar10(tmp_path)
    assert what in str(exc.value)


def test_corrupt_meta(tmp_path):
    make_fake_cifar(tmp_path)
    (tmp_path / "batches.meta").write_bytes(pickle.dumps({b"num_vis": 3072}))
    with pytest.raises(ValueError, match="batches.meta"):
        load_cifar10(tmp_path)


def test_load_batch_directly(tmp_path):
    Xtr, ytr, _, _ = make_fake_cifar(tmp_path, n_per_batch=3)
    X, y = load_cifar10_batch(tmp_path / "data_batch_1")
    np.testing.assert_array_equal(X, Xtr[:3])
    np.testing.assert_array_equal(y, ytr[:3])


def test_find_cifar10_env(tmp_path, monkeypatch):
    make_fake_cifar(tmp_path / "cifar-10-batches-py")
    monkeypatch.setenv("FASTLIN_DATA", str(tmp_path))
    assert find_cifar10() == str(tmp_path / "cifar-10-batches-py")
    assert load_cifar10().X_train.shape == (20, 32, 32, 3)
    assert find_cifar10(tmp_path / "elsewhere") is None


def test_not_found_message(tmp_path, monkeypatch):
    monkeypatch.setenv("FASTLIN_DATA", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="FASTLIN_DATA"):
        load_cifar10()


# ---------------------------------------------------------------------------------------------
# train_val_split
# ---------------------------------------------------------------------------------------------


def test_train_val_split_course_default():
    X = np.arange(50000 * 2).reshape(50000, 2)
    y = np.arange(50000)
    Xtr, ytr, Xva, yva = train_val_split(X, y)
    assert Xtr.shape == (49000, 2) and Xva.shape == (1000, 2)
    np.testing.assert_array_equal(ytr, np.arange(49000))
    np.testing.assert_array_equal(yva, np.arange(49000, 50000))
    assert np.shares_memory(Xtr, X)  # views, no copy


def test_train_val_split_options():
    X = np.arange(100).reshape(50, 2)
    y = np.arange(50)
    Xtr, ytr, Xva, yva = train_val_split(X, y, num_validation=10, num_training=30)
    assert len(ytr) == 30 and len(yva) == 10
    np.testing.assert_array_equal(yva, np.arange(30, 40))
    a = train_val_split(X, y, 10, shuffle=True, random_state=3)
    b = train_val_split(X, y, 10, shuffle=True, random_state=3)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert len(np.intersect1d(a[1], a[3])) == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([a[1], a[3]])), y)
    np.testing.assert_array_equal(a[0][:, 0] // 2, a[1])  # rows stay with their labels
    with pytest.raises(ValueError, match="num_validation"):
        train_val_split(X, y, num_validation=0)
    with pytest.raises(ValueError, match="num_validation"):
        train_val_split(X, y, num_validation=50)
    with pytest.raises(ValueError, match="exceeds"):
        train_val_split(X, y, num_validation=10, num_training=41)
    with pytest.raises(TypeError, match="num_training"):
        train_val_split(X, y, num_training=2.5)
    with pytest.raises(ValueError, match="y"):
        train_val_split(X, y[:-1])


# ---------------------------------------------------------------------------------------------
# the real data (skips when absent; ../shared/data/make_cifar10.py writes it)
# ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(find_cifar10() is None, reason="CIFAR-10 not found ($FASTLIN_DATA or ~/.cache/fastlin)")
def test_real_cifar10():
    d = load_cifar10()
    assert d.X_train.shape == (50000, 32, 32, 3) and d.X_train.dtype == np.uint8
    assert d.y_train.shape == (50000,)
    assert d.label_names[0] == "airplane" and len(d.label_names) == 10
    counts = np.bincount(d.y_train, minlength=10)
    assert counts.min() == counts.max() == 5000
    # raw pixels of natural images: full range, mean near the known CIFAR-10 channel means
    means = d.X_train[:5000].reshape(-1, 3).mean(axis=0)
    np.testing.assert_allclose(means, [125.3, 123.0, 113.9], atol=4.0)
    if d.has_test:
        assert d.X_test.shape == (10000, 32, 32, 3)


# --------------------------------------------------------------------------------------------
# the sample images shipped with fastlin
# --------------------------------------------------------------------------------------------


def test_sample_images():
    s = datasets.load_sample_images(20, 5)
    assert s.X_train.shape == (200, 32, 32, 3) and s.X_test.shape == (50, 32, 32, 3)
    assert s.X_train.dtype == np.uint8 and s.X_train.flags.c_contiguous
    assert s.y_train.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(s.y_train), np.full(10, 20))
    np.testing.assert_array_equal(np.bincount(s.y_test), np.full(10, 5))
    assert len(s.label_names) == 10 and len(set(s.label_names)) == 10
    again = datasets.load_sample_images(20, 5)
    np.testing.assert_array_equal(again.X_train, s.X_train)
    other = datasets.load_sample_images(20, 5, random_state=1)
    assert not np.array_equal(other.X_train, s.X_train)
    # real photographs, not noise: neighbouring pixels agree far more than random ones would
    d = np.abs(np.diff(s.X_train.astype(np.int16), axis=2)).mean()
    assert d < 25


def test_sample_crops_are_box_filtered():
    """A crop of the whole photograph is its 4x4 block mean (or its mirror image)."""
    with np.load(datasets.SAMPLE_IMAGES_PATH) as z:
        photos = z["images"]
    assert photos.shape == (10, 128, 128, 3)
    from fastlin.datasets._samples import _crops

    X, y = _crops(photos, 3, np.random.default_rng(0), min_crop=128)
    want = np.rint(photos.astype(np.float64).reshape(10, 32, 4, 32, 4, 3).mean((2, 4)))
    for img, k in zip(X, y):
        assert np.array_equal(img, want[k]) or np.array_equal(img, want[k][:, ::-1])


@pytest.mark.parametrize("kw,err", [({"n_train": 0}, ValueError), ({"n_test": 1.5}, TypeError),
                                    ({"n_train": True}, TypeError)])
def test_sample_images_bad_arguments(kw, err):
    with pytest.raises(err, match=next(iter(kw))):
        datasets.load_sample_images(**kw)
