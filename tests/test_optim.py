"""fastlin.optim: update rules against their formulas, convergence, schedules, bad arguments."""

import math

import numpy as np
import pytest

from fastlin import optim

# ---------------------------------------------------------------------------------------------
# the formulas of the CS231n notes, written out independently (allocating, float64)
# ---------------------------------------------------------------------------------------------


def ref_sgd(x, dxs, lr):
    x = x.astype(np.float64)
    for dx in dxs:
        x = x - lr * dx
    return x


def ref_momentum(x, dxs, lr, momentum=0.9):
    mu = momentum
    x = x.astype(np.float64)
    v = np.zeros_like(x)
    for dx in dxs:
        v = mu * v - lr * dx
        x = x + v
    return x


def ref_nesterov(x, dxs, lr, momentum=0.9):
    mu = momentum
    x = x.astype(np.float64)
    v = np.zeros_like(x)
    for dx in dxs:
        v_prev = v
        v = mu * v - lr * dx
        x = x + (-mu * v_prev + (1 + mu) * v)
    return x


def ref_adagrad(x, dxs, lr, eps=1e-8):
    x = x.astype(np.float64)
    cache = np.zeros_like(x)
    for dx in dxs:
        cache = cache + dx**2
        x = x + -lr * dx / (np.sqrt(cache) + eps)
    return x


def ref_rmsprop(x, dxs, lr, decay_rate=0.99, eps=1e-8):
    x = x.astype(np.float64)
    cache = np.zeros_like(x)
    for dx in dxs:
        cache = decay_rate * cache + (1 - decay_rate) * dx**2
        x = x + -lr * dx / (np.sqrt(cache) + eps)
    return x


def ref_adam(x, dxs, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    x = x.astype(np.float64)
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    for t, dx in enumerate(dxs, start=1):
        m = beta1 * m + (1 - beta1) * dx
        mt = m / (1 - beta1**t)
        v = beta2 * v + (1 - beta2) * (dx**2)
        vt = v / (1 - beta2**t)
        x = x + -lr * mt / (np.sqrt(vt) + eps)
    return x


RULES = [
    (optim.SGD, ref_sgd, {}),
    (optim.Momentum, ref_momentum, {}),
    (optim.Momentum, ref_momentum, {"momentum": 0.5}),
    (optim.Nesterov, ref_nesterov, {}),
    (optim.Nesterov, ref_nesterov, {"momentum": 0.7}),
    (optim.AdaGrad, ref_adagrad, {}),
    (optim.RMSProp, ref_rmsprop, {}),
    (optim.RMSProp, ref_rmsprop, {"decay_rate": 0.9, "eps": 1e-6}),
    (optim.Adam, ref_adam, {}),
    (optim.Adam, ref_adam, {"beta1": 0.5, "beta2": 0.9}),
]


@pytest.mark.parametrize("cls,ref,kw", RULES, ids=lambda v: getattr(v, "__name__", str(v)))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_rule_matches_formula(cls, ref, kw, dtype):
    rng = np.random.default_rng(0)
    x0 = rng.standard_normal((7, 5)).astype(dtype)
    dxs = [rng.standard_normal((7, 5)).astype(dtype) for _ in range(6)]
    lr = 3e-2
    x = x0.copy()
    opt = cls(learning_rate=lr, **kw)
    for dx in dxs:
        out = opt.step(x, dx)
        assert out is x
    assert x.dtype == dtype
    assert opt.t == len(dxs)
    expected = ref(x0, [d.astype(np.float64) for d in dxs], lr, **kw)
    tol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(x, expected, rtol=tol, atol=tol)


def test_defaults_are_the_notes():
    assert optim.Momentum().momentum == 0.9
    assert optim.Nesterov().momentum == 0.9
    r = optim.RMSProp()
    assert (r.decay_rate, r.eps) == (0.99, 1e-8)
    a = optim.Adam()
    assert (a.beta1, a.beta2, a.eps) == (0.9, 0.999, 1e-8)


def test_adam_first_step_is_bias_corrected():
    # at t=1, mt = dx and vt = dx**2, so the step is lr * sign(dx) (up to eps)
    x = np.zeros(4)
    dx = np.array([1e-3, -2.0, 5.0, -1e3])
    optim.Adam(learning_rate=0.1).step(x, dx)
    np.testing.assert_allclose(x, -0.1 * np.sign(dx), rtol=1e-5)


def test_several_params_list_and_dict_share_counter():
    rng = np.random.default_rng(1)
    W0, b0 = rng.standard_normal((4, 3)), rng.standard_normal(3)
    dWs = [rng.standard_normal((4, 3)) for _ in range(3)]
    dbs = [rng.standard_normal(3) for _ in range(3)]
    W, b = W0.copy(), b0.copy()
    opt = optim.Adam(learning_rate=0.01)
    for dW, db in zip(dWs, dbs):
        opt.step([W, b], [dW, db])
    np.testing.assert_allclose(W, ref_adam(W0, dWs, 0.01), rtol=1e-12)
    np.testing.assert_allclose(b, ref_adam(b0, dbs, 0.01), rtol=1e-12)
    W2, b2 = W0.copy(), b0.copy()
    opt2 = optim.Adam(learning_rate=0.01)
    for dW, db in zip(dWs, dbs):
        opt2.step({"W": W2, "b": b2}, {"b": db, "W": dW})
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)


