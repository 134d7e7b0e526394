"""The SIMD fast paths of the feature kernels (uint8 HOG with hard votes, uint8 hue
histogram) against the NumPy references, on inputs built to hit their edge cases:
gradients exactly on bin boundaries, channel ties, hues exactly on (or next to) a
bin edge, widths that are not a multiple of the vector width, strided views."""
import functools

import numpy as np
import pytest

from fastlin import features as F
from fastlin import reference as ref

# every kernel test runs once per SIMD level this CPU supports
pytestmark = pytest.mark.all_simd_levels

G = np.arange(-255, 256)


def _gradient_images(pairs):
    """Grey 3-row images whose pixels (1, 3i + 1) have the gradients pairs[i] =
    (g_row, g_col), each pixel with its own neighbours."""
    pairs = np.asarray(pairs)
    x = np.zeros((1, 3, 3 * len(pairs)), np.uint8)
    gr, gc = pairs[:, 0], pairs[:, 1]
    x[0, 0, 1::3] = np.where(gr < 0, -gr, 0)
    x[0, 2, 1::3] = np.where(gr > 0, gr, 0)
    x[0, 1, 0::3] = np.where(gc < 0, -gc, 0)
    x[0, 1, 2::3] = np.where(gc > 0, gc, 0)
    return x


def _boundary_pairs(rng):
    """Gradients on the axes and the 45-degree diagonals (exact ties with the
    bin edges at multiples of 45 degrees), near-diagonals, and random ones."""
    a = G[G != 0]
    axes = [(0, v) for v in a] + [(v, 0) for v in a]
    diag = [(v, v) for v in a] + [(v, -v) for v in a]
    near = [(v, v + d) for v in a[::7] for d in (-1, 1) if abs(v + d) <= 255]
    rand = rng.integers(-255, 256, (3000, 2))
    return np.vstack([axes, diag, near, rand])


@functools.lru_cache(maxsize=None)
def _boundary_case(orientations, signed):
    """The boundary images and the reference's histograms of their probed pixels (exact
    decimal binning of thousands of gradients on edges: seconds, so once for all levels)."""
    x = _gradient_images(_boundary_pairs(np.random.default_rng(orientations)))
    kw = dict(orientations=orientations, pixels_per_cell=(1, 1), cells_per_block=(1, 1),
              block_norm=None, signed=signed)
    want = ref.hog_reference(x, **kw).reshape(3, -1, orientations)[1, 1::3]
    x.flags.writeable = want.flags.writeable = False
    return x, kw, want


@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("orientations", [1, 2, 3, 4, 6, 8, 9, 12, 18, 36, 72])
def test_hog_bins_on_boundaries_match_reference(orientations, signed):
    x, kw, want = _boundary_case(orientations, signed)
    got = F.hog(x, **kw).reshape(3, -1, orientations)[1, 1::3]
    # every probed pixel has a non-zero gradient: its bin is where the vote is
    np.testing.assert_array_equal(got.argmax(-1), want.argmax(-1))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-4)


def test_hog_colour_channel_ties_take_the_first_channel():
    # per pixel, channels with equal magnitudes (5) and different directions
    rng = np.random.default_rng(0)
    dirs = np.array([(3, 4), (4, 3), (5, 0), (0, 5), (-3, 4), (4, -3), (0, -5), (-5, 0)])
    x = np.zeros((40, 3, 3 * 8, 3), np.uint8)
    for i in range(len(x)):
        for ch in range(3):
            x[i, :, :, ch] = _gradient_images(dirs[rng.permutation(8)] + 100)[0]
    for kw in (dict(orientations=9), dict(orientations=18, signed=True), dict(orientations=4)):
        kw.update(pixels_per_cell=(1, 1), cells_per_block=(1, 1), block_norm=None)
        np.testing.assert_allclose(F.hog(x, **kw), ref.hog_reference(x, **kw), atol=1e-4)


@pytest.mark.parametrize("cell", [4, 6, 8])
@pytest.mark.parametrize("view", ["contiguous", "flipped", "bgr", "grey", "two-channel"])
def test_hog_simd_path_on_photos_like_cifar(cell, view):
    rng = np.random.default_rng(cell)
    base = rng.integers(0, 256, (5, 4, 4, 3)).astype(np.float64)
    x = np.kron(base, np.ones((1, 8, 8, 1))) + rng.normal(0, 8, (5, 32, 32, 3))
    x = np.clip(x, 0, 255).astype(np.uint8)
    x = {"contiguous": x, "flipped": x[:, ::-1, ::-1], "bgr": x[..., ::-1],
         "grey": x[..., 0], "two-channel": x[:, 1:30, 2:31, :2]}[view]
    for kw in (dict(), dict(block_norm="L1"), dict(block_norm="L1-sqrt"),
               dict(block_norm="L2"), dict(block_norm=None),
               dict(cells_per_block=(3, 2)), dict(orientations=18, signed=True)):
        kw = dict(kw, pixels_per_cell=(cell, cell))
        got = F.hog(x, **kw)
        want = ref.hog_reference(x, **kw)
        scale = 1.0 if kw.get("block_norm", "L2-Hys") else max(1.0, np.abs(want).max())
        np.testing.assert_allclose(got, want, rtol=0, atol=2e-5 * scale)


