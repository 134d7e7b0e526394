"""Pure-NumPy reference implementations of every fastlin kernel.

These are the oracles the tests compare the compiled kernels against, and
usable on their own: the ``*_naive`` functions loop over rows and classes
exactly as the formulas read, the ``*_vectorized`` ones are the classic
NumPy versions. All take ``(W, X, y, reg)`` plus the optional unregularised
bias ``b`` and row selection ``idx`` of :mod:`fastlin.losses`, and return
``(loss, dW)`` or ``(loss, dW, db)`` when ``b`` is given. Computation happens
in X's dtype.
"""

import numpy as np

__all__ = [
    "svm_loss_naive",
    "svm_loss_vectorized",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
]


def _select(X, y, idx):
    if idx is None:
        return X, np.asarray(y)
    idx = np.asarray(idx)
    return X[idx], np.asarray(y)[idx]


def _finish(loss, dW, db, W, reg, b):
    loss = float(loss) + reg * float(np.sum(W * W))
    dW = dW + 2 * reg * W
    return (loss, dW, db) if b is not None else (loss, dW)


# -- loss kernels ------------------------------------------------------------

def svm_loss_naive(W, X, y, reg=0.0, *, delta=1.0, b=None, idx=None):
    """Multiclass SVM loss with explicit loops. W (D, C), X (N, D), y (N,)."""
    X, y = _select(X, y, idx)
    n, C = X.shape[0], W.shape[1]
    dW = np.zeros_like(W)
    db = np.zeros(C, dtype=W.dtype) if b is not None else None
    loss = 0.0
    for i in range(n):
        scores = X[i].dot(W)
        if b is not None:
            scores = scores + b
        correct = scores[y[i]]
        for j in range(C):
            if j == y[i]:
                continue
            margin = scores[j] - correct + delta
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
                if b is not None:
                    db[j] += 1
                    db[y[i]] -= 1
            elif np.isnan(margin):
                loss += margin
    loss /= n
    dW /= n
    if b is not None:
        db /= n
    return _finish(loss, dW, db, W, reg, b)


def svm_loss_vectorized(W, X, y, reg=0.0, *, delta=1.0, b=None, idx=None):
    """Multiclass SVM loss, vectorized. Same results as :func:`svm_loss_naive`."""
    X, y = _select(X, y, idx)
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    if b is not None:
        scores = scores + b
    margins = scores - scores[rows, y][:, None] + np.asarray(delta, dtype=scores.dtype)
    margins[rows, y] = 0
    positive = margins > 0
    loss = np.sum(np.where(positive | np.isnan(margins), margins, 0)) / n
    G = positive.astype(X.dtype)
    G[rows, y] = -G.sum(axis=1)
    G /= n
    db = G.sum(axis=0) if b is not None else None
    return _finish(loss, X.T @ G, db, W, reg, b)


def softmax_loss_naive(W, X, y, reg=0.0, *, b=None, idx=None):
    """Softmax cross-entropy with explicit loops. W (D, C), X (N, D), y (N,)."""
    X, y = _select(X, y, idx)
    n, C = X.shape[0], W.shape[1]
    dW = np.zeros_like(W)
    db = np.zeros(C, dtype=W.dtype) if b is not None else None
    loss = 0.0
    for i in range(n):
        scores = X[i].dot(W)
        if b is not None:
            scores = scores + b
        scores = scores - np.max(scores)
        expo = np.exp(scores.astype(np.float64))
        total = expo.sum()
        loss += np.log(total) - scores[y[i]]
        for j in range(C):
            p = expo[j] / total - (j == y[i])
            dW[:, j] += p * X[i]
            if b is not None:
                db[j] += p
    loss /= n
    dW /= n
    if b is not None:
        db /= n
    return _finish(loss, dW, db, W, reg, b)


def softmax_loss_vectorized(W, X, y, reg=0.0, *, b=None, idx=None):
    """Softmax cross-entropy, vectorized. Same results as :func:`softmax_loss_naive`."""
    X, y = _select(X, y, idx)
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    if b is not None:
        scores = scores + b
    scores = scores - scores.max(axis=1, keepdims=True)
    expo = np.exp(scores)
    total = expo.sum(axis=1, keepdims=True)
    loss = np.sum(np.log(total[:, 0]) - scores[rows, y]) / n
    G = expo / total
    G[rows, y] -= 1
    G /= n
    db = G.sum(axis=0) if b is not None else None
    return _finish(loss, X.T @ G, db, W, reg, b)


