"""NumPy reference of the HOG kernel (scikit-image's ``skimage.feature.hog`` semantics).

Semantics follow scikit-image's ``skimage.feature.hog`` (0.19+) exactly:

* work dtype: float32 for float32 images, float64 otherwise (uint8 included);
  ``transform_sqrt`` takes the square root in the work dtype;
* gradients: central differences ``x[r+1] - x[r-1]`` in the work dtype, zero
  on the first and last row (column) of the *image*;
* colour: per pixel, the channel whose gradient has the largest magnitude
  (first channel on ties), magnitudes compared in the work dtype;
* orientation: ``rad2deg(arctan2(g_row, g_col)) % 180`` in float64; bin ``i``
  holds ``180/n * i <= o < 180/n * (i + 1)`` (the float64 products, as
  scikit-image computes them); cells are the ``pixels_per_cell`` tiles from
  the top-left corner, pixels beyond the last full cell are ignored; a cell's
  value is the sum of the magnitudes that vote into the bin divided by the
  number of pixels in the cell;
* blocks: every ``cells_per_block`` window of cells (stride one cell),
  normalised with eps = 1e-5: L1 ``v / (sum|v| + eps)``, L1-sqrt the square
  root of that, L2 ``v / sqrt(sum v^2 + eps^2)``, L2-Hys L2 then clipped at 0.2
  then L2 again; output order (block row, block col, cell row, cell col, bin).

Beyond scikit-image: ``signed=True`` bins 0-360 degrees (``% 360``);
``interpolate=True`` splits each vote linearly between the two bins whose
centres ``(i + 0.5) * width`` bracket the orientation (Dalal-Triggs, circular);
``block_norm=None`` returns the raw cell histograms.

Hard orientation bins are decided exactly (hog_orientation_bins_reference),
so the reference does not depend on the last ulp of arctan2.  Where
scikit-image's float64 arctan2 rounds across an edge, or wraps an angle a hair
below 0 to exactly 180.0 (no bin), the reference and the kernel take the
exact bin.
"""

import decimal

import numpy as np

__all__ = ["HOG_BLOCK_NORMS", "hog_gradients_reference", "hog_orientation_bins_reference",
           "hog_cell_histograms_reference", "hog_normalize_blocks_reference", "hog_reference"]

HOG_BLOCK_NORMS = ("L1", "L1-sqrt", "L2", "L2-Hys")
_HOG_EPS = 1e-5


def _hog_work_dtype(dtype):
    return np.float32 if np.dtype(dtype) == np.float32 else np.float64


def hog_gradients_reference(images, transform_sqrt=False):
    """Per-pixel HOG gradients of a batch, channel of largest magnitude chosen.

    images: (N, H, W) or (N, H, W, C), any real dtype.
    Returns ``(g_row, g_col)``, each (N, H, W) in the work dtype (float32 for
    float32 input, float64 otherwise), zero on the image border rows/cols.
    """
    x = np.asarray(images)
    x = x.astype(_hog_work_dtype(x.dtype), copy=True)
    if transform_sqrt:
        x = np.sqrt(x)
    if x.ndim == 3:
        x = x[..., None]
    g_row = np.zeros_like(x)
    g_col = np.zeros_like(x)
    g_row[:, 1:-1] = x[:, 2:] - x[:, :-2]
    g_col[:, :, 1:-1] = x[:, :, 2:] - x[:, :, :-2]
    if x.shape[3] > 1:
        best = np.hypot(g_row, g_col).argmax(axis=3)[..., None]
        g_row = np.take_along_axis(g_row, best, axis=3)
        g_col = np.take_along_axis(g_col, best, axis=3)
    return g_row[..., 0], g_col[..., 0]


_PI_50 = "3.14159265358979323846264338327950288419716939937510582097494459"


def _decimal_cos_sin(num, den):
    """cos and sin of pi * num / den as 60-digit Decimals (Taylor series)."""
    with decimal.localcontext() as ctx:
        ctx.prec = 70
        x = decimal.Decimal(_PI_50) * num / den
        c, s, term, k = decimal.Decimal(0), decimal.Decimal(0), decimal.Decimal(1), 0
        while True:
            if k % 2 == 0:
                c += term if k % 4 == 0 else -term
            else:
                s += term if k % 4 == 1 else -term
            k += 1
            term = term * x / k
            if abs(term) < decimal.Decimal(10) ** -66 and k > abs(x) + 2:
                return +c, +s


