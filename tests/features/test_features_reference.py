"""The pure-NumPy feature references against scikit-image, matplotlib and hand-made cases."""
import numpy as np
import pytest

from fastlin import reference as ref


def _images(seed, n, h, w, c=None, dtype=np.uint8):
    rng = np.random.default_rng(seed)
    shape = (n, h, w) if c is None else (n, h, w, c)
    x = rng.integers(0, 256, size=shape)
    if dtype == np.uint8:
        return x.astype(np.uint8)
    return (x / 255.0).astype(dtype)


HOG_CASES = [
    # orientations, pixels_per_cell, cells_per_block, block_norm, transform_sqrt, shape
    (9, (8, 8), (2, 2), "L2-Hys", False, (32, 32, 3)),
    (9, (8, 8), (1, 1), "L2-Hys", False, (32, 32, 3)),
    (9, (8, 8), (3, 3), "L1", False, (32, 32)),
    (12, (4, 4), (2, 2), "L1-sqrt", True, (21, 18, 3)),
    (6, (6, 5), (2, 3), "L2", False, (25, 31)),
    (4, (4, 4), (2, 2), "L2-Hys", False, (16, 16, 3)),
    (8, (3, 3), (1, 2), "L1", True, (13, 17, 2)),
    (1, (5, 5), (1, 1), "L2", False, (10, 10)),
]


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("case", HOG_CASES)
def test_hog_reference_matches_skimage(case, dtype):
    # scikit-image's binning (its float64 arctan2, host-dependent at an edge) is
    # what the reference reproduces here; the exact binning is tested elsewhere
    feature = pytest.importorskip("skimage.feature")
    n, ppc, cpb, norm, sq, shape = case
    imgs = _images(HOG_CASES.index(case), 3, *shape, dtype=dtype)
    got = ref.hog_reference(imgs, n, ppc, cpb, norm, sq, binning="arctan2")
    for i, img in enumerate(imgs):
        want = feature.hog(img, orientations=n, pixels_per_cell=ppc, cells_per_block=cpb,
                           block_norm=norm, transform_sqrt=sq, feature_vector=True,
                           channel_axis=-1 if img.ndim == 3 else None)
        np.testing.assert_allclose(got[i], want, rtol=0, atol=1e-5)
    shaped = ref.hog_reference(imgs, n, ppc, cpb, norm, sq, feature_vector=False,
                               binning="arctan2")
    want = feature.hog(imgs[0], orientations=n, pixels_per_cell=ppc, cells_per_block=cpb,
                       block_norm=norm, transform_sqrt=sq, feature_vector=False,
                       channel_axis=-1 if imgs.ndim == 4 else None)
    assert shaped.shape[1:] == want.shape


def test_hog_reference_exact_boundary_directions_match_skimage():
    # integer gradients along 0/45/90/135 degrees sit exactly on bin edges for 4 or 8 bins
    feature = pytest.importorskip("skimage.feature")
    rng = np.random.default_rng(7)
    base = np.add.outer(np.arange(16), np.arange(16)) * 3          # 45-degree ramps
    imgs = np.stack([base, base.T[::-1], np.tile(np.arange(16), (16, 1)) * 5,
                     rng.integers(0, 4, (16, 16)) * 60]).astype(np.float64)
    for n in (2, 4, 8, 12):
        got = ref.hog_reference(imgs, n, (4, 4), (2, 2), "L1")
        for i, img in enumerate(imgs):
            want = feature.hog(img, orientations=n, pixels_per_cell=(4, 4),
                               cells_per_block=(2, 2), block_norm="L1")
            np.testing.assert_allclose(got[i], want, atol=1e-6)


def test_hog_vertical_edge_votes_into_bin_zero():
    img = np.zeros((1, 8, 8))
    img[:, :, 4:] = 1.0                       # step along columns: g_col = 1 at columns 3, 4
    hist = ref.hog_cell_histograms_reference(img, 9, (8, 8))
    # rows 1..6 have no g_row (rows 0 and 7 are zero borders anyway): 8 rows x 2 cols vote 1
    np.testing.assert_allclose(hist[0, 0, 0, 0], 16 / 64)
    assert np.count_nonzero(hist) == 1


