"""fastlin train --features bow on a tiny synthetic run, then evaluate/predict its model."""
import numpy as np

from fastlin import cli


def test_train_bow_synthetic_and_predict(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FASTLIN_DATA", str(tmp_path / "nowhere"))
    out = tmp_path / "m.npz"
    rc = cli.main(["train", "--features", "bow", "--data", str(tmp_path / "nowhere"),
                   "--words", "8", "--patches", "500", "--kmeans-iter", "2", "--epochs", "1",
                   "--num-val", "100", "--output", str(out)])
    assert rc == 0
    text = capsys.readouterr().out
    assert "validation accuracy" in text and "encoding" in text
    with np.load(out) as z:
        assert z["bow_centers"].shape == (8, 108)
        assert z["coef"].shape[1] == 32
    imgs = np.random.default_rng(0).integers(0, 256, (3, 32, 32, 3), dtype=np.uint8)
    np.save(tmp_path / "x.npy", imgs)
    assert cli.main(["predict", str(out), str(tmp_path / "x.npy")]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 3