# =============================================================================
# features: HOG and hue-histogram references (pure NumPy, the kernels' oracle)
# =============================================================================
#
# Semantics follow scikit-image's ``skimage.feature.hog`` (0.19+) exactly:
#
# * work dtype: float32 for float32 images, float64 otherwise (uint8 included);
#   ``transform_sqrt`` takes the square root in the work dtype;
# * gradients: central differences ``x[r+1] - x[r-1]`` in the work dtype, zero
#   on the first and last row (column) of the *image*;
# * colour: per pixel, the channel whose gradient has the largest magnitude
#   (first channel on ties), magnitudes compared in the work dtype;
# * orientation: ``rad2deg(arctan2(g_row, g_col)) % 180`` in float64; bin ``i``
#   holds ``180/n * i <= o < 180/n * (i + 1)`` (the float64 products, as
#   scikit-image computes them); cells are the ``pixels_per_cell`` tiles from
#   the top-left corner, pixels beyond the last full cell are ignored; a cell's
#   value is the sum of the magnitudes that vote into the bin divided by the
#   number of pixels in the cell;
# * blocks: every ``cells_per_block`` window of cells (stride one cell),
#   normalised with eps = 1e-5: L1 ``v / (sum|v| + eps)``, L1-sqrt the square
#   root of that, L2 ``v / sqrt(sum v^2 + eps^2)``, L2-Hys L2 then clipped at 0.2
#   then L2 again; output order (block row, block col, cell row, cell col, bin).
#
# Beyond scikit-image: ``signed=True`` bins 0-360 degrees (``% 360``);
# ``interpolate=True`` splits each vote linearly between the two bins whose
# centres ``(i + 0.5) * width`` bracket the orientation (Dalal-Triggs, circular);
# ``block_norm=None`` returns the raw cell histograms.
#
# Hard orientation bins are decided exactly (hog_orientation_bins_reference),
# so the reference does not depend on the last ulp of arctan2.  Where
# scikit-image's float64 arctan2 rounds across an edge, or wraps an angle a hair
# below 0 to exactly 180.0 (no bin), the reference and the kernel take the
# exact bin.

import decimal as _decimal

import numpy as _np

HOG_BLOCK_NORMS = ("L1", "L1-sqrt", "L2", "L2-Hys")
_HOG_EPS = 1e-5


def _hog_work_dtype(dtype):
    return _np.float32 if _np.dtype(dtype) == _np.float32 else _np.float64


def hog_gradients_reference(images, transform_sqrt=False):
    """Per-pixel HOG gradients of a batch, channel of largest magnitude chosen.

    images: (N, H, W) or (N, H, W, C), any real dtype.
    Returns ``(g_row, g_col)``, each (N, H, W) in the work dtype (float32 for
    float32 input, float64 otherwise), zero on the image border rows/cols.
    """
    x = _np.asarray(images)
    x = x.astype(_hog_work_dtype(x.dtype), copy=True)
    if transform_sqrt:
        x = _np.sqrt(x)
    if x.ndim == 3:
        x = x[..., None]
    g_row = _np.zeros_like(x)
    g_col = _np.zeros_like(x)
    g_row[:, 1:-1] = x[:, 2:] - x[:, :-2]
    g_col[:, :, 1:-1] = x[:, :, 2:] - x[:, :, :-2]
    if x.shape[3] > 1:
        best = _np.hypot(g_row, g_col).argmax(axis=3)[..., None]
        g_row = _np.take_along_axis(g_row, best, axis=3)
        g_col = _np.take_along_axis(g_col, best, axis=3)
    return g_row[..., 0], g_col[..., 0]


_PI_50 = "3.14159265358979323846264338327950288419716939937510582097494459"