def test_no_allocation_after_first_step():
    """State and scratch are reused: the arrays held by the optimizer keep their identity."""
    x = np.ones((50, 10), dtype=np.float32)
    opt = optim.Adam()
    opt.step(x, np.ones_like(x))
    before = {k: id(v) for k, v in opt._state[0].items() if isinstance(v, np.ndarray)}
    opt.step(x, np.ones_like(x))
    after = {k: id(v) for k, v in opt._state[0].items() if isinstance(v, np.ndarray)}
    assert before == after
    assert set(opt.state(0)) == {"m", "v"}


def test_step_does_not_allocate_param_sized_temporaries():
    tracemalloc = pytest.importorskip("tracemalloc")
    x = np.zeros(200_000)  # 1.6 MB
    dx = np.ones_like(x)
    for cls in (optim.SGD, optim.Momentum, optim.Nesterov, optim.AdaGrad, optim.RMSProp, optim.Adam):
        opt = cls()
        opt.step(x, dx)  # state allocation happens here
        tracemalloc.start()
        opt.step(x, dx)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < x.nbytes // 4, (cls.__name__, peak)


def test_schedule_as_learning_rate():
    sched = optim.StepDecay(0.1, step_size=2, gamma=0.5)
    x = np.zeros(1)
    opt = optim.SGD(learning_rate=sched)
    lrs = []
    for _ in range(5):
        lrs.append(opt.lr)
        opt.step(x, np.ones(1))
    assert lrs == [0.1, 0.1, 0.05, 0.05, 0.025]
    np.testing.assert_allclose(x, [-sum(lrs)])


def test_reset_and_shape_change():
    opt = optim.Momentum()
    x = np.zeros(3)
    opt.step(x, np.ones(3))
    with pytest.raises(ValueError, match="reset"):
        opt.step(np.zeros(4), np.ones(4))
    opt.reset()
    assert opt.t == 0
    opt.step(np.zeros(4), np.ones(4))


# ---------------------------------------------------------------------------------------------
# convergence
# ---------------------------------------------------------------------------------------------

CONV = [
    ("sgd", {"learning_rate": 0.05}),
    ("momentum", {"learning_rate": 0.02}),
    ("nesterov", {"learning_rate": 0.02}),
    ("adagrad", {"learning_rate": 0.5}),
    # sign-like rules hover at ~lr from the optimum with a constant rate: decay it
    ("rmsprop", {"learning_rate": optim.ExponentialDecay(0.01, decay_rate=0.5, decay_steps=500)}),
    ("adam", {"learning_rate": optim.ExponentialDecay(0.05, decay_rate=0.5, decay_steps=500)}),
]


