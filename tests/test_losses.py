"""fastlin.svm_loss (its three multiclass formulations, hinge and squared hinge) /
softmax_loss against the NumPy references."""

from functools import partial

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fastlin
from fastlin import reference as ref

# every kernel test runs once per SIMD level this CPU supports
pytestmark = pytest.mark.all_simd_levels

MULTI_CLASS = {"svm": "weston_watkins", "svm_ova": "one_vs_all", "svm_cs": "crammer_singer"}
# every SVM loss: name -> (multi_class, loss)
SVM_LOSSES = {**{name: (mc, "hinge") for name, mc in MULTI_CLASS.items()},
              **{name + "_sq": (mc, "squared_hinge") for name, mc in MULTI_CLASS.items()}}
KERNELS = {
    name: tuple(partial(f, multi_class=mc, loss=loss)
                for f in (fastlin.svm_loss, ref.svm_loss_vectorized, ref.svm_loss_naive))
    for name, (mc, loss) in SVM_LOSSES.items()
}
KERNELS["softmax"] = (fastlin.softmax_loss, ref.softmax_loss_vectorized, ref.softmax_loss_naive)
DTYPES = [np.float32, np.float64]


def make_problem(seed, n, d, c, dtype, scale=1.0, wscale=0.1):
    rng = np.random.default_rng(seed)
    X = (scale * rng.standard_normal((n, d))).astype(dtype)
    W = (wscale * rng.standard_normal((d, c))).astype(dtype)
    y = rng.integers(0, c, n)
    b = rng.standard_normal(c).astype(dtype)
    return rng, X, W, y, b


def hinge_ties(name, W, X, y, b=None, idx=None, delta=1.0):
    """Extra tolerance (dW, db) for hinge terms that rounding can switch, or None (softmax).

    A hinge whose margin is within rounding of 0 (``s_j - s_y + delta``; One-vs-All
    ``delta - t_j s_j``; Crammer-Singer the margin of the highest-scoring wrong class), and for
    Crammer-Singer wrong classes whose scores are within rounding of the highest, switch the
    gradient terms (+-x_i in the columns involved) on the last bits of the summation order
    (host, SIMD path, compiler), so the comparison allows exactly those terms and no others.
    The squared hinges' derivatives ``2 max(0, m)`` are continuous: they move with the rounding
    of the scores instead (allowed as such), and only Crammer-Singer's ties switch terms.
    """
    if name not in SVM_LOSSES:
        return None
    multi_class, loss = SVM_LOSSES[name]
    X64, W64 = X.astype(np.float64), W.astype(np.float64)
    rows = np.arange(len(X)) if idx is None else np.asarray(idx)
    Xr, yr = X64[rows], np.asarray(y)[rows]
    s = Xr @ W64 + (0.0 if b is None else b.astype(np.float64))
    bound = np.abs(Xr) @ np.abs(W64) + (0.0 if b is None else np.abs(b.astype(np.float64)))
    r = np.arange(len(rows))
    tol = (1e-5 if X.dtype == np.float32 else 1e-13) * (bound + 1.0)  # rounding of each score
    if loss == "squared_hinge":
        cols = _squared_hinge_rounding(multi_class, s, yr, tol, delta)
    elif multi_class == "weston_watkins":
        m = s - s[r, yr][:, None] + delta
        cols = (np.abs(m) <= tol + tol[r, yr][:, None]).astype(np.float64)
        cols[r, yr] = 0.0
        cols[r, yr] = cols.sum(axis=1)
    elif multi_class == "one_vs_all":
        t = np.where(np.arange(W.shape[1]) == yr[:, None], 1.0, -1.0)
        cols = (np.abs(delta - t * s) <= tol).astype(np.float64)
    else:
        wrong = s.copy()
        wrong[r, yr] = -np.inf
        k = np.argmax(wrong, axis=1)
        top, ttop = wrong[r, k], tol[r, k]
        with np.errstate(invalid="ignore"):  # C = 1: no wrong class, -inf - -inf
            near = top[:, None] - wrong <= ttop[:, None] + tol  # k and the classes tied with it
        m = top - s[r, yr] + delta
        unsure = (near.sum(axis=1) > 1) | (np.abs(m) <= ttop + tol[r, yr])
        cols = (near & unsure[:, None]).astype(np.float64)
        cols[r, yr] = unsure
    n = max(len(rows), 1)
    return np.abs(Xr).T @ cols / n, cols.sum(axis=0) / n


