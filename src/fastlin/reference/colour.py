"""NumPy reference of the hue-histogram kernel (the course's colour feature)."""

import numpy as np

__all__ = ["rgb_to_hue_reference", "color_histogram_hsv_reference"]


def rgb_to_hue_reference(rgb):
    """Hue in [0, 1) of an (..., 3) float array in [0, 1], float64.

    Same arithmetic as ``matplotlib.colors.rgb_to_hsv(rgb)[..., 0]`` in float64:
    grey pixels get 0; on ties blue beats green beats red for the maximum.
    """
    x = np.asarray(rgb, dtype=np.float64)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    mx = x.max(axis=-1)
    delta = mx - x.min(axis=-1)
    pos = delta > 0
    safe = np.where(pos, delta, 1.0)
    h = np.where(r == mx, (g - b) / safe, 0.0)
    h = np.where(g == mx, 2.0 + (b - r) / safe, h)
    h = np.where(b == mx, 4.0 + (r - g) / safe, h)
    h = np.where(pos, h, 0.0)
    return (h / 6.0) % 1.0


def color_histogram_hsv_reference(images, nbin=10, xmin=0, xmax=255, normalized=True):
    """Hue histograms of a batch of RGB images, float64 (N, nbin).

    The course definition: hue = rgb_to_hsv(image / xmax)[..., 0] * xmax in
    float64, bins ``np.linspace(xmin, xmax, nbin + 1)``; bin i holds
    ``edges[i] <= v < edges[i+1]`` (the last bin also ``v == xmax``); values
    outside [xmin, xmax] are dropped.  ``normalized``: rows divided by their
    count (sum to 1; a row with no counted pixel stays 0); otherwise counts.
    """
    x = np.asarray(images, dtype=np.float64)
    N = x.shape[0]
    v = (rgb_to_hue_reference(x / xmax) * xmax).reshape(N, -1)
    edges = np.linspace(xmin, xmax, nbin + 1)
    idx = np.searchsorted(edges, v, side="right") - 1
    idx[v == edges[-1]] = nbin - 1
    keep = (v >= edges[0]) & (v <= edges[-1])
    rows = np.broadcast_to(np.arange(N)[:, None], v.shape)
    counts = np.zeros((N, nbin))
    np.add.at(counts, (rows[keep], idx[keep]), 1.0)
    if normalized:
        total = counts.sum(axis=1, keepdims=True)
        counts = np.divide(counts, total, out=np.zeros_like(counts), where=total > 0)
    return counts
