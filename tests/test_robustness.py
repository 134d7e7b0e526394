"""Hostile arguments and environments: huge thread counts and ints, unaligned buffers,
threads sharing a sampler, float32 limits."""

import threading

import numpy as np
import pytest

from fastlin import bow, cluster, features, losses
from fastlin.sampling import BatchSampler

RNG = np.random.RandomState(0)
IMAGES = RNG.randint(0, 256, (6, 16, 16, 3)).astype(np.uint8)
X = RNG.randn(40, 12)
Y = RNG.randint(0, 3, 40)
W = RNG.randn(12, 3)
CENTRES = RNG.rand(5, 48) * 255

# every public kernel, called with keyword arguments on small inputs
KERNELS = {
    "svm_loss": lambda **kw: losses.svm_loss(W, X, Y, 0.1, **kw)[1],
    "softmax_loss": lambda **kw: losses.softmax_loss(W, X, Y, 0.1, **kw)[1],
    "hog": lambda **kw: features.hog(IMAGES, pixels_per_cell=4, **kw),
    "color_histogram_hsv": lambda **kw: features.color_histogram_hsv(IMAGES, **kw),
    "random_patches": lambda **kw: bow.random_patches(IMAGES, 4, 50, random_state=0, **kw),
    "dense_patches": lambda **kw: bow.dense_patches(IMAGES, 4, 2, **kw),
    "normalize_patches": lambda **kw: bow.normalize_patches(X, **kw),
    "encode": lambda **kw: bow.encode(IMAGES, CENTRES, 4, 2, **kw),
    "kmeans_plusplus": lambda **kw: cluster.kmeans_plusplus(X, 4, random_state=0, **kw)[0],
    "lloyd_step": lambda **kw: cluster.lloyd_step(X, X[:4], **kw)[0],
    "KMeans": lambda **kw: cluster.KMeans(3, n_init=1, max_iter=5, random_state=0,
                                          **kw).fit(X).cluster_centers_,
}


@pytest.mark.parametrize("name", sorted(KERNELS))
@pytest.mark.parametrize("num_threads", [100_000, 10**9, 2**31, 2**63, np.int64(2**40)])
def test_huge_num_threads_is_capped(name, num_threads):
    np.testing.assert_array_equal(KERNELS[name](num_threads=num_threads),
                                  KERNELS[name](num_threads=1))


@pytest.mark.parametrize("name", sorted(KERNELS))
@pytest.mark.parametrize("num_threads,error", [(0, ValueError), (-3, ValueError),
                                               (True, TypeError), (2.0, TypeError),
                                               ("2", TypeError)])
def test_bad_num_threads_names_the_argument(name, num_threads, error):
    with pytest.raises(error, match="num_threads"):
        KERNELS[name](num_threads=num_threads)


@pytest.mark.parametrize("kw,name", [
    ({"pixels_per_cell": 2**31}, "pixels_per_cell"),
    ({"pixels_per_cell": (4, 2**63)}, "pixels_per_cell"),
    ({"cells_per_block": 2**31}, "cells_per_block"),
    ({"orientations": 2**31}, "orientations"),
])
def test_hog_huge_ints_name_the_argument(kw, name):
    with pytest.raises(ValueError, match=name):
        features.hog(IMAGES, **kw)


@pytest.mark.parametrize("kw,name", [({"nbin": 2**31}, "nbin"), ({"nbin": 2**63}, "nbin")])
def test_colour_huge_ints_name_the_argument(kw, name):
    with pytest.raises(ValueError, match=name):
        features.color_histogram_hsv(IMAGES, **kw)


