"""Bags of visual words: patches, contrast normalisation, ZCA whitening, codebook encodings.

The learned-features pipeline of Coates, Lee & Ng (2011), "An analysis of single-layer networks
in unsupervised feature learning": cut many small patches out of the training images, normalise
their contrast, whiten them (ZCA), cluster them with k-means into a codebook of "visual words",
then describe every image by the soft "triangle" activations of all its patches against the
codebook, summed over the four quadrants of the image. With 6x6 patches and 1600 words a linear
classifier on these features reaches about 78 % on CIFAR-10.

The patch steps (:func:`random_patches`, :func:`dense_patches`, :func:`normalize_patches`,
:func:`fit_zca`) are in :mod:`fastlin.features._patches`; here:

* :func:`encode` -- triangle or hard (nearest word) encoding of every patch position, pooled over
  regions, computed tile by tile in C: the positions x words map is never materialised;
* :class:`BagOfVisualWords` -- the whole recipe as a scikit-learn transformer (also exported as
  ``fastlin.features.BagOfVisualWords``).

Outputs are float32 for uint8/float32 images and float64 for float64 images (or ``dtype``).
The NumPy oracles are in :mod:`fastlin.reference`.
"""

import numbers

import numpy as np

from .._ext import _bow
from .._validation import (check_float_array, check_int, check_num_threads, check_scalar,
                           random_seed, random_state_rng)
from ..cluster import KMeans
from ._images import _check_images
from ._patches import (_grid_shape, _patch_shape, _prepare, fit_zca, normalize_patches,
                       random_patches)
from ._transformers import _as_images, _Base, _Mixin

__all__ = ["encode", "BagOfVisualWords"]

_ENCODINGS = {"triangle": _bow.TRIANGLE, "hard": _bow.HARD}


def _pooling_grid(pooling):
    if pooling == "quadrants":
        return 2
    if pooling in ("sum", None):
        return 1
    if isinstance(pooling, numbers.Integral) and not isinstance(pooling, (bool, np.bool_)) \
            and pooling >= 1:
        return int(pooling)
    raise ValueError(f"pooling must be 'quadrants', 'sum' or an int >= 1 (grid side), "
                     f"got {pooling!r}")


def encode(images, centers, patch_size=6, stride=1, *, encoding="triangle", pooling="quadrants",
           normalize=True, eps=10.0, whiten_mean=None, whiten_matrix=None, dtype=None,
           num_threads=None):
    """Encode images (N, H, W[, C]) against a codebook ``centers`` (K, ph*pw*C): (N, R*K).

    Every dense patch x (stride ``stride``) is contrast-normalised (``normalize``, ``eps``),
    shifted by ``whiten_mean`` and multiplied by ``whiten_matrix`` when given, then encoded:
    'triangle': ``f_k = max(0, mean_j(d_j) - d_k)`` with ``d_k = ||z - c_k||``; 'hard': 1 for the
    nearest centre. The codes are summed over R regions: 'quadrants' (R = 4: top-left, top-right,
    bottom-left, bottom-right, the first ceil(ny/2) rows of positions being the top half), 'sum'
    (R = 1) or an int g (g x g grid). Images are encoded in parallel, tile by tile in C.
    """
    a, dt = _prepare(images, dtype)
    ph, pw = _patch_shape(patch_size, a)
    s = check_int(stride, "stride", 1)
    if encoding not in _ENCODINGS:
        raise ValueError(f"encoding must be 'triangle' or 'hard', got {encoding!r}")
    grid = _pooling_grid(pooling)
    D = ph * pw * a.shape[3]
    C = np.ascontiguousarray(check_float_array(centers, "centers", 2).astype(dt, copy=False))
    if C.shape[0] < 1 or C.shape[1] != D:
        raise ValueError(f"centers must have shape (K >= 1, {D}) for {ph}x{pw} patches of "
                         f"{a.shape[3]} channels, got {C.shape}")
    if not np.isfinite(C).all():
        raise ValueError("centers holds NaN or infinite values")
    ny, nx = _grid_shape(a.shape[1], a.shape[2], ph, pw, s)
    if grid > min(ny, nx):
        raise ValueError(f"pooling grid {grid}x{grid} is finer than the {ny}x{nx} patch positions")
    eps = check_scalar(eps, "eps", minimum=0.0)
    if normalize and eps == 0:
        raise ValueError("eps must be > 0 with normalize=True")
    m = P = None
    if whiten_mean is not None:
        m = np.ascontiguousarray(check_float_array(whiten_mean, "whiten_mean", 1)
                                 .astype(dt, copy=False))
        if m.shape != (D,) or not np.isfinite(m).all():
            raise ValueError(f"whiten_mean must be finite of shape ({D},), got {m.shape}")
    if whiten_matrix is not None:
        P = np.ascontiguousarray(check_float_array(whiten_matrix, "whiten_matrix", 2)
                                 .astype(dt, copy=False))
        if P.shape != (D, D) or not np.isfinite(P).all():
            raise ValueError(f"whiten_matrix must be finite of shape ({D}, {D}), got {P.shape}")
    out = np.empty((a.shape[0], grid * grid * C.shape[0]), dtype=dt)
    params = (ph, pw, s, int(bool(normalize)), eps, _ENCODINGS[encoding], grid)
    _bow.encode(a, C, out, params, m, P, check_num_threads(num_threads))
    return out