@pytest.mark.parametrize("name,kw", CONV, ids=[c[0] for c in CONV])
def test_converges_on_quadratic(name, kw):
    # f(x) = 0.5 (x - c)^T A (x - c), A SPD with condition number 10
    rng = np.random.default_rng(2)
    Q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    A = Q @ np.diag(np.linspace(1.0, 10.0, 6)) @ Q.T
    c = rng.standard_normal(6)
    x = np.zeros(6)
    opt = optim.get_optimizer(name, **kw)
    for _ in range(3000):
        opt.step(x, A @ (x - c))
    assert np.linalg.norm(x - c) < 1e-2, name


def rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


@pytest.mark.parametrize(
    "name,kw,iters",
    [
        ("sgd", {"learning_rate": 1e-3}, 30000),
        ("momentum", {"learning_rate": 1e-3}, 10000),
        ("nesterov", {"learning_rate": 1e-3}, 10000),
        ("rmsprop", {"learning_rate": 1e-3}, 10000),
        ("adam", {"learning_rate": 1e-2}, 10000),
        ("adagrad", {"learning_rate": 0.5}, 20000),
    ],
)
def test_converges_on_rosenbrock(name, kw, iters):
    p = np.array([-1.2, 1.0])
    opt = optim.get_optimizer(name, **kw)
    for _ in range(iters):
        opt.step(p, rosenbrock_grad(p))
    assert np.linalg.norm(p - 1.0) < 5e-2, (name, p)


# ---------------------------------------------------------------------------------------------
# schedules
# ---------------------------------------------------------------------------------------------


def test_schedule_values():
    assert [optim.Constant(0.3)(t) for t in (0, 5, 1000)] == [0.3, 0.3, 0.3]
    s = optim.StepDecay(1.0, step_size=3, gamma=0.1)
    np.testing.assert_allclose([s(t) for t in range(7)], [1, 1, 1, 0.1, 0.1, 0.1, 0.01])
    e = optim.ExponentialDecay(2.0, decay_rate=0.5, decay_steps=10)
    np.testing.assert_allclose([e(0), e(10), e(5), e(30)], [2.0, 1.0, 2.0 * 0.5**0.5, 0.25])
    k = 0.2
    e2 = optim.ExponentialDecay(1.0, decay_rate=math.exp(-k), decay_steps=1)  # the notes' a0 e^{-kt}
    np.testing.assert_allclose([e2(t) for t in range(4)], [math.exp(-k * t) for t in range(4)])
    i = optim.InverseTimeDecay(1.0, k=0.5, decay_steps=1)
    np.testing.assert_allclose([i(t) for t in range(4)], [1 / (1 + 0.5 * t) for t in range(4)])
    c = optim.CosineDecay(2.0, decay_steps=4, alpha=0.1)
    np.testing.assert_allclose([c(t) for t in (0, 1, 2, 4, 9)],
                               [2.0, 0.2 + 1.8 * (1 + math.sqrt(0.5)) / 2, 1.1, 0.2, 0.2])
    assert optim.CosineDecay(1.0, decay_steps=10)(10) == 0.0


def test_get_schedule():
    s = optim.get_schedule("step", 0.5, step_size=2, gamma=0.5)
    assert isinstance(s, optim.StepDecay) and s(2) == 0.25
    assert isinstance(optim.get_schedule("1/t", 1.0), optim.InverseTimeDecay)
    f = lambda t: 1.0  # noqa: E731
    assert optim.get_schedule(f) is f
    assert optim.get_schedule("cosine", 1.0, decay_steps=8) == optim.CosineDecay(1.0, decay_steps=8)
    with pytest.raises(ValueError, match="schedule"):
        optim.get_schedule("linear")
    with pytest.raises(ValueError, match="alpha"):
        optim.CosineDecay(1.0, alpha=1.5)
    with pytest.raises(TypeError, match="schedule"):
        optim.get_schedule(3)