def _squared_hinge_rounding(multi_class, s, y, tol, delta):
    """Bound on the error of each dL/ds term of a squared hinge (see :func:`hinge_ties`): a
    margin m known to within tm gives 2 max(0, m) to within 2 tm; a Crammer-Singer tie for the
    highest wrong score moves the whole 2 m between the tied columns."""
    r = np.arange(len(y))
    if multi_class == "weston_watkins":
        tm = tol + tol[r, y][:, None]
        cols = 2 * tm * (s - s[r, y][:, None] + delta > -tm)
        cols[r, y] = 0.0
        cols[r, y] = cols.sum(axis=1)
        return cols
    if multi_class == "one_vs_all":
        t = np.where(np.arange(s.shape[1]) == y[:, None], 1.0, -1.0)
        return 2 * tol * (delta - t * s > -tol)
    wrong = s.copy()
    wrong[r, y] = -np.inf
    k = np.argmax(wrong, axis=1)
    top, ttop = wrong[r, k], tol[r, k]
    with np.errstate(invalid="ignore"):  # C = 1: no wrong class, -inf - -inf
        near = top[:, None] - wrong <= ttop[:, None] + tol
    m, tm = top - s[r, y] + delta, ttop + tol[r, y]
    live = m > -tm
    tie = 2 * (np.maximum(m, 0) + tm) * (live & (near.sum(axis=1) > 1))
    cols = near * tie[:, None]
    cols[r, k] += 2 * tm * live
    cols[r, y] = tie + 2 * tm * live
    return cols


def assert_close(got, want, dtype, X, ties=None):
    """Compare a kernel's (loss, dW[, db]) with the float64 reference result; ``ties``: extra
    (dW, db) tolerance from :func:`hinge_ties`."""
    assert len(got) == len(want)
    loss, dW = got[0], got[1]
    assert isinstance(loss, float)
    assert dW.dtype == X.dtype and dW.shape == want[1].shape
    if dtype == np.float64:
        rtol = 1e-10
    else:
        rtol = 2e-4
    # gradient entries are means of x * (O(1) weights): scale by the data size
    atol = rtol * max(1.0, float(np.abs(X).max())) * 4
    np.testing.assert_allclose(loss, want[0], rtol=rtol, atol=rtol)
    extra_dW, extra_db = (0.0, 0.0) if ties is None else ties
    bad = np.abs(dW - want[1]) > atol + rtol * np.abs(want[1]) + extra_dW
    assert not bad.any(), (np.argwhere(bad)[:5], dW[bad][:5], want[1][bad][:5])
    if len(got) == 3:
        assert got[2].dtype == X.dtype
        bad = np.abs(got[2] - want[2]) > atol + rtol * np.abs(want[2]) + extra_db
        assert not bad.any(), (np.argwhere(bad)[:5], got[2][bad][:5], want[2][bad][:5])


shapes = st.tuples(
    st.integers(1, 2000), st.integers(1, 4000), st.integers(2, 200)
).filter(lambda s: s[0] * s[1] <= 600_000 and s[0] * s[2] <= 100_000 and s[1] * s[2] <= 300_000)


