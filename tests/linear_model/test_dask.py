"""Dask arrays through the estimators and transformers, on a real two-process LocalCluster."""

import os
import warnings
from functools import partial

import numpy as np
import pytest

import fastlin

pytest.importorskip("scipy")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # port and resource notices of a local test cluster
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def blobs(n=2000, d=16, c=4, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, c, n)
    X = rng.normal(size=(n, d)) + rng.normal(size=(c, d))[y]
    return X, y


UNEVEN = (300, 700, 1, 450, 549)  # 2000 rows, one chunk of a single row


@pytest.mark.parametrize("cls", [fastlin.Softmax, fastlin.LinearSVM,
                                 partial(fastlin.LinearSVM, multi_class="crammer_singer"),
                                 partial(fastlin.LinearSVM, loss="squared_hinge")],
                         ids=["Softmax", "LinearSVM", "LinearSVM-crammer_singer",
                              "LinearSVM-squared_hinge"])
def test_lbfgs_on_dask_equals_in_memory(client, cls):
    X, y = blobs()
    # the hinge is not smooth: compare a fixed number of iterations (the same path)
    kw = dict(solver="lbfgs", reg=1e-2, tol=1e-7, dtype=None,
              max_iter=None if cls is fastlin.Softmax else 15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastlin.linear_model.ConvergenceWarning)
        ref = cls(**kw).fit(X, y)
        m = cls(**kw).fit(da.from_array(X, chunks=(UNEVEN, 8)), da.from_array(y, chunks=400))
    assert m.n_features_in_ == 16 and m.classes_.tolist() == [0, 1, 2, 3]
    assert m.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(m.objective_, ref.objective_, rtol=1e-10)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-6, atol=1e-9 * np.abs(ref.coef_).max())
    np.testing.assert_allclose(m.intercept_, ref.intercept_, rtol=1e-6, atol=1e-9)


def test_float32_labels_and_numpy_y(client):
    X, y = blobs(seed=1)
    names = np.array(["cat", "dog", "emu", "fox"])[y]
    ref = fastlin.Softmax(solver="lbfgs", reg=1e-2, tol=1e-5).fit(X.astype(np.float32), names)
    m = fastlin.Softmax(solver="lbfgs", reg=1e-2, tol=1e-5).fit(
        da.from_array(X.astype(np.float32), chunks=500), names)
    assert m.coef_.dtype == np.float32 and m.classes_.tolist() == ["cat", "dog", "emu", "fox"]
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-3, atol=1e-4)
    assert (m.predict(X) == ref.predict(X)).mean() > 0.99


@pytest.mark.filterwarnings("ignore:.*lbfgs failed to converge")
def test_predictions_are_lazy_and_match(client):
    X, y = blobs(seed=2)
    m = fastlin.Softmax(solver="lbfgs", reg=1e-2, dtype=None).fit(X, y)
    Xd = da.from_array(X, chunks=(UNEVEN, 16))
    for name in ["predict", "decision_function", "predict_proba", "predict_log_proba"]:
        out = getattr(m, name)(Xd)
        assert isinstance(out, da.Array), name
        assert out.chunks[0] == UNEVEN, name
        np.testing.assert_allclose(out.compute(), getattr(m, name)(X), rtol=1e-12, err_msg=name)
    assert m.score(Xd, da.from_array(y, chunks=(UNEVEN,))) == pytest.approx(m.score(X, y))
    binary = fastlin.LinearSVM(solver="lbfgs", dtype=None, max_iter=20).fit(X, y % 2)
    out = binary.decision_function(Xd)
    assert out.shape == (2000,)
    np.testing.assert_allclose(out.compute(), binary.decision_function(X), rtol=1e-12)
    with pytest.raises(ValueError, match="16 features"):
        m.predict(Xd[:, :5])


