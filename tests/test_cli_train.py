"""fastlin train / evaluate / predict from the command line (synthetic fallback when no data)."""

import numpy as np

from fastlin import cli


def test_train_synthetic_fallback_and_predict(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FASTLIN_DATA", str(tmp_path / "none"))
    monkeypatch.setenv("HOME", str(tmp_path))
    out = tmp_path / "m.npz"
    assert cli.main(["train", "--model", "svm", "--epochs", "1", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "SYNTHETIC RUN" in captured.err and "CIFAR-10 not found" in captured.err
    assert "validation accuracy" in captured.out and "training time" in captured.out
    z = np.load(out)
    assert z["coef"].shape == (10, 3072)
    imgs = np.zeros((2, 32, 32, 3), dtype=np.uint8)
    np.save(tmp_path / "x.npy", imgs)
    assert cli.main(["predict", str(out), str(tmp_path / "x.npy")]) == 0
    assert len(capsys.readouterr().out.split()) == 2


def test_train_without_fallback_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("FASTLIN_DATA", str(tmp_path / "none"))
    monkeypatch.setenv("HOME", str(tmp_path))
    try:
        cli.main(["train", "--no-synthetic-fallback"])
    except SystemExit as e:
        assert e.code == 2
    else:  # pragma: no cover
        raise AssertionError("expected SystemExit")
