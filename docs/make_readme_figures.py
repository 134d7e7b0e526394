"""Draw the README's pictures into docs/_static/ (small PNGs, < 150 KB each).

Run from anywhere: ``python docs/make_readme_figures.py``. The weight templates are learned
from CIFAR-10 when fastlin finds it, else from the sample images that ship with fastlin
(``examples/_data.py``).
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import fastlin  # noqa: E402
import fastlin.plot  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "_static")
sys.path.insert(0, os.path.join(HERE, "..", "examples"))
from _data import load_images  # noqa: E402


def save(fig, name):
    path = os.path.join(OUT, name)
    fig.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(fig)
    print(f"{path}: {os.path.getsize(path) / 1024:.0f} KB")


def main():
    os.makedirs(OUT, exist_ok=True)
    # the optimizer race on Beale's function
    fig, ax = plt.subplots(figsize=(5, 4.4))
    fastlin.plot.optimizer_race("beale", steps=300, ax=ax)
    ax.set_title("six update rules, 300 steps on Beale's function")
    save(fig, "optimizer_race.png")

    X, y, X_val, y_val, names = load_images(n_train=5000, n_val=1000)
    mean = X.reshape(len(X), -1).mean(axis=0, dtype=np.float32)
    Xf = X.reshape(len(X), -1).astype(np.float32) - mean

    # the templates of a softmax classifier on pixels
    clf = fastlin.Softmax(reg=1e-3, learning_rate=1e-4, max_iter=10, random_state=0).fit(Xf, y)
    fig = fastlin.plot.weight_templates(clf, (32, 32, 3), names, ncols=5)
    save(fig, "weight_templates.png")

    # the softmax loss around the end of an SGD run, with its path
    Xs = Xf[:2000] / 255
    ys = y[:2000]
    rng = np.random.default_rng(0)
    W = (1e-3 * rng.standard_normal((Xs.shape[1], 10))).astype(np.float32)
    opt = fastlin.optim.SGD(learning_rate=0.05)
    path = [W.copy()]
    for _ in range(200):
        _, dW = fastlin.softmax_loss(W, Xs, ys, 1e-3, idx=rng.integers(0, len(Xs), 100))
        opt.step(W, dW)
        path.append(W.copy())
    fig, ax = plt.subplots(figsize=(5.4, 4.4))
    fastlin.plot.loss_landscape(W, Xs, ys, loss="softmax", reg=1e-3, directions="pca",
                                span=1.2, resolution=41, path=path, ax=ax)
    ax.set_title("softmax loss around W, and the SGD path")
    save(fig, "loss_landscape.png")


if __name__ == "__main__":
    main()