@pytest.mark.parametrize("name", KERNELS)
@given(
    shape=shapes,
    dtype=st.sampled_from(DTYPES),
    seed=st.integers(0, 2**31),
    with_b=st.booleans(),
    with_idx=st.booleans(),
    threads=st.sampled_from([1, 2, 4]),
    reg=st.sampled_from([0.0, 1e-3, 2.5]),
)
def test_matches_reference(name, shape, dtype, seed, with_b, with_idx, threads, reg):
    fast, vec, _ = KERNELS[name]
    n, d, c = shape
    rng, X, W, y, b = make_problem(seed, n, d, c, dtype)
    kw = {}
    if with_b:
        kw["b"] = b
    if with_idx:  # with replacement: duplicates are likely
        kw["idx"] = rng.integers(0, n, int(rng.integers(1, 2 * n + 1)))
    got = fast(W, X, y, reg, num_threads=threads, **kw)
    want = vec(W.astype(np.float64), X.astype(np.float64), y, reg,
               **{k: (v.astype(np.float64) if k == "b" else v) for k, v in kw.items()})
    ties = hinge_ties(name, W, X, y, **kw)
    assert_close(got, want, dtype, X, ties)


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(2000, 300, 10), (97, 3073, 10), (150, 1001, 200),
                                   (1, 4000, 2), (333, 31, 17), (45, 7001, 12), (61, 45, 32),
                                   (40, 16, 10), (40, 32, 3)])
def test_matches_reference_realistic_shapes(name, dtype, shape):
    fast, vec, _ = KERNELS[name]
    rng, X, W, y, b = make_problem(sum(shape), *shape, dtype)
    idx = rng.integers(0, shape[0], shape[0] + 5)
    got = fast(W, X, y, 1e-2, b=b, idx=idx, num_threads=2)
    want = vec(W.astype(np.float64), X.astype(np.float64), y, 1e-2, b=b.astype(np.float64),
               idx=idx)
    ties = hinge_ties(name, W, X, y, b, idx)
    assert_close(got, want, dtype, X, ties)


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_naive_and_vectorized_references_agree(name, dtype):
    _, vec, naive = KERNELS[name]
    rng, X, W, y, b = make_problem(3, 40, 25, 7, dtype)
    idx = rng.integers(0, 40, 60)
    a = naive(W, X, y, 0.3, b=b, idx=idx)
    v = vec(W, X, y, 0.3, b=b, idx=idx)
    tol = 1e-12 if dtype == np.float64 else 1e-4
    for p, q in zip(a, v):
        np.testing.assert_allclose(p, q, rtol=tol, atol=tol)


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_bitwise_identical_across_thread_counts(name, dtype):
    fast = KERNELS[name][0]
    rng, X, W, y, b = make_problem(11, 3001, 517, 13, dtype)
    idx = rng.integers(0, 3001, 2500)
    runs = [fast(W, X, y, 0.1, b=b, idx=idx, num_threads=t) for t in (1, 2, 3, 4)]
    for other in runs[1:]:
        assert other[0] == runs[0][0]
        for p, q in zip(other[1:], runs[0][1:]):
            assert np.array_equal(p, q)


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_cached_scratch_and_own_allocation_agree(name, dtype, monkeypatch):
    """The per-thread cached scratch (reused across calls of other sizes, left dirty) and the
    kernel's own allocation (above the cache cap) give bitwise the same results."""
    from fastlin._ext import _loss

    fast = KERNELS[name][0]
    rng, X, W, y, b = make_problem(3, 700, 129, 12, dtype)
    idx = rng.integers(0, 700, 333)
    first = fast(W, X, y, 0.3, b=b, idx=idx)
    fast(W[:, :5], X, y % 5, 0.0)  # another size in between: the buffer holds other data
    again = fast(W, X, y, 0.3, b=b, idx=idx)
    cached = _loss._cache.buf
    monkeypatch.setattr(_loss, "SCRATCH_CACHE_BYTES", 0)
    own = fast(W, X, y, 0.3, b=b, idx=idx)
    fast(np.vstack([W] * 3), np.hstack([X] * 3), y, 0.0)  # bigger: would need a bigger buffer
    assert _loss._cache.buf is cached  # the cap turned the cache off
    for other in (again, own):
        assert other[0] == first[0]
        for p, q in zip(other[1:], first[1:]):
            assert np.array_equal(p, q)


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("with_idx", [False, True])
def test_ready_and_general_paths_agree(name, dtype, with_idx):
    """Arguments in the kernel's layout go straight to it (loss_grad_ready, checked in C); the
    same values in another layout (int32 labels, a Fortran-order W, an int reg) take the general
    path, which converts them: bitwise the same results."""
    from fastlin._ext import _loss

    fast = KERNELS[name][0]
    rng, X, W, y, b = make_problem(8, 400, 77, 9, dtype)
    idx = rng.integers(0, 400, 250) if with_idx else None
    ready = fast(W, X, y, 2.0, b=b, idx=idx)
    general = fast(np.asfortranarray(W), X, y.astype(np.int32), 2, b=b,
                   idx=None if idx is None else idx.astype(np.int32))
    assert ready[0] == general[0]
    for p, q in zip(ready[1:], general[1:]):
        assert p.dtype == q.dtype == dtype and np.array_equal(p, q)
    # the straight path took the first call, and refuses what it cannot read as it is
    assert _loss.loss_grad_ready(_loss.SVM, W, X, y, 2.0, 1.0, b, idx, 1) is not None
    unaligned = np.frombuffer(b"\0" + X.tobytes(), dtype=dtype, offset=1).reshape(X.shape)
    for args in [(W, X, y.astype(np.int32), 2.0, b), (W, X, y, 2, b), (W, X, y, 2.0, b[:3]),
                 (np.asfortranarray(W), X, y, 2.0, b), (W, X, y + 9, 2.0, b),
                 (W, X.astype(X.dtype.newbyteorder(">")), y, 2.0, b), (W, unaligned, y, 2.0, b),
                 (W, X, y, float("inf"), b), (W.astype(np.float16), X, y, 2.0, b)]:
        assert _loss.loss_grad_ready(_loss.SVM, *args[:4], 1.0, args[4], idx, 1) is None


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_idx_equals_gathered_rows(name, dtype):
    fast = KERNELS[name][0]
    rng, X, W, y, b = make_problem(5, 500, 300, 10, dtype)
    idx = np.concatenate([rng.integers(0, 500, 150), [7, 7, 7]])
    a = fast(W, X, y, 0.2, b=b, idx=idx)
    g = fast(W, X[idx], y[idx], 0.2, b=b)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for p, q in zip(a, g):
        np.testing.assert_allclose(p, q, rtol=tol, atol=tol)


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layout", ["column_slice", "strided_columns", "fortran",
                                    "reversed_rows", "readonly", "big_endian"])
