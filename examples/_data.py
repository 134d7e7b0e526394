"""Data for the gallery: CIFAR-10 when fastlin finds it, else the sample images that ship with
fastlin (:func:`fastlin.datasets.load_sample_images`); no download either way."""

import textwrap


def load_images(n_train=5000, n_val=1000):
    """``(X_train, y_train, X_val, y_val, class_names)``, uint8 (n, 32, 32, 3) images.

    CIFAR-10: the first ``n_train`` training images and the next ``n_val`` for validation.
    Otherwise the shipped sample images, ``n_train // 10`` and ``n_val // 10`` crops per class
    (the validation crops are the set's test split). Prints which one it uses.
    """
    from fastlin.datasets import find_cifar10, load_cifar10, load_sample_images

    if find_cifar10() is not None:
        d = load_cifar10()
        print(f"Data: CIFAR-10 ({n_train} training and {n_val} validation images)")
        X, y = d.X_train, d.y_train
        return (X[:n_train], y[:n_train], X[n_train:n_train + n_val],
                y[n_train:n_train + n_val], list(d.label_names))
    d = load_sample_images(max(1, n_train // 10), max(1, n_val // 10))
    print(textwrap.fill(
        "Data: CIFAR-10 is not installed here, so this example runs on the sample images "
        "that ship with fastlin: 32x32 crops of ten photographs, one class per photograph "
        f"({len(d.X_train)} training and {len(d.X_test)} validation crops). The numbers below "
        "are for that task, not for CIFAR-10.", width=68))
    return d.X_train, d.y_train, d.X_test, d.y_test, list(d.label_names)
