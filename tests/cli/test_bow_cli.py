"""fastlin train --features bow on a tiny run over the shipped sample images, then
evaluate/predict its model."""
import numpy as np

from fastlin import cli
from fastlin.cli.modelfile import load_model
from test_cli_errors import fastlin as run


def test_train_bow_progress_and_predict(tmp_path):
    out = tmp_path / "m.npz"
    r = run("train", "--features", "bow", "--dataset", "samples", "--words", "8", "--patches",
            "500", "--kmeans-iter", "2", "--epochs", "1", "--num-val", "100", "--output", out)
    assert r.returncode == 0, r.stderr
    text = r.stdout
    # progress bars (tqdm, a dependency) for k-means and for encoding
    assert "k-means: 100%" in r.stderr and "encoding: 100%" in r.stderr
    # the reported total time covers the test encoding, which comes before it
    assert text.index("encoding the test images") < text.index("total time")
    assert "validation accuracy" in text and "test accuracy" in text
    m = load_model(out)
    assert m.bow["centers"].shape == (8, 108) and m.coef.shape[1] == 32
    assert m.features == "bow" and m.dataset == "samples"
    assert m.feature_params["encoding"] == "triangle" and m.feature_params["words"] == 8
    imgs = np.random.default_rng(0).integers(0, 256, (3, 32, 32, 3), dtype=np.uint8)
    np.save(tmp_path / "x.npy", imgs)
    r = run("predict", out, tmp_path / "x.npy")
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 3
    r = run("evaluate", out)
    assert r.returncode == 0 and "bow, trained on the fastlin sample images" in r.stdout


def test_train_bow_flip_and_bow_classifier_defaults(tmp_path, monkeypatch, capsys):
    """--flip encodes the mirror images too (twice the training rows); without --lr/--reg/
    --epochs the classifier takes the BoW settings of cli.bow.BOW_CLASSIFIER."""
    import fastlin.linear_model as lm
    from fastlin.cli import bow

    seen = {}
    orig = lm.Softmax.fit

    def fit(self, X, y, **kw):
        seen["rows"], seen["params"] = X.shape[0], self.get_params()
        return orig(self, X, y, **kw)

    monkeypatch.setattr(lm.Softmax, "fit", fit)
    monkeypatch.setitem(bow.BOW_CLASSIFIER, "softmax", dict(reg=2e-5, learning_rate=2e-2, max_iter=2))
    rc = cli.main(["train", "--features", "bow", "--dataset", "samples", "--words", "8",
                   "--patches", "500", "--kmeans-iter", "2", "--flip", "--num-val", "100",
                   "--output", str(tmp_path / "m.npz")])
    assert rc == 0
    assert "mirror images" in capsys.readouterr().out
    assert seen["rows"] == 2 * (5000 - 100)  # the sample images: 5,000 training crops
    p = seen["params"]
    assert (p["reg"], p["learning_rate"], p["max_iter"]) == (2e-5, 2e-2, 2)


def test_mean_std_matches_numpy():
    from fastlin.cli.bow import mean_std

    rng = np.random.default_rng(3)
    F = rng.normal(40, 3, (1000, 20)).astype(np.float32)
    F[:, 5] = 7.25  # a constant column: std 1, not 0
    m, s = mean_std(F, chunk=77)
    want = F.astype(np.float64).std(0)
    want[5] = 1
    np.testing.assert_allclose(m, F.astype(np.float64).mean(0), rtol=1e-6)
    np.testing.assert_allclose(s, want, rtol=1e-5)
    assert m.dtype == s.dtype == np.float32


def test_train_bow_refuses_more_than_the_machine_holds(tmp_path):
    r = run("train", "--features", "bow", "--dataset", "samples", "--patches", str(2**31 - 1),
            "--words", "1000", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "--patches 2147483647" in r.stderr.strip().splitlines()[-1]
    assert "GiB" in r.stderr and not list(tmp_path.iterdir())
