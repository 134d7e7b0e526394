"""Validation of image batches and of the (rows, cols) parameters of the feature kernels."""

import numbers

import numpy as np

_PIXEL_DTYPES = (np.dtype(np.uint8), np.dtype(np.float32), np.dtype(np.float64))


def _check_images(images, name="images", colour=None):
    """Return a native-endian uint8/float32/float64 4-D view (N, H, W, C) of `images`.

    colour=None accepts (N, H, W) grey or (N, H, W, C); colour=True requires
    (N, H, W, 3).  Other integer and bool dtypes are converted to float32
    (their values are exact there up to 2**24); anything else is rejected.
    """
    a = np.asarray(images)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers (uint8, float32 or float64), "
                        f"got dtype {a.dtype}")
    if a.dtype.kind == "f" and a.dtype.itemsize not in (4, 8):
        raise TypeError(f"{name} must be uint8, float32 or float64, got dtype {a.dtype}")
    if a.dtype not in _PIXEL_DTYPES:
        if a.dtype.kind == "f" or a.dtype == np.dtype(np.uint8).newbyteorder():
            a = a.astype(a.dtype.newbyteorder("="))
        else:
            a = a.astype(np.float32)
    if colour:
        if a.ndim != 4 or a.shape[3] != 3:
            raise ValueError(f"{name} must be RGB images of shape (N, H, W, 3), "
                             f"got shape {a.shape}")
    elif a.ndim == 3:
        a = a[..., None]
    elif a.ndim != 4:
        raise ValueError(f"{name} must be (N, H, W) grey or (N, H, W, C) colour images, "
                         f"got shape {a.shape}")
    if a.shape[3] < 1:
        raise ValueError(f"{name} must have at least one channel, got shape {a.shape}")
    item = a.itemsize
    if not a.flags.aligned or any(s % item for s in a.strides):
        a = np.ascontiguousarray(a)
    return a


def _pair(value, name):
    if isinstance(value, numbers.Integral):
        value = (value, value)
    try:
        a, b = value
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}") from None
    for v in (a, b):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
        if v < 1:
            raise ValueError(f"{name} must be >= 1, got {value!r}")
    return int(a), int(b)