def _unaligned(x):
    """A copy of x whose data starts one byte past an aligned address."""
    buf = np.empty(x.nbytes + 64, np.uint8)
    start = (-buf.ctypes.data) % 64 + 1
    y = buf[start:start + x.nbytes].view(x.dtype).reshape(x.shape)
    y[...] = x
    return y


# cell widths below, at and above the vector widths (4, 8, 16 float lanes) and
# image widths that are not multiples of them, w below the lane count included
WIDTH_CELLS = [(w, cell) for w in [3, 13, 20, 45, 70]
               for cell in [(1, 1), (2, 2), (3, 4), (4, 3), (8, 8), (5, 12), (16, 16), (4, 32)]
               if cell[1] <= w]


@pytest.mark.parametrize("w,cell", WIDTH_CELLS)
def test_hog_simd_cells_against_vector_widths(w, cell):
    rng = np.random.default_rng(w * 100 + cell[1])
    h = 2 * cell[0] + 3
    x = rng.integers(0, 256, (2, h, w + 3, 3)).astype(np.uint8)
    views = {"rgb": x[:, :, 1:w + 1], "rgb unaligned": _unaligned(x[:, :, :w]),
             "grey unaligned": _unaligned(x[:, :, :w, 1]), "flipped": x[:, ::-1, w - 1::-1]}
    ncc = w // cell[1]
    for name, v in views.items():
        for kw in (dict(block_norm=None), dict(cells_per_block=(2, min(2, ncc))),
                   dict(orientations=18, signed=True, block_norm=None)):
            kw = dict(kw, pixels_per_cell=cell)
            got = F.hog(v, **kw)
            want = ref.hog_reference(v, **kw)
            scale = 1.0 if kw.get("block_norm", "L2-Hys") else max(1.0, np.abs(want).max())
            np.testing.assert_allclose(got, want, rtol=0, atol=2e-5 * scale, err_msg=name)


def _colour_images(colours):
    """1 x 8 images of 8 of the given colours each (colours padded to a multiple of 8)."""
    c = np.asarray(colours, np.uint8)
    c = np.vstack([c, np.zeros(((-len(c)) % 8, 3), np.uint8)])
    return c.reshape(-1, 1, 8, 3)


def _tie_colours(rng):
    """Colours whose hue lies exactly on, or a hair from, many bin edges: every
    combination of a few levels (hue = k/5, k/6, ... of a turn) and random ones."""
    levels = np.array([0, 1, 2, 3, 4, 5, 6, 10, 15, 51, 85, 102, 127, 128, 153, 170, 204,
                       250, 254, 255])
    grid = np.stack(np.meshgrid(levels, levels, levels), -1).reshape(-1, 3)
    return np.vstack([grid, rng.integers(0, 256, (20000, 3))])


@pytest.mark.parametrize("nbin,xmin,xmax", [(10, 0, 255), (1, 0, 255), (3, 0, 255),
                                            (7, 0, 255), (12, 0, 255), (40, 10, 300),
                                            (10, 100.5, 255), (6, 0, 128), (10, 0, 1)])
def test_hue_histogram_ties_match_reference(nbin, xmin, xmax):
    x = _colour_images(_tie_colours(np.random.default_rng(nbin)))
    for normalized in (False, True):
        got = F.color_histogram_hsv(x, nbin, xmin, xmax, normalized)
        want = ref.color_histogram_hsv_reference(x, nbin, xmin, xmax, normalized)
        if normalized:
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=0)
        else:   # counts: every pixel in the very bin of the float64 definition
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("w", [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 50])
def test_hue_histogram_widths_and_strided_views(w):
    rng = np.random.default_rng(w)
    x = (rng.integers(0, 6, (6, 5, w, 3)) * 51).astype(np.uint8)   # many exact edge ties
    for v in (x, x[..., ::-1], x[:, ::-1, ::-1], np.ascontiguousarray(x.transpose(0, 2, 1, 3)),
              _unaligned(x)):
        np.testing.assert_array_equal(F.color_histogram_hsv(v, normalized=False),
                                      ref.color_histogram_hsv_reference(v, normalized=False))


def test_hue_histogram_many_bins_takes_the_exact_path():
    # bins too narrow for the float fast path's error bound: the float64 kernel
    x = np.random.default_rng(5).integers(0, 256, (3, 16, 16, 3)).astype(np.uint8)
    got = F.color_histogram_hsv(x, nbin=100000, normalized=False)
    np.testing.assert_array_equal(got, ref.color_histogram_hsv_reference(
        x, nbin=100000, normalized=False))
