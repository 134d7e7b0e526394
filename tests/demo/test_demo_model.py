"""fastlin.demo.model: the demo's data sets, transforms, losses and training loop."""

import numpy as np
import pytest

from fastlin import optim, reference, softmax_loss, svm_loss
from fastlin.demo import model
from fastlin.gradcheck import numerical_gradient, rel_error


def problem(seed=0, N=40, D=3, C=4):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    y = rng.integers(0, C, N)
    W = rng.standard_normal((D, C))
    b = rng.standard_normal(C)
    return W, X, y, b


# ------------------------------------------------------------------ the SVM formulations
def one_vs_all_loops(W, X, y, reg, delta=1.0, b=None):
    loss = 0.0
    for i in range(X.shape[0]):
        s = X[i] @ W + (0 if b is None else b)
        for j in range(W.shape[1]):
            t = 1.0 if j == y[i] else -1.0
            loss += max(0.0, delta - t * s[j])
    return loss / X.shape[0] + reg * np.sum(W * W)


def crammer_singer_loops(W, X, y, reg, delta=1.0, b=None):
    loss = 0.0
    for i in range(X.shape[0]):
        s = X[i] @ W + (0 if b is None else b)
        worst = max(s[j] for j in range(W.shape[1]) if j != y[i])
        loss += max(0.0, worst - s[y[i]] + delta)
    return loss / X.shape[0] + reg * np.sum(W * W)


@pytest.mark.parametrize("loss,loops", [("one_vs_all", one_vs_all_loops),
                                        ("crammer_singer", crammer_singer_loops)])
@pytest.mark.parametrize("seed", range(3))
def test_svm_formulations_match_loops_and_their_gradients_check(loss, loops, seed):
    W, X, y, b = problem(seed)
    reg, delta = 0.3, 1.5

    def f(Wd, bd):  # the demo's layout: W (C, D)
        return model.loss_and_grad(loss, Wd, bd, X, y, reg, delta=delta)

    value, dW, db = f(W.T.copy(), b)
    assert value == pytest.approx(loops(W, X, y, reg, delta, b), rel=1e-12)
    # random data is away from the hinge kinks: the centred difference is the gradient
    num_W = numerical_gradient(lambda w: f(w, b)[0], W.T.copy())
    num_b = numerical_gradient(lambda c: f(W.T.copy(), c)[0], b.copy())
    assert rel_error(dW, num_W) < 1e-7
    assert rel_error(db, num_b) < 1e-7


