"""Bag of visual words: patches, normalisation, ZCA, k-means (Lloyd step, k-means++), encodings
against the NumPy references in fastlin.reference and scikit-learn; bad input."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from fastlin import bow, cluster
from fastlin import reference as ref

# every kernel test runs once per SIMD level this CPU supports
pytestmark = pytest.mark.all_simd_levels

FLOATS = [np.float32, np.float64]
THREADS = [1, 2, 3]


def _rtol(dtype):
    return 2e-5 if dtype == np.float32 else 1e-11


def _images(rng, shape, dtype):
    x = rng.integers(0, 256, shape)
    return x.astype(np.uint8) if dtype == np.uint8 else x.astype(dtype)


# -- patches ---------------------------------------------------------------------------------
@pytest.mark.parametrize("pix", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("out", FLOATS)
def test_random_patches_match_reference(pix, out):
    if pix != np.uint8 and pix != out:
        out = pix  # float images keep their dtype
    rng = np.random.default_rng(1)
    imgs = _images(rng, (6, 11, 9, 3), pix)
    p, pos = bow.random_patches(imgs, (4, 3), 300, random_state=12345, dtype=out,
                                return_positions=True)
    assert p.dtype == out and p.shape == (300, 36)
    np.testing.assert_array_equal(pos, ref.patch_positions_reference(6, 11, 9, 4, 3, 300, 12345))
    np.testing.assert_array_equal(p, ref.extract_patches_reference(imgs, pos, (4, 3)))
    again = bow.random_patches(imgs, (4, 3), 300, random_state=12345, dtype=out, num_threads=3)
    np.testing.assert_array_equal(p, again)


def test_random_patches_strided_and_grey_images():
    rng = np.random.default_rng(2)
    base = _images(rng, (5, 16, 14, 4), np.float32)
    imgs = base[::-1, ::2, 1:, 2::-1]  # negative and non-unit strides
    p, pos = bow.random_patches(imgs, 3, 200, random_state=9, return_positions=True)
    np.testing.assert_array_equal(p, ref.extract_patches_reference(imgs, pos, (3, 3)))
    grey = _images(rng, (3, 7, 8), np.uint8)
    p, pos = bow.random_patches(grey, (2, 5), 50, random_state=1, return_positions=True)
    assert p.shape == (50, 10)
    np.testing.assert_array_equal(p, ref.extract_patches_reference(grey, pos, (2, 5)))


@pytest.mark.parametrize("stride", [1, 2, 5])
@pytest.mark.parametrize("threads", THREADS)
def test_dense_patches_match_reference(stride, threads):
    rng = np.random.default_rng(3)
    imgs = _images(rng, (4, 13, 10, 3), np.uint8)[:, :, ::-1]
    d = bow.dense_patches(imgs, (6, 4), stride, dtype=np.float64, num_threads=threads)
    np.testing.assert_array_equal(d, ref.dense_patches_reference(imgs, (6, 4), stride))


@pytest.mark.parametrize("dtype", FLOATS)
def test_normalize_patches(dtype):
    rng = np.random.default_rng(4)
    X = (rng.random((500, 27)) * 255).astype(dtype)
    X[3] = 7.0  # constant patch: var 0, eps keeps it finite (all zeros)
    out = bow.normalize_patches(X, 10.0, num_threads=2)
    assert out.dtype == dtype and out is not X
    np.testing.assert_allclose(out, ref.normalize_patches_reference(X, 10.0),
                               rtol=_rtol(dtype), atol=_rtol(dtype))
    assert np.all(out[3] == 0)
    Y = X.copy()
    same = bow.normalize_patches(Y, 10.0, copy=False)
    assert same is Y
    np.testing.assert_array_equal(same, out)


@pytest.mark.parametrize("dtype", FLOATS)
def test_fit_zca_matches_reference_and_whitens(dtype):
    rng = np.random.default_rng(5)
    X = (rng.normal(size=(5000, 12)) @ rng.normal(size=(12, 12))).astype(dtype)
    m, P = bow.fit_zca(X, 0.1, chunk_size=700)
    rm, rP = ref.zca_fit_reference(X, 0.1)
    assert m.dtype == dtype and P.dtype == dtype
    np.testing.assert_allclose(m, rm, rtol=1e-4 if dtype == np.float32 else 1e-10, atol=1e-6)
    np.testing.assert_allclose(P, rP, rtol=1e-3 if dtype == np.float32 else 1e-8, atol=1e-6)
    m, P = bow.fit_zca(X.astype(np.float64), 0.0)
    Z = (X - m) @ P
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(12), atol=1e-3)


# -- k-means -----------------------------------------------------------------------------------
def _blobs(rng, n, d, k, dtype, spread=0.3):
    centres = rng.normal(size=(k, d)) * 4
    X = centres[rng.integers(0, k, n)] + spread * rng.normal(size=(n, d))
    return X.astype(dtype), centres


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(1, 1, 1), (50, 3, 7), (1000, 108, 37), (3001, 20, 100)])
def test_lloyd_step_matches_reference(dtype, shape):
    n, d, k = shape
    rng = np.random.default_rng(6)
    X = rng.normal(size=(n, d)).astype(dtype)
    C = rng.normal(size=(k, d)).astype(dtype)
    rl, rm, rs, rc, _, ri = ref.kmeans_step_reference(X, C)
    results = []
    for t in THREADS:
        lab, sums, counts, inertia, mind = cluster.lloyd_step(X, C, num_threads=t,
                                                              return_distances=True)
        np.testing.assert_array_equal(lab, rl)
        np.testing.assert_array_equal(counts, rc)
        tol = _rtol(dtype)
        np.testing.assert_allclose(sums, rs, rtol=tol, atol=tol * np.abs(X).max() * n)
        np.testing.assert_allclose(mind, rm, rtol=1e-4 if dtype == np.float32 else 1e-10,
                                   atol=1e-4 * d if dtype == np.float32 else 1e-10)
        assert math.isclose(inertia, ri, rel_tol=1e-4 if dtype == np.float32 else 1e-11)
        results.append((lab, sums, counts, inertia, mind))
    for other in results[1:]:  # bitwise identical for every thread count
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)


def test_lloyd_step_ties_and_strided_rows():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0]])
    C = np.array([[0.5, 0.0], [0.5, 0.0], [5.0, 5.0]])  # duplicate centres: first wins
    lab = cluster.lloyd_step(X, C)[0]
    np.testing.assert_array_equal(lab, [0, 0, 2])
    rng = np.random.default_rng(7)
    big = rng.normal(size=(400, 30))
    Xs = big[::3, 5:25]  # rows not adjacent, read in place
    C = rng.normal(size=(19, 20))
    np.testing.assert_array_equal(cluster.lloyd_step(Xs, C)[0],
                                  ref.kmeans_step_reference(Xs, C)[0])


@pytest.mark.parametrize("dtype", FLOATS)
def test_one_lloyd_step_matches_sklearn(dtype):
    sk = pytest.importorskip("sklearn.cluster")
    rng = np.random.default_rng(8)
    X, _ = _blobs(rng, 4000, 16, 12, dtype, spread=1.5)
    init = X[rng.choice(len(X), 12, replace=False)].copy()
    ours = cluster.KMeans(12, init=init, max_iter=1, tol=0).fit(X)
    theirs = sk.KMeans(12, init=init, n_init=1, max_iter=1, tol=0, algorithm="lloyd").fit(X)
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, theirs.cluster_centers_,
                               rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)
    assert ours.n_iter_ == theirs.n_iter_ == 1
    assert math.isclose(ours.inertia_, theirs.inertia_, rel_tol=1e-4)
    # and to convergence
    ours = cluster.KMeans(12, init=init, max_iter=100, tol=1e-6).fit(X)
    theirs = sk.KMeans(12, init=init, n_init=1, max_iter=100, tol=1e-6).fit(X)
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, theirs.cluster_centers_, atol=1e-4)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n,k", [(1, 1), (40, 40), (700, 23), (2000, 9)])
def test_kmeans_plusplus_matches_reference(dtype, n, k):
    rng = np.random.default_rng(9)
    X, _ = _blobs(rng, n, 7, 5, dtype, spread=1.0)
    trials = 2 + int(math.log(k))
    ridx, rpot = ref.kmeans_plusplus_reference(X, k, trials, seed=77)
    for t in THREADS:
        centres, idx = cluster.kmeans_plusplus(X, k, random_state=77, num_threads=t)
        np.testing.assert_array_equal(idx, ridx)
        np.testing.assert_array_equal(centres, X[ridx])
    assert len(set(idx.tolist())) == k  # distinct points are never picked twice


def test_kmeans_plusplus_quality_vs_sklearn():
    sk = pytest.importorskip("sklearn.cluster")
    rng = np.random.default_rng(10)
    X, _ = _blobs(rng, 3000, 10, 30, np.float64)
    ours = [cluster.lloyd_step(X, cluster.kmeans_plusplus(X, 30, random_state=s)[0])[3]
            for s in range(5)]
    theirs = [cluster.lloyd_step(X, sk.kmeans_plusplus(X, 30, random_state=s)[0])[3]
              for s in range(5)]
    assert np.median(ours) < 1.5 * np.median(theirs)


def test_kmeans_estimator_api():
    rng = np.random.default_rng(11)
    X, true = _blobs(rng, 1500, 5, 6, np.float32, spread=0.1)
    km = cluster.KMeans(6, n_init=3, random_state=0).fit(X)
    assert km.cluster_centers_.shape == (6, 5) and km.cluster_centers_.dtype == np.float32
    np.testing.assert_array_equal(km.predict(X), km.labels_)
    D = km.transform(X)
    np.testing.assert_allclose(D, np.sqrt(((X[:, None, :] - km.cluster_centers_) ** 2).sum(-1)),
                               rtol=1e-3, atol=1e-3)
    np.testing.assert_array_equal(D.argmin(1), km.labels_)
    assert math.isclose(km.inertia_, ((X - km.cluster_centers_[km.labels_]) ** 2).sum(),
                        rel_tol=1e-4)
    assert math.isclose(km.score(X), -km.inertia_, rel_tol=1e-6)
    # well-separated blobs: every true centre is found
    d = np.sqrt(((true[:, None, :] - km.cluster_centers_) ** 2).sum(-1)).min(1)
    assert d.max() < 0.1
    again = cluster.KMeans(6, n_init=3, random_state=0, num_threads=1).fit(X)
    np.testing.assert_array_equal(again.cluster_centers_, km.cluster_centers_)
    r = cluster.KMeans(6, init="random", random_state=1).fit(X)
    assert r.n_iter_ >= 1 and r.inertia_ >= km.inertia_ * 0.999
    np.testing.assert_array_equal(km.fit_predict(X), km.labels_)


def test_kmeans_empty_cluster_is_relocated():
    X = np.array([[0.0], [0.1], [0.2], [10.0], [10.1], [30.0]])
    init = np.array([[0.1], [10.0], [1000.0]])  # the third centre attracts no point
    km = cluster.KMeans(3, init=init, max_iter=1, tol=0).fit(X)
    assert sorted(np.round(km.cluster_centers_.ravel(), 6).tolist()) == [0.1, 10.05, 30.0]
    assert len(np.unique(km.labels_)) == 3


def test_kmeans_sklearn_clone_and_pipeline():
    base = pytest.importorskip("sklearn.base")
    km = cluster.KMeans(4, max_iter=7, random_state=3)
    c = base.clone(km)
    assert c.get_params()["max_iter"] == 7 and c.get_params()["n_clusters"] == 4


# -- encoding ----------------------------------------------------------------------------------
def _codebook(rng, k, d, dtype):
    return rng.normal(size=(k, d)).astype(dtype)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("encoding", ["triangle", "hard"])
@pytest.mark.parametrize("pooling,grid", [("quadrants", 2), ("sum", 1), (3, 3)])
def test_encode_matches_reference(dtype, encoding, pooling, grid):
    rng = np.random.default_rng(12)
    imgs = _images(rng, (5, 14, 13, 3), np.uint8)
    K = 37  # not a multiple of the panel width
    C = _codebook(rng, K, 108, dtype)
    Pm = rng.normal(size=(3000, 108))
    m, W = bow.fit_zca(Pm)
    out = bow.encode(imgs, C, 6, 1, encoding=encoding, pooling=pooling, whiten_mean=m,
                     whiten_matrix=W, dtype=dtype)
    r = ref.bow_encode_reference(imgs, C, (6, 6), 1, whiten_mean=m.astype(dtype),
                                 whiten_matrix=W.astype(dtype), encoding=encoding, grid=grid)
    assert out.shape == (5, grid * grid * K) and out.dtype == dtype
    if encoding == "hard":
        np.testing.assert_array_equal(out, r)
        assert np.all(out.reshape(5, -1).sum(1) == 9 * 8)
    else:
        np.testing.assert_allclose(out, r, rtol=_rtol(dtype) * 10,
                                   atol=_rtol(dtype) * 10 * np.abs(r).max())


@pytest.mark.parametrize("dtype", FLOATS)
def test_encode_thread_counts_are_bitwise_equal(dtype):
    rng = np.random.default_rng(13)
    imgs = _images(rng, (9, 16, 16, 3), dtype)
    C = _codebook(rng, 70, 75, dtype)
    outs = [bow.encode(imgs, C, 5, 2, num_threads=t) for t in THREADS]
    for o in outs[1:]:
        np.testing.assert_array_equal(o, outs[0])


@st.composite
def encode_case(draw):
    c = draw(st.sampled_from([0, 1, 3]))
    ph, pw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    stride = draw(st.integers(1, 3))
    h, w = draw(st.integers(ph + 1, ph + 9)), draw(st.integers(pw + 1, pw + 9))
    n = draw(st.integers(1, 3))
    k = draw(st.integers(1, 40))
    pix = draw(st.sampled_from([np.uint8, np.float32, np.float64]))
    encoding = draw(st.sampled_from(["triangle", "hard"]))
    whiten = draw(st.booleans())
    normalize = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    return c, ph, pw, stride, h, w, n, k, pix, encoding, whiten, normalize, seed


@settings(max_examples=40)
@given(encode_case(), st.sampled_from(THREADS))
def test_encode_hypothesis(case, threads):
    c, ph, pw, stride, h, w, n, k, pix, encoding, whiten, normalize, seed = case
    rng = np.random.default_rng(seed)
    imgs = _images(rng, (n, h, w) if c == 0 else (n, h, w, c), pix)
    D = ph * pw * max(c, 1)
    dtype = np.float64 if pix == np.float64 else np.float32
    C = (rng.normal(size=(k, D)) * (1 if normalize else 100)).astype(dtype)
    m = W = None
    if whiten:
        m = rng.normal(size=D).astype(dtype)
        W = (np.eye(D) + 0.1 * rng.normal(size=(D, D))).astype(dtype)
    ny, nx = (h - ph) // stride + 1, (w - pw) // stride + 1
    grid = 2 if min(ny, nx) >= 2 else 1
    out = bow.encode(imgs, C, (ph, pw), stride, encoding=encoding, pooling=grid,
                     normalize=normalize, whiten_mean=m, whiten_matrix=W, num_threads=threads)
    r = ref.bow_encode_reference(imgs, C, (ph, pw), stride, normalize=normalize,
                                 whiten_mean=m, whiten_matrix=W, encoding=encoding, grid=grid)
    if encoding == "hard":
        # float32 rounding may flip near-ties; every position is counted once
        assert np.all(out.sum(1) == ny * nx)
        if dtype == np.float64:
            np.testing.assert_array_equal(out, r)
    else:
        tol = 1e-9 if dtype == np.float64 else 3e-3
        np.testing.assert_allclose(out, r, rtol=tol, atol=tol * max(1.0, np.abs(r).max()))


# -- transformer -------------------------------------------------------------------------------
def test_bag_of_visual_words_pipeline():
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from fastlin.features import BagOfVisualWords

    rng = np.random.default_rng(14)
    imgs = _images(rng, (30, 12, 12, 3), np.uint8)
    bovw = BagOfVisualWords(n_words=20, n_patches=2000, random_state=0)
    feats = bovw.fit_transform(imgs)
    assert feats.shape == (30, 80) and feats.dtype == np.float32
    assert bovw.cluster_centers_.shape == (20, 108)
    r = ref.bow_encode_reference(imgs, bovw.cluster_centers_, (6, 6), 1,
                                 whiten_mean=bovw.whiten_mean_,
                                 whiten_matrix=bovw.whiten_matrix_)
    np.testing.assert_allclose(feats, r, rtol=1e-4, atol=1e-4 * np.abs(r).max())
    again = clone(bovw).fit(imgs).transform(imgs)
    np.testing.assert_array_equal(again, feats)  # same random_state, same features
    pipe = make_pipeline(BagOfVisualWords(n_words=8, n_patches=500, encoding="hard",
                                          pooling="sum", whiten=False, image_shape=(12, 12, 3),
                                          random_state=1), StandardScaler())
    out = pipe.fit_transform(imgs.reshape(30, -1))
    assert out.shape == (30, 8)


def _coates_extract_features(X, centroids, rf, M, P):
    """Coates, Lee & Ng's extract_features (kmeans_demo.m), transcribed literally: MATLAB's
    column-major im2col per channel, (x - mean)/sqrt(var + 10), (x - M) * P,
    z = sqrt(||x - c||^2), max(0, mean(z) - z), sums over the quadrants with halves
    round(prows/2), concatenated as [q1 (top-left); q2 (bottom-left); q3; q4]. Patch vectors
    in Coates' order (row fastest, then column, then channel)."""
    n, h, w, _ = X.shape
    prows, pcols = h - rf + 1, w - rf + 1
    k = centroids.shape[0]
    out = np.zeros((n, 4 * k))
    for i in range(n):
        img = X[i].astype(np.float64)
        cols = []
        for ch in range(3):  # im2col: blocks in column-major order of their top-left corner
            A = img[:, :, ch]
            cols.append(np.array([A[r:r + rf, c:c + rf].reshape(-1, order="F")
                                  for c in range(pcols) for r in range(prows)]).T)
        patches = np.vstack(cols).T
        patches = (patches - patches.mean(1, keepdims=True)) / np.sqrt(
            patches.var(1, keepdims=True) + 10)  # (fastlin: var of the D values, ddof 0)
        patches = (patches - M) @ P
        z = np.sqrt((centroids ** 2).sum(1)[None] + (patches ** 2).sum(1)[:, None]
                    - 2 * patches @ centroids.T)
        act = np.maximum(z.mean(1, keepdims=True) - z, 0).reshape(prows, pcols, k, order="F")
        hr, hc = int(math.floor(prows / 2 + 0.5)), int(math.floor(pcols / 2 + 0.5))
        out[i] = np.concatenate([act[:hr, :hc].sum((0, 1)), act[hr:, :hc].sum((0, 1)),
                                 act[:hr, hc:].sum((0, 1)), act[hr:, hc:].sum((0, 1))])
    return out


