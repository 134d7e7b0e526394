"""fastlin.features kernels against the NumPy references, scikit-image, and bad input."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from fastlin import features as F
from fastlin import reference as ref

# every kernel test runs once per SIMD level this CPU supports
pytestmark = pytest.mark.all_simd_levels

NORMS = [None, "L1", "L1-sqrt", "L2", "L2-Hys"]


def _tol(dtype):
    return 2e-5 if dtype != np.float64 else 1e-10


@st.composite
def hog_case(draw):
    cr, cc = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    br, bc = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h = draw(st.integers(cr * br, cr * br + 12))
    w = draw(st.integers(cc * bc, cc * bc + 12))
    c = draw(st.sampled_from([0, 1, 2, 3]))
    n = draw(st.integers(1, 4))
    dtype = draw(st.sampled_from([np.uint8, np.float32, np.float64]))
    levels = draw(st.sampled_from([2, 3, 16, 256]))   # few levels: many exact ties
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    shape = (n, h, w) if c == 0 else (n, h, w, c)
    x = rng.integers(0, levels, shape) * (255 // (levels - 1))
    # float images on a dyadic grid (v / 256): differences are exact, as in uint8
    x = x.astype(np.uint8) if dtype == np.uint8 else (x / 256.0).astype(dtype)
    params = dict(orientations=draw(st.integers(1, 18)), pixels_per_cell=(cr, cc),
                  cells_per_block=(br, bc), block_norm=draw(st.sampled_from(NORMS)),
                  transform_sqrt=draw(st.booleans()))
    extra = dict(signed=draw(st.booleans()), interpolate=draw(st.booleans()))
    return x, params, extra


@settings(max_examples=150)
@given(hog_case(), st.sampled_from([1, 2, 4]))
def test_hog_matches_reference(case, num_threads):
    x, params, extra = case
    got = F.hog(x, **params, **extra, num_threads=num_threads)
    want = ref.hog_reference(x, **params, **extra)
    assert got.dtype == (np.float64 if x.dtype == np.float64 else np.float32)
    scale = 1.0 if params["block_norm"] else max(1.0, np.abs(want).max())
    np.testing.assert_allclose(got, want, rtol=0, atol=_tol(x.dtype) * scale)


def _assert_matches_skimage(got, x, params, want):
    """fastlin's HOG against scikit-image's, on any host.

    Where scikit-image's float64 arctan2 rounds a gradient across a bin edge
    (host-dependent in the last ulp), fastlin takes the exact bin.  So: the
    reference with scikit-image's binning equals scikit-image (same arctan2),
    and fastlin equals the reference with exact binning; when the two
    binnings agree, fastlin equals scikit-image.
    """
    rounded = ref.hog_reference(x, **params, feature_vector=False, binning="arctan2")
    exact = ref.hog_reference(x, **params, feature_vector=False)
    np.testing.assert_allclose(rounded, want, rtol=0, atol=1e-5)
    np.testing.assert_allclose(got, exact, rtol=0, atol=1e-5)


@settings(max_examples=40)
@given(hog_case())
def test_hog_matches_skimage(case):
    feature = pytest.importorskip("skimage.feature")
    x, params, _ = case
    if params["block_norm"] is None:
        params["block_norm"] = "L2-Hys"
    got = F.hog(x, **params, feature_vector=False)
    want = np.stack([feature.hog(img, **params, feature_vector=False,
                                 channel_axis=-1 if img.ndim == 3 else None) for img in x])
    _assert_matches_skimage(got, x, params, want)


def test_hog_cifar_defaults_match_skimage_on_real_like_images():
    feature = pytest.importorskip("skimage.feature")
    rng = np.random.default_rng(1)
    # smooth colour images with flat regions and edges, as photos have
    base = rng.integers(0, 256, (6, 4, 4, 3)).astype(np.float64)
    x = np.kron(base, np.ones((1, 8, 8, 1))) + rng.normal(0, 3, (6, 32, 32, 3))
    x = np.clip(x, 0, 255).astype(np.uint8)
    params = dict(orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2))
    for xx in (x, x / 255.0, (x / 255.0).astype(np.float32)):
        want = np.stack([feature.hog(img, **params, channel_axis=-1, feature_vector=False)
                         for img in xx])
        _assert_matches_skimage(F.hog(xx, feature_vector=False), xx, params, want)


def _one_gradient_image(gr, gc, dtype=np.float64):
    """A 3x3 grey image whose only non-zero gradient, at its centre, is (gr, gc)."""
    img = np.zeros((1, 3, 3), dtype)
    img[0, 2, 1], img[0, 1, 2] = gr, gc
    return img


def _exact_side_of_30deg_edge(gr, gc, k):
    """Sign of angle(gr, gc) - 30k degrees for 0 < angle < 180, by exact rationals."""
    from fractions import Fraction
    a, b = Fraction(gr), Fraction(gc)
    # tan(30k): k=1 1/sqrt3, k=2 sqrt3, k=4 -sqrt3, k=5 -1/sqrt3 (k=3: 90 degrees)
    if k == 3:
        return (b < 0) - (b > 0)
    t2 = {1: Fraction(1, 3), 2: Fraction(3), 4: Fraction(3), 5: Fraction(1, 3)}[k]
    if k < 3:   # edge in the first quadrant
        if b <= 0:
            return 1
        return (a * a > t2 * b * b) - (a * a < t2 * b * b)
    if b >= 0:  # edge in the second quadrant
        return -1
    return (a * a < t2 * b * b) - (a * a > t2 * b * b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_hog_bins_are_exact_next_to_irrational_edges(dtype):
    # gradients on and a few ulps around the 30-degree edges of 6 bins: the
    # kernel's bin and the reference's are the exact one, whatever arctan2 says
    ftype = np.float64 if dtype == np.float64 else np.float32
    for k in (1, 2, 4, 5):
        ang = np.deg2rad(30.0 * k)
        for scale in (1.0, 3.7, 1e-3, 255.0):
            base_r, base_c = ftype(scale * np.sin(ang)), ftype(scale * np.cos(ang))
            for dr in range(-3, 4):
                gr = base_r
                step = np.inf if dr > 0 else -np.inf
                for _ in range(abs(dr)):
                    gr = np.nextafter(gr, ftype(step))
                gc = base_c
                side = _exact_side_of_30deg_edge(float(gr), float(gc), k)
                want_bin = k if side >= 0 else k - 1
                bins = ref.hog_orientation_bins_reference(np.float64(gr), np.float64(gc), 6)
                assert int(bins) == want_bin, (k, scale, dr)
                hist = F.hog(_one_gradient_image(gr, gc, dtype), orientations=6,
                             pixels_per_cell=(3, 3), cells_per_block=(1, 1),
                             block_norm=None)[0]
                assert int(np.argmax(hist)) == want_bin, (k, scale, dr, hist)


def test_hog_bin_of_a_gradient_on_the_60_degree_edge_after_sqrt():
    # 204/153 against 68/51 under transform_sqrt: the gradient lies on 60 degrees
    # in exact arithmetic; glibc's and NumPy's SIMD arctan2 round it to either side
    img = np.zeros((1, 3, 3), np.uint8)
    img[0, 2, 1], img[0, 0, 1], img[0, 1, 2], img[0, 1, 0] = 204, 153, 68, 51
    gr = np.sqrt(204.0) - np.sqrt(153.0)
    gc = np.sqrt(68.0) - np.sqrt(51.0)
    want_bin = 1 if _exact_side_of_30deg_edge(gr, gc, 2) >= 0 else 0
    for x in (img, img.astype(np.float64), img.astype(np.float32)):
        got = F.hog(x, orientations=3, pixels_per_cell=(3, 3), cells_per_block=(1, 1),
                    block_norm=None, transform_sqrt=True)[0]
        want = ref.hog_reference(x, orientations=3, pixels_per_cell=(3, 3),
                                 cells_per_block=(1, 1), block_norm=None, transform_sqrt=True)[0]
        if x.dtype != np.float32:
            assert int(np.argmax(got)) == want_bin
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


def test_hog_thread_counts_bitwise_and_noncontiguous_input():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 256, (40, 35, 33, 3)).astype(np.uint8)
    a = F.hog(x, num_threads=1)
    assert np.array_equal(a, F.hog(x, num_threads=2))
    assert np.array_equal(a, F.hog(x, num_threads=4))
    view = np.asfortranarray(x)[::-2, 1:, ::-1]        # negative and odd strides
    np.testing.assert_allclose(F.hog(view), ref.hog_reference(view), atol=2e-5)
    f = x.astype(np.float32)[:, :, :, ::-1]
    np.testing.assert_allclose(F.hog(f), ref.hog_reference(f), atol=2e-5)
    big_endian = x[:5].astype(">f8")
    np.testing.assert_allclose(F.hog(big_endian), ref.hog_reference(x[:5]), atol=1e-10)


def test_hog_feature_vector_shapes():
    x = np.zeros((2, 32, 24), np.float32)
    assert F.hog(x).shape == (2, 3 * 2 * 2 * 2 * 9)
    assert F.hog(x, feature_vector=False).shape == (2, 3, 2, 2, 2, 9)
    assert F.hog(x, block_norm=None, feature_vector=False).shape == (2, 4, 3, 9)
    assert F.hog(np.zeros((0, 16, 16), np.uint8)).shape == (0, 36)
    assert np.all(F.hog(x) == 0)


@pytest.mark.parametrize("bad,err,match", [
    (np.zeros((32, 32)), ValueError, "images"),                    # one image, no batch axis
    (np.zeros((2, 32, 32, 3, 1)), ValueError, "images"),
    (np.zeros((2, 15, 32)), ValueError, "too small"),
    (np.zeros((2, 32, 32), dtype=complex), TypeError, "images"),
    (np.zeros((2, 32, 32), dtype=object), TypeError, "images"),
    (np.zeros((2, 32, 32), dtype="U1"), TypeError, "images"),
])
def test_hog_bad_images(bad, err, match):
    with pytest.raises(err, match=match):
        F.hog(bad)


def test_hog_nan_inf_negative_sqrt_raise_naming_the_image():
    x = np.ones((5, 16, 16, 3), np.float32)
    x[3, 4, 5, 1] = np.nan
    with pytest.raises(ValueError, match="NaN.*index 3"):
        F.hog(x)
    y = np.ones((5, 16, 16), np.float64)
    y[2, 0, 0] = -np.inf
    with pytest.raises(ValueError, match="index 2"):
        F.hog(y)
    z = np.ones((3, 16, 16))
    z[1, 3, 3] = -1.0
    F.hog(z)                                  # fine without the square root
    with pytest.raises(ValueError, match="index 1"):
        F.hog(z, transform_sqrt=True)


@pytest.mark.parametrize("kw,err", [
    (dict(orientations=0), ValueError), (dict(orientations=2.5), TypeError),
    (dict(pixels_per_cell=(0, 8)), ValueError), (dict(cells_per_block="ab"), TypeError),
    (dict(block_norm="L3"), ValueError), (dict(num_threads=0), ValueError),
])
def test_hog_bad_parameters(kw, err):
    with pytest.raises(err):
        F.hog(np.zeros((1, 32, 32), np.uint8), **kw)


@st.composite
def hue_case(draw):
    n, h, w = draw(st.integers(1, 4)), draw(st.integers(1, 12)), draw(st.integers(1, 12))
    dtype = draw(st.sampled_from([np.uint8, np.float32, np.float64]))
    levels = draw(st.sampled_from([2, 6, 52, 256]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(0, levels, (n, h, w, 3)) * (255 // (levels - 1))
    nbin = draw(st.integers(1, 40))
    xmin = draw(st.sampled_from([0, 0, 10, 100.5]))
    xmax = 255 if dtype == np.uint8 else draw(st.sampled_from([255, 300.0]))
    return x.astype(dtype), nbin, xmin, xmax, draw(st.booleans())


@settings(max_examples=150)
@given(hue_case(), st.sampled_from([1, 2, 4]))
def test_hue_histogram_matches_reference(case, num_threads):
    x, nbin, xmin, xmax, normalized = case
    got = F.color_histogram_hsv(x, nbin, xmin, xmax, normalized, num_threads=num_threads)
    want = ref.color_histogram_hsv_reference(x, nbin, xmin, xmax, normalized)
    assert got.dtype == (np.float64 if x.dtype == np.float64 else np.float32)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=0)


def test_hue_histogram_matches_course_with_matplotlib():
    colors = pytest.importorskip("matplotlib.colors")
    rng = np.random.default_rng(3)
    x = (rng.integers(0, 6, (20, 16, 16, 3)) * 51).astype(np.uint8)   # many edge ties
    got = F.color_histogram_hsv(x.astype(np.float64), nbin=10)
    for i, im in enumerate(x.astype(np.float64)):
        hue = colors.rgb_to_hsv(im / 255) * 255
        hist, edges = np.histogram(hue[..., 0], bins=np.linspace(0, 255, 11), density=True)
        np.testing.assert_allclose(got[i], hist * np.diff(edges), rtol=1e-12)


def test_hue_histogram_bad_input():
    with pytest.raises(ValueError, match="RGB"):
        F.color_histogram_hsv(np.zeros((2, 8, 8), np.uint8))
    with pytest.raises(ValueError, match="index 1"):
        F.color_histogram_hsv(np.array([[[[1, 2, 3.0]]], [[[1, 2, 300.0]]]]))
    x = np.zeros((2, 4, 4, 3), np.float32)
    x[0, 1, 1, 2] = np.nan
    with pytest.raises(ValueError, match="index 0"):
        F.color_histogram_hsv(x)
    with pytest.raises(ValueError, match="xmin"):
        F.color_histogram_hsv(np.zeros((1, 4, 4, 3), np.uint8), xmin=255)
    with pytest.raises(ValueError, match="nbin"):
        F.color_histogram_hsv(np.zeros((1, 4, 4, 3), np.uint8), nbin=0)


def test_extract_features_stacks_in_batches():
    rng = np.random.default_rng(4)
    x = rng.integers(0, 256, (25, 16, 16, 3)).astype(np.uint8)
    fns = [F.hog, lambda b: F.color_histogram_hsv(b, nbin=7)]
    got = F.extract_features(x, fns, batch_size=10, progress=False)
    np.testing.assert_array_equal(got, np.hstack([F.hog(x), F.color_histogram_hsv(x, 7)]))
    with pytest.raises(ValueError, match="shape"):
        F.extract_features(x, [lambda b: b.reshape(-1)])


def test_transformers_in_a_pipeline():
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.preprocessing import StandardScaler
    rng = np.random.default_rng(5)
    x = rng.integers(0, 256, (60, 32, 32, 3)).astype(np.uint8)
    y = np.arange(60) % 3
    x[y == 1, :, :16] //= 4                            # something to learn
    pipe = make_pipeline(make_union(F.HOG(), F.ColorHistogram()), StandardScaler(),
                         LogisticRegression(max_iter=200))
    pipe.fit(x, y)
    assert pipe.score(x, y) > 0.6
    flat = make_pipeline(make_union(F.HOG(image_shape=(32, 32, 3)),
                                    F.ColorHistogram(image_shape=(32, 32, 3))),
                         StandardScaler(), LogisticRegression(max_iter=200))
    flat.fit(x.reshape(60, -1), y)
    np.testing.assert_array_equal(flat.predict(x.reshape(60, -1)), pipe.predict(x))
    h = clone(F.HOG(orientations=12, signed=True))
    assert h.get_params()["orientations"] == 12 and h.signed
    with pytest.raises(ValueError, match="image_shape"):
        F.HOG().fit(x.reshape(60, -1))


def test_hog_of_one_image_without_batch_axis_says_what_to_do():
    img = np.zeros((32, 32, 3), np.uint8)
    with pytest.raises(ValueError, match=r"batch of grey images \(N, H, W\).*images\[None\]"):
        F.hog(img)
    assert F.hog(img[None]).shape == (1, 324)
