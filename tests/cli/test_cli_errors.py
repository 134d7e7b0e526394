"""Every bad file or argument given to the real ``fastlin`` console script: one clear line on
stderr naming the file and what is wrong, a non-zero exit status, no traceback."""

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from fastlin.cli.modelfile import save_model


def fastlin(*args, cwd=None, env=None):
    """Run the installed console script (or ``python -m fastlin`` when it is not on PATH)."""
    exe = shutil.which("fastlin", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    cmd = [exe] if exe else [sys.executable, "-m", "fastlin"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def assert_one_line_error(r, *needles):
    assert r.returncode != 0, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and "allow_pickle" not in r.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])


def model_arrays(kind="softmax", seed=0):
    rng = np.random.default_rng(seed)
    return dict(kind=kind, dataset="cifar10", features="pixels", feature_params={},
                image_shape=(32, 32, 3), coef=rng.standard_normal((10, 3072)).astype(np.float32),
                intercept=rng.standard_normal(10).astype(np.float32), classes=np.arange(10),
                label_names=[f"c{i}" for i in range(10)],
                mean=np.full(3072, 127.0, np.float32), std=np.full(3072, 64.0, np.float32))


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "model.npz"
    save_model(path, **model_arrays())
    return path


@pytest.fixture
def images(tmp_path):
    path = tmp_path / "x.npy"
    np.save(path, np.random.default_rng(1).integers(0, 256, (3, 32, 32, 3), dtype=np.uint8))
    return path