@pytest.mark.parametrize("size", [(13, 13), (12, 15)])
def test_bag_of_visual_words_matches_coates_extract_features(size):
    """The whole transformer (patch layout of fit and transform, whitening, triangle code,
    quadrant halves) against an independent port of the paper's MATLAB code, which flattens
    patches in another order: fastlin's whitening and centroids are permuted into it."""
    from fastlin.features import BagOfVisualWords

    rng = np.random.default_rng(21)
    # smooth-ish images, so that whitening and k-means see structure, not only noise
    base = rng.integers(0, 256, (40, size[0] // 2 + 1, size[1] // 2 + 1, 3))
    imgs = np.repeat(np.repeat(base, 2, 1), 2, 2)[:, :size[0], :size[1]]
    imgs = np.clip(imgs + rng.integers(-20, 21, imgs.shape), 0, 255).astype(np.uint8)
    bovw = BagOfVisualWords(n_words=12, n_patches=3000, kmeans_max_iter=3, random_state=0,
                            dtype=np.float64).fit(imgs)
    rf = 6
    perm = np.array([(a * rf + b) * 3 + ch for ch in range(3) for b in range(rf)
                     for a in range(rf)])  # Coates' position -> fastlin's index
    C = bovw.cluster_centers_[:, perm]
    M = bovw.whiten_mean_[perm]
    P = bovw.whiten_matrix_[np.ix_(perm, perm)]
    want = _coates_extract_features(imgs[:6], C, rf, M, P)
    got = bovw.transform(imgs[:6])
    k = 12  # fastlin's quadrant order: top-left, top-right, bottom-left, bottom-right
    got = np.concatenate([got[:, :k], got[:, 2 * k:3 * k], got[:, k:2 * k], got[:, 3 * k:]], 1)
    assert want.max() > 0
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9 * want.max())


def test_bag_of_visual_words_whiten_eps():
    """whiten_eps is the ZCA epsilon: W = (cov + eps I)^(-1/2) for the same patches."""
    from fastlin.features import BagOfVisualWords

    rng = np.random.default_rng(5)
    imgs = _images(rng, (20, 10, 10, 3), np.uint8)
    kw = dict(n_words=4, n_patches=1500, kmeans_max_iter=1, random_state=3, dtype=np.float64)
    a = BagOfVisualWords(**kw).fit(imgs)
    b = BagOfVisualWords(whiten_eps=1.0, **kw).fit(imgs)
    cov_a = np.linalg.matrix_power(np.linalg.inv(a.whiten_matrix_), 2) - 0.1 * np.eye(108)
    cov_b = np.linalg.matrix_power(np.linalg.inv(b.whiten_matrix_), 2) - 1.0 * np.eye(108)
    np.testing.assert_allclose(cov_b, cov_a, atol=1e-8 * np.abs(cov_a).max())
    assert not np.allclose(a.whiten_matrix_, b.whiten_matrix_)
    with pytest.raises(ValueError, match="eps"):
        BagOfVisualWords(whiten_eps=-1.0, **kw).fit(imgs)


# -- bad input ---------------------------------------------------------------------------------
def test_errors_name_the_argument():
    rng = np.random.default_rng(15)
    imgs = _images(rng, (4, 8, 8, 3), np.uint8)
    from fastlin.features import BagOfVisualWords

    with pytest.raises(ValueError, match="patch_size.*larger than the images"):
        bow.random_patches(imgs, 9, 10)
    with pytest.raises(ValueError, match="patch_size.*larger than the images"):
        BagOfVisualWords(n_words=4, patch_size=(3, 10), n_patches=100).fit(imgs)
    with pytest.raises(ValueError, match="n_words=50 must be <= n_patches=40"):
        BagOfVisualWords(n_words=50, n_patches=40).fit(imgs)
    bad = imgs.astype(np.float32)
    bad[1, 2, 3, 0] = np.nan
    with pytest.raises(ValueError, match="images holds NaN"):
        bow.random_patches(bad, 3, 10)
    with pytest.raises(ValueError, match="X holds NaN"):
        BagOfVisualWords(n_words=2, patch_size=3, n_patches=10).fit(bad)
    C = rng.normal(size=(5, 27))
    with pytest.raises(ValueError, match="images holds NaN"):
        bow.encode(bad, C.astype(np.float32), 3)
    Cn = C.copy()
    Cn[0, 0] = np.inf
    with pytest.raises(ValueError, match="centers holds NaN"):
        bow.encode(imgs, Cn, 3)
    with pytest.raises(ValueError, match=r"centers must have shape \(K >= 1, 27\)"):
        bow.encode(imgs, C[:, :20], 3)
    with pytest.raises(ValueError, match="encoding must be"):
        bow.encode(imgs, C, 3, encoding="soft")
    with pytest.raises(ValueError, match="pooling must be"):
        bow.encode(imgs, C, 3, pooling="max")
    with pytest.raises(ValueError, match="pooling grid 7x7"):
        bow.encode(imgs, C, 3, stride=3, pooling=7)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        bow.encode(imgs, C, 3, stride=0)
    with pytest.raises(ValueError, match="whiten_matrix must be finite of shape"):
        bow.encode(imgs, C, 3, whiten_matrix=np.eye(5))
    with pytest.raises(TypeError, match="images must"):
        bow.encode(imgs.astype(complex), C, 3)
    X = rng.normal(size=(20, 3))
    Xn = X.copy()
    Xn[4, 1] = np.nan
    with pytest.raises(ValueError, match="X holds NaN"):
        cluster.KMeans(3).fit(Xn)
    with pytest.raises(ValueError, match="n_samples=20 should be >= n_clusters=21"):
        cluster.KMeans(21).fit(X)
    with pytest.raises(ValueError, match="init must be"):
        cluster.KMeans(3, init="kmeans").fit(X)
    with pytest.raises(ValueError, match=r"init must have shape \(3, 3\)"):
        cluster.KMeans(3, init=np.zeros((2, 3))).fit(X)
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        cluster.KMeans(3, max_iter=0).fit(X)
    with pytest.raises(ValueError, match="tol must be"):
        cluster.KMeans(3, tol=-1).fit(X)
    with pytest.raises(TypeError, match="num_threads"):
        cluster.KMeans(3, num_threads=1.5).fit(X)
    with pytest.raises(TypeError, match="random_state"):
        cluster.KMeans(3, random_state="x").fit(X)
    with pytest.raises(ValueError, match="n_local_trials must be >= 1 and <= 64"):
        cluster.kmeans_plusplus(X, 3, n_local_trials=0)
    with pytest.raises(TypeError, match="centers has dtype float32 but X has dtype float64"):
        cluster.lloyd_step(X, X[:3].astype(np.float32))
    km = cluster.KMeans(3, random_state=0).fit(X)
    with pytest.raises(ValueError, match="X has 4 features"):
        km.predict(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="eps must be > 0"):
        bow.encode(imgs, C, 3, eps=0)
    with pytest.raises(ValueError, match="fit_zca needs at least 2 rows"):
        bow.fit_zca(np.zeros((1, 3)))