class BagOfVisualWords(_Mixin, _Base):
    """scikit-learn transformer: images -> pooled bag-of-visual-words codes (N, R*n_words).

    ``fit`` draws ``n_patches`` random patches of the training images, normalises their
    contrast, fits ZCA whitening (``whiten``) and learns a codebook of ``n_words`` centres with
    :class:`fastlin.cluster.KMeans`; ``transform`` encodes every patch position of each image
    (:func:`encode`). The defaults are Coates, Lee & Ng's configuration: 6x6 patches, stride 1,
    triangle encoding, sums over the 4 quadrants, whitening; so
    ``make_pipeline(BagOfVisualWords(n_words=1600), StandardScaler(), fastlin.LinearSVM())`` is
    the whole recipe. On the 6,400-D codes (k = 1600) the classifier needs more epochs and a
    larger step than its defaults: ``fastlin.Softmax(reg=1e-5, learning_rate=1e-2, max_iter=40)``
    or ``fastlin.LinearSVM(reg=1e-3, learning_rate=1e-2, max_iter=40)`` (bench/notes/bow.md).

    The codebook: ``kmeans_max_iter=10`` Lloyd steps from ``kmeans_init='random'`` (distinct
    random patches). On CIFAR-10, 50 steps gave no better features (exact ridge oracle 0.729 vs
    0.731) and k-means++ seeding of 1600 centres costs about a minute on 2 cores, so both
    defaults favour time (bench/notes/bow.md).

    ``whiten_eps`` is the eigenvalue epsilon of the ZCA whitening (the paper's 0.1; on
    JPEG-recompressed CIFAR-10 images 1.0 measured a little better, bench/notes/bow.md).

    Accepts (N, H, W[, C]) arrays, or 2-D (N, H*W*C) with ``image_shape``.

    Attributes: ``cluster_centers_`` (n_words, D) (in the whitened space), ``whiten_mean_``,
    ``whiten_matrix_`` (None without whitening), ``kmeans_`` (the fitted KMeans),
    ``n_features_in_``, ``patch_dim_``.
    """


    def __init__(self, n_words=1600, *, patch_size=6, stride=1, encoding="triangle",
                 pooling="quadrants", whiten=True, whiten_eps=0.1, normalize=True,
                 n_patches=400_000,
                 kmeans_init="random", kmeans_max_iter=10, random_state=None,
                 image_shape=None, dtype=np.float32, num_threads=None, verbose=0):
        self.n_words = n_words
        self.patch_size = patch_size
        self.stride = stride
        self.encoding = encoding
        self.pooling = pooling
        self.whiten = whiten
        self.whiten_eps = whiten_eps
        self.normalize = normalize
        self.n_patches = n_patches
        self.kmeans_init = kmeans_init
        self.kmeans_max_iter = kmeans_max_iter
        self.random_state = random_state
        self.image_shape = image_shape
        self.dtype = dtype
        self.num_threads = num_threads
        self.verbose = verbose

    def fit(self, X, y=None, *, progress=False):
        """Learn normalisation, whitening and codebook from random patches of X.

        ``progress=True`` shows a tqdm bar over the k-means steps (when tqdm is installed).
        """
        images = _check_images(_as_images(X, self.image_shape), "X")
        if images.shape[0] < 1:
            raise ValueError("X must hold at least one image")
        k = check_int(self.n_words, "n_words", 1)
        n_patches = check_int(self.n_patches, "n_patches", 1)
        if k > n_patches:
            raise ValueError(f"n_words={k} must be <= n_patches={n_patches}: k-means needs at "
                             f"least one patch per word")
        if self.encoding not in _ENCODINGS:
            raise ValueError(f"encoding must be 'triangle' or 'hard', got {self.encoding!r}")
        _pooling_grid(self.pooling)
        check_int(self.stride, "stride", 1)
        ph, pw = _patch_shape(self.patch_size, images)
        if images.dtype != np.uint8 and not np.isfinite(images).all():
            raise ValueError("X holds NaN or infinite values")
        rng = random_state_rng(self.random_state)
        if self.verbose:
            print(f"BagOfVisualWords: {n_patches} random {ph}x{pw} patches")
        P = random_patches(images, (ph, pw), n_patches, random_state=random_seed(rng),
                           dtype=self.dtype, num_threads=self.num_threads)
        if self.normalize:
            P = normalize_patches(P, 10.0, copy=False, num_threads=self.num_threads)
        if self.whiten:
            m, W = fit_zca(P, self.whiten_eps)
            for i in range(0, len(P), 65536):  # in place, chunk by chunk
                P[i:i + 65536] = (P[i:i + 65536] - m) @ W
            self.whiten_mean_, self.whiten_matrix_ = m, W
        else:
            self.whiten_mean_ = self.whiten_matrix_ = None
        if self.verbose:
            print(f"BagOfVisualWords: k-means, {k} words")
        bar = _bar(progress, self.kmeans_max_iter, "k-means", "step")
        callback = None if bar is None else (
            lambda it, inertia, shift: (bar.set_postfix(inertia=f"{inertia:.4g}", refresh=False),
                                        bar.update(1)))
        try:
            self.kmeans_ = KMeans(k, init=self.kmeans_init, max_iter=self.kmeans_max_iter,
                                  tol=0.0, random_state=random_seed(rng), num_threads=self.num_threads,
                                  verbose=max(0, self.verbose - 1)).fit(P, callback=callback)
        finally:
            if bar is not None:
                bar.close()
        self.cluster_centers_ = self.kmeans_.cluster_centers_
        self.n_features_in_ = int(np.prod(images.shape[1:]))
        self.image_shape_ = images.shape[1:]
        self.patch_dim_ = P.shape[1]
        return self

    def transform(self, X, *, batch_size=2000, progress=False):
        """Encode the images of X: (N, R*n_words), ``batch_size`` images at a time (a tqdm bar
        with ``progress=True``)."""
        if not hasattr(self, "cluster_centers_"):
            try:
                from sklearn.exceptions import NotFittedError
            except ImportError:  # pragma: no cover
                NotFittedError = AttributeError
            raise NotFittedError("This BagOfVisualWords instance is not fitted yet")
        images = _check_images(_as_images(X, self.image_shape), "X")
        if images.shape[1:] != self.image_shape_:
            raise ValueError(f"X holds images of shape {images.shape[1:]}, but "
                             f"BagOfVisualWords was fitted on {self.image_shape_}")
        batch_size = check_int(batch_size, "batch_size", 1)
        kw = dict(encoding=self.encoding, pooling=self.pooling, normalize=self.normalize, eps=10.0,
                  whiten_mean=self.whiten_mean_, whiten_matrix=self.whiten_matrix_,
                  dtype=self.cluster_centers_.dtype, num_threads=self.num_threads)
        n = images.shape[0]
        if n <= batch_size and not progress:
            return encode(images, self.cluster_centers_, self.patch_size, self.stride, **kw)
        R = _pooling_grid(self.pooling) ** 2
        out = np.empty((n, R * self.cluster_centers_.shape[0]), dtype=self.cluster_centers_.dtype)
        bar = _bar(progress, n, "encoding", "img")
        try:
            for i in range(0, n, batch_size):
                out[i:i + batch_size] = encode(images[i:i + batch_size], self.cluster_centers_,
                                               self.patch_size, self.stride, **kw)
                if bar is not None:
                    bar.update(min(batch_size, n - i))
        finally:
            if bar is not None:
                bar.close()
        return out


def _bar(progress, total, desc, unit):
    """A tqdm bar when progress is true and tqdm is installed, else None."""
    if not progress:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=desc, unit=unit, leave=True)
