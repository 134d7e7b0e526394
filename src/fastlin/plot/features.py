"""Pictures of the image features: HOG's edge glyphs, the hue histogram, the k-means codebook."""

from __future__ import annotations

import numpy as np

from ._common import check_int, new_axes, new_axes_pair, rescale

__all__ = ["hog_glyphs", "hog_glyph_segments", "hue_histogram", "codebook", "codebook_patches"]


def _one_image(image, name="image", colour=None):
    a = np.asarray(image)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {a.dtype}")
    if colour and (a.ndim != 3 or a.shape[2] != 3):
        raise ValueError(f"{name} must be one RGB image (H, W, 3), got shape {a.shape}")
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (1, 3)):
        raise ValueError(f"{name} must be one image (H, W) or (H, W, 1 or 3), got shape {a.shape}")
    return a


def _show(ax, image):
    img = image[..., 0] if image.ndim == 3 and image.shape[2] == 1 else image
    if img.dtype.kind == "f" and img.ndim == 3:
        img = rescale(img) if (img.min() < 0 or img.max() > 1) else img
    ax.imshow(img, cmap="gray" if img.ndim == 2 else None, interpolation="nearest")
    ax.axis("off")


def hog_glyph_segments(image, orientations=9, pixels_per_cell=(8, 8), *, signed=False,
                       transform_sqrt=False, interpolate=False):
    """The cell histograms of :func:`fastlin.features.hog` and their glyphs as line segments.

    Returns ``(hist, segments)``: ``hist`` (n_cells_row, n_cells_col, orientations) are the raw
    cell histograms (``block_norm=None``), ``segments`` (n_cells_row * n_cells_col *
    orientations, 2, 2) the (x, y) end points of one segment per cell and bin: centred on the
    cell, along the edge (perpendicular to the bin's gradient orientation), of length
    ``min(cell size) * hist / hist.max()``.
    """
    from ..features import hog

    a = _one_image(image)
    hist = hog(a[None], orientations, pixels_per_cell, block_norm=None, feature_vector=False,
               signed=signed, transform_sqrt=transform_sqrt, interpolate=interpolate)[0]
    hist = hist.astype(np.float64)
    ncr, ncc, nb = hist.shape
    cr, cc = (pixels_per_cell, pixels_per_cell) if np.isscalar(pixels_per_cell) else pixels_per_cell
    period = 2 * np.pi if signed else np.pi
    theta = period * (np.arange(nb) + 0.5) / nb  # bin centres: gradient orientation
    edge = np.stack([-np.sin(theta), np.cos(theta)], axis=1)  # (nb, 2) x, y (y down)
    top = hist.max()
    half = 0.5 * min(cr, cc) * (hist / top if top > 0 else hist)  # (ncr, ncc, nb)
    cy = (np.arange(ncr) + 0.5) * cr - 0.5
    cx = (np.arange(ncc) + 0.5) * cc - 0.5
    centre = np.stack(np.broadcast_arrays(cx[None, :, None], cy[:, None, None]), axis=-1)
    d = half[..., None] * edge  # (ncr, ncc, nb, 2)
    seg = np.stack([centre - d, centre + d], axis=-2)  # (ncr, ncc, nb, 2, 2)
    return hist, seg.reshape(-1, 2, 2)


def hog_glyphs(image, orientations=9, pixels_per_cell=(8, 8), *, signed=False,
               transform_sqrt=False, interpolate=False, axes=None):
    """The image beside its HOG: per cell, one line per orientation bin along the edge it
    stands for, as long as the bin's share of the largest cell histogram value (the picture of
    ``skimage.feature.hog(visualize=True)``, from fastlin's own histograms).

    Parameters
    ----------
    image : (H, W) grey or (H, W, 3) RGB; uint8, float32 or float64
    orientations, pixels_per_cell, signed, transform_sqrt, interpolate
        As :func:`fastlin.features.hog`.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    fig : Figure
        ``fig.axes[1].collections[0]`` is the LineCollection of the glyphs (see
        :func:`hog_glyph_segments` for the segment order).
    """
    from matplotlib.collections import LineCollection

    a = _one_image(image)
    hist, seg = hog_glyph_segments(a, orientations, pixels_per_cell, signed=signed,
                                   transform_sqrt=transform_sqrt, interpolate=interpolate)
    fig, ax0, ax1 = new_axes_pair(axes)
    _show(ax0, a)
    ax0.set_title("image")
    ax1.add_collection(LineCollection(seg, colors="white", linewidths=1.2))
    ax1.set_facecolor("black")
    ax1.set_xlim(-0.5, a.shape[1] - 0.5)
    ax1.set_ylim(a.shape[0] - 0.5, -0.5)
    ax1.set_aspect("equal")
    ax1.set_xticks([])
    ax1.set_yticks([])
    ax1.set_title(f"HOG, {hist.shape[2]} bins per cell")
    return fig


