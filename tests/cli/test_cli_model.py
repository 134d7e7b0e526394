"""The model file's record (data set, features, fastlin version), checked by evaluate and
predict; predict's output and --proba; through the real console script."""

import numpy as np
import pytest

import fastlin
from fastlin.cli.modelfile import load_model, save_model
from test_cli_errors import assert_one_line_error, fastlin as run, model_arrays
from cifar_fixtures import make_fake_cifar

CIFAR_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def _scores(arrays, X):
    F = (X.reshape(len(X), -1).astype(np.float32) - arrays["mean"]) / arrays["std"]
    return F.astype(np.float64) @ arrays["coef"].T.astype(np.float64) + arrays["intercept"]


@pytest.mark.parametrize("kind", ["softmax", "svm"])
def test_predict_labels_and_proba(tmp_path, kind):
    arrays = model_arrays(kind)
    arrays["classes"] = np.arange(10)[::-1].copy()  # column j is class 9 - j
    save_model(tmp_path / "m.npz", **arrays)
    X = np.random.default_rng(2).integers(0, 256, (5, 32, 32, 3), dtype=np.uint8)
    np.save(tmp_path / "x.npy", X)
    S = _scores(arrays, X)
    col_names = [arrays["label_names"][c] for c in arrays["classes"]]
    want = [col_names[j] for j in S.argmax(1)]
    r = run("predict", tmp_path / "m.npz", tmp_path / "x.npy")
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.split() == want
    r = run("predict", "--proba", tmp_path / "m.npz", tmp_path / "x.npy")
    assert r.returncode == 0
    lines = [ln.split("\t") for ln in r.stdout.strip().splitlines()]
    assert lines[0] == ["label"] + col_names
    assert [ln[0] for ln in lines[1:]] == want
    V = np.array([[float(v) for v in ln[1:]] for ln in lines[1:]])
    if kind == "softmax":
        P = np.exp(S - S.max(1, keepdims=True))
        np.testing.assert_allclose(V, P / P.sum(1, keepdims=True), atol=2e-4)
        np.testing.assert_allclose(V.sum(1), 1, atol=1e-3)
    else:
        np.testing.assert_allclose(V, S, rtol=2e-3, atol=2e-3)
    # one image without the batch axis, and integer (not uint8) pixels in 0..255
    np.save(tmp_path / "one.npy", X[3].astype(np.int64))
    r = run("predict", tmp_path / "m.npz", tmp_path / "one.npy")
    assert r.returncode == 0 and r.stdout.split() == [want[3]]


def test_sample_run_end_to_end(tmp_path):
    """Without CIFAR-10: training runs on the shipped sample images, says so, and writes a model
    file marked as such under its own name; evaluate and predict accept it."""
    env = dict(__import__("os").environ, FASTLIN_DATA=str(tmp_path / "none"), HOME=str(tmp_path))
    r = run("train", "--epochs", "2", "--num-val", "500", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert "SAMPLE RUN" in r.stderr and "CIFAR-10 not found" in r.stderr
    assert "sample images" in r.stdout and "test accuracy" in r.stdout
    assert not (tmp_path / "fastlin-model.npz").exists()
    path = tmp_path / "fastlin-sample-model.npz"
    m = load_model(path)
    assert (m.dataset, m.features, m.fastlin_version) == ("samples", "pixels", fastlin.__version__)
    assert m.label_names == fastlin.datasets.load_sample_images(1, 1).label_names
    acc = float(r.stdout.split("validation accuracy: ")[1].split()[0])
    assert acc > 0.3  # ten photographs; chance is 0.1
    r = run("evaluate", path, cwd=tmp_path, env=env)
    assert r.returncode == 0 and "sample images' test accuracy (1000 images)" in r.stdout
    assert "softmax on pixels, trained on the fastlin sample images" in r.stdout
    s = fastlin.datasets.load_sample_images(1, 4, random_state=5)
    np.save(tmp_path / "x.npy", s.X_test)
    r = run("predict", path, tmp_path / "x.npy", cwd=tmp_path, env=env)
    assert r.returncode == 0 and len(r.stdout.split()) == 40
    assert set(r.stdout.split()) <= set(s.label_names)
    # a model of the sample images is refused on CIFAR-10
    make_fake_cifar(tmp_path / "cifar", n_per_batch=4)
    assert_one_line_error(run("evaluate", path, "--data", tmp_path / "cifar", env=env),
                          "fastlin-sample-model.npz", "sample images, not CIFAR-10")


def test_train_with_data_dir_that_lacks_cifar10(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("train", "--data", empty, cwd=tmp_path)
    assert_one_line_error(r, "CIFAR-10 not found in", str(empty))
    assert "--data DIR" not in r.stderr and not (tmp_path / "fastlin-model.npz").exists()
    r = run("train", "--dataset", "cifar10", cwd=tmp_path,
            env=dict(__import__("os").environ, FASTLIN_DATA=str(empty), HOME=str(tmp_path)))
    assert_one_line_error(r, "CIFAR-10 not found")


def test_evaluate_checks_the_record(tmp_path):
    model = tmp_path / "m.npz"
    arrays = model_arrays()
    arrays["label_names"] = CIFAR_NAMES
    save_model(model, **arrays)
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("evaluate", model, "--data", empty)
    assert_one_line_error(r, "CIFAR-10 not found in", str(empty))
    assert "pass --data" not in r.stderr
    # fake CIFAR-10 whose batches.meta names other classes: refused
    X, y, Xt, yt = make_fake_cifar(tmp_path / "cifar", n_per_batch=4)
    assert_one_line_error(run("evaluate", model, "--data", tmp_path / "cifar"), "m.npz",
                          "trained on the classes airplane", "class0")
    # with the right names: the accuracy of the model on the test batch
    make_fake_cifar(tmp_path / "cifar2", n_per_batch=4, meta=False)
    r = run("evaluate", model, "--data", tmp_path / "cifar2")
    assert r.returncode == 0, r.stderr
    want = np.mean(_scores(arrays, Xt).argmax(1) == yt)
    assert f"test ({tmp_path / 'cifar2'}) accuracy (4 images): {want:.4f}" in r.stdout
    assert "softmax on pixels, trained on CIFAR-10 with fastlin" in r.stdout


BLOCKED = r'''
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("sklearn", "skimage", "matplotlib", "scipy", "PIL"):
            raise ImportError(name + " blocked for this test")
sys.meta_path.insert(0, Block())
from fastlin.cli import main
sys.exit(main(sys.argv[1:]))
'''


def test_sample_run_needs_no_extras(tmp_path):
    """The sample images ship inside fastlin: training on them needs none of the extras."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", BLOCKED, "train", "--dataset", "samples", "--epochs", "1",
                        "--model", "svm"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    assert load_model(tmp_path / "fastlin-sample-model.npz").dataset == "samples"