def unaligned(a):
    """A C-contiguous copy of `a` at an odd address (flags.aligned is False; uint8 arrays
    are always aligned)."""
    a = np.ascontiguousarray(a)
    buf = np.empty(a.nbytes + 1, np.uint8)
    u = np.frombuffer(buf.data, a.dtype, a.size, offset=1).reshape(a.shape)
    u[...] = a
    assert u.flags.aligned == (a.itemsize == 1) and u.flags.c_contiguous
    return u


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("loss", [losses.svm_loss, losses.softmax_loss])
def test_loss_unaligned_inputs(loss, dtype):
    Xd, Wd, b = X.astype(dtype), W.astype(dtype), RNG.randn(3).astype(dtype)
    idx = RNG.randint(0, 40, 25)
    want = loss(Wd, Xd, Y, 0.1, b=b, idx=idx, num_threads=1)
    got = loss(unaligned(Wd), unaligned(Xd), unaligned(Y), 0.1, b=unaligned(b),
               idx=unaligned(idx), num_threads=1)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_image_kernels_unaligned_inputs(dtype):
    imgs = IMAGES.astype(dtype)
    u = unaligned(imgs)
    for fn in (lambda a: features.hog(a, pixels_per_cell=4),
               lambda a: features.hog(a[..., :1], pixels_per_cell=(3, 5), orientations=7),
               features.color_histogram_hsv,
               lambda a: bow.random_patches(a, 4, 30, random_state=1),
               lambda a: bow.dense_patches(a, 3, 2)):
        np.testing.assert_array_equal(fn(u), fn(imgs))
    C = RNG.rand(5, 48).astype(np.float64 if dtype == np.float64 else np.float32) * 255
    m, P = C.mean(0), np.eye(48, dtype=C.dtype)
    np.testing.assert_array_equal(
        bow.encode(u, unaligned(C), 4, 2, whiten_mean=unaligned(m), whiten_matrix=unaligned(P)),
        bow.encode(imgs, C, 4, 2, whiten_mean=m, whiten_matrix=P))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cluster_kernels_unaligned_inputs(dtype):
    Xd = X.astype(dtype)
    u = unaligned(Xd)
    np.testing.assert_array_equal(cluster.kmeans_plusplus(u, 4, random_state=0)[0],
                                  cluster.kmeans_plusplus(Xd, 4, random_state=0)[0])
    for g, w in zip(cluster.lloyd_step(u, unaligned(Xd[:4])), cluster.lloyd_step(Xd, Xd[:4])):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(bow.normalize_patches(u, copy=False),
                                  bow.normalize_patches(Xd))
    km = cluster.KMeans(3, n_init=1, random_state=0, init=unaligned(Xd[:3])).fit(u)
    np.testing.assert_array_equal(km.cluster_centers_,
                                  cluster.KMeans(3, n_init=1, random_state=0,
                                                 init=Xd[:3]).fit(Xd).cluster_centers_)
    np.testing.assert_array_equal(km.predict(u), km.predict(Xd))


def test_float32_reg_beyond_float_range():
    Wz = np.zeros((12, 3), np.float32)
    Wz[0, 0] = 1e-30
    for loss in (losses.svm_loss, losses.softmax_loss):
        l32, dW32 = loss(Wz, X.astype(np.float32), Y, 1e39)
        l64, dW64 = loss(Wz.astype(np.float64), X, Y, 1e39)
        assert np.isfinite(l32)
        np.testing.assert_allclose(l32, l64, rtol=1e-5)
        # the float64 gradient rounded to float32 (no inf * 0 = NaN where W is 0)
        assert not np.isnan(dW32).any()
        np.testing.assert_allclose(dW32[1:], dW64[1:], rtol=1e-5, atol=1e-6)


def test_batch_sampler_shared_between_threads():
    n, bs, per_thread, nthreads = 1000, 10, 250, 8
    s = BatchSampler(n, bs, seed=3)
    batches, errors = [], []

    def work():
        try:
            got = [s.next_batch().copy() for _ in range(per_thread)]
        except Exception as e:  # reported below
            errors.append(e)
            return
        batches.extend(got)

    threads = [threading.Thread(target=work) for _ in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(len(b) == bs for b in batches)
    # 2000 batches of 10 = 20 whole epochs: every index exactly 20 times
    counts = np.bincount(np.concatenate(batches), minlength=n)
    np.testing.assert_array_equal(counts, per_thread * nthreads * bs // n)
    assert s.epoch == per_thread * nthreads * bs // n


def test_unaligned_arrays_reach_the_kernels_as_aligned_copies():
    from fastlin._validation import check_index_array, rows_in_place
    assert rows_in_place(unaligned(X)).flags.aligned
    assert check_index_array(unaligned(Y), "y", 3).flags.aligned
    from fastlin.features._images import _check_images

    assert _check_images(unaligned(IMAGES.astype(np.float32))).flags.aligned
