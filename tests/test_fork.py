"""Kernels in a child forked after the parent ran them on several threads (libgomp's thread
pool does not survive a fork: without care the child hangs in its first parallel region)."""

import multiprocessing
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

SCRIPT = textwrap.dedent("""
    import multiprocessing as mp
    import numpy as np
    from fastlin import bow, cluster, features, losses

    rng = np.random.RandomState(0)
    imgs = rng.randint(0, 256, (64, 32, 32, 3)).astype(np.uint8)
    X = rng.randn(3000, 100).astype(np.float32)
    y = rng.randint(0, 10, 3000)
    W = rng.randn(100, 10).astype(np.float32)

    def run(nt):
        return [float(np.sum(v)) for v in (
            features.hog(imgs, num_threads=nt),
            features.color_histogram_hsv(imgs, num_threads=nt),
            losses.softmax_loss(W, X, y, 0.1, num_threads=nt)[0],
            cluster.lloyd_step(X, X[:8], num_threads=nt)[0],
            bow.dense_patches(imgs, 6, 4, num_threads=nt))]

    if __name__ == "__main__":
        want = run(2)  # the parent starts OpenMP threads
        with mp.get_context("fork").Pool(2) as pool:
            got = pool.map(run, [None, 2, 1, None])
        assert all(np.allclose(g, want, rtol=1e-5) for g in got), (got, want)
        print("ok")
""")


def test_fork_pool_after_threads_does_not_hang(tmp_path):
    script = tmp_path / "fork_child.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, OMP_NUM_THREADS="2")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)  # the pool's children too
        proc.communicate()
        pytest.fail("a kernel in a forked child hung")
    assert proc.returncode == 0, err
    assert out.strip() == "ok"


def test_forked_child_runs_single_threaded():
    from fastlin._validation import check_num_threads
    check_num_threads(2)  # threads may have started
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        assert pool.map(check_num_threads, [None, 2, 8]) == [1, 1, 1]
    assert check_num_threads(2) == 2
