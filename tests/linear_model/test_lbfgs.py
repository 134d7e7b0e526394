"""solver="lbfgs": the full-batch objective, its gradient, agreement with scikit-learn, warm start."""

import warnings
from functools import partial

import numpy as np
import pytest

import fastlin
from fastlin import reference

pytest.importorskip("scipy")
sklearn = pytest.importorskip("sklearn")
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from fastlin.linear_model._lbfgs import FullBatchObjective, pack  # noqa: E402

REFERENCE = {"softmax": reference.softmax_loss_vectorized, "svm": reference.svm_loss_vectorized,
             "svm_one_vs_all": partial(reference.svm_loss_vectorized, multi_class="one_vs_all"),
             "svm_crammer_singer": partial(reference.svm_loss_vectorized,
                                           multi_class="crammer_singer")}
REFERENCE.update({k + "_squared": partial(REFERENCE[k], loss="squared_hinge")
                  for k in ("svm", "svm_one_vs_all", "svm_crammer_singer")})


def problem(n=300, d=12, c=4, seed=0, dtype=np.float64):
    """Standardized, overlapping Gaussian classes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, c, n)
    X = rng.normal(size=(n, d)) + 0.8 * rng.normal(size=(c, d))[y]
    X = (X - X.mean(0)) / X.std(0)
    return X.astype(dtype), y


def objective(kind, W, b, X, y, reg):
    """The training objective in float64 with the NumPy reference."""
    return REFERENCE[kind](W.astype(np.float64), X.astype(np.float64), y, reg,
                           b=None if b is None else b.astype(np.float64))[0]


@pytest.mark.parametrize("kind", REFERENCE)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_objective_matches_reference(kind, fit_intercept):
    X, y = problem()
    rng = np.random.default_rng(1)
    W, b = rng.normal(size=(12, 4)), (rng.normal(size=4) if fit_intercept else None)
    fun = FullBatchObjective(kind, X, y, 4, 0.05, fit_intercept=fit_intercept)
    f, g = fun(pack(W, b))
    ref = REFERENCE[kind](W, X, y, 0.05, b=b)
    np.testing.assert_allclose(f, ref[0], rtol=1e-12)
    np.testing.assert_allclose(g[:48].reshape(12, 4), ref[1], rtol=1e-10, atol=1e-13)
    if fit_intercept:
        np.testing.assert_allclose(g[48:], ref[2], rtol=1e-10, atol=1e-13)
    assert g.shape == (48 + 4 * fit_intercept,) and g.dtype == np.float64


@pytest.mark.parametrize("kind", REFERENCE)
def test_gradient_check_with_bias(kind):
    """Central differences of the full objective (weights and bias) against its gradient."""
    X, y = problem(n=200, d=6, c=3, seed=2)
    fun = FullBatchObjective(kind, X, y, 3, 0.1, fit_intercept=True)
    w = np.random.default_rng(3).normal(size=6 * 3 + 3)
    g = fun(w)[1]
    h = 1e-6
    for k in range(w.size):  # all 21 coordinates, the 3 biases included
        e = np.zeros_like(w)
        e[k] = h
        num = (fun(w + e)[0] - fun(w - e)[0]) / (2 * h)
        assert abs(num - g[k]) <= 1e-6 + 1e-5 * abs(g[k]), (k, num, g[k])


def test_float32_objective_is_close_to_float64():
    X, y = problem()
    w = np.random.default_rng(4).normal(size=12 * 4 + 4) * 0.1
    f64, g64 = FullBatchObjective("softmax", X, y, 4, 0.01)(w)
    f32, g32 = FullBatchObjective("softmax", X.astype(np.float32), y, 4, 0.01)(w)
    assert g32.dtype == np.float64
    np.testing.assert_allclose(f32, f64, rtol=1e-6)
    np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-6)


def test_softmax_matches_sklearn_logistic_regression():
    """Same objective as LogisticRegression(lbfgs, multinomial) with C = 1 / (2 reg n).

    scikit-learn minimises  C * sum_i CE_i + ||W||^2 / 2  (intercept unpenalised);
    divided by C n this is  mean_i CE_i + ||W||^2 / (2 C n),  fastlin's  mean_i CE_i + reg ||W||^2
    exactly when  reg = 1 / (2 C n).
    """
    from sklearn.linear_model import LogisticRegression

    X, y = problem(n=400, d=10, c=4, seed=5)
    reg = 3e-3
    C = 1.0 / (2 * reg * len(X))
    sk = LogisticRegression(C=C, tol=1e-10, max_iter=2000).fit(X, y)
    m = fastlin.Softmax(reg=reg, solver="lbfgs", tol=1e-10, max_iter=2000, dtype=None).fit(X, y)
    f_sk = objective("softmax", sk.coef_.T, sk.intercept_, X, y, reg)
    f_fl = objective("softmax", m.coef_.T, m.intercept_, X, y, reg)
    assert abs(f_fl - f_sk) <= 1e-6 * abs(f_sk)
    np.testing.assert_allclose(m.objective_, f_fl, rtol=1e-12)
    np.testing.assert_allclose(m.coef_, sk.coef_, rtol=1e-4, atol=1e-5)
    # the intercepts are defined up to a common shift (softmax is shift-invariant)
    np.testing.assert_allclose(m.intercept_ - m.intercept_.mean(), sk.intercept_ - sk.intercept_.mean(),
                               rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(m.predict_proba(X), sk.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize("cls", [fastlin.Softmax, fastlin.LinearSVM])
def test_lbfgs_attributes_and_history(cls):
    X, y = problem()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the hinge may stop in a kink
        m = cls(solver="lbfgs", reg=1e-2).fit(X, y)
    assert m.coef_.dtype == np.float32  # the default training dtype
    assert 1 <= m.n_iter_ <= 300 and m.t_ >= m.n_iter_
    assert len(m.loss_history_) == m.n_iter_
    h = np.array(m.loss_history_)
    assert np.all(np.diff(h) <= 1e-7 * h[:-1])  # L-BFGS-B accepts only descent steps
    np.testing.assert_allclose(objective(m._kind, m.coef_.T, m.intercept_, X, y, 1e-2), m.objective_,
                               rtol=1e-5)
    assert m.score(X, y) > 0.7


@pytest.mark.parametrize("multi_class", ["weston_watkins", "one_vs_all"])
def test_squared_hinge_lbfgs_converges(multi_class):
    """The squared hinge is smooth: L-BFGS meets the default tol (no ConvergenceWarning) at the
    minimum of that objective (in fewer iterations than the hinge), and predicts held-out
    rows about as well as the hinge."""
    X, y = problem(n=600, d=12, c=4, seed=7)
    Xt, yt, Xv, yv = X[:450], y[:450], X[450:], y[450:]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m = fastlin.LinearSVM(solver="lbfgs", loss="squared_hinge", multi_class=multi_class,
                              reg=1e-2).fit(Xt, yt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the hinge may stop in a kink
        h = fastlin.LinearSVM(solver="lbfgs", multi_class=multi_class, reg=1e-2).fit(Xt, yt)
    assert m.n_iter_ < h.n_iter_
    kind = m._loss_kind
    assert kind.endswith("_squared")
    f = objective(kind, m.coef_.T, m.intercept_, Xt, yt, 1e-2)
    np.testing.assert_allclose(m.objective_, f, rtol=1e-5)
    g = FullBatchObjective(kind, Xt, yt, 4, 1e-2)(pack(m.coef_.T, m.intercept_))[1]
    assert np.abs(g).max() < 1e-3  # a stationary point (float32 training, float64 check)
    f_hinge = objective(kind.removesuffix("_squared"), m.coef_.T, m.intercept_, Xt, yt, 1e-2)
    assert f != pytest.approx(f_hinge, rel=1e-3)  # really the squared objective
    assert m.score(Xv, yv) > 0.75 and m.score(Xv, yv) >= h.score(Xv, yv) - 0.03


def test_lbfgs_beats_sgd_on_the_training_objective():
    X, y = problem(n=600, d=20, c=5, seed=6)
    reg = 1e-3
    a = fastlin.Softmax(reg=reg, solver="lbfgs", tol=1e-6, dtype=None).fit(X, y)
    b = fastlin.Softmax(reg=reg, random_state=0, dtype=None).fit(X, y)
    fa = objective("softmax", a.coef_.T, a.intercept_, X, y, reg)
    fb = objective("softmax", b.coef_.T, b.intercept_, X, y, reg)
    assert fa < fb


def test_convergence_warning_and_max_iter():
    X, y = problem()
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge after 3 iterations"):
        m = fastlin.Softmax(solver="lbfgs", max_iter=3, reg=1e-3).fit(X, y)
    assert m.n_iter_ == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        fastlin.Softmax(solver="lbfgs", reg=1e-3, dtype=None).fit(X, y)


def test_warm_start():
    X, y = problem()
    kw = dict(solver="lbfgs", reg=1e-3, tol=1e-8, dtype=None)
    cold = fastlin.Softmax(**kw).fit(X, y)
    assert cold.n_iter_ > 10
    # from the optimum: nothing left to do
    cold.set_params(warm_start=True).fit(X, y)
    assert cold.n_iter_ <= 2
    # interrupted then resumed: reaches the same solution
    with pytest.warns(ConvergenceWarning):
        part = fastlin.Softmax(max_iter=4, warm_start=True, **kw).fit(X, y)
    first = part.coef_.copy()
    part.set_params(max_iter=None).fit(X, y)
    assert not np.allclose(first, part.coef_, atol=1e-3)
    np.testing.assert_allclose(part.coef_, cold.coef_, rtol=1e-4, atol=1e-6)
    # without warm_start every fit starts from zeros: same iterations as the first time
    again = fastlin.Softmax(**kw).fit(X, y)
    assert again.fit(X, y).n_iter_ == again.n_iter_ > 10


def test_warm_start_sgd_starts_from_coef():
    X, y = problem()
    m = fastlin.LinearSVM(max_iter=1, random_state=0, warm_start=True, dtype=None).fit(X, y)
    w1 = m.coef_.copy()
    cold = fastlin.LinearSVM(max_iter=1, random_state=0, dtype=None).fit(X, y)
    m.fit(X, y)
    assert not np.allclose(m.coef_, cold.coef_)  # continued from w1, not from zeros
    assert np.linalg.norm(m.coef_ - w1) < np.linalg.norm(cold.coef_)


def test_warm_start_mismatch_is_an_error():
    X, y = problem()
    m = fastlin.Softmax(solver="lbfgs", warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="warm_start"):
        m.fit(X[:, :5], y)
    with pytest.raises(ValueError, match="warm_start"):
        m.fit(X, np.where(y == 3, 2, y))


@pytest.mark.parametrize("name, value", [("solver", "newton"), ("solver", None), ("warm_start", "yes"),
                                         ("max_iter", 0), ("tol", -1.0)])
def test_bad_parameters(name, value):
    X, y = problem(n=50)
    with pytest.raises(ValueError, match=name):
        fastlin.Softmax(solver="lbfgs").set_params(**{name: value}).fit(X, y)


def test_badly_scaled_features_warn_and_stay_finite():
    X, y = problem(n=50)
    X[0, 0] = 1e30  # finite, but the first step overflows the scores
    with pytest.warns(ConvergenceWarning, match="scale the data"):
        m = fastlin.Softmax(solver="lbfgs").fit(X, y)
    assert np.isfinite(m.coef_).all() and np.isfinite(m.intercept_).all()


@parametrize_with_checks(
    [fastlin.LinearSVM(solver="lbfgs", max_iter=50), fastlin.Softmax(solver="lbfgs", max_iter=50),
     fastlin.LinearSVM(solver="lbfgs", loss="squared_hinge", max_iter=50)],
)
def test_sklearn_compatible_lbfgs(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


def test_lbfgs_reads_unaligned_data_from_an_aligned_copy():
    # a C-contiguous X at an odd address (as np.frombuffer or a network buffer gives) fits
    # exactly as the aligned one, and the objective holds an aligned array
    from fastlin.linear_model._lbfgs import FullBatchObjective, chunk_sums

    rng = np.random.default_rng(5)
    X = rng.standard_normal((60, 7))
    y = rng.integers(0, 3, 60)
    buf = np.empty(X.nbytes + 1, np.uint8)
    Xu = np.frombuffer(buf.data, X.dtype, X.size, offset=1).reshape(X.shape)
    Xu[...] = X
    assert not Xu.flags.aligned
    assert FullBatchObjective("softmax", Xu, y, 3, 0.1).X.flags.aligned
    W = rng.standard_normal((7, 3))
    got = chunk_sums("svm", W, None, Xu, y.astype(np.intp), 1.0, 1)
    want = chunk_sums("svm", W, None, X, y.astype(np.intp), 1.0, 1)
    assert got[0] == want[0] and np.array_equal(got[1], want[1])
