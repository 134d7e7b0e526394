"""The learned weights of a linear classifier viewed as images: one template per class."""

from __future__ import annotations

import math

import numpy as np

from ._common import final_estimator, pyplot, rescale

__all__ = ["weight_templates", "templates_as_images"]


def _image_shape(image_shape):
    try:
        shape = tuple(int(s) for s in image_shape)
    except (TypeError, ValueError):
        raise TypeError(f"image_shape must be a tuple of ints, got {image_shape!r}") from None
    if len(shape) not in (2, 3) or min(shape) < 1 or (len(shape) == 3 and shape[2] not in (1, 3)):
        raise ValueError(f"image_shape must be (H, W) or (H, W, 1 or 3), got {image_shape!r}")
    return shape


def templates_as_images(est_or_W, image_shape=(32, 32, 3)) -> np.ndarray:
    """The class templates as images, each rescaled to [0, 1]: float64 ``(C, *image_shape)``.

    ``est_or_W`` is a fitted estimator (or Pipeline ending in one) with ``coef_`` (C, D), or an
    array ``W`` (D, C) as the loss kernels take it (a (C, D) array is accepted too when the
    shapes say which is which). A bias row/column (D = H*W*channels + 1, the "bias trick") is
    dropped. Each template is rescaled on its own, ``(w - min) / (max - min)``, as in the
    CS231n picture (there, times 255).
    """
    shape = _image_shape(image_shape)
    P = math.prod(shape)
    est = final_estimator(est_or_W)
    if hasattr(est, "coef_"):
        W = np.asarray(est.coef_, dtype=np.float64).T
    else:
        W = np.asarray(est_or_W)
        if W.dtype.kind not in "fiu" or W.ndim != 2:
            raise ValueError(f"est_or_W must be a fitted estimator or a 2-D weight array, got "
                             f"{type(est_or_W).__name__} of shape {getattr(W, 'shape', None)}")
        W = W.astype(np.float64)
        if W.shape[0] not in (P, P + 1) and W.shape[1] in (P, P + 1):
            W = W.T
    if W.ndim != 2 or W.shape[0] not in (P, P + 1):
        raise ValueError(f"est_or_W: weights of shape {W.shape} do not hold images of shape "
                         f"{shape} (need D = {P} or {P + 1} with a bias)")
    if not np.isfinite(W).all():
        raise ValueError("est_or_W: the weights hold NaN or infinite values")
    W = W[:P]
    return rescale(W.T.reshape((W.shape[1],) + shape), axis=tuple(range(1, len(shape) + 1)))


def weight_templates(est_or_W, image_shape=(32, 32, 3), class_names=None, *, ncols=None,
                     fig=None):
    """Draw the learned templates as a grid of images (the CS231n picture).

    Parameters
    ----------
    est_or_W : fitted estimator or array (D, C)
        See :func:`templates_as_images`.
    image_shape : (H, W) or (H, W, 3)
    class_names : sequence of C str, optional
        Titles (default: the estimator's ``classes_`` or the class indices).
    ncols : int, optional
        Images per row (default: all in one row up to 10).
    fig : matplotlib Figure, optional
        Drawn into (its existing Axes are cleared).

    Returns
    -------
    fig : Figure
        One Axes per class; ``fig.axes[k].images[0].get_array()`` is template k in [0, 1].
    """
    images = templates_as_images(est_or_W, image_shape)
    C = images.shape[0]
    if class_names is None:
        classes = getattr(final_estimator(est_or_W), "classes_", None)
        class_names = [str(c) for c in (classes if classes is not None else range(C))]
    class_names = [str(c) for c in class_names]
    if len(class_names) != C:
        raise ValueError(f"class_names has {len(class_names)} names for {C} classes")
    if ncols is None:
        ncols = min(C, 10)
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be an integer >= 1, got {ncols!r}")
    nrows = -(-C // ncols)
    plt = pyplot()
    if fig is None:
        fig = plt.figure(figsize=(1.3 * ncols, 1.5 * nrows))
    else:
        fig.clf()
    for k in range(C):
        ax = fig.add_subplot(nrows, ncols, k + 1)
        img = images[k]
        if img.ndim == 3 and img.shape[2] == 1:
            img = img[..., 0]
        ax.imshow(img, cmap="gray" if img.ndim == 2 else None, vmin=0.0, vmax=1.0,
                  interpolation="nearest")
        ax.set_title(class_names[k], fontsize=9)
        ax.axis("off")
    return fig
