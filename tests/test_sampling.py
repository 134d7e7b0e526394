"""fastlin.sampling: the C sampler against its pure-Python reference, bit for bit, and the
statistics of the batches it hands out."""

import math
import pickle

import numpy as np
import pytest

from fastlin import reference
from fastlin.sampling import PCG32, BatchSampler, seed_from_random_state


def chi2_critical(df, z=3.0902):
    """Upper quantile of chi-square(df) by Wilson-Hilferty; z = 3.09 is p = 0.001."""
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def chi2_stat(counts, expected):
    counts = np.asarray(counts, dtype=np.float64)
    return float(np.sum((counts - expected) ** 2 / expected))


# ---------------------------------------------------------------------------------------------
# the generator: known answers and bitwise equality with the reference
# ---------------------------------------------------------------------------------------------

PCG32_DEMO = [0xA15C02B7, 0x7B47F409, 0xBA1D3330, 0x83D2F293, 0xBFA4784B, 0xCBED606E]


def test_pcg32_known_answer():
    # pcg32-demo of the PCG reference implementation: srandom(42, 54)
    out = np.empty(6, dtype=np.uint32)
    PCG32.from_srandom(42, 54).fill_uint32(out)
    assert out.tolist() == PCG32_DEMO
    ref = reference.PCG32.from_srandom(42, 54)
    assert [ref.next_uint32() for _ in range(6)] == PCG32_DEMO


def test_splitmix64_known_answer():
    x, outs = 1234567, []
    for _ in range(3):
        x, z = reference.splitmix64(x)
        outs.append(z)
    assert outs == [6457827717110365317, 3203168211198807973, 9817491932198370423]


@pytest.mark.parametrize("seed,stream", [(0, 0), (1, 0), (0, 1), (2**64 - 1, 2**64 - 1), (231, 7)])
def test_raw_stream_matches_reference(seed, stream):
    out = np.empty(500, dtype=np.uint32)
    PCG32(seed, stream).fill_uint32(out)
    ref = reference.PCG32(seed, stream)
    assert out.tolist() == [ref.next_uint32() for _ in range(500)]


@pytest.mark.parametrize("bound", [1, 2, 3, 10, 49000, 2**31 + 1, 3 * 2**30, 2**32 - 1])
def test_bounded_matches_reference(bound):
    out = np.empty(300, dtype=np.uint32)
    PCG32(5, 1).fill_bounded(bound, out)
    ref = reference.PCG32(5, 1)
    assert out.tolist() == [ref.bounded(bound) for _ in range(300)]
    assert out.max() < bound


def test_batches_match_reference():
    s = BatchSampler(49000, 200, replace=True, seed=11, stream=3)
    got = np.concatenate([s.next_batch() for _ in range(5)])
    ref = reference.PCG32(11, 3).sample_with_replacement(49000, 1000)
    np.testing.assert_array_equal(got, ref)

    s = BatchSampler(103, 10, seed=4)
    got = [s.next_batch() for _ in range(35)]  # three and a bit epochs, short last batches
    ref = reference.epoch_batches_reference(103, 10, 35, seed=4)
    assert [len(g) for g in got] == [len(r) for r in ref]
    for g, r in zip(got, ref):
        np.testing.assert_array_equal(g, r)


# ---------------------------------------------------------------------------------------------
# statistics
# ---------------------------------------------------------------------------------------------