def test_layouts(name, dtype, layout):
    fast, vec, _ = KERNELS[name]
    rng, X, W, y, b = make_problem(2, 300, 90, 6, dtype)
    wide = rng.standard_normal((300, 200)).astype(dtype)
    if layout == "column_slice":  # rows contiguous, read in place
        Xl = wide[:, 10:100]
    elif layout == "strided_columns":
        Xl = wide[:, ::2][:, :90]
    elif layout == "fortran":
        Xl = np.asfortranarray(X)
    elif layout == "reversed_rows":
        Xl = X[::-1]
    elif layout == "readonly":
        Xl = X.copy()
        Xl.flags.writeable = False
        W = W.copy()
        W.flags.writeable = False
    else:
        Xl = X.astype(X.dtype.newbyteorder(">"))
    Wl = np.asfortranarray(W) if layout == "fortran" else W
    got = fast(Wl, Xl, y, 0.1, b=b)
    want = vec(W.astype(np.float64), np.asarray(Xl, dtype=np.float64), y, 0.1,
               b=b.astype(np.float64))
    assert_close(got, want, dtype, np.asarray(Xl, dtype=dtype),
                 hinge_ties(name, W, np.asarray(Xl, dtype=dtype), y, b))


@pytest.mark.parametrize("multi_class, loss", SVM_LOSSES.values())
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("delta", [0.0, 1.0, 2.0])
def test_svm_exact_ties_at_the_margin(multi_class, loss, dtype, delta):
    # Integer data and weights: scores are exact, many margins are exactly 0, where the hinge
    # is flat (no loss, no gradient), and many rows have wrong classes of equal top score
    # (Crammer-Singer takes the lowest index), all as in the reference.
    rng = np.random.default_rng(0)
    X = rng.integers(-2, 3, (400, 8)).astype(dtype)
    W = rng.integers(-1, 2, (8, 5)).astype(dtype)
    y = rng.integers(0, 5, 400)
    S = X @ W
    margins = S - S[np.arange(400), y][:, None] + delta
    assert np.sum(margins == 0) > 100  # the test really has ties
    wrong = np.where(np.arange(5) == y[:, None], -np.inf, S)
    assert np.sum(np.sum(wrong == wrong.max(axis=1, keepdims=True), axis=1) > 1) > 40
    assert np.sum(np.abs(S) == delta) > 100  # and One-vs-All hinges at exactly 0
    got = fastlin.svm_loss(W, X, y, 0.0, delta=delta, multi_class=multi_class, loss=loss)
    want = ref.svm_loss_naive(W.astype(np.float64), X.astype(np.float64), y, 0.0, delta=delta,
                              multi_class=multi_class, loss=loss)
    assert got[0] == pytest.approx(want[0], rel=1e-6)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6, atol=1e-6)