def _decimal_cos_sin(num, den):
    """cos and sin of pi * num / den as 60-digit Decimals (Taylor series)."""
    with _decimal.localcontext() as ctx:
        ctx.prec = 70
        x = _decimal.Decimal(_PI_50) * num / den
        c, s, term, k = _decimal.Decimal(0), _decimal.Decimal(0), _decimal.Decimal(1), 0
        while True:
            if k % 2 == 0:
                c += term if k % 4 == 0 else -term
            else:
                s += term if k % 4 == 1 else -term
            k += 1
            term = term * x / k
            if abs(term) < _decimal.Decimal(10) ** -66 and k > abs(x) + 2:
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
    g_row = _np.asarray(g_row, dtype=_np.float64)
    g_col = _np.asarray(g_col, dtype=_np.float64)
    n = int(orientations)
    turn = 2 if signed else 1
    period = 180.0 * turn
    width = period / n
    with _np.errstate(invalid="ignore"):
        ori = _np.rad2deg(_np.arctan2(g_row, g_col)) % period
    edges = width * _np.arange(n + 1)
    bins = _np.array(_np.clip(_np.searchsorted(edges, ori, side="right") - 1, 0, n - 1),
                     dtype=_np.int64)
    dist = _np.abs(ori[..., None] - edges).min(axis=-1)
    near = _np.flatnonzero(dist <= 1e-7)
    if near.size == 0:
        return bins
    # edge k (1..n-1): exact angle 180 * turn * k / n, direction taken modulo 180
    dirs = []
    for k in range(1, n):
        if (4 * turn * k) % n == 0:
            q = 4 * turn * k // n
            cx, cy = ((1, 0), (1, 1), (0, 1), (-1, 1))[q % 4]
            dirs.append((_decimal.Decimal(cx), _decimal.Decimal(cy), width * k > 45.0 * q))
        else:
            cx, cy = _decimal_cos_sin((turn * k) % n, n)
            dirs.append((cx, cy, False))
    flat = bins.reshape(-1)
    gr, gc = g_row.reshape(-1), g_col.reshape(-1)
    with _decimal.localcontext() as ctx:
        ctx.prec = 70
        for i in near:
            a, b = float(gr[i]), float(gc[i])
            half = a < 0 or (a == 0 and b < 0)
            fr = _decimal.Decimal(-a if half else a)
            fc = _decimal.Decimal(-b if half else b)
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
    g_row = g_row.astype(_np.float64)
    g_col = g_col.astype(_np.float64)
    n = int(orientations)
    cr, cc = (int(v) for v in pixels_per_cell)
    N, H, W = g_row.shape
    ncr, ncc = H // cr, W // cc
    g_row = g_row[:, :ncr * cr, :ncc * cc]
    g_col = g_col[:, :ncr * cr, :ncc * cc]
    mag = _np.hypot(g_row, g_col)
    period = 360.0 if signed else 180.0
    width = period / n

    def cell_sum(v):
        return v.reshape(N, ncr, cr, ncc, cc).sum(axis=(2, 4))

    hist = _np.zeros((N, ncr, ncc, n))
    if interpolate:
        ori = _np.rad2deg(_np.arctan2(g_row, g_col)) % period
        t = ori / width - 0.5
        lo = _np.floor(t)
        frac = t - lo
        lo = lo.astype(_np.int64) % n
        hi = (lo + 1) % n
        for b in range(n):
            hist[..., b] = cell_sum(mag * ((1.0 - frac) * (lo == b) + frac * (hi == b)))
    else:
        if binning == "exact":
            bins = hog_orientation_bins_reference(g_row, g_col, n, signed)
        else:
            ori = _np.rad2deg(_np.arctan2(g_row, g_col)) % period
            bins = _np.full(ori.shape, -1)
            for b in range(n):
                bins[(ori >= width * b) & (ori < width * (b + 1))] = b
        for b in range(n):
            hist[..., b] = cell_sum(_np.where(bins == b, mag, 0.0))
    return hist / (cr * cc)


def hog_normalize_blocks_reference(hist, cells_per_block=(2, 2), block_norm="L2-Hys"):
    """Block-normalise cell histograms (N, ncr, ncc, n) -> (N, nbr, nbc, br, bc, n)."""
    br, bc = (int(v) for v in cells_per_block)
    N, ncr, ncc, n = hist.shape
    nbr, nbc = ncr - br + 1, ncc - bc + 1
    if nbr <= 0 or nbc <= 0:
        raise ValueError("images too small for one block of cells")
    blocks = _np.lib.stride_tricks.sliding_window_view(hist, (br, bc), axis=(1, 2))
    blocks = blocks.transpose(0, 1, 2, 4, 5, 3).astype(_np.float64)   # copy
    axes = (3, 4, 5)
    eps = _HOG_EPS
    if block_norm == "L1":
        out = blocks / (_np.abs(blocks).sum(axis=axes, keepdims=True) + eps)
    elif block_norm == "L1-sqrt":
        out = _np.sqrt(blocks / (_np.abs(blocks).sum(axis=axes, keepdims=True) + eps))
    elif block_norm in ("L2", "L2-Hys"):
        out = blocks / _np.sqrt((blocks ** 2).sum(axis=axes, keepdims=True) + eps ** 2)
        if block_norm == "L2-Hys":
            out = _np.minimum(out, 0.2)
            out = out / _np.sqrt((out ** 2).sum(axis=axes, keepdims=True) + eps ** 2)
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