def test_hog_signed_folds_onto_unsigned():
    imgs = _images(3, 4, 24, 24, 3)
    unsigned = ref.hog_cell_histograms_reference(imgs, 9, (8, 8))
    signed = ref.hog_cell_histograms_reference(imgs, 18, (8, 8), signed=True)
    np.testing.assert_allclose(signed[..., :9] + signed[..., 9:], unsigned, atol=1e-12)


def test_hog_interpolation_conserves_mass_and_splits_votes():
    imgs = _images(4, 3, 16, 16)
    hard = ref.hog_cell_histograms_reference(imgs, 9, (8, 8))
    soft = ref.hog_cell_histograms_reference(imgs, 9, (8, 8), interpolate=True)
    np.testing.assert_allclose(soft.sum(-1), hard.sum(-1), rtol=1e-12)
    # the centre pixel's gradient (magnitude 2) points at 20 degrees, the edge between
    # the centres of bins 0 (10) and 1 (30): it splits half/half; a cell has 9 pixels
    g = np.zeros((1, 3, 3))
    g[0, 1, 0], g[0, 1, 2] = 0.0, np.cos(np.deg2rad(20)) * 2
    g[0, 0, 1], g[0, 2, 1] = 0.0, np.sin(np.deg2rad(20)) * 2
    h = ref.hog_cell_histograms_reference(g, 9, (3, 3), interpolate=True)[0, 0, 0]
    np.testing.assert_allclose(h[:2], [1 / 9, 1 / 9], rtol=1e-9)
    np.testing.assert_allclose(h[2:], 0, atol=1e-15)


def test_hog_block_norm_none_returns_cells_and_rejects_unknown_norm():
    imgs = _images(5, 2, 16, 24)
    cells = ref.hog_reference(imgs, 9, (8, 8), block_norm=None, feature_vector=False)
    assert cells.shape == (2, 2, 3, 9)
    with pytest.raises(ValueError, match="block_norm"):
        ref.hog_reference(imgs, block_norm="L3")
    with pytest.raises(ValueError, match="too small"):
        ref.hog_reference(imgs, cells_per_block=(3, 3))


def _course_color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    # the course definition, kept literally as the oracle of the reference
    colors = pytest.importorskip("matplotlib.colors")
    bins = np.linspace(xmin, xmax, nbin + 1)
    hsv = colors.rgb_to_hsv(im / xmax) * xmax
    imhist, bin_edges = np.histogram(hsv[:, :, 0], bins=bins, density=normalized)
    return imhist * np.diff(bin_edges)


@pytest.mark.parametrize("nbin,xmin,xmax", [(10, 0, 255), (7, 0, 255), (12, 30, 255),
                                            (10, 0, 300), (33, 0, 255)])
def test_hue_histogram_reference_matches_course(nbin, xmin, xmax):
    imgs = _images(nbin + xmin, 6, 16, 16, 3)
    imgs[0] = 128                                      # grey image: all hue 0
    imgs[1, ..., 0] = imgs[1, ..., 1]                  # ties between channels
    imgs[2] = imgs[2] // 51 * 51                       # few levels: many exact bin edges
    got = ref.color_histogram_hsv_reference(imgs, nbin, xmin, xmax)
    counts = ref.color_histogram_hsv_reference(imgs, nbin, xmin, xmax, normalized=False)
    for i, im in enumerate(imgs):
        want = _course_color_histogram_hsv(im, nbin, xmin, xmax)
        want_counts = _course_color_histogram_hsv(im, nbin, xmin, xmax, normalized=False)
        want_counts = want_counts / np.diff(np.linspace(xmin, xmax, nbin + 1))
        np.testing.assert_array_equal(counts[i], np.rint(want_counts))
        if counts[i].sum() > 0:
            np.testing.assert_allclose(got[i], want, rtol=1e-12, atol=1e-15)


def test_rgb_to_hue_matches_matplotlib_on_all_orderings():
    colors = pytest.importorskip("matplotlib.colors")
    vals = np.array([0, 1, 50, 51, 128, 254, 255]) / 255.0
    rgb = np.stack(np.meshgrid(vals, vals, vals, indexing="ij"), -1).reshape(-1, 3)
    np.testing.assert_array_equal(ref.rgb_to_hue_reference(rgb), colors.rgb_to_hsv(rgb)[:, 0])