def test_crammer_singer_counts_only_the_worst_wrong_class():
    X = np.array([[1.0, 0.0]])
    W = np.array([[0.0, 3.0, 2.5], [0.0, 0.0, 0.0]])  # scores (0, 3, 2.5), label 0
    loss, dW, db = model.loss_and_grad("crammer_singer", W.T.copy(), np.zeros(3), X,
                                       np.array([0]), 0.0)
    assert loss == pytest.approx(4.0)  # 3 - 0 + 1; class 2 ignored
    np.testing.assert_array_equal(dW, [[-1.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(db, [-1.0, 1.0, 0.0])
    ww, _ = svm_loss(W, X, np.array([0]))
    assert ww == pytest.approx(4.0 + 3.5)  # Weston-Watkins sums both


# ------------------------------------------------------------------ the demo's face of the losses
@pytest.mark.parametrize("loss", model.LOSSES)
def test_point_losses_average_to_the_kernels_data_loss(loss):
    W, X, y, b = problem(1, N=30, D=2, C=3)
    Wc = W.T.copy()
    reg = 0.25
    ev = model.evaluate(loss, Wc, b, X, y, reg, "none")
    assert ev["total_loss"] == pytest.approx(ev["point_losses"].mean() + reg * np.sum(W * W), rel=1e-12)
    assert ev["data_loss"] + ev["reg_loss"] == pytest.approx(ev["total_loss"], rel=1e-12)
    np.testing.assert_allclose(ev["scores"], X @ W + b, rtol=1e-12)
    assert ev["accuracy"] == np.mean(np.argmax(X @ W + b, axis=1) == y)


@pytest.mark.parametrize("loss", model.LOSSES)
def test_kernel_losses_match_the_numpy_reference(loss):
    W, X, y, b = problem(2, N=50, D=5, C=3)
    got = model.loss_and_grad(loss, W.T.copy(), b, X, y, 0.1)
    if loss == "softmax":
        want = reference.softmax_loss_vectorized(W, X, y, 0.1, b=b)
    else:
        want = reference.svm_loss_vectorized(W, X, y, 0.1, b=b, multi_class=loss)
    assert got[0] == pytest.approx(want[0], rel=1e-10)
    np.testing.assert_allclose(got[1], want[1].T, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("loss", model.LOSSES)
def test_gradient_check_rows_agree(loss):
    W, X, y, b = problem(3, N=25, D=2, C=3)
    rows = model.gradient_check(loss, W.T.copy(), b, X, y, reg=0.1, transform_name="none")
    assert [r[0] for r in rows] == [f"W[{c},{d}]" for c in range(3) for d in range(2)] + \
        [f"b[{c}]" for c in range(3)]
    assert max(r[3] for r in rows) < 1e-6  # random points sit away from the kinks


# ------------------------------------------------------------------ data sets and transforms
@pytest.mark.parametrize("name", model.DATASETS)
@pytest.mark.parametrize("C", [2, 3, 6])
def test_datasets(name, C):
    X, y = model.make_dataset(name, C, 61, seed=4)
    C_expected = {"default": 3, "xor": 2}.get(name, C)
    N_expected = 9 if name == "default" else 61
    assert X.shape == (N_expected, 2) and X.dtype == np.float64 and y.shape == (N_expected,)
    assert set(y.tolist()) == set(range(C_expected))
    assert np.abs(X).max() < 1.25  # inside the page's view
    assert set(model.make_dataset(name, C, C, seed=1)[1].tolist()) == set(range(C_expected))
    if name == "xor":
        np.testing.assert_array_equal(y, X[:, 0] * X[:, 1] < 0)
    X2, y2 = model.make_dataset(name, C, 61, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_transforms():
    X = np.array([[3.0, 4.0], [0.0, -2.0], [-1.0, 0.0]])
    np.testing.assert_array_equal(model.transform(X, "none"), X)
    np.testing.assert_allclose(model.transform(X, "polar"),
                               [[5.0, np.arctan2(4, 3) / np.pi], [2.0, -0.5], [1.0, 1.0]])
    np.testing.assert_allclose(model.transform(X, "quadratic"),
                               [[3, 4, 9, 16, 12], [0, -2, 0, 4, 0], [-1, 0, 1, 0, 0]])
    for name, names in model.TRANSFORMS.items():
        assert model.transform(X, name).shape == (3, len(names))
    with pytest.raises(ValueError, match="transform"):
        model.transform(X, "cubic")


def test_polar_features_separate_the_circles():
    X, y = model.make_dataset("circles", 2, 100, seed=0)
    acc = {}
    for tr in ("none", "polar"):
        W, b = model.init_params(2, len(model.TRANSFORMS[tr]), 1.0, seed=1)
        run = model.train("softmax", W, b, X, y, reg=1e-3, transform_name=tr, optimizer="sgd",
                          step_size=1.0, steps=200)
        acc[tr] = model.evaluate("softmax", run["W"], run["b"], X, y, 1e-3, tr)["accuracy"]
    assert acc["polar"] >= 0.95
    assert acc["none"] < 0.8


def test_region_grid_is_the_argmax_at_cell_centres():
    W = np.array([[1.0, 0.0], [-1.0, 0.0]])  # class 0 right of x = 0, class 1 left
    grid = model.region_grid(W, np.zeros(2), "none", (-1, 1, -1, 1), 4, 3)
    np.testing.assert_array_equal(grid, [[1, 1, 0, 0]] * 3)
    W = np.array([[0.0, 1.0], [0.0, -1.0]])  # class 0 above y = 0: row 0 is the top
    np.testing.assert_array_equal(model.region_grid(W, np.zeros(2), "none", (-1, 1, -1, 1), 2, 4)[:, 0],
                                  [0, 0, 1, 1])


# ------------------------------------------------------------------ training
@pytest.mark.parametrize("opt", model.OPTIMIZERS)
@pytest.mark.parametrize("loss", model.LOSSES)
def test_train_lowers_the_loss_at_a_small_step(opt, loss):
    X, y = model.make_dataset("default")
    run = model.train(loss, model.ORIGINAL_W, model.ORIGINAL_B, X, y, reg=0.1,
                      transform_name="none", optimizer=opt, step_size=1e-2, steps=20)
    after = model.evaluate(loss, run["W"], run["b"], X, y, 0.1, "none")["total_loss"]
    assert len(run["losses"]) == 20 and run["t"] == 20 and run["finite"]
    assert after < run["losses"][0]


@pytest.mark.parametrize("opt", model.OPTIMIZERS)
def test_train_resumes_from_the_returned_state(opt):
    X, y = model.make_dataset("blobs", 3, 30, seed=1)
    W, b = model.init_params(3, 2, 1.0, seed=2)
    kw = dict(reg=0.01, transform_name="none", optimizer=opt, step_size=0.05, batch_size=7, seed=3)
    whole = model.train("softmax", W, b, X, y, steps=5, **kw)
    part = model.train("softmax", W, b, X, y, steps=2, **kw)
    state = None if part["state"] is None else {
        s: {k: v.copy() for k, v in d.items()} for s, d in part["state"].items()}
    rest = model.train("softmax", part["W"], part["b"], X, y, steps=3, t=part["t"], state=state, **kw)
    np.testing.assert_allclose(rest["W"], whole["W"], rtol=1e-13)
    np.testing.assert_allclose(rest["b"], whole["b"], rtol=1e-13)
    assert rest["losses"] == pytest.approx(whole["losses"][2:], rel=1e-13)
    # and the same as fastlin.optim driven directly on the full batch
    opt_ = optim.get_optimizer(opt, learning_rate=0.05)
    W2, b2 = W.copy(), b.copy()
    for _ in range(3):
        _, dW, db = softmax_loss(W2.T.copy(), X, y, 0.01, b=b2)
        opt_.step([W2, b2], [dW.T.copy(), db])
    full = model.train("softmax", W, b, X, y, steps=3, **dict(kw, batch_size=None))
    np.testing.assert_allclose(full["W"], W2, rtol=1e-12)


def test_train_stops_before_a_diverging_update():
    X, y = model.make_dataset("default")
    W = model.ORIGINAL_W * 100
    run = model.train("weston_watkins", W, model.ORIGINAL_B, X, y, reg=100.0,
                      transform_name="none", optimizer="sgd", step_size=10.0, steps=50, bound=1e6)
    assert not run["finite"]
    assert np.abs(run["W"]).max() <= 1e6
    assert len(run["losses"]) < 50


def test_loss_surface_is_centred_on_the_current_loss():
    X, y = model.make_dataset("default")
    W, b = model.ORIGINAL_W, model.ORIGINAL_B
    u, v, L = model.loss_surface("softmax", W, b, X, y, reg=0.1, transform_name="none",
                                 params=[("W", (1, 0)), ("b", (2,))], span=1.0, resolution=5)
    assert u[2] == W[1, 0] and v[2] == b[2]
    assert L[2, 2] == pytest.approx(model.evaluate("softmax", W, b, X, y, 0.1, "none")["total_loss"])
    W2, b2 = W.copy(), b.copy()
    W2[1, 0], b2[2] = u[4], v[0]
    assert L[0, 4] == pytest.approx(model.evaluate("softmax", W2, b2, X, y, 0.1, "none")["total_loss"])


def test_random_search_loses_to_gradient_descent():
    X, y = model.make_dataset("blobs", 4, 80, seed=0)
    r = model.random_search_vs_descent("softmax", X, y, num_classes=4, reg=1e-3,
                                       transform_name="none", optimizer="sgd", step_size=0.5,
                                       num_candidates=300, seed=0)
    assert r["random_search_loss"] <= r["start_loss"]
    assert r["descent_loss"] < r["random_search_loss"]
    assert r["random_search_W"].shape == (4, 2)
