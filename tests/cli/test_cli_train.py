"""fastlin train on CIFAR-10 (tiny fake batches) through the console script."""

import os

import numpy as np
import pytest

import fastlin
from fastlin.cli.modelfile import load_model
from test_cli_errors import fastlin as run
from cifar_fixtures import make_fake_cifar


def test_train_on_cifar10_then_evaluate_and_predict(tmp_path):
    X, y, Xt, yt = make_fake_cifar(tmp_path / "cifar", n_per_batch=6)
    env = dict(os.environ, FASTLIN_DATA=str(tmp_path / "cifar"), HOME=str(tmp_path))
    r = run("train", "--model", "svm", "--epochs", "1", "--num-val", "5", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert "SAMPLE RUN" not in r.stderr and "CIFAR-10 from" in r.stdout
    assert "validation accuracy" in r.stdout and "test accuracy" in r.stdout
    m = load_model(tmp_path / "fastlin-model.npz")
    assert (m.dataset, m.kind, m.features, m.fastlin_version) == ("cifar10", "svm", "pixels",
                                                                 fastlin.__version__)
    assert m.coef.shape == (10, 3072)
    r = run("evaluate", tmp_path / "fastlin-model.npz", cwd=tmp_path, env=env)
    assert r.returncode == 0 and "accuracy (6 images)" in r.stdout
    np.save(tmp_path / "x.npy", Xt)
    r = run("predict", "fastlin-model.npz", "x.npy", cwd=tmp_path, env=env)
    assert r.returncode == 0 and len(r.stdout.split()) == 6


def test_dataset_samples_is_explicit(tmp_path):
    """--dataset samples: no CIFAR-10 notice, the sample images, the sample model's name."""
    r = run("train", "--dataset", "samples", "--epochs", "1", "--model", "svm", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "CIFAR-10 not found" not in r.stderr
    assert "sample images" in r.stdout and "not of CIFAR-10" in r.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["fastlin-sample-model.npz"]


def test_svm_formulation_options(tmp_path):
    """--multi-class and --svm-loss reach LinearSVM (its repr is printed); with --model softmax
    they are an error naming them, before any training or file."""
    r = run("train", "--dataset", "samples", "--epochs", "1", "--model", "svm", "--multi-class",
            "crammer_singer", "--svm-loss", "squared_hinge", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    model_line = next(line for line in r.stdout.splitlines() if line.startswith("model: "))
    assert "multi_class='crammer_singer'" in model_line and "loss='squared_hinge'" in model_line
    assert load_model(tmp_path / "fastlin-sample-model.npz").kind == "svm"
    r = run("train", "--dataset", "samples", "--epochs", "1", "--model", "softmax",
            "--multi-class", "one_vs_all", "-o", "other.npz", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "--multi-class" in r.stderr and "--model softmax" in r.stderr
    assert not (tmp_path / "other.npz").exists()


def test_train_writes_a_report(tmp_path):
    pytest.importorskip("matplotlib")
    import subprocess
    import sys
    out = tmp_path / "report"
    proc = subprocess.run([sys.executable, "-m", "fastlin", "train", "--dataset", "samples",
                           "--epochs", "1", "-o", str(tmp_path / "m.npz"), "--report", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    html = (out / "index.html").read_text()
    for png in ("loss.png", "templates.png", "confusion.png"):
        assert png in html and (out / png).stat().st_size > 1000
    bow = tmp_path / "bow-report"
    proc = subprocess.run([sys.executable, "-m", "fastlin", "train", "--dataset", "samples",
                           "--features", "bow", "--words", "16", "--patches", "2000",
                           "--epochs", "1", "-o", str(tmp_path / "b.npz"), "--report", str(bow)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    html = (bow / "index.html").read_text()
    assert "codebook.png" in html and (bow / "codebook.png").stat().st_size > 1000
    bad = subprocess.run([sys.executable, "-m", "fastlin", "train", "--dataset", "samples",
                          "--report", str(tmp_path / "m.npz")],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "it is a file" in bad.stderr and "Traceback" not in bad.stderr