def test_transformers_lazy_equal_eager(client):
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, size=(37, 32, 32, 3), dtype=np.uint8)
    chunks = ((10, 20, 7), 32, 32, 3)
    lazy = da.from_array(images, chunks=chunks)
    hog = fastlin.features.HOG()
    hist = fastlin.features.ColorHistogram(nbin=12)
    for t in (hog, hist):
        out = t.fit(images).transform(lazy)
        assert isinstance(out, da.Array) and out.chunks[0] == (10, 20, 7)
        np.testing.assert_array_equal(out.compute(), t.transform(images))
    flat = fastlin.features.HOG(image_shape=(32, 32, 3))
    np.testing.assert_array_equal(flat.transform(lazy.reshape(37, -1)).compute(),
                                  hog.transform(images))
    from fastlin.features import BagOfVisualWords

    bow = BagOfVisualWords(n_words=8, n_patches=500, random_state=0).fit(images)
    out = bow.transform(lazy)
    assert isinstance(out, da.Array)
    np.testing.assert_array_equal(out.compute(), bow.transform(images))


def test_bag_of_visual_words_fit_on_dask(client):
    from fastlin.features import BagOfVisualWords

    rng = np.random.default_rng(9)
    images = rng.integers(0, 256, size=(30, 16, 16, 3), dtype=np.uint8)
    kw = dict(n_words=6, n_patches=400, random_state=1)
    eager = BagOfVisualWords(**kw).fit(images)
    # one chunk: the same patches, hence the same codebook
    one = BagOfVisualWords(**kw).fit(da.from_array(images, chunks=(30, 16, 16, 3)))
    np.testing.assert_array_equal(one.cluster_centers_, eager.cluster_centers_)
    # several chunks: each draws its share of the patches where it lives
    many = BagOfVisualWords(**kw).fit(da.from_array(images, chunks=((7, 13, 10), 16, 16, 3)))
    assert many.cluster_centers_.shape == eager.cluster_centers_.shape
    assert not np.array_equal(many.cluster_centers_, eager.cluster_centers_)
    assert many.transform(images).shape == (30, 4 * 6)
    bad = images.astype(np.float64)
    bad[5, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        BagOfVisualWords(**kw).fit(da.from_array(bad, chunks=(10, 16, 16, 3)))


def test_pipeline_stays_distributed(client):
    """images (dask) -> HOG (lazy) -> Softmax lbfgs (chunk gradients on the workers) -> predict."""
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 120)
    images = rng.integers(0, 100, size=(120, 16, 16, 3)).astype(np.uint8)
    images[y == 1, 4:12, 4:12] += 120  # a bright square: an easy, HOG-visible class
    lazy = da.from_array(images, chunks=(50, 16, 16, 3))
    F = fastlin.features.HOG(pixels_per_cell=(4, 4)).transform(lazy)
    kw = dict(solver="lbfgs", reg=1e-3, tol=1e-8, dtype="float64")
    m = fastlin.Softmax(**kw).fit(F, da.from_array(y, chunks=50))
    eager = fastlin.Softmax(**kw).fit(F.compute(), y)
    np.testing.assert_allclose(m.coef_, eager.coef_, rtol=1e-6, atol=1e-9)
    assert isinstance(m.predict(F), da.Array)
    assert m.score(F, y) > 0.9


def _outgoing(dask_worker):
    return list(dask_worker.transfer_outgoing_log)


def test_X_never_gathered_on_the_client(client):
    """X is made on the workers; during the fit only partial sums (a few KB) reach the client."""
    n, d = 60_000, 40
    X = da.random.RandomState(5).normal(size=(n, d), chunks=(7_500, d))
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64) + (X[:, 2] > 1).astype(np.int64)
    before = {w: len(log) for w, log in client.run(_outgoing).items()}
    m = fastlin.Softmax(solver="lbfgs", reg=1e-3, dtype=None).fit(X, y)
    workers = set(client.scheduler_info()["workers"])
    to_client = [e["total"] for w, log in client.run(_outgoing).items() for e in log[before[w]:]
                 if e["who"] not in workers]
    assert len(to_client) >= m.t_  # at least one reduced gradient per evaluation came back
    assert max(to_client) < 16 * (d * 3 + 3 + 1) * 8  # a gradient (or label set), not a chunk
    assert sum(to_client) < X.nbytes / 100
    assert m.score(X, y) > 0.8