def hog_orientation_bins_reference(g_row, g_col, orientations=9, signed=False):
    """Hard orientation bin (int64, same shape) of each gradient (g_row, g_col).

    The bin of a gradient is k when ``width*k <= theta < width*(k+1)`` for the
    exact angle ``theta`` of the float gradient in [0, period) degrees
    (``width = period / orientations``, period 180 or 360 with ``signed``).
    The decision is exact, independent of any libm or SIMD ``arctan2``:
    ``arctan2`` places the gradients far (1e-7 degrees) from every edge, and
    the others are decided by the sign of the cross product with each edge's
    direction in 60-digit decimal arithmetic.  A gradient lying exactly on an
    edge (possible at multiples of 45 degrees only) follows scikit-image's
    float64 edge ``period / orientations * k``: it belongs to the upper bin
    unless that float rounds above the exact angle.
    """
    g_row = np.asarray(g_row, dtype=np.float64)
    g_col = np.asarray(g_col, dtype=np.float64)
    n = int(orientations)
    turn = 2 if signed else 1
    period = 180.0 * turn
    width = period / n
    with np.errstate(invalid="ignore"):
        ori = np.rad2deg(np.arctan2(g_row, g_col)) % period
    edges = width * np.arange(n + 1)
    bins = np.array(np.clip(np.searchsorted(edges, ori, side="right") - 1, 0, n - 1),
                     dtype=np.int64)
    dist = np.abs(ori[..., None] - edges).min(axis=-1)
    near = np.flatnonzero(dist <= 1e-7)
    if near.size == 0:
        return bins
    # edge k (1..n-1): exact angle 180 * turn * k / n, direction taken modulo 180
    dirs = []
    for k in range(1, n):
        if (4 * turn * k) % n == 0:
            q = 4 * turn * k // n
            cx, cy = ((1, 0), (1, 1), (0, 1), (-1, 1))[q % 4]
            dirs.append((decimal.Decimal(cx), decimal.Decimal(cy), width * k > 45.0 * q))
        else:
            cx, cy = _decimal_cos_sin((turn * k) % n, n)
            dirs.append((cx, cy, False))
    flat = bins.reshape(-1)
    gr, gc = g_row.reshape(-1), g_col.reshape(-1)
    with decimal.localcontext() as ctx:
        ctx.prec = 70
        for i in near:
            a, b = float(gr[i]), float(gc[i])
            half = a < 0 or (a == 0 and b < 0)
            fr = decimal.Decimal(-a if half else a)
            fc = decimal.Decimal(-b if half else b)
            count = 0
            for k, (cx, cy, strict) in enumerate(dirs, start=1):
                d = cx * fr - cy * fc
                above = d > 0 or (d == 0 and not strict)
                upper = signed and 2 * k >= n      # edge at >= 180 degrees
                if not signed:
                    count += above
                elif upper:
                    count += half and above
                else:
                    count += half or above
            flat[i] = count
    return bins