def rgb_to_hue_reference(rgb):
    """Hue in [0, 1) of an (..., 3) float array in [0, 1], float64.

    Same arithmetic as ``matplotlib.colors.rgb_to_hsv(rgb)[..., 0]`` in float64:
    grey pixels get 0; on ties blue beats green beats red for the maximum.
    """
    x = _np.asarray(rgb, dtype=_np.float64)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    mx = x.max(axis=-1)
    delta = mx - x.min(axis=-1)
    pos = delta > 0
    safe = _np.where(pos, delta, 1.0)
    h = _np.where(r == mx, (g - b) / safe, 0.0)
    h = _np.where(g == mx, 2.0 + (b - r) / safe, h)
    h = _np.where(b == mx, 4.0 + (r - g) / safe, h)
    h = _np.where(pos, h, 0.0)
    return (h / 6.0) % 1.0


def color_histogram_hsv_reference(images, nbin=10, xmin=0, xmax=255, normalized=True):
    """Hue histograms of a batch of RGB images, float64 (N, nbin).

    The course definition: hue = rgb_to_hsv(image / xmax)[..., 0] * xmax in
    float64, bins ``np.linspace(xmin, xmax, nbin + 1)``; bin i holds
    ``edges[i] <= v < edges[i+1]`` (the last bin also ``v == xmax``); values
    outside [xmin, xmax] are dropped.  ``normalized``: rows divided by their
    count (sum to 1; a row with no counted pixel stays 0); otherwise counts.
    """
    x = _np.asarray(images, dtype=_np.float64)
    N = x.shape[0]
    v = (rgb_to_hue_reference(x / xmax) * xmax).reshape(N, -1)
    edges = _np.linspace(xmin, xmax, nbin + 1)
    idx = _np.searchsorted(edges, v, side="right") - 1
    idx[v == edges[-1]] = nbin - 1
    keep = (v >= edges[0]) & (v <= edges[-1])
    rows = _np.broadcast_to(_np.arange(N)[:, None], v.shape)
    counts = _np.zeros((N, nbin))
    _np.add.at(counts, (rows[keep], idx[keep]), 1.0)
    if normalized:
        total = counts.sum(axis=1, keepdims=True)
        counts = _np.divide(counts, total, out=_np.zeros_like(counts), where=total > 0)
    return counts


# =============================================================================================
# Minibatch sampling (reference of csrc/sampling.c): SplitMix64-seeded PCG32, Lemire's bounded
# integers, Fisher-Yates epochs. Pure Python integers, one draw at a time: slow, exact.
# =============================================================================================

_M64 = (1 << 64) - 1
_M32 = (1 << 32) - 1


def splitmix64(x):
    """One SplitMix64 step: returns ``(new_x, output)`` for the 64-bit state ``x``."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return x, z ^ (z >> 31)


class PCG32:
    """PCG-XSH-RR 64/32 exactly as ``csrc/sampling.c`` (see ``sampling.h`` for the stream).

    ``PCG32(seed, stream)`` seeds as ``srandom(splitmix64(seed), stream)``; ``PCG32.from_srandom``
    takes the raw ``(initstate, initseq)`` of the PCG paper's ``pcg32_srandom_r``.
    """

    MULT = 6364136223846793005

    def __init__(self, seed=0, stream=0):
        _, initstate = splitmix64(int(seed) & _M64)
        self._srandom(initstate, int(stream) & _M64)

    @classmethod
    def from_srandom(cls, initstate, initseq):
        g = cls.__new__(cls)
        g._srandom(int(initstate) & _M64, int(initseq) & _M64)
        return g

    def _srandom(self, initstate, initseq):
        self.state = 0
        self.inc = ((initseq << 1) | 1) & _M64
        self.next_uint32()
        self.state = (self.state + initstate) & _M64
        self.next_uint32()

    def next_uint32(self):
        old = self.state
        self.state = (old * self.MULT + self.inc) & _M64
        xorshifted = (((old >> 18) ^ old) >> 27) & _M32
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((-rot) & 31))) & _M32

    def bounded(self, bound):
        """Uniform on ``[0, bound)`` by Lemire's method (``1 <= bound < 2**32``)."""
        m = self.next_uint32() * bound
        low = m & _M32
        if low < bound:
            threshold = ((1 << 32) - bound) % bound
            while low < threshold:
                m = self.next_uint32() * bound
                low = m & _M32
        return m >> 32

    def sample_with_replacement(self, n, k):
        """int64 (k,): k indices uniform on [0, n)."""
        return np.array([self.bounded(n) for _ in range(k)], dtype=np.int64)

    def shuffled_range(self, n):
        """int64 (n,): Fisher-Yates from the top over 0..n-1."""
        perm = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.bounded(i + 1)
            perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=np.int64)