def test_sgd_on_dask_chunks(client):
    X, y = blobs(seed=6)
    Xd, yd = da.from_array(X, chunks=(UNEVEN, 16)), da.from_array(y, chunks=(UNEVEN,))
    a = fastlin.LinearSVM(dtype=None, random_state=0).fit(Xd, yd)
    b = fastlin.LinearSVM(dtype=None, random_state=0).fit(Xd, yd)
    np.testing.assert_array_equal(a.coef_, b.coef_)  # seeded: reproducible
    assert a.n_iter_ == 6 and a.t_ == 6 * 5  # every chunk (< batch_size rows) is one update
    assert a.score(X, y) > 0.9
    assert a.n_averaged_ > 0  # the default averaging runs across chunks as well
    assert a.score(Xd, yd) == pytest.approx(a.score(X, y))


def test_bad_dask_input(client):
    X, y = blobs(n=100)
    Xd = da.from_array(X, chunks=50)
    with pytest.raises(ValueError, match="y must have shape"):
        fastlin.Softmax(solver="lbfgs").fit(Xd, da.from_array(y[:90], chunks=50))
    Xbad = X.copy()
    Xbad[3, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fastlin.Softmax(solver="lbfgs").fit(da.from_array(Xbad, chunks=50), y)
    with pytest.raises(ValueError, match="2 classes"):
        fastlin.Softmax(solver="lbfgs").fit(Xd, np.zeros(100, int))
    with pytest.raises(ValueError, match="must be 2-D"):
        fastlin.Softmax(solver="lbfgs").fit(Xd[:, 0], y)
    with pytest.raises(ValueError, match="early_stopping"):
        fastlin.Softmax(early_stopping=True).fit(Xd, y)
    with pytest.raises(TypeError, match="partial_fit takes in-memory"):
        fastlin.Softmax().partial_fit(Xd, y, classes=[0, 1, 2, 3])
    with pytest.raises(ValueError, match="unknown chunk sizes"):
        fastlin.Softmax(solver="lbfgs").fit(Xd[Xd[:, 0] > 0], y[:10])


def test_without_a_client_uses_the_local_scheduler():
    import dask

    X, y = blobs(n=500, seed=7)
    with dask.config.set(scheduler="threads"):
        m = fastlin.Softmax(solver="lbfgs", reg=1e-2, tol=1e-9, dtype=None).fit(
            da.from_array(X, chunks=120), y)
    ref = fastlin.Softmax(solver="lbfgs", reg=1e-2, tol=1e-9, dtype=None).fit(X, y)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-6, atol=1e-9)


def test_worker_killed_during_fit_changes_nothing(client, monkeypatch):
    """A worker dies after the third evaluation: its chunks are recomputed, the fit is the same."""
    from fastlin.linear_model import _dask

    X = da.random.RandomState(8).normal(size=(4000, 12), chunks=(500, 12))
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0.5).astype(np.int64)
    kw = dict(solver="lbfgs", reg=1e-2, tol=1e-8, dtype=None)
    ref = fastlin.Softmax(**kw).fit(X, y)
    call = _dask.DaskObjective.__call__
    killed = []

    def dying(self, w):
        if self.n_evals == 3 and not killed:
            victim = sorted(client.scheduler_info()["workers"])[0]
            try:
                client.run(lambda: os._exit(1), workers=[victim])
            except Exception:
                pass  # the worker died before answering
            killed.append(victim)
        return call(self, w)

    monkeypatch.setattr(_dask.DaskObjective, "__call__", dying)
    m = fastlin.Softmax(**kw).fit(X, y)
    assert killed
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    assert m.n_iter_ == ref.n_iter_
    client.wait_for_workers(2, timeout=60)