def test_crammer_singer_tie_takes_the_lowest_wrong_class():
    X = np.array([[1.0]])
    W = np.array([[2.0, 0.0, 2.0, 2.0]])  # scores (2, 0, 2, 2), label 1: classes 0, 2, 3 tie
    for y in ([1], [0]):  # label 0: classes 2 and 3 tie
        loss, dW, db = fastlin.svm_loss(W, X, np.array(y), b=np.zeros(4),
                                        multi_class="crammer_singer")
        want = ref.svm_loss_naive(W, X, np.array(y), b=np.zeros(4), multi_class="crammer_singer")
        k = 0 if y == [1] else 2
        expect = np.zeros(4)
        expect[k], expect[y[0]] = 1.0, -1.0
        np.testing.assert_array_equal(db, expect)
        np.testing.assert_array_equal(dW[0], expect)
        for p, q in zip((loss, dW, db), want):
            np.testing.assert_array_equal(p, q)
        assert loss == 2.0 - W[0, y[0]] + 1.0


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_probabilities_within_a_few_ulp(dtype):
    # one row, W = I: the scores are the row itself and db = p - onehot(y); every p_c off the
    # label is checked against e^(s_c - max) / sum in long double, over shifted scores from 0
    # down to where e^s leaves the normal range (the kernel's vector exp, all lane positions)
    dtype = np.dtype(dtype)
    eps, tiny = np.finfo(dtype).eps, np.finfo(dtype).tiny
    lo = float(np.log(tiny)) + 2
    rng = np.random.default_rng(7)
    for C in (3, 10, 17, 40):
        W = np.eye(C, dtype=dtype)
        for _ in range(40):
            s = rng.uniform(lo, 0, C)
            s[rng.integers(0, C)] = 0.0
            if rng.random() < 0.5:  # mostly near the max, where the probabilities are large
                s = s / rng.choice([1e2, 1e4, 1e6])
            s = s.astype(dtype)
            X = s[None, :]
            y = np.array([int(np.argmin(s))])
            _, _, db = fastlin.softmax_loss(W, X, y, b=np.zeros(C, dtype))
            e = np.exp(s.astype(np.longdouble) - s.max())
            p = e / e.sum()
            off = np.arange(C) != y[0]
            err = np.abs(db[off].astype(np.longdouble) - p[off]) / p[off]
            assert err.max() <= 6 * eps, (C, s, err.max() / eps)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_huge_scores_finite_and_accurate(dtype):
    rng = np.random.default_rng(1)
    X = (1e2 * rng.standard_normal((200, 30))).astype(dtype)
    W = (10 * rng.standard_normal((30, 10))).astype(dtype)  # scores ~ 1e4
    y = rng.integers(0, 10, 200)
    assert np.abs(X.astype(np.float64) @ W).max() > 1e4
    loss, dW = fastlin.softmax_loss(W, X, y)
    assert np.isfinite(loss) and np.all(np.isfinite(dW))
    wl, wdW = ref.softmax_loss_naive(W.astype(np.float64), X.astype(np.float64), y)
    assert loss == pytest.approx(wl, rel=1e-5)
    np.testing.assert_allclose(dW, wdW, rtol=1e-3, atol=1e-3 * np.abs(wdW).max())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("multi_class, hinge, value, grad", [
    # scores 2, 6, -2 with label 0 (x = 2, so dW = 2 dL/ds)
    ("weston_watkins", "hinge", 5.0, [-2.0, 2.0, 0.0]),  # 6-2+1 = 5; -2-2+1 < 0
    ("one_vs_all", "hinge", 7.0, [0.0, 2.0, 0.0]),  # 1-2 < 0, 1+6 = 7, 1-2 < 0
    ("crammer_singer", "hinge", 5.0, [-2.0, 2.0, 0.0]),  # the worst wrong class only: 6-2+1
    # squared: the active margins squared, each term of the gradient times 2 m
    ("weston_watkins", "squared_hinge", 25.0, [-20.0, 20.0, 0.0]),
    ("one_vs_all", "squared_hinge", 49.0, [0.0, 28.0, 0.0]),
    ("crammer_singer", "squared_hinge", 25.0, [-20.0, 20.0, 0.0]),
])
def test_single_row_formulations(dtype, multi_class, hinge, value, grad):
    X = np.array([[2.0]], dtype=dtype)
    W = np.array([[1.0, 3.0, -1.0]], dtype=dtype)
    got, dW = fastlin.svm_loss(W, X, np.array([0]), multi_class=multi_class, loss=hinge)
    assert got == pytest.approx(value)
    np.testing.assert_allclose(dW, [grad])