def hog_cell_histograms_reference(images, orientations=9, pixels_per_cell=(8, 8),
                                  transform_sqrt=False, signed=False, interpolate=False,
                                  binning="exact"):
    """Cell orientation histograms of a batch, float64 (N, H//cr, W//cc, orientations).

    Each value is the sum of the gradient magnitudes voting into the bin,
    divided by the number of pixels of a cell (scikit-image's convention).
    ``binning``: "exact" (the kernel's rule, see
    :func:`hog_orientation_bins_reference`) or "arctan2" (scikit-image's:
    ``rad2deg(arctan2(g_row, g_col)) % period`` in float64, compared with the
    float edges; at an edge this follows the last ulp of the host's arctan2).
    """
    if binning not in ("exact", "arctan2"):
        raise ValueError(f"binning must be 'exact' or 'arctan2', got {binning!r}")
    g_row, g_col = hog_gradients_reference(images, transform_sqrt)
    g_row = g_row.astype(np.float64)
    g_col = g_col.astype(np.float64)
    n = int(orientations)
    cr, cc = (int(v) for v in pixels_per_cell)
    N, H, W = g_row.shape
    ncr, ncc = H // cr, W // cc
    g_row = g_row[:, :ncr * cr, :ncc * cc]
    g_col = g_col[:, :ncr * cr, :ncc * cc]
    mag = np.hypot(g_row, g_col)
    period = 360.0 if signed else 180.0
    width = period / n

    def cell_sum(v):
        return v.reshape(N, ncr, cr, ncc, cc).sum(axis=(2, 4))

    hist = np.zeros((N, ncr, ncc, n))
    if interpolate:
        ori = np.rad2deg(np.arctan2(g_row, g_col)) % period
        t = ori / width - 0.5
        lo = np.floor(t)
        frac = t - lo
        lo = lo.astype(np.int64) % n
        hi = (lo + 1) % n
        for b in range(n):
            hist[..., b] = cell_sum(mag * ((1.0 - frac) * (lo == b) + frac * (hi == b)))
    else:
        if binning == "exact":
            bins = hog_orientation_bins_reference(g_row, g_col, n, signed)
        else:
            ori = np.rad2deg(np.arctan2(g_row, g_col)) % period
            bins = np.full(ori.shape, -1)
            for b in range(n):
                bins[(ori >= width * b) & (ori < width * (b + 1))] = b
        for b in range(n):
            hist[..., b] = cell_sum(np.where(bins == b, mag, 0.0))
    return hist / (cr * cc)


def hog_normalize_blocks_reference(hist, cells_per_block=(2, 2), block_norm="L2-Hys"):
    """Block-normalise cell histograms (N, ncr, ncc, n) -> (N, nbr, nbc, br, bc, n)."""
    br, bc = (int(v) for v in cells_per_block)
    N, ncr, ncc, n = hist.shape
    nbr, nbc = ncr - br + 1, ncc - bc + 1
    if nbr <= 0 or nbc <= 0:
        raise ValueError("images too small for one block of cells")
    blocks = np.lib.stride_tricks.sliding_window_view(hist, (br, bc), axis=(1, 2))
    blocks = blocks.transpose(0, 1, 2, 4, 5, 3).astype(np.float64)   # copy
    axes = (3, 4, 5)
    eps = _HOG_EPS
    if block_norm == "L1":
        out = blocks / (np.abs(blocks).sum(axis=axes, keepdims=True) + eps)
    elif block_norm == "L1-sqrt":
        out = np.sqrt(blocks / (np.abs(blocks).sum(axis=axes, keepdims=True) + eps))
    elif block_norm in ("L2", "L2-Hys"):
        out = blocks / np.sqrt((blocks ** 2).sum(axis=axes, keepdims=True) + eps ** 2)
        if block_norm == "L2-Hys":
            out = np.minimum(out, 0.2)
            out = out / np.sqrt((out ** 2).sum(axis=axes, keepdims=True) + eps ** 2)
    else:
        raise ValueError(f"block_norm must be one of {HOG_BLOCK_NORMS} or None, got {block_norm!r}")
    return out


def hog_reference(images, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2),
                  block_norm="L2-Hys", transform_sqrt=False, feature_vector=True,
                  signed=False, interpolate=False, binning="exact"):
    """Batch HOG, pure NumPy, float64 output.

    images: (N, H, W) grey or (N, H, W, C) colour, uint8/float32/float64.
    Returns (N, F) if ``feature_vector`` else (N, nbr, nbc, br, bc, orientations);
    with ``block_norm=None`` the cell histograms (N, ncr, ncc, orientations)
    (flattened to (N, F) if ``feature_vector``).
    """
    hist = hog_cell_histograms_reference(images, orientations, pixels_per_cell,
                                         transform_sqrt, signed, interpolate, binning)
    out = hist if block_norm is None else hog_normalize_blocks_reference(
        hist, cells_per_block, block_norm)
    return out.reshape(out.shape[0], -1) if feature_vector else out
