"""fastlin.compat.cs231n: the course's API on the fast kernels; fastlin.random_search."""

import os

import numpy as np
import pytest

import fastlin
from fastlin import reference
from fastlin.compat import cs231n

from cifar_fixtures import make_fake_cifar


def course_data(n=300, d=40, c=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X[:, -1] = 1.0  # bias trick
    y = rng.integers(0, c, n)
    return X, y


@pytest.mark.parametrize("name", ["svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive",
                                  "softmax_loss_vectorized"])
def test_losses_match_reference(name):
    X, y = course_data()
    W = np.random.default_rng(1).standard_normal((40, 5)) * 1e-2
    loss, dW = getattr(cs231n, name)(W, X, y, 0.1)
    rl, rdW = getattr(reference, name.replace("_naive", "_vectorized"))(W, X, y, 0.1)
    assert loss == pytest.approx(rl, rel=1e-10)
    np.testing.assert_allclose(dW, rdW, rtol=1e-9, atol=1e-12)
    assert dW.shape == W.shape


def test_mixed_dtypes_accepted():
    X, y = course_data()
    W = np.random.default_rng(1).standard_normal((40, 5)).astype(np.float32)
    loss, dW = cs231n.svm_loss_vectorized(W, X, y, 0.0)
    assert np.isfinite(loss) and dW.dtype == np.float64


@pytest.mark.parametrize("cls,ref", [(cs231n.LinearSVM, reference.svm_loss_vectorized),
                                     (cs231n.Softmax, reference.softmax_loss_vectorized)])
def test_train_is_the_course_loop(cls, ref):
    """train == the course's loop, seeded the same way: 0.001*randn init and
    np.random.choice batches from the global generator, W -= lr*grad."""
    X, y = course_data()
    np.random.seed(0)
    clf = cls()
    hist = clf.train(X, y, learning_rate=1e-2, reg=1e-3, num_iters=30, batch_size=50)
    np.random.seed(0)
    W = 0.001 * np.random.randn(40, 5)
    ref_hist = []
    for _ in range(30):
        idx = np.random.choice(300, 50)
        loss, dW = ref(W, X[idx], y[idx], 1e-3)
        ref_hist.append(loss)
        W -= 1e-2 * dW
    assert isinstance(hist, list) and len(hist) == 30
    np.testing.assert_allclose(hist, ref_hist, rtol=1e-9)
    np.testing.assert_allclose(clf.W, W, rtol=1e-8, atol=1e-12)
    assert clf.predict(X).shape == (300,)
    np.testing.assert_array_equal(clf.predict(X), np.argmax(X @ clf.W, axis=1))


def test_train_verbose_and_subclass_loss(capsys):
    X, y = course_data()

    class Mine(cs231n.LinearClassifier):  # a course exercise overriding loss() still works
        def loss(self, X_batch, y_batch, reg):
            assert X_batch.shape == (20, 40)
            return reference.svm_loss_vectorized(self.W, X_batch, y_batch, reg)

    Mine().train(X, y, num_iters=101, batch_size=20, verbose=True)
    out = capsys.readouterr().out
    assert "iteration 0 / 101: loss" in out and "iteration 100 / 101" in out


def test_gradient_check_functions(capsys):
    X, y = course_data(n=20, d=6, c=3)
    W = np.random.default_rng(0).standard_normal((6, 3)) * 0.1
    f = lambda w: cs231n.softmax_loss_vectorized(w, X, y, 0.0)[0]  # noqa: E731
    num = cs231n.eval_numerical_gradient(f, W, verbose=False)
    _, dW = cs231n.softmax_loss_vectorized(W, X, y, 0.0)
    assert fastlin.gradcheck.rel_error(num, dW) < 1e-7
    g = cs231n.eval_numerical_gradient(lambda x: float(np.sum(x**2)), np.array([[3.0]]), verbose=True)
    assert g[0, 0] == pytest.approx(6.0)
    assert "(0, 0)" in capsys.readouterr().out
    assert cs231n.grad_check_sparse(f, W, dW, num_checks=3) is None
    assert capsys.readouterr().out.count("relative error") == 3


def test_load_CIFAR10(tmp_path):
    Xtr, ytr, Xte, yte = make_fake_cifar(tmp_path, n_per_batch=2)
    a, b, c, d = cs231n.load_CIFAR10(str(tmp_path))
    assert a.dtype == np.float64 and a.shape == (10, 32, 32, 3)
    np.testing.assert_array_equal(a, Xtr)
    np.testing.assert_array_equal(b, ytr)
    np.testing.assert_array_equal(c, Xte)
    np.testing.assert_array_equal(d, yte)
    os.remove(tmp_path / "test_batch")
    with pytest.raises(FileNotFoundError, match="test_batch"):
        cs231n.load_CIFAR10(str(tmp_path))


# -- random search ---------------------------------------------------------------------------


def test_random_search_keeps_the_best():
    X, y = course_data(n=400, d=30, c=4)
    r = fastlin.random_search(X, y, num_candidates=50, scale=1e-1, num_rows=None, random_state=0)
    assert r.W.shape == (30, 4) and r.losses.shape == (50,)
    assert r.loss == r.losses.min()
    assert fastlin.svm_loss(r.W, X, y)[0] == pytest.approx(r.loss)
    r2 = fastlin.random_search(X, y, num_candidates=50, scale=1e-1, num_rows=None, random_state=0)
    np.testing.assert_array_equal(r.W, r2.W)
    rs = fastlin.random_search(X, y, loss="softmax", num_candidates=5, num_rows=100, random_state=1)
    assert rs.W.dtype == X.dtype
    with pytest.raises(ValueError, match="loss"):
        fastlin.random_search(X, y, loss="hinge")
    with pytest.raises(ValueError, match="num_candidates"):
        fastlin.random_search(X, y, num_candidates=0)


@pytest.mark.parametrize("multi_class", ["one_vs_all", "crammer_singer"])
@pytest.mark.parametrize("svm_loss", ["hinge", "squared_hinge"])
def test_random_search_svm_formulations(multi_class, svm_loss):
    """The candidates are scored with the formulation asked for: the kept W's loss is that
    formulation's, and differs from the default Weston-Watkins hinge's."""
    X, y = course_data(n=300, d=20, c=5)
    r = fastlin.random_search(X, y, num_candidates=20, scale=1e-1, num_rows=None, random_state=3,
                              multi_class=multi_class, svm_loss=svm_loss)
    assert r.loss == pytest.approx(fastlin.svm_loss(r.W, X, y, multi_class=multi_class,
                                                    loss=svm_loss)[0])
    assert r.loss != pytest.approx(fastlin.svm_loss(r.W, X, y)[0])
    with pytest.raises(ValueError, match="svm_loss must be"):
        fastlin.random_search(X, y, svm_loss="squared")
    with pytest.raises(ValueError, match="multi_class must be"):
        fastlin.random_search(X, y, multi_class="ova")


def test_grad_check_sparse_draws_like_the_course(capsys):
    # the course draws entries with Python's random module: NumPy's global state must not move
    import random
    W = np.arange(12.0).reshape(4, 3)
    f = lambda w: float(np.sum(w ** 3))  # noqa: E731
    random.seed(5)
    np.random.seed(0)
    cs231n.grad_check_sparse(f, W, 3 * W ** 2, num_checks=4)
    assert np.random.randint(0, 2**31) == np.random.RandomState(0).randint(0, 2**31)
    random.seed(5)
    want = [tuple(random.randrange(m) for m in W.shape) for _ in range(4)]
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    for line, ix in zip(lines, want):
        assert float(line.split()[3].rstrip(",")) == pytest.approx(3 * W[ix] ** 2, rel=1e-6)


def test_naive_losses_are_the_loop_versions():
    from fastlin import reference
    X, y = course_data(n=15, d=5, c=4)
    W = np.random.default_rng(3).standard_normal((5, 4)) * 0.01
    for name in ("svm_loss_naive", "softmax_loss_naive"):
        loss, dW = getattr(cs231n, name)(W, X, y, 0.3)
        rl, rdW = getattr(reference, name)(W, X, y, 0.3)
        assert loss == rl and np.array_equal(dW, rdW)


def test_extract_features_prints_one_progress_line_per_thousand_images(capsys):
    imgs = np.random.default_rng(0).integers(0, 256, (2000, 4, 4, 3)).astype(np.float64)
    feats = cs231n.extract_features(imgs, [lambda im: im.mean(axis=(0, 1)),
                                           lambda im: im.max(axis=(0, 1))], verbose=True)
    assert feats.shape == (2000, 6)
    np.testing.assert_array_equal(feats[:, 3:], imgs.max(axis=(1, 2)))
    out = capsys.readouterr().out.strip().splitlines()
    assert out == ["Done extracting features for 1000 / 2000 images",
                   "Done extracting features for 2000 / 2000 images"]
