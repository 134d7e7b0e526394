"""fastlin.compat course feature functions against the course code itself."""
import functools

import numpy as np
import pytest

from fastlin.compat import _cs231n_features as cf


def _course_hog(im):
    # the course's hog_feature, kept literally as the oracle
    ndimage = pytest.importorskip("scipy.ndimage")
    image = np.dot(im[..., :3], [0.299, 0.587, 0.144])
    sx, sy = image.shape
    orientations, cx, cy = 9, 8, 8
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[:, :-1] = np.diff(image, n=1, axis=1)
    gy[:-1, :] = np.diff(image, n=1, axis=0)
    grad_mag = np.sqrt(gx ** 2 + gy ** 2)
    grad_ori = np.arctan2(gy, (gx + 1e-15)) * (180 / np.pi) + 90
    n_cellsx, n_cellsy = int(np.floor(sx / cx)), int(np.floor(sy / cy))
    hist = np.zeros((n_cellsx, n_cellsy, orientations))
    for i in range(orientations):
        temp_ori = np.where(grad_ori < 180 / orientations * (i + 1), grad_ori, 0)
        temp_ori = np.where(grad_ori >= 180 / orientations * i, temp_ori, 0)
        temp_mag = np.where(temp_ori > 0, grad_mag, 0)
        hist[:, :, i] = ndimage.uniform_filter(temp_mag, size=(cx, cy))[
            round(cx / 2)::cx, round(cy / 2)::cy].T
    return hist.ravel()


def _course_hue(im, nbin=10, xmin=0, xmax=255, normalized=True):
    colors = pytest.importorskip("matplotlib.colors")
    bins = np.linspace(xmin, xmax, nbin + 1)
    hsv = colors.rgb_to_hsv(im / xmax) * xmax
    imhist, bin_edges = np.histogram(hsv[:, :, 0], bins=bins, density=normalized)
    return imhist * np.diff(bin_edges)


def _images(n=6, size=32, levels=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, (n, size, size, 3)) * (255 // (levels - 1))
    x[0] = 77                                                 # flat: zero gradients
    x[1, :, 16:] = 200                                        # vertical edge
    return x.astype(np.float64)                               # the course loads floats


@pytest.mark.parametrize("levels", [2, 6, 256])
def test_hog_feature_reproduces_course(levels):
    for im in _images(levels=levels, seed=levels):
        np.testing.assert_allclose(cf.hog_feature(im), _course_hog(im), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(cf.hog_feature(im.astype(np.uint8)), _course_hog(im),
                                   rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kw", [{}, dict(nbin=7), dict(normalized=False), dict(xmin=30, nbin=12)])
def test_color_histogram_hsv_reproduces_course(kw):
    for im in _images(levels=6, seed=1):
        np.testing.assert_allclose(cf.color_histogram_hsv(im, **kw), _course_hue(im, **kw),
                                   rtol=1e-12)


def test_extract_features_reproduces_course_stacking():
    x = _images(n=5, seed=3)
    fns = [cf.hog_feature, functools.partial(cf.color_histogram_hsv, nbin=8)]
    got = cf.extract_features(x, fns)
    want = np.array([np.hstack([_course_hog(im), _course_hue(im, nbin=8)]) for im in x])
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    other = cf.extract_features(x, [lambda im: im.mean(axis=(0, 1))])
    np.testing.assert_allclose(other, x.mean(axis=(1, 2)))
    assert cf.extract_features(x[:0], fns).size == 0
