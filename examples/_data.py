"""Data for the gallery: CIFAR-10 when it is installed, else crops of the pictures that ship with
scikit-image and scikit-learn (no download either way)."""

import textwrap

import numpy as np

SAMPLE_NAMES = ["astronaut", "cat", "coffee", "galaxies", "tissue", "motorcycle", "retina",
                "rocket", "temple", "flower"]


def _sample_pictures():
    from skimage import data
    from sklearn.datasets import load_sample_image

    return [data.astronaut(), data.chelsea(), data.coffee(), data.hubble_deep_field(),
            data.immunohistochemistry(), data.stereo_motorcycle()[0], data.retina(),
            data.rocket(), load_sample_image("china.jpg"), load_sample_image("flower.jpg")]


def _shrink(picture, short_side=128):
    """Box-filter a picture down so that its short side is about ``short_side`` pixels."""
    f = max(1, min(picture.shape[:2]) // short_side)
    h, w = (picture.shape[0] // f) * f, (picture.shape[1] // f) * f
    p = picture[:h, :w].reshape(h // f, f, w // f, f, 3).mean(axis=(1, 3))
    return p.round().astype(np.uint8)


def sample_images(n_train=500, n_val=100, seed=0):
    """32x32 RGB crops of ten pictures, one class per picture.

    Training crops come from the left three quarters of each (shrunk) picture, validation crops
    from the right quarter, so the two splits share no pixels. Returns
    ``(X_train, y_train, X_val, y_val, class_names)`` with uint8 (n, 32, 32, 3) images.
    """
    rng = np.random.default_rng(seed)
    Xtr, ytr, Xva, yva = [], [], [], []
    for label, picture in enumerate(_sample_pictures()):
        p = _shrink(picture)
        cut = 3 * p.shape[1] // 4
        for part, n, X, y in ((p[:, :cut], n_train, Xtr, ytr), (p[:, cut:], n_val, Xva, yva)):
            top = rng.integers(0, part.shape[0] - 32 + 1, n)
            left = rng.integers(0, part.shape[1] - 32 + 1, n)
            crops = np.stack([part[t:t + 32, s:s + 32] for t, s in zip(top, left)])
            flip = rng.random(n) < 0.5
            crops[flip] = crops[flip, :, ::-1]
            X.append(crops)
            y.append(np.full(n, label))
    return (np.concatenate(Xtr), np.concatenate(ytr), np.concatenate(Xva), np.concatenate(yva),
            list(SAMPLE_NAMES))


def load_images(n_train=5000, n_val=1000):
    """CIFAR-10 (the first ``n_train`` training images, the next ``n_val`` for validation) when
    fastlin finds it, else :func:`sample_images`. Prints which one it uses."""
    from fastlin.datasets import find_cifar10, load_cifar10

    if find_cifar10() is not None:
        d = load_cifar10()
        print(f"Data: CIFAR-10 ({n_train} training and {n_val} validation images)")
        X, y = d.X_train, d.y_train
        return (X[:n_train], y[:n_train], X[n_train:n_train + n_val],
                y[n_train:n_train + n_val], list(d.label_names))
    per_class_train, per_class_val = max(1, n_train // 10), max(1, n_val // 10)
    print(textwrap.fill(
        "Data: CIFAR-10 is not installed here, so this example runs on 32x32 crops of ten "
        "pictures that ship with scikit-image and scikit-learn, one class per picture "
        f"({10 * per_class_train} training and {10 * per_class_val} validation crops). "
        "The numbers below are for that task, not for CIFAR-10.", width=68))
    return sample_images(per_class_train, per_class_val)
