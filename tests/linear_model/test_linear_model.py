"""fastlin.LinearSVM / fastlin.Softmax: scikit-learn compatibility, learning, the idx contract."""

import pickle
import warnings
from functools import partial

import numpy as np
import pytest

import fastlin
from fastlin import reference

sklearn = pytest.importorskip("sklearn")
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

# Every scikit-learn check runs; these are the ones expected to fail, with the reason.
EXPECTED_FAILED_CHECKS = {
    # The kernels have no per-sample weights (fit takes no sample_weight), and the checks below
    # probe nothing else: none is needed at present.
}


def _fast(est):
    # few, short epochs so that the whole check suite stays quick; defaults otherwise
    return est.set_params(max_iter=30, random_state=0, learning_rate=1e-2)


@parametrize_with_checks(
    [_fast(fastlin.LinearSVM()), _fast(fastlin.Softmax())],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        check(estimator)


# ---------------------------------------------------------------------------------------------


def blobs(n=600, d=20, c=4, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((c, d)) * 3
    y = rng.integers(0, c, n)
    X = (centers[y] + rng.standard_normal((n, d))).astype(dtype)
    return X, y


@pytest.mark.parametrize("cls", [fastlin.LinearSVM, fastlin.Softmax])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_learns_separable_blobs(cls, optimizer):
    X, y = blobs()
    lr = {"sgd": 1e-2, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1e-1}.get(optimizer, 1e-2)
    m = cls(optimizer=optimizer, learning_rate=lr, batch_size=200, max_iter=10, tol=None, random_state=0).fit(X, y)
    assert m.score(X, y) > 0.95
    assert m.coef_.shape == (4, 20) and m.intercept_.shape == (4,)
    assert m.n_iter_ == 10 and m.t_ == 10 * 3  # 600 rows / 200 per batch
    assert len(m.loss_history_) == m.t_
    assert np.mean(m.loss_history_[-3:]) < m.loss_history_[0]


def test_string_labels_and_proba():
    X, y = blobs(c=3)
    names = np.array(["cat", "dog", "zebra"])[y]
    m = fastlin.Softmax(max_iter=10, learning_rate=1e-2, random_state=0).fit(X, names)
    assert m.classes_.tolist() == ["cat", "dog", "zebra"]
    assert set(m.predict(X)) <= set(names)
    p = m.predict_proba(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_array_equal(m.classes_[p.argmax(1)], m.predict(X))
    np.testing.assert_allclose(np.exp(m.predict_log_proba(X)), p, rtol=1e-10)
    assert m.score(X, names) > 0.95


def test_float32_kept():
    X, y = blobs(dtype=np.float32)
    m = fastlin.LinearSVM(max_iter=3, random_state=0, tol=None, dtype=None).fit(X, y)
    assert m.coef_.dtype == np.float32
    assert m.decision_function(X).dtype == np.float32


@pytest.mark.parametrize("cls", [fastlin.LinearSVM, fastlin.Softmax])
def test_training_dtype(cls):
    X, y = blobs()
    X32 = X.astype(np.float32)
    kw = dict(max_iter=3, random_state=0, tol=None, learning_rate=1e-2)
    assert cls(dtype=None, **kw).fit(X, y).coef_.dtype == np.float64
    assert cls(dtype="float64", **kw).fit(X32, y).coef_.dtype == np.float64
    m32 = cls(dtype="float32", **kw).fit(X, y)
    assert m32.coef_.dtype == np.float32 and m32.intercept_.dtype == np.float32
    # training on float64 input with dtype="float32" is training on the float32 copy
    ref = cls(dtype=None, **kw).fit(X32, y)
    np.testing.assert_array_equal(m32.coef_, ref.coef_)
    assert m32.decision_function(X).dtype == np.float64  # prediction in the dtype of X
    np.testing.assert_array_equal(m32.predict(X), ref.predict(X))
    p = cls(dtype="float32", **kw).partial_fit(X, y, classes=np.unique(y))
    p.partial_fit(X, y)
    assert p.coef_.dtype == np.float32


def test_reproducible_and_seed_matters():
    X, y = blobs()
    a = fastlin.Softmax(max_iter=3, random_state=7, tol=None).fit(X, y)
    b = fastlin.Softmax(max_iter=3, random_state=7, tol=None).fit(X, y)
    c = fastlin.Softmax(max_iter=3, random_state=8, tol=None).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    assert not np.array_equal(a.coef_, c.coef_)


@pytest.mark.parametrize("multi_class", ["weston_watkins", "one_vs_all", "crammer_singer"])
@pytest.mark.parametrize("loss", ["hinge", "squared_hinge"])
def test_training_step_is_the_kernel_on_sampler_indices(multi_class, loss):
    """One epoch of plain SGD equals a hand-written loop over BatchSampler batches with the NumPy
    reference loss on X[idx]: the estimator feeds the sampler's indices to the kernel."""
    X, y = blobs(n=50, d=6, c=3)
    lr, reg, seed = 0.05, 0.01, 3
    m = fastlin.LinearSVM(reg=reg, learning_rate=lr, optimizer="sgd", schedule="constant", batch_size=16,
                          max_iter=2, tol=None, average=False, dtype=None, random_state=seed,
                          multi_class=multi_class, loss=loss).fit(X, y)
    W, b = np.zeros((6, 3)), np.zeros(3)
    s = fastlin.BatchSampler(50, 16, seed=seed, stream=0)
    for _ in range(2):
        for idx in s.epoch_batches():
            _, dW, db = reference.svm_loss_vectorized(W, X, y, reg, b=b, idx=idx,
                                                      multi_class=multi_class, loss=loss)
            W -= lr * dW
            b -= lr * db
    np.testing.assert_allclose(m.coef_, W.T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m.intercept_, b, rtol=1e-9, atol=1e-12)


def test_no_row_copies_during_fit(monkeypatch):
    X, y = blobs()
    seen = []
    from fastlin.linear_model import _training

    real = _training.softmax_loss

    def spy(W, X_, y_, reg, **kw):
        seen.append((X_ is X, kw["idx"] is not None))
        return real(W, X_, y_, reg, **kw)

    monkeypatch.setattr(_training, "softmax_loss", spy)
    fastlin.Softmax(max_iter=2, random_state=0, tol=None, dtype=None).fit(X, y)
    assert seen and all(same and has_idx for same, has_idx in seen)


def test_partial_fit():
    X, y = blobs()
    m = fastlin.Softmax(learning_rate=1e-2, random_state=0)
    with pytest.raises(ValueError, match="classes"):
        m.partial_fit(X[:100], y[:100])
    m.partial_fit(X[:300], y[:300], classes=[0, 1, 2, 3])
    t1 = m.t_
    for _ in range(5):
        m.partial_fit(X[300:], y[300:])
    assert m.t_ > t1 and m.n_iter_ == 6
    assert m.score(X, y) > 0.95
    m2 = pickle.loads(pickle.dumps(m))  # optimizer state and weights survive pickling
    m.partial_fit(X[:300], y[:300])
    m2.partial_fit(X[:300], y[:300])
    np.testing.assert_array_equal(m.coef_, m2.coef_)
    with pytest.raises(ValueError, match="labels not in classes_"):
        m.partial_fit(X[:10], np.full(10, 9))


def test_early_stopping_and_validation_progress(capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name, *a, **k):
        if name.startswith("tqdm"):
            raise ImportError("no tqdm")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    X, y = blobs()
    m = fastlin.LinearSVM(early_stopping=True, max_iter=200, n_iter_no_change=2, verbose=1, tol=1e-3,
                          learning_rate=1e-2, random_state=0).fit(X, y)
    assert m.n_iter_ < 200
    out = capsys.readouterr().out
    assert "epoch 1: loss" in out and "validation accuracy" in out


def test_verbose_uses_tqdm(capsys):
    pytest.importorskip("tqdm")
    X, y = blobs()
    fastlin.Softmax(max_iter=2, verbose=1, random_state=0).fit(X, y, X_val=X[:50], y_val=y[:50])
    err = capsys.readouterr().err
    assert "Softmax" in err and "val_acc" in err


def test_convergence_warning():
    X, y = blobs()
    with pytest.warns(sklearn.exceptions.ConvergenceWarning):
        fastlin.Softmax(max_iter=1, tol=1e-3, random_state=0).fit(X, y)


@pytest.mark.parametrize(
    "param,value",
    [("reg", -1.0), ("learning_rate", 0.0), ("batch_size", 0), ("max_iter", 0), ("optimizer", "lbfgs"),
     ("schedule", "linear"), ("validation_fraction", 1.0), ("tol", -1.0), ("num_threads", 0),
     ("n_iter_no_change", 0), ("fit_intercept", "yes"), ("delta", -1.0), ("average", -1),
     ("average", 0.5), ("dtype", "float16"), ("multi_class", "ova"), ("multi_class", None),
     ("loss", "l2"), ("loss", None)],
)
def test_bad_hyperparameters(param, value):
    X, y = blobs(n=50)
    with pytest.raises(ValueError, match=param):
        fastlin.LinearSVM(**{param: value}).fit(X, y)


@pytest.mark.parametrize("multi_class", ["one_vs_all", "crammer_singer"])
@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_multi_class_trains_and_clones(multi_class, solver):
    if solver == "lbfgs":
        pytest.importorskip("scipy")
    X, y = blobs()
    m = fastlin.LinearSVM(multi_class=multi_class, solver=solver, learning_rate=1e-2,
                          batch_size=200, max_iter=10, random_state=0).fit(X, y)
    assert m.score(X, y) > 0.95
    # the training objective is this formulation's: lower at the solution than at 0, and
    # (lbfgs) the last value of the history
    W, b = m.coef_.T, m.intercept_
    f = reference.svm_loss_vectorized(W, X, y, m.reg, b=b, multi_class=multi_class)[0]
    f0 = reference.svm_loss_vectorized(0 * W, X, y, m.reg, b=0 * b, multi_class=multi_class)[0]
    assert f < 0.2 * f0
    if solver == "lbfgs":
        assert m.loss_history_[-1] == pytest.approx(f, rel=1e-4)
    c = sklearn.base.clone(m)
    assert c.get_params()["multi_class"] == multi_class and not hasattr(c, "coef_")
    c.set_params(multi_class="weston_watkins")
    assert c.multi_class == "weston_watkins" and m.multi_class == multi_class


@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_squared_hinge_trains_and_clones(solver):
    if solver == "lbfgs":
        pytest.importorskip("scipy")
    X, y = blobs()
    m = fastlin.LinearSVM(loss="squared_hinge", solver=solver, learning_rate=1e-2,
                          batch_size=200, max_iter=10, random_state=0).fit(X, y)
    assert m.score(X, y) > 0.95
    W, b = m.coef_.T, m.intercept_
    sq = partial(reference.svm_loss_vectorized, loss="squared_hinge")
    assert sq(W, X, y, m.reg, b=b)[0] < 0.2 * sq(0 * W, X, y, m.reg, b=0 * b)[0]
    c = sklearn.base.clone(m)
    assert c.get_params()["loss"] == "squared_hinge" and not hasattr(c, "coef_")
    assert fastlin.LinearSVM().get_params()["loss"] == "hinge"


def test_multi_class_formulations_learn_different_models():
    X, y = blobs(n=300, seed=4)
    kw = dict(optimizer="sgd", schedule="constant", learning_rate=1e-2, batch_size=300,
              max_iter=3, tol=None, average=False, random_state=0)
    coefs = [fastlin.LinearSVM(multi_class=mc, **kw).fit(X, y).coef_
             for mc in ("weston_watkins", "one_vs_all", "crammer_singer")]
    assert not np.allclose(coefs[0], coefs[1]) and not np.allclose(coefs[0], coefs[2])
    ovr = fastlin.LinearSVM(multi_class="ovr", **kw).fit(X, y).coef_
    np.testing.assert_array_equal(ovr, coefs[1])


def test_optimizer_instance_and_callable_schedule():
    X, y = blobs()
    opt = fastlin.optim.Momentum(momentum=0.5)
    m = fastlin.LinearSVM(optimizer=opt, schedule=lambda t: 1e-3, max_iter=3, tol=None, random_state=0).fit(X, y)
    assert opt.t == 0  # the instance given is not mutated
    assert m._optimizer.momentum == 0.5 and m._optimizer.t == m.t_
    assert m.score(X, y) > 0.9


def test_average_is_the_mean_of_the_iterates():
    """average=k: coef_/intercept_ are the mean of the iterates after every update from epoch k
    on (a hand-written SGD loop over the same batches), while training continues from the last
    iterate."""
    X, y = blobs(n=50, d=6, c=3)
    lr, reg, seed = 0.05, 0.01, 3
    m = fastlin.Softmax(reg=reg, learning_rate=lr, optimizer="sgd", schedule="constant", batch_size=16,
                        max_iter=3, average=1, tol=None, dtype=None, random_state=seed).fit(X, y)
    W, b = np.zeros((6, 3)), np.zeros(3)
    s = fastlin.BatchSampler(50, 16, seed=seed, stream=0)
    iterates = []
    for epoch in range(3):
        for idx in s.epoch_batches():
            loss, dW, db = reference.softmax_loss_vectorized(W, X, y, reg, b=b, idx=idx)
            W -= lr * dW
            b -= lr * db
            if epoch >= 1:
                iterates.append((W.copy(), b.copy()))
    assert m.n_averaged_ == len(iterates) == 8
    np.testing.assert_allclose(m.coef_, np.mean([w for w, _ in iterates], axis=0).T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m.intercept_, np.mean([c for _, c in iterates], axis=0), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m._W, W, rtol=1e-9, atol=1e-12)  # the iterate, not the average
    assert not np.allclose(m.coef_, W.T)
    s = m.decision_function(X)  # prediction uses the average
    np.testing.assert_allclose(s, X @ m.coef_.T + m.intercept_)


def test_average_true_and_partial_fit():
    X, y = blobs()
    m = fastlin.LinearSVM(max_iter=4, average=True, batch_size=200, tol=None, random_state=0).fit(X, y)
    assert m.n_averaged_ == 2 * 3  # epochs 3 and 4 of 3 updates each
    none = fastlin.LinearSVM(max_iter=4, average=False, batch_size=200, tol=None, random_state=0).fit(X, y)
    assert none.n_averaged_ == 0
    np.testing.assert_array_equal(none.coef_, none._W.T)
    np.testing.assert_array_equal(m._W, none._W)  # averaging does not change the iterates
    late = fastlin.LinearSVM(max_iter=4, average=10, batch_size=200, tol=None, random_state=0).fit(X, y)
    assert late.n_averaged_ == 0  # averaging would start after the last epoch
    p = fastlin.Softmax(average=1, learning_rate=1e-2, batch_size=200, random_state=0)
    p.partial_fit(X, y, classes=[0, 1, 2, 3])
    assert p.n_averaged_ == 0
    W1 = p._W.copy()
    p.partial_fit(X, y)
    assert p.n_averaged_ == 3
    p.partial_fit(X, y)  # continues from the iterate, keeps averaging
    assert p.n_averaged_ == 6 and not np.allclose(p._W, W1)
    assert p.score(X, y) > 0.95