# ---------------------------------------------------------------------------------------------
# factory and bad arguments
# ---------------------------------------------------------------------------------------------


def test_get_optimizer():
    assert isinstance(optim.get_optimizer("ADAM"), optim.Adam)
    assert optim.get_optimizer("momentum", momentum=0.5).momentum == 0.5
    o = optim.RMSProp()
    assert optim.get_optimizer(o) is o
    assert isinstance(optim.get_optimizer(optim.Nesterov, learning_rate=0.1), optim.Nesterov)
    with pytest.raises(ValueError, match="optimizer"):
        optim.get_optimizer("lbfgs")
    with pytest.raises(ValueError, match="optimizer"):
        optim.get_optimizer(o, learning_rate=1.0)
    with pytest.raises(TypeError, match="optimizer"):
        optim.get_optimizer(1.0)


@pytest.mark.parametrize(
    "factory,arg",
    [
        (lambda: optim.SGD(learning_rate=0.0), "learning_rate"),
        (lambda: optim.SGD(learning_rate=-1.0), "learning_rate"),
        (lambda: optim.SGD(learning_rate=float("nan")), "learning_rate"),
        (lambda: optim.Momentum(momentum=1.0), "momentum"),
        (lambda: optim.Momentum(momentum=-0.1), "momentum"),
        (lambda: optim.Nesterov(momentum=2), "momentum"),
        (lambda: optim.AdaGrad(eps=0), "eps"),
        (lambda: optim.RMSProp(decay_rate=1.5), "decay_rate"),
        (lambda: optim.Adam(beta1=1.0), "beta1"),
        (lambda: optim.Adam(beta2=-0.5), "beta2"),
        (lambda: optim.Adam(eps=-1e-8), "eps"),
        (lambda: optim.StepDecay(1.0, step_size=0), "step_size"),
        (lambda: optim.StepDecay(1.0, gamma=0.0), "gamma"),
        (lambda: optim.ExponentialDecay(1.0, decay_rate=1.5), "decay_rate"),
        (lambda: optim.ExponentialDecay(-1.0), "learning_rate"),
        (lambda: optim.InverseTimeDecay(1.0, k=-1.0), "k"),
        (lambda: optim.InverseTimeDecay(1.0, decay_steps=0), "decay_steps"),
        (lambda: optim.Constant(1.0)(-1), "t"),
    ],
)
def test_bad_hyperparameters_raise_value_error(factory, arg):
    with pytest.raises(ValueError, match=arg):
        factory()


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="learning_rate"):
        optim.SGD(learning_rate="fast")
    with pytest.raises(TypeError, match="momentum"):
        optim.Momentum(momentum=None)
    with pytest.raises(TypeError, match="step_size"):
        optim.StepDecay(1.0, step_size=2.5)


def test_bad_step_arguments():
    opt = optim.SGD()
    x = np.zeros(3)
    with pytest.raises(ValueError, match="grads"):
        opt.step(x, np.zeros(4))
    with pytest.raises(TypeError, match="grads"):
        opt.step(x, [0.0, 0.0, 0.0])
    with pytest.raises(TypeError, match="params"):
        opt.step(np.zeros(3, dtype=np.int64), np.zeros(3))
    with pytest.raises(TypeError, match="params"):
        opt.step("W", "dW")
    with pytest.raises(ValueError, match="grads"):
        opt.step([x, x], [x])
    with pytest.raises(ValueError, match="grads"):
        opt.step({"W": x}, {"b": x})
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        opt.step(ro, np.zeros(3))
    bad = optim.SGD(learning_rate=lambda t: -1.0)
    with pytest.raises(ValueError, match="learning_rate"):
        bad.step(x, np.zeros(3))