def test_with_replacement_uniform_chi_square():
    n, draws = 37, 200_000
    s = BatchSampler(n, 1000, replace=True, seed=2024)
    counts = np.bincount(np.concatenate([s.next_batch() for _ in range(draws // 1000)]), minlength=n)
    assert chi2_stat(counts, draws / n) < chi2_critical(n - 1)


def test_bounded_unbiased_where_modulo_is_not():
    # bound = 3 * 2**30: x % bound would put half the mass in the first third
    bound, draws = 3 * 2**30, 60_000
    out = np.empty(draws, dtype=np.uint32)
    PCG32(9).fill_bounded(bound, out)
    counts = np.bincount(out // 2**30, minlength=3)
    assert chi2_stat(counts, draws / 3) < chi2_critical(2)
    raw = np.empty(draws, dtype=np.uint32)
    PCG32(9).fill_uint32(raw)
    biased = np.bincount((raw % bound) // 2**30, minlength=3)
    assert chi2_stat(biased, draws / 3) > 10 * chi2_critical(2)  # the test has teeth


def test_epoch_positions_uniform_chi_square():
    n, epochs = 6, 12_000
    s = BatchSampler(n, n, seed=77)
    table = np.zeros((n, n), dtype=np.int64)  # index x position
    perms = {}
    for _ in range(epochs):
        p = s.next_batch()
        table[p, np.arange(n)] += 1
        perms[tuple(p)] = perms.get(tuple(p), 0) + 1
    assert chi2_stat(table, epochs / n) < chi2_critical((n - 1) ** 2)
    assert len(perms) == math.factorial(n)  # every one of the 720 permutations turns up
    assert chi2_stat(list(perms.values()), epochs / 720) < chi2_critical(719)


@pytest.mark.parametrize("n,batch", [(1, 1), (1, 5), (10, 3), (1000, 200), (1000, 1000), (999, 1000)])
def test_every_index_once_per_epoch(n, batch):
    s = BatchSampler(n, batch, seed=n)
    for e in range(1, 4):
        seen = np.concatenate(list(s.epoch_batches()))
        assert s.epoch == e
        assert len(seen) == n and len(np.unique(seen)) == n  # no repeats, nothing missing
        np.testing.assert_array_equal(np.sort(seen), np.arange(n))
        assert s.position == n


def test_epochs_differ():
    s = BatchSampler(50, 50, seed=1)
    assert not np.array_equal(s.next_batch().copy(), s.next_batch())


def test_reproducible_and_streams_independent():
    def run(seed, stream, replace):
        s = BatchSampler(1000, 64, seed=seed, stream=stream, replace=replace)
        return np.concatenate([s.next_batch() for _ in range(40)])

    for replace in (False, True):
        np.testing.assert_array_equal(run(3, 0, replace), run(3, 0, replace))
        assert not np.array_equal(run(3, 0, replace), run(4, 0, replace))
        assert not np.array_equal(run(3, 0, replace), run(3, 1, replace))


def test_state_roundtrip_and_pickle():
    for replace in (False, True):
        s = BatchSampler(97, 10, seed=8, replace=replace)
        for _ in range(7):
            s.next_batch()
        t = pickle.loads(pickle.dumps(s))
        u = BatchSampler(1, 1)
        u.set_state(s.get_state())
        for _ in range(30):
            a = s.next_batch().copy()
            np.testing.assert_array_equal(a, t.next_batch())
            np.testing.assert_array_equal(a, u.next_batch())


def test_out_buffer():
    s = BatchSampler(10, 4, seed=0)
    buf = np.empty(4, dtype=np.int64)
    r = s.next_batch(out=buf)
    assert np.shares_memory(r, buf)
    with pytest.raises(ValueError, match="out"):
        s.next_batch(out=np.empty(4, dtype=np.int32))
    with pytest.raises(ValueError, match="out"):
        s.next_batch(out=np.empty(5, dtype=np.int64))


def test_indices_feed_kernel_idx():
    # the sampler's output is accepted as is (int64/intp, contiguous) by the kernels' idx
    import fastlin

    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 7))
    y = rng.integers(0, 3, 50)
    W = rng.standard_normal((7, 3))
    idx = BatchSampler(50, 16, replace=True, seed=1).next_batch()
    loss, dW = fastlin.svm_loss(W, X, y, 0.1, idx=idx)
    rl, rdW = reference.svm_loss_vectorized(W, X, y, 0.1, idx=idx)
    assert loss == pytest.approx(rl, rel=1e-10)
    np.testing.assert_allclose(dW, rdW, rtol=1e-9, atol=1e-12)


def test_bad_arguments():
    with pytest.raises(ValueError, match="n must"):
        BatchSampler(0, 1)
    with pytest.raises(ValueError, match="n must"):
        BatchSampler(2**32, 1)
    with pytest.raises(TypeError, match="n must"):
        BatchSampler(10.0, 1)
    with pytest.raises(ValueError, match="batch_size"):
        BatchSampler(10, 0)
    with pytest.raises(TypeError, match="batch_size"):
        BatchSampler(10, True)
    with pytest.raises(ValueError, match="seed"):
        BatchSampler(10, 1, seed=-1)
    with pytest.raises(ValueError, match="stream"):
        BatchSampler(10, 1, stream=2**64)
    with pytest.raises(ValueError, match="odd"):
        PCG32().set_state((1, 2))


def test_seed_from_random_state():
    assert seed_from_random_state(5) == 5
    a = seed_from_random_state(np.random.RandomState(0))
    assert a == seed_from_random_state(np.random.RandomState(0))
    assert seed_from_random_state(np.random.default_rng(1)) == seed_from_random_state(np.random.default_rng(1))
    assert seed_from_random_state(None) != seed_from_random_state(None)
    with pytest.raises(ValueError, match="random_state"):
        seed_from_random_state(-1)
    with pytest.raises(TypeError, match="random_state"):
        seed_from_random_state("x")