def epoch_batches_reference(n, batch_size, num_batches, seed=0, stream=0):
    """The first ``num_batches`` batches of the shuffled-epoch sampler (list of int64 arrays): each
    epoch is ``PCG32.shuffled_range(n)`` cut into ``batch_size`` slices, the last one shorter."""
    g = PCG32(seed, stream)
    out, perm, pos = [], None, n
    while len(out) < num_batches:
        if pos == n:
            perm, pos = g.shuffled_range(n), 0
        out.append(perm[pos : pos + batch_size])
        pos += len(out[-1])
    return out


__all__ += ["splitmix64", "PCG32", "epoch_batches_reference"]


# =============================================================================================
# Bag of visual words (reference of csrc/patches.c, csrc/kmeans.c, csrc/encode.c): patches,
# contrast normalisation, ZCA whitening, the Lloyd step, k-means++ and the hard and triangle
# encodings with region pooling. Plain float64 NumPy over whole arrays: slow, obvious.
# =============================================================================================

PATCHES_STREAM = 0x70617463  # "patc", csrc/patches.h
KMEANS_STREAM = 0x6B6D65616E73  # "kmeans", csrc/kmeans.h


def patch_positions_reference(n, h, w, ph, pw, count, seed=0):
    """int64 (count, 3): (image, top, left) drawn as bounded(n), bounded(h-ph+1), bounded(w-pw+1)."""
    g = PCG32(seed, PATCHES_STREAM)
    out = np.empty((count, 3), dtype=np.int64)
    for i in range(count):
        out[i] = g.bounded(n), g.bounded(h - ph + 1), g.bounded(w - pw + 1)
    return out


def _as_nhwc(images):
    images = np.asarray(images)
    return images[..., None] if images.ndim == 3 else images


def extract_patches_reference(images, positions, patch_size):
    """float64 (count, ph*pw*C): images[i, y:y+ph, x:x+pw, :] flattened for each (i, y, x)."""
    images = _as_nhwc(images)
    ph, pw = patch_size
    D = ph * pw * images.shape[3]
    out = np.empty((len(positions), D))
    for k, (i, y, x) in enumerate(np.asarray(positions)):
        out[k] = images[i, y:y + ph, x:x + pw, :].reshape(-1)
    return out


def dense_patches_reference(images, patch_size, stride=1):
    """float64 (N, ny, nx, ph*pw*C): every patch on the stride grid, row-major positions."""
    images = _as_nhwc(images).astype(np.float64)
    ph, pw = patch_size
    n, h, w, c = images.shape
    ny, nx = (h - ph) // stride + 1, (w - pw) // stride + 1
    out = np.empty((n, ny, nx, ph * pw * c))
    for oy in range(ny):
        for ox in range(nx):
            y, x = oy * stride, ox * stride
            out[:, oy, ox] = images[:, y:y + ph, x:x + pw, :].reshape(n, -1)
    return out


def normalize_patches_reference(X, eps=10.0):
    """(x - mean) / sqrt(var + eps) per row (var: mean squared deviation), float64."""
    X = np.asarray(X, dtype=np.float64)
    return (X - X.mean(axis=1, keepdims=True)) / np.sqrt(X.var(axis=1, keepdims=True) + eps)


