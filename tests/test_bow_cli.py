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


def test_train_bow_flip_and_bow_classifier_defaults(tmp_path, monkeypatch, capsys):
    """--flip encodes the mirror images too (twice the training rows); without --lr/--reg/
    --epochs the classifier takes the BoW settings of _bow_cli.BOW_CLASSIFIER."""
    from fastlin import _bow_cli

    seen = {}
    import fastlin

    orig = fastlin.Softmax.fit

    def fit(self, X, y, **kw):
        seen["rows"], seen["params"] = X.shape[0], self.get_params()
        return orig(self, X, y, **kw)

    monkeypatch.setattr(fastlin.Softmax, "fit", fit)
    monkeypatch.setitem(_bow_cli.BOW_CLASSIFIER, "softmax",
                        dict(reg=2e-5, learning_rate=2e-2, max_iter=2))
    rc = cli.main(["train", "--features", "bow", "--data", str(tmp_path / "nowhere"),
                   "--words", "8", "--patches", "500", "--kmeans-iter", "2", "--flip",
                   "--num-val", "100", "--output", str(tmp_path / "m.npz")])
    assert rc == 0
    assert "mirror images" in capsys.readouterr().out
    assert seen["rows"] == 2 * 10000  # the synthetic fallback: 10,000 training images
    p = seen["params"]
    assert (p["reg"], p["learning_rate"], p["max_iter"]) == (2e-5, 2e-2, 2)


def test_mean_std_matches_numpy():
    from fastlin._bow_cli import mean_std

    rng = np.random.default_rng(3)
    F = rng.normal(40, 3, (1000, 20)).astype(np.float32)
    F[:, 5] = 7.25  # a constant column: std 1, not 0
    m, s = mean_std(F, chunk=77)
    want = F.astype(np.float64).std(0)
    want[5] = 1
    np.testing.assert_allclose(m, F.astype(np.float64).mean(0), rtol=1e-6)
    np.testing.assert_allclose(s, want, rtol=1e-5)
    assert m.dtype == s.dtype == np.float32