@pytest.mark.parametrize("name", SVM_LOSSES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_one_class_has_no_hinge_but_the_true_one(name, dtype):
    """With C = 1 there is no wrong class: Weston-Watkins and Crammer-Singer are 0, One-vs-All
    keeps the true class's own hinge max(0, delta - s)."""
    rng, X, W, y, b = make_problem(8, 50, 7, 1, dtype)
    fast, _, naive = KERNELS[name]
    got = fast(W, X, y, 0.5, b=b)
    want = naive(W.astype(np.float64), X.astype(np.float64), y, 0.5, b=b.astype(np.float64))
    assert_close(got, want, dtype, X, hinge_ties(name, W, X, y, b))
    if SVM_LOSSES[name][0] != "one_vs_all":
        assert got[0] == pytest.approx(0.5 * float(np.sum(W.astype(np.float64) ** 2)))


def test_ovr_is_one_vs_all():
    rng, X, W, y, b = make_problem(9, 60, 11, 4, np.float64)
    a = fastlin.svm_loss(W, X, y, 0.1, b=b, multi_class="ovr")
    o = fastlin.svm_loss(W, X, y, 0.1, b=b, multi_class="one_vs_all")
    for p, q in zip(a, o):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("name", KERNELS)
def test_nan_propagates(name):
    fast = KERNELS[name][0]
    _, X, W, y, _ = make_problem(0, 50, 20, 4, np.float64)
    X[17, 3] = np.nan
    loss, _ = fast(W, X, y)
    assert np.isnan(loss)


def test_softmax_gradient_check_float64():
    rng, X, W, y, b = make_problem(4, 30, 12, 5, np.float64, wscale=0.5)
    loss, dW, db = fastlin.softmax_loss(W, X, y, 0.05, b=b)
    num = fastlin.gradcheck.numerical_gradient(
        lambda w: fastlin.softmax_loss(w, X, y, 0.05, b=b)[0], W, h=1e-5)
    assert fastlin.gradcheck.rel_error(dW, num) < 1e-7
    numb = fastlin.gradcheck.numerical_gradient(
        lambda bb: fastlin.softmax_loss(W, X, y, 0.05, b=bb)[0], b, h=1e-5)
    assert fastlin.gradcheck.rel_error(db, numb) < 1e-7


@pytest.mark.parametrize("multi_class", MULTI_CLASS.values())
def test_svm_gradient_check_float64(multi_class):
    rng, X, W, y, b = make_problem(6, 30, 12, 5, np.float64, wscale=0.5)
    loss, dW, db = fastlin.svm_loss(W, X, y, 0.05, b=b, multi_class=multi_class)
    num = fastlin.gradcheck.numerical_gradient(
        lambda w: fastlin.svm_loss(w, X, y, 0.05, b=b, multi_class=multi_class)[0], W, h=1e-6)
    # piecewise linear: exact away from the kinks, which random data avoids, up to the
    # rounding of the loss (~1e-15) over 2h; a component that is 0 exactly (terms that
    # cancel) is thus only known to ~1e-9
    np.testing.assert_allclose(dW, num, rtol=1e-6, atol=1e-8)
    numb = fastlin.gradcheck.numerical_gradient(
        lambda bb: fastlin.svm_loss(W, X, y, 0.05, b=bb, multi_class=multi_class)[0], b, h=1e-6)
    np.testing.assert_allclose(db, numb, rtol=1e-6, atol=1e-8)
    assert np.any(db != 0)


@pytest.mark.parametrize("multi_class", MULTI_CLASS.values())
def test_squared_hinge_gradient_check_float64(multi_class):
    """The squared hinge is differentiable: the centred difference matches to rounding."""
    rng, X, W, y, b = make_problem(6, 30, 12, 5, np.float64, wscale=0.5)
    kw = dict(multi_class=multi_class, loss="squared_hinge")
    loss, dW, db = fastlin.svm_loss(W, X, y, 0.05, b=b, **kw)
    num = fastlin.gradcheck.numerical_gradient(
        lambda w: fastlin.svm_loss(w, X, y, 0.05, b=b, **kw)[0], W, h=1e-5)
    assert fastlin.gradcheck.rel_error(dW, num) < 1e-7
    numb = fastlin.gradcheck.numerical_gradient(
        lambda bb: fastlin.svm_loss(W, X, y, 0.05, b=bb, **kw)[0], b, h=1e-5)
    assert fastlin.gradcheck.rel_error(db, numb) < 1e-7
    assert np.any(db != 0)


def test_returns_python_float_and_keeps_float32():
    _, X, W, y, b = make_problem(0, 10, 6, 3, np.float32)
    loss, dW, db = fastlin.softmax_loss(W, X, y, 0.1, b=b)
    assert type(loss) is float
    assert dW.dtype == np.float32 and db.dtype == np.float32
    assert dW.flags.c_contiguous


# -- bad input ----------------------------------------------------------------

def _good():
    _, X, W, y, b = make_problem(0, 10, 6, 3, np.float64)
    return W, X, y, b


@pytest.mark.parametrize("fast", [fastlin.svm_loss, fastlin.softmax_loss])
@pytest.mark.parametrize("mutate, exc, match", [
    (lambda W, X, y, b, kw: (W, X.astype(np.int64), y), TypeError, "X must be a float32 or float64"),
    (lambda W, X, y, b, kw: (W, X.astype(np.float16), y), TypeError, "X must be a float32"),
    (lambda W, X, y, b, kw: (W.astype(np.float32), X, y), TypeError, "W has dtype float32"),
    (lambda W, X, y, b, kw: (W, X[0], y), ValueError, "X must be 2-D"),
    (lambda W, X, y, b, kw: (W[:, 0], X, y), ValueError, "W must be 2-D"),
    (lambda W, X, y, b, kw: (W[:5], X, y), ValueError, "W must have shape"),
    (lambda W, X, y, b, kw: (W[:, :0], X, y), ValueError, "W must have at least one"),
    (lambda W, X, y, b, kw: (W, X[:0], y[:0]), ValueError, "X must have at least one row"),
    (lambda W, X, y, b, kw: (W, X, y[:5]), ValueError, "y must have shape"),
    (lambda W, X, y, b, kw: (W, X, y.astype(float)), TypeError, "y must hold integer"),
    (lambda W, X, y, b, kw: (W, X, y.astype(bool)), TypeError, "y must hold integer"),
    (lambda W, X, y, b, kw: (W, X, y + 3), ValueError, r"y must hold class labels in \[0, 3\)"),
    (lambda W, X, y, b, kw: (W, X, y - 1 - y.max()), ValueError, "y must hold class labels"),
    (lambda W, X, y, b, kw: kw.update(idx=[0, 10]) or (W, X, y), ValueError, r"idx must hold row indices in \[0, 10\)"),
    (lambda W, X, y, b, kw: kw.update(idx=[-1]) or (W, X, y), ValueError, "idx must hold row indices"),
    (lambda W, X, y, b, kw: kw.update(idx=np.array([2**63], np.uint64)) or (W, X, y), ValueError,
     r"idx must hold row indices in \[0, 10\), found 9223372036854775808"),
    (lambda W, X, y, b, kw: kw.update(idx=np.array([3, -2])) or (W, X, y), ValueError,
     r"idx must hold row indices in \[0, 10\), found -2"),
    (lambda W, X, y, b, kw: kw.update(idx=[]) or (W, X, y), ValueError, "idx must select at least one row"),
    (lambda W, X, y, b, kw: kw.update(idx=np.ones(10, bool)) or (W, X, y), TypeError, "idx must hold integer"),
    (lambda W, X, y, b, kw: kw.update(idx=[[0, 1]]) or (W, X, y), ValueError, "idx must be 1-D"),
    (lambda W, X, y, b, kw: kw.update(b=b[:2]) or (W, X, y), ValueError, "b must have shape"),
    (lambda W, X, y, b, kw: kw.update(b=b.astype(np.float32)) or (W, X, y), TypeError, "b has dtype"),
    (lambda W, X, y, b, kw: kw.update(num_threads=0) or (W, X, y), ValueError, "num_threads"),
    (lambda W, X, y, b, kw: kw.update(num_threads=1.5) or (W, X, y), TypeError, "num_threads"),
    (lambda W, X, y, b, kw: kw.update(reg=-1.0) or (W, X, y), ValueError, "reg must be >= 0"),
    (lambda W, X, y, b, kw: kw.update(reg=np.nan) or (W, X, y), ValueError, "reg must be finite"),
    (lambda W, X, y, b, kw: kw.update(reg="a") or (W, X, y), TypeError, "reg must be a real"),
])
def test_bad_input_raises_naming_the_argument(fast, mutate, exc, match):
    W, X, y, b = _good()
    kw = {}
    args = mutate(W, X, y, b, kw)
    with pytest.raises(exc, match=match):
        fast(*args, **kw)


@pytest.mark.parametrize("bad", ["ova", "Weston_Watkins", None, 1, ["ovr"],
                                 np.array(["weston_watkins", "ovr"])])
def test_svm_bad_multi_class(bad):
    W, X, y, _ = _good()
    with pytest.raises(ValueError, match="multi_class must be one of"):
        fastlin.svm_loss(W, X, y, multi_class=bad)


def test_wrapper_rejects_an_unknown_kind():
    from fastlin._ext import _loss

    W, X, y, _ = _good()
    with pytest.raises(ValueError, match="kind must be one of"):
        _loss.loss_grad(max(_loss._KINDS) + 1, W, None, X, None, y.astype(np.intp), 1.0, 0.0,
                        1, np.empty_like(W), None)


@pytest.mark.parametrize("bad", ["squared", "Hinge", "l2", None, 2])
def test_svm_bad_loss(bad):
    W, X, y, _ = _good()
    with pytest.raises(ValueError, match="loss must be one of"):
        fastlin.svm_loss(W, X, y, loss=bad)


def test_svm_bad_delta():
    W, X, y, _ = _good()
    with pytest.raises(ValueError, match="delta must be finite"):
        fastlin.svm_loss(W, X, y, delta=np.inf)