def zca_fit_reference(X, eps=0.1):
    """ZCA of the rows of X (Coates & Ng): mean m, P = V diag(1/sqrt(e + eps)) V^T for the
    eigen-decomposition V diag(e) V^T of the covariance (normalised by n - 1)."""
    X = np.asarray(X, dtype=np.float64)
    m = X.mean(axis=0)
    e, V = np.linalg.eigh(np.cov(X, rowvar=False))
    return m, (V * (1.0 / np.sqrt(e + eps))) @ V.T


def kmeans_step_reference(X, centers):
    """One Lloyd step from ``centers``: labels (first nearest centre), squared distances to it,
    per-cluster sums and counts, the new centres (the old one for an empty cluster) and the
    inertia, all from the full float64 distance matrix."""
    X = np.asarray(X, dtype=np.float64)
    C = np.asarray(centers, dtype=np.float64)
    d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    labels = d2.argmin(axis=1)
    mind = d2[np.arange(len(X)), labels]
    K = len(C)
    sums = np.zeros_like(C)
    np.add.at(sums, labels, X)
    counts = np.bincount(labels, minlength=K)
    new = C.copy()
    nz = counts > 0
    new[nz] = sums[nz] / counts[nz, None]
    return labels, mind, sums, counts, new, mind.sum()


def _uniform53(g):
    a, b = g.next_uint32() >> 5, g.next_uint32() >> 6
    return (a * 67108864.0 + b) / 9007199254740992.0


def kmeans_plusplus_reference(X, n_clusters, n_trials, seed=0):
    """Greedy k-means++ exactly as csrc/kmeans.h describes (scikit-learn's algorithm): row
    indices (int64) and the final potential. float64 distances; O(n_clusters * n * n_trials)."""
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    g = PCG32(seed, KMEANS_STREAM)

    def sqdist(i):
        return np.maximum(((X - X[i]) ** 2).sum(axis=1), 0.0)

    first = g.bounded(n)
    idx = [first]
    closest = sqdist(first)
    pot = closest.sum()
    for _ in range(1, n_clusters):
        cum = np.cumsum(closest)
        cands = []
        for _t in range(n_trials):
            u = _uniform53(g) * pot
            cands.append(min(int(np.searchsorted(cum, u, side="left")), n - 1))
        dists = [np.minimum(closest, sqdist(c)) for c in cands]
        pots = [d.sum() for d in dists]
        best = int(np.argmin(pots))
        idx.append(cands[best])
        closest, pot = dists[best], pots[best]
    return np.array(idx, dtype=np.int64), pot


def bow_encode_reference(images, centers, patch_size=(6, 6), stride=1, *, normalize=True,
                         eps=10.0, whiten_mean=None, whiten_matrix=None, encoding="triangle",
                         grid=2):
    """float64 (N, grid*grid*K): dense patches -> normalisation -> (x - m) @ P -> distances to the
    centres -> triangle ``max(0, mean(d) - d)`` or one-hot nearest -> sums over the grid x grid
    regions of positions (region of (oy, ox) = (oy*grid//ny, ox*grid//nx), row-major)."""
    P = dense_patches_reference(images, patch_size, stride)
    n, ny, nx, D = P.shape
    Z = P.reshape(-1, D)
    if normalize:
        Z = normalize_patches_reference(Z, eps)
    if whiten_mean is not None:
        Z = Z - np.asarray(whiten_mean, dtype=np.float64)
    if whiten_matrix is not None:
        Z = Z @ np.asarray(whiten_matrix, dtype=np.float64)
    C = np.asarray(centers, dtype=np.float64)
    K = len(C)
    d2 = (Z ** 2).sum(1)[:, None] - 2 * Z @ C.T + (C ** 2).sum(1)[None, :]
    if encoding == "triangle":
        d = np.sqrt(np.maximum(d2, 0))
        f = np.maximum(d.mean(axis=1, keepdims=True) - d, 0)
    else:
        f = np.zeros_like(d2)
        f[np.arange(len(f)), d2.argmin(axis=1)] = 1
    f = f.reshape(n, ny, nx, K)
    out = np.zeros((n, grid, grid, K))
    for oy in range(ny):
        for ox in range(nx):
            out[:, oy * grid // ny, ox * grid // nx] += f[:, oy, ox]
    return out.reshape(n, -1)


__all__ += ["patch_positions_reference", "extract_patches_reference", "dense_patches_reference",
            "normalize_patches_reference", "zca_fit_reference", "kmeans_step_reference",
            "kmeans_plusplus_reference", "bow_encode_reference"]
