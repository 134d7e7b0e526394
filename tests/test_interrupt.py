"""Long kernel calls run in parts with a signal check in between: Ctrl-C stops them, and the
parts give bitwise the result of one call."""

import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

from fastlin._ext import _bow, _features, _loss
from fastlin.features._hog import _hog_params

RNG = np.random.RandomState(1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", _loss._KINDS)
@pytest.mark.parametrize("n", [1, 97, 1000, 2999])
def test_loss_parts_are_bitwise_one_call(kind, dtype, n):
    D, C = 70, 7
    X = RNG.randn(n + 5, D).astype(dtype)
    W = RNG.randn(D, C).astype(dtype)
    b = RNG.randn(C).astype(dtype)
    idx = RNG.randint(0, n + 5, n).astype(np.intp)
    y = RNG.randint(0, C, n).astype(np.intp)
    results = []
    # one part; parts of one step; parts of a few steps (part boundaries fall everywhere)
    for nt in (1, 2, 3):
        for part_macs in (1 << 62, 1, 3 * 64 * D * C, 7 * 64 * D * C):
            dW, db = np.empty_like(W), np.empty_like(b)
            loss = _loss.loss_grad(kind, W, b, X, idx, y, 1.0, 0.1, nt, dW, db, part_macs)
            results.append((loss, dW, db))
    for loss, dW, db in results[1:]:
        assert loss == results[0][0]
        np.testing.assert_array_equal(dW, results[0][1])
        np.testing.assert_array_equal(db, results[0][2])


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_image_kernel_parts_are_bitwise_one_call(dtype):
    imgs = (RNG.rand(37, 12, 10, 3) * 255).astype(dtype)
    imgs = imgs[::-1]  # negative image stride
    params = _hog_params(9, 4, 2, "L2-Hys", False, False, False)
    out_t = np.float64 if dtype == np.float64 else np.float32
    edges = np.linspace(0, 255, 11)
    centres = (RNG.rand(6, 48) * 255).astype(out_t)
    enc_params = (4, 4, 2, 1, 10.0, _bow.TRIANGLE, 2)
    for nt in (1, 2):
        hogs, hues, codes = [], [], []
        for part in (1 << 40, 1, 12 * 10 * 3 * 5):  # one part, 8 per thread, 5 images
            out = np.empty((37, _features.hog_feature_size(params, 12, 10)), out_t)
            _features.hog(imgs, params, nt, out, part)
            hogs.append(out)
            out = np.empty((37, 10), out_t)
            _features.hue_histogram(imgs, edges, 255.0, True, nt, out, part)
            hues.append(out)
            out = np.empty((37, 4 * 6), out_t)
            _bow.encode(imgs, centres, out, enc_params, None, None, nt, part)
            codes.append(out)
        for parts in (hogs, hues, codes):
            for got in parts[1:]:
                np.testing.assert_array_equal(got, parts[0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n, D, K", [(1, 3, 1), (97, 5, 3), (3000, 17, 20), (20000, 6, 4)])
def test_kmeans_parts_are_bitwise_one_call(n, D, K, dtype):
    X = RNG.randn(n, D + 3).astype(dtype)[:, :D]  # rows apart by more than D
    C = X[RNG.choice(n, K, replace=False)].copy()
    results = []
    # one part; one step per part (Lloyd: a block of every group; k-means++: a block of rows
    # of one pass; not on the largest input, where that makes thousands of parallel regions,
    # slow on a loaded machine); parts of a few steps
    sizes = (1 << 62, 20_000, 1_000_000) + ((1,) if n <= 3000 else ())
    for nt in (1, 2, 3):
        for part_macs in sizes:
            labels, mind = np.empty(n, np.int64), np.empty(n, dtype)
            sums, counts = np.empty((K, D)), np.empty(K, np.int64)
            inertia = _bow.kmeans_assign(X, C, nt, labels, mind, sums, counts, part_macs)
            labels2 = np.empty(n, np.int64)  # prediction: no sums
            inertia2 = _bow.kmeans_assign(X, C, nt, labels2, None, None, None, part_macs)
            idx = np.empty(K, np.int64)
            pot = _bow.kmeans_plusplus(X, K, 3, 11, nt, idx, part_macs)
            results.append((labels, mind, sums, counts, inertia, labels2, inertia2, idx, pot))
    for got in results[1:]:
        for a, b in zip(got, results[0]):
            np.testing.assert_array_equal(a, b)
    # and the parts give the right answer
    d2 = ((X[:, None, :].astype(np.float64) - C[None].astype(np.float64)) ** 2).sum(-1)
    labels, mind, sums, counts = results[0][:4]
    tol = 1e-4 if dtype == np.float32 else 1e-10  # near ties may go either way
    np.testing.assert_allclose(d2[np.arange(n), labels], d2.min(1), rtol=tol, atol=tol)
    np.testing.assert_array_equal(counts, np.bincount(labels, minlength=K))
    np.testing.assert_allclose(sums, [X[labels == k].sum(0, dtype=np.float64) for k in range(K)],
                               rtol=1e-12, atol=1e-9)
    assert len(set(results[0][7])) == K  # k-means++ picks K distinct rows of distinct points


def test_errors_in_a_later_part_name_the_right_image():
    imgs = RNG.rand(40, 8, 8, 3) * 255
    imgs[33, 2, 2, 1] = np.nan
    params = _hog_params(9, 4, 2, "L2-Hys", False, False, False)
    out = np.empty((40, _features.hog_feature_size(params, 8, 8)))
    with pytest.raises(ValueError, match="index 33"):
        _features.hog(imgs, params, 1, out, 8 * 8 * 3 * 5)
    imgs[33, 2, 2, 1] = 300
    with pytest.raises(ValueError, match="index 33"):
        _features.hue_histogram(imgs, np.linspace(0, 255, 11), 255.0, True, 1,
                                np.empty((40, 10)), 8 * 8 * 3 * 5)


# Each call below takes many seconds (many parts; 5-20 s here), far longer than the 0.2 s
# before the signal, so that a fast host cannot finish it first; inputs are small arrays read many
# times (row indices, broadcast images), so that the test needs little memory. Every lambda
# binds its own inputs (the setups share one namespace: `imgs` is redefined).
CALLS = {
    "loss": """
        X = np.ones((10, 1000), np.float32); y = np.zeros(10, np.intp)
        W = np.ones((1000, 10), np.float32); idx = np.zeros(20_000_000, np.intp)
        call = lambda W=W, X=X, y=y, idx=idx: fastlin.losses.svm_loss(W, X, y, 0.1, idx=idx)
    """,
    "hog": """
        imgs = np.broadcast_to(np.ones((32, 32, 3), np.uint8), (4_000_000, 32, 32, 3))
        call = lambda imgs=imgs: fastlin.features.hog(imgs)
    """,
    "colour": """
        imgs = np.broadcast_to(np.ones((32, 32, 3), np.uint8), (16_000_000, 32, 32, 3))
        call = lambda imgs=imgs: fastlin.features.color_histogram_hsv(imgs)
    """,
    "encode": """
        imgs = np.broadcast_to(np.ones((32, 32, 3), np.uint8), (400_000, 32, 32, 3))
        C = np.random.RandomState(0).rand(400, 108).astype(np.float32)
        call = lambda imgs=imgs, C=C: fastlin.bow.encode(imgs, C)
    """,
    "lloyd": """
        rng = np.random.RandomState(0)
        X = np.broadcast_to(rng.rand(128).astype(np.float32), (200_000, 128))
        C = rng.rand(8192, 128).astype(np.float32)
        call = lambda X=X, C=C: fastlin.cluster.lloyd_step(X, C)
    """,
    "kmeans++": """
        X = np.broadcast_to(np.random.RandomState(0).rand(32), (1_000_000, 32))
        call = lambda X=X: fastlin.cluster.kmeans_plusplus(X, 1000, random_state=0)
    """,
    "kmeans": """
        X = np.broadcast_to(np.random.RandomState(0).rand(128).astype(np.float32),
                            (200_000, 128))
        km = fastlin.cluster.KMeans(8192, init="random", random_state=0)
        call = lambda X=X, km=km: km.fit(X)
    """,
}

RUNNER = """
import signal, time
import numpy as np
import fastlin, fastlin.losses, fastlin.features, fastlin.bow, fastlin.cluster
# Ctrl-C raises KeyboardInterrupt, as in an interactive session, even when the test runs in a
# background job (which starts its children with SIGINT ignored)
signal.signal(signal.SIGINT, signal.default_int_handler)
small = np.ones((4, 16, 16, 3), np.uint8)
points = np.random.RandomState(0).rand(3000, 5)
def check():
    return (fastlin.features.hog(small), fastlin.cluster.lloyd_step(points, points[:40]),
            fastlin.cluster.KMeans(10, random_state=0).fit(points).cluster_centers_)
def same(a, b):
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return np.array_equal(a, b)
want = check()
calls = {}
for name, setup in CALLS.items():
    exec(setup)
    calls[name] = call
for name, call in calls.items():
    t0 = time.perf_counter()
    try:
        # inside the try: a signal that comes as soon as the line is out is still caught
        print("ready", name, flush=True)
        call()
        print("finished", name, flush=True)
    except KeyboardInterrupt:
        print("interrupted", name, "%.3f" % (time.perf_counter() - t0), flush=True)
    # the process is still usable: the same results as before
    assert same(check(), want)
print("done", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_interrupts_long_calls():
    calls = {k: textwrap.dedent(v) for k, v in CALLS.items()}
    code = f"CALLS = {calls!r}\n" + RUNNER
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # The child's output is read by threads: its lines into a queue, an empty line at the end.
    # (select() on proc.stdout misses a line that readline() has already buffered: when
    # "interrupted a" and "ready b" came together, the test waited for "ready b" until call b
    # had finished on its own.)
    lines, err = queue.Queue(), []
    readers = [threading.Thread(target=lambda: ([lines.put(s) for s in proc.stdout],
                                                lines.put("")), daemon=True),
               threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True)]
    for t in readers:
        t.start()

    def readline(timeout):
        # never block the test for good on a child that does not answer
        try:
            return lines.get(timeout=timeout).split()
        except queue.Empty:
            pytest.fail(f"no answer from the child within {timeout} s; stderr: {''.join(err)}")

    try:
        for name in CALLS:
            assert readline(120) == ["ready", name], "".join(err)
            time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            t0 = time.monotonic()
            line = readline(30)
            elapsed = time.monotonic() - t0
            assert line[:2] == ["interrupted", name], (line, "".join(err))
            # generous bound (loaded machines), far below the length of each call
            assert elapsed < 5, (name, elapsed)
        assert readline(60) == ["done"], "".join(err)
        assert readline(60) == []  # end of output
        assert proc.wait(timeout=60) == 0, "".join(err)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for t in readers:
            t.join(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