def hue_histogram(image, nbin=10, *, axes=None):
    """The image beside its hue histogram (:func:`fastlin.features.color_histogram_hsv`), each
    bar painted with the hue at its centre.

    image : (H, W, 3) RGB, uint8 (or float in [0, 255]).  nbin : int >= 1.
    axes : pair of matplotlib Axes, optional.

    Returns the Figure; ``fig.axes[1].patches`` are the bars (heights = the histogram, fractions
    of the pixels).
    """
    from matplotlib.colors import hsv_to_rgb

    from ..features import color_histogram_hsv

    a = _one_image(image, colour=True)
    nbin = check_int(nbin, "nbin", 1)
    h = color_histogram_hsv(a[None], nbin)[0].astype(np.float64)
    centres = (np.arange(nbin) + 0.5) / nbin
    colours = hsv_to_rgb(np.stack([centres, np.ones(nbin), np.ones(nbin)], axis=1))
    fig, ax0, ax1 = new_axes_pair(axes)
    _show(ax0, a)
    ax0.set_title("image")
    ax1.bar(centres * 360, h, width=360 / nbin * 0.9, color=colours, edgecolor="0.3")
    ax1.set_xlim(0, 360)
    ax1.set_xlabel("hue (degrees)")
    ax1.set_ylabel("fraction of pixels")
    ax1.set_title("hue histogram")
    return fig


def codebook_patches(bow_or_centres, patch_shape=(6, 6, 3), *, whiten_mean=None,
                     whiten_matrix=None) -> np.ndarray:
    """The codebook's words as patches for display: float64 ``(K, *patch_shape)`` in [0, 1].

    ``bow_or_centres``: a fitted :class:`fastlin.features.BagOfVisualWords` (or a Pipeline
    holding one), or centres (K, D).
    Whitening is undone, ``x = c @ inv(whiten_matrix) + whiten_mean`` (the BoW's own whitening
    when given a BagOfVisualWords), then each patch is rescaled to [0, 1] on its own.
    """
    est = bow_or_centres
    steps = getattr(est, "steps", None)
    if isinstance(steps, list):
        est = next((s for _, s in steps if hasattr(s, "cluster_centers_")), est)
    if hasattr(est, "cluster_centers_"):
        C = np.asarray(est.cluster_centers_, dtype=np.float64)
        if whiten_matrix is None and getattr(est, "whiten_matrix_", None) is not None:
            whiten_mean, whiten_matrix = est.whiten_mean_, est.whiten_matrix_
        ps = getattr(est, "patch_size", None)
        shape = getattr(est, "image_shape_", None)
        if ps is not None and shape is not None:
            ph, pw = (ps, ps) if np.isscalar(ps) else ps
            patch_shape = (ph, pw) + tuple(shape[2:])
    else:
        C = np.asarray(bow_or_centres)
        if C.dtype.kind not in "fiu" or C.ndim != 2:
            raise ValueError("bow_or_centres must be a fitted BagOfVisualWords or a 2-D array "
                             f"of centres, got {type(bow_or_centres).__name__}")
        C = C.astype(np.float64)
    shape = tuple(int(s) for s in patch_shape)
    if int(np.prod(shape)) != C.shape[1]:
        raise ValueError(f"patch_shape {shape} does not match centres of dimension {C.shape[1]}")
    if whiten_matrix is not None:
        P = np.asarray(whiten_matrix, dtype=np.float64)
        if P.shape != (C.shape[1],) * 2:
            raise ValueError(f"whiten_matrix must have shape {(C.shape[1],) * 2}, got {P.shape}")
        C = np.linalg.solve(P.T, C.T).T  # c = x @ P  ->  x = c @ inv(P)
    if whiten_mean is not None:
        m = np.asarray(whiten_mean, dtype=np.float64)
        if m.shape != (C.shape[1],):
            raise ValueError(f"whiten_mean must have shape ({C.shape[1]},), got {m.shape}")
        C = C + m
    return rescale(C, axis=1).reshape((C.shape[0],) + shape)


def codebook(bow_or_centres, patch_shape=(6, 6, 3), *, max_words=400, ncols=None,
             whiten_mean=None, whiten_matrix=None, ax=None):
    """The learned words as a mosaic of patches (the picture in Coates, Lee & Ng 2011).

    Parameters as :func:`codebook_patches`; ``max_words`` first words are shown, ``ncols`` per
    row (default: a square). Returns the Axes; ``ax.images[0].get_array()`` is the mosaic, patch
    k at rows ``r*(ph+1)+1 : r*(ph+1)+1+ph``, columns likewise, with ``r, c = divmod(k, ncols)``
    (a one-pixel white grid between patches).
    """
    patches = codebook_patches(bow_or_centres, patch_shape, whiten_mean=whiten_mean,
                               whiten_matrix=whiten_matrix)
    k = min(len(patches), check_int(max_words, "max_words", 1))
    patches = patches[:k]
    if patches.ndim == 3:
        patches = patches[..., None]
    if patches.shape[3] == 1:
        patches = np.repeat(patches, 3, axis=3)
    ncols = int(np.ceil(np.sqrt(k))) if ncols is None else check_int(ncols, "ncols", 1)
    nrows = -(-k // ncols)
    ph, pw = patches.shape[1:3]
    mosaic = np.ones((nrows * (ph + 1) + 1, ncols * (pw + 1) + 1, 3))
    for i, p in enumerate(patches):
        r, c = divmod(i, ncols)
        mosaic[r * (ph + 1) + 1:r * (ph + 1) + 1 + ph, c * (pw + 1) + 1:c * (pw + 1) + 1 + pw] = p
    ax = new_axes(ax)
    ax.imshow(mosaic, interpolation="nearest")
    ax.set_title(f"{k} visual words")
    ax.axis("off")
    return ax