def _raw(path, arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _edited(tmp_path, **changes):
    """A model file written by save_model, then rewritten with some entries changed (None:
    dropped)."""
    path = tmp_path / "edited.npz"
    save_model(path, **model_arrays())
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    for k, v in changes.items():
        if v is None:
            del arrays[k]
        else:
            arrays[k] = v
    _raw(path, arrays)
    return path


def _truncated(tmp_path, model):
    data = model.read_bytes()
    bad = tmp_path / "truncated.npz"
    bad.write_bytes(data[: len(data) // 2])
    return bad


MODEL_CASES = {
    "missing": (lambda t, m: t / "nope.npz", ["model file not found", "nope.npz"]),
    "directory": (lambda t, m: t, ["is a directory"]),
    "truncated": (_truncated, ["truncated.npz", "truncated or corrupt"]),
    "not an npz": (lambda t, m: (t / "junk.npz").write_bytes(os.urandom(300)) and t / "junk.npz",
                   ["junk.npz", "not an .npz archive"]),
    "pickle": (lambda t, m: (t / "p.npz").write_bytes(__import__("pickle").dumps({"coef": 1}))
               and t / "p.npz", ["p.npz", "not an .npz archive"]),
    "npy": (lambda t, m: np.save(t / "a.npy", np.zeros(3)) or t / "a.npy", ["a.npy", "one array (.npy)"]),
    "foreign npz": (lambda t, m: _raw(t / "f.npz", dict(a=np.zeros(3))) or t / "f.npz",
                    ["f.npz", "not a fastlin model file"]),
    "old fastlin npz": (lambda t, m: _raw(t / "o.npz", dict(coef=np.zeros((10, 3072)), classes=np.arange(10)))
                        or t / "o.npz", ["o.npz", "older fastlin", "train it again"]),
    "coef shape": (lambda t, m: _edited(t, coef=np.zeros((10, 100), np.float32)),
                   ["edited.npz", "'mean'", "(100,)"]),
    "coef shape, all consistent": (
        lambda t, m: _edited(t, coef=np.zeros((10, 100), np.float32), mean=np.zeros(100, np.float32),
                             std=np.ones(100, np.float32)), ["edited.npz", "pixels model", "(10, 3072)"]),
    "coef 1-D": (lambda t, m: _edited(t, coef=np.zeros(30720, np.float32)), ["'coef'", "shape (?, ?)"]),
    "object array": (lambda t, m: _edited(t, coef=np.array([None, 1], dtype=object)),
                     ["edited.npz", "'coef'", "Python objects"]),
    "NaN coef": (lambda t, m: _edited(t, coef=np.full((10, 3072), np.nan, np.float32)), ["'coef'", "NaN"]),
    "missing entry": (lambda t, m: _edited(t, intercept=None), ["lacks", "intercept"]),
    "unknown data set": (lambda t, m: _edited(t, dataset=np.array("mnist")), ["'dataset'", "'mnist'"]),
    "newer format": (lambda t, m: _edited(t, format_version=np.array(99)), ["newer fastlin", "upgrade"]),
    "classes out of range": (lambda t, m: _edited(t, classes=np.arange(10) + 5), ["'classes'"]),
}


@pytest.mark.parametrize("case", list(MODEL_CASES))
def test_bad_model_file(tmp_path, model, images, case):
    make, needles = MODEL_CASES[case]
    bad = make(tmp_path, model)
    assert_one_line_error(fastlin("predict", bad, images), "fastlin predict: error:", *needles)


def test_bad_model_file_evaluate(tmp_path, model):
    assert_one_line_error(fastlin("evaluate", _truncated(tmp_path, model)), "fastlin evaluate: error:",
                          "truncated.npz", "truncated or corrupt")


IMAGE_CASES = {
    "missing": (lambda t, m: t / "none.npy", ["images file not found", "none.npy"]),
    "npz as images": (lambda t, m: m, ["model.npz", "is an .npz archive"]),
    "object array": (lambda t, m: np.save(t / "o.npy", np.array([None] * 3, dtype=object),
                                          allow_pickle=True) or t / "o.npy", ["o.npy", "Python objects"]),
    "wrong shape": (lambda t, m: np.save(t / "s.npy", np.zeros((2, 28, 28, 3), np.uint8)) or t / "s.npy",
                    ["s.npy", "(2, 28, 28, 3)", "(N, 32, 32, 3)"]),
    "channels first": (lambda t, m: np.save(t / "c.npy", np.zeros((2, 3, 32, 32), np.uint8)) or t / "c.npy",
                       ["c.npy", "channels first"]),
    "flat rows": (lambda t, m: np.save(t / "r.npy", np.zeros((2, 3072), np.uint8)) or t / "r.npy",
                  ["r.npy", "(2, 3072)"]),
    "float images": (lambda t, m: np.save(t / "f.npy", np.random.default_rng(0).random((2, 32, 32, 3)))
                     or t / "f.npy", ["f.npy", "float64", "uint8"]),
    "float32 0-255": (lambda t, m: np.save(t / "g.npy", np.full((32, 32, 3), 200, np.float32))
                      or t / "g.npy", ["g.npy", "float32"]),
    "ints out of range": (lambda t, m: np.save(t / "i.npy", np.full((1, 32, 32, 3), 300)) or t / "i.npy",
                          ["i.npy", "outside 0..255"]),
    "strings": (lambda t, m: np.save(t / "u.npy", np.array(["a", "b"])) or t / "u.npy", ["u.npy", "<U1"]),
    "no images": (lambda t, m: np.save(t / "e.npy", np.zeros((0, 32, 32, 3), np.uint8)) or t / "e.npy",
                  ["e.npy", "no images"]),
    "truncated npy": (lambda t, m: np.save(t / "t.npy", np.zeros((4, 32, 32, 3), np.uint8))
                      or (t / "t.npy").write_bytes((t / "t.npy").read_bytes()[:1000]) and t / "t.npy",
                      ["t.npy", "truncated or corrupt"]),
    "text file": (lambda t, m: (t / "x.txt").write_text("hello") and t / "x.txt", ["x.txt", "not a .npy file"]),
}


@pytest.mark.parametrize("case", list(IMAGE_CASES))
def test_bad_images_file(tmp_path, model, case):
    make, needles = IMAGE_CASES[case]
    assert_one_line_error(fastlin("predict", model, make(tmp_path, model)), "fastlin predict: error:",
                          *needles)


def test_bad_arguments(tmp_path):
    """argparse's usage errors (status 2) name the option; values the estimators would reject
    are caught by the parser."""
    for args, needle in ((["train", "--epochs", "0"], "--epochs"), (["train", "--lr", "nan"], "--lr"),
                         (["train", "--words", "-3", "--features", "bow"], "--words"),
                         (["bench", "--n", "x"], "--n"), (["train", "--threads", "3000000000"], "--threads"),
                         (["train", "--patches", str(2**40)], "--patches"), (["train", "--seed", "-1"], "--seed"),
                         (["train", "--svm-loss", "l1"], "--svm-loss"),
                         (["train", "--multi-class", "ovr"], "--multi-class")):
        r = fastlin(*args, cwd=tmp_path)
        assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr
    r = fastlin("train", "--features", "bow", "--dataset", "samples", "--words", "20",
                "--patches", "10", cwd=tmp_path)
    assert_one_line_error(r, "--words 20", "--patches 10")
    assert not list(tmp_path.iterdir())


def test_unwritable_output(tmp_path):
    r = fastlin("train", "--dataset", "samples", "--epochs", "1", "-o", tmp_path / "no" / "m.npz",
                cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "cannot write the model file" in r.stderr.strip().splitlines()[-1]
