"""fastlin.plot: what is drawn equals what is computed directly (Agg backend)."""

import os
import re

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import fastlin  # noqa: E402
from fastlin import optim, plot  # noqa: E402
from fastlin.features import color_histogram_hsv, hog  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def blobs(n=300, d=12, c=3, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((c, d)) * 2
    y = rng.integers(0, c, n)
    return (centers[y] + rng.standard_normal((n, d))).astype(dtype), y


# -- loss history ------------------------------------------------------------------------------


def test_loss_history_lines_are_the_history_and_its_moving_average():
    pytest.importorskip("sklearn")
    X, y = blobs()
    est = fastlin.Softmax(batch_size=50, max_iter=4, random_state=0).fit(X, y, X_val=X[:60],
                                                                         y_val=y[:60])
    ax = plot.loss_history(est, weight=0.8)
    raw, sm = ax.lines[0], ax.lines[1]
    h = np.asarray(est.loss_history_)
    np.testing.assert_array_equal(raw.get_xdata(), np.arange(1, len(h) + 1))
    np.testing.assert_array_equal(raw.get_ydata(), h)
    # bias-corrected EMA in closed form: (1-w) sum_k w^(t-k) v_k / (1 - w^(t+1))
    t = np.arange(len(h))
    K = np.tril(0.8 ** (t[:, None] - t[None, :]))
    np.testing.assert_allclose(sm.get_ydata(), 0.2 * K @ h / (1 - 0.8 ** (t + 1)), rtol=1e-12)
    right = ax.right_ax.lines[0]
    assert len(est.validation_scores_) == 4
    np.testing.assert_array_equal(right.get_ydata(), est.validation_scores_)
    np.testing.assert_allclose(right.get_xdata(), [6, 12, 18, 24])  # 300 rows / 50 per update


def test_loss_history_from_arrays_and_bad_arguments():
    h = np.linspace(3, 1, 40)
    fig, ax = plt.subplots()
    assert plot.loss_history(h, val_accuracy=[0.2, 0.5], weight=0, ax=ax) is ax
    assert len(ax.lines) == 1
    np.testing.assert_array_equal(ax.right_ax.lines[0].get_xdata(), [20, 40])
    with pytest.raises(ValueError, match="est_or_history"):
        plot.loss_history(np.ones((3, 3)))
    with pytest.raises(ValueError, match="weight"):
        plot.loss_history(h, weight=1.0)
    with pytest.raises(ValueError, match="val_accuracy"):
        plot.loss_history(h, val_accuracy=[])
    with pytest.raises(TypeError, match="ax"):
        plot.loss_history(h, ax="left")


# -- weight templates --------------------------------------------------------------------------


def test_weight_templates_are_the_rescaled_columns_without_the_bias():
    rng = np.random.default_rng(1)
    W = rng.standard_normal((4 * 5 * 3 + 1, 3))  # bias row last (the "bias trick")
    fig = plot.weight_templates(W, image_shape=(4, 5, 3), class_names=["a", "b", "c"])
    assert len(fig.axes) == 3
    for k, ax in enumerate(fig.axes):
        img = np.asarray(ax.images[0].get_array())
        w = W[:-1, k].reshape(4, 5, 3)
        np.testing.assert_allclose(img, (w - w.min()) / (w.max() - w.min()), rtol=1e-12)
        assert ax.get_title() == "abc"[k]
    # (C, D) arrays and grey images are accepted too
    fig = plot.weight_templates(W[:-1].T[:, :20], image_shape=(4, 5))
    assert np.asarray(fig.axes[0].images[0].get_array()).shape == (4, 5)


def test_weight_templates_from_an_estimator_uses_coef_and_classes():
    pytest.importorskip("sklearn")
    X, y = blobs(d=2 * 2 * 3, c=3)
    est = fastlin.LinearSVM(max_iter=2, random_state=0).fit(X, np.array(["x", "y", "z"])[y])
    fig = plot.weight_templates(est, image_shape=(2, 2, 3))
    assert [a.get_title() for a in fig.axes] == ["x", "y", "z"]
    w = est.coef_[1].astype(np.float64).reshape(2, 2, 3)
    np.testing.assert_allclose(fig.axes[1].images[0].get_array(),
                               (w - w.min()) / (w.max() - w.min()), rtol=1e-6)


def test_weight_templates_bad_arguments():
    with pytest.raises(ValueError, match="est_or_W"):
        plot.weight_templates(np.ones((10, 3)), image_shape=(4, 4, 3))
    with pytest.raises(ValueError, match="class_names"):
        plot.weight_templates(np.ones((48, 3)), image_shape=(4, 4, 3), class_names=["a"])
    with pytest.raises(ValueError, match="image_shape"):
        plot.weight_templates(np.ones((48, 3)), image_shape=(4, 4, 2))
    with pytest.raises(ValueError, match="est_or_W"):
        plot.weight_templates(np.full((48, 3), np.nan), image_shape=(4, 4, 3))


# -- loss landscape ----------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["svm", "softmax"])
def test_landscape_2d_grid_equals_direct_kernel_calls(loss):
    X, y = blobs()
    rng = np.random.default_rng(2)
    W = rng.standard_normal((X.shape[1], 3)) * 0.1
    kernel = fastlin.svm_loss if loss == "svm" else fastlin.softmax_loss
    ax = plot.loss_landscape(W, X, y, loss=loss, reg=0.3, resolution=7, span=2.0, random_state=5)
    mesh = ax.collections[0]
    Z = np.asarray(mesh.get_array()).reshape(7, 7)
    L = ax.landscape
    np.testing.assert_array_equal(Z, L.losses)
    for i, j in [(0, 0), (3, 3), (6, 1), (2, 5)]:
        Wij = W + L.alphas[j] * L.d1 + L.betas[i] * L.d2
        assert Z[i, j] == pytest.approx(kernel(Wij, X, y, 0.3)[0], rel=1e-10)
    assert L.losses.min() <= Z[3, 3]  # the centre is on the grid
    assert len(ax.collections) > 1  # contour lines drawn over the mesh


def test_landscape_1d_line_and_filter_normalized_directions():
    X, y = blobs(dtype=np.float32)
    W = np.random.default_rng(3).standard_normal((X.shape[1], 3)).astype(np.float32)
    ax = plot.loss_landscape(W, X, y, kind="1d", resolution=9, random_state=1)
    line = ax.lines[0]
    L = ax.landscape
    np.testing.assert_allclose(line.get_xdata(), np.linspace(-1, 1, 9))
    for j in (0, 4, 8):
        direct = fastlin.softmax_loss(W + np.float32(L.alphas[j]) * L.d1, X, y, 0.0)[0]
        assert line.get_ydata()[j] == pytest.approx(direct, rel=1e-4)
    np.testing.assert_allclose(np.linalg.norm(L.d1, axis=0), np.linalg.norm(W, axis=0), rtol=1e-5)
    d1, _ = plot.landscape_directions(W, "random", random_state=0)
    assert np.linalg.norm(d1) == pytest.approx(np.linalg.norm(W), rel=1e-5)


def test_landscape_path_is_projected_on_the_plane():
    X, y = blobs()
    W = np.random.default_rng(4).standard_normal((X.shape[1], 3))
    d1, d2 = plot.landscape_directions(W, random_state=0)
    coords = np.array([[0.5, -0.2], [0.3, 0.1], [0.0, 0.0]])
    path = [W + a * d1 + b * d2 for a, b in coords]
    ax = plot.loss_landscape(W, X, y, directions=(d1, d2), resolution=5, path=path)
    drawn = ax.lines[-1]
    np.testing.assert_allclose(drawn.get_xdata(), coords[:, 0], atol=1e-10)
    np.testing.assert_allclose(drawn.get_ydata(), coords[:, 1], atol=1e-10)


def test_landscape_pca_directions_span_the_path():
    X, y = blobs()
    rng = np.random.default_rng(6)
    W = rng.standard_normal((X.shape[1], 3))
    u, v = rng.standard_normal((2,) + W.shape)
    t = np.linspace(0, 1, 12)
    path = [W + (1 - s) * 2 * u + np.sin(3 * s) * v for s in t]
    d1, d2 = plot.pca_directions(path, W)
    ax = plot.loss_landscape(W, X, y, directions="pca", path=path, resolution=5)
    x, yy = ax.lines[-1].get_xdata(), ax.lines[-1].get_ydata()
    assert max(np.abs(x).max(), np.abs(yy).max()) <= 1 + 1e-9
    assert np.isclose(np.abs(x).max(), 1) and np.isclose(np.abs(yy).max(), 1)
    rebuilt = W + x[:, None, None] * d1 + yy[:, None, None] * d2
    np.testing.assert_allclose(rebuilt, np.array(path), atol=1e-8)
    with pytest.raises(ValueError, match="path"):
        plot.loss_landscape(W, X, y, directions="pca")


def test_landscape_from_an_estimator_uses_its_loss_reg_and_bias():
    pytest.importorskip("sklearn")
    X, y = blobs()
    est = fastlin.LinearSVM(reg=0.05, max_iter=2, dtype="float64", random_state=0).fit(X, y)
    ax = plot.loss_landscape(est, X, y, resolution=3)
    L = ax.landscape
    W = est.coef_.T
    direct = fastlin.svm_loss(W + L.alphas[0] * L.d1 + L.betas[2] * L.d2, X, y, 0.05,
                              b=est.intercept_)[0]
    assert L.losses[2, 0] == pytest.approx(direct, rel=1e-10)


@pytest.mark.parametrize("multi_class, loss", [("one_vs_all", "hinge"),
                                               ("crammer_singer", "hinge"),
                                               ("weston_watkins", "squared_hinge"),
                                               ("crammer_singer", "squared_hinge")])
def test_landscape_of_an_svm_uses_its_formulation(multi_class, loss):
    pytest.importorskip("sklearn")
    X, y = blobs()
    est = fastlin.LinearSVM(reg=0.05, max_iter=2, dtype="float64", random_state=0,
                            multi_class=multi_class, loss=loss).fit(X, y)
    L = plot.loss_landscape(est, X, y, resolution=3).landscape
    Wg = est.coef_.T + L.alphas[0] * L.d1 + L.betas[2] * L.d2
    direct = fastlin.svm_loss(Wg, X, y, 0.05, b=est.intercept_, multi_class=multi_class,
                              loss=loss)[0]
    assert L.losses[2, 0] == pytest.approx(direct, rel=1e-10)
    assert direct != pytest.approx(fastlin.svm_loss(Wg, X, y, 0.05, b=est.intercept_)[0])


def test_landscape_bad_arguments():
    X, y = blobs()
    W = np.ones((X.shape[1], 3))
    for kw, name in [(dict(directions="bogus"), "directions"), (dict(kind="3d"), "kind"),
                     (dict(resolution=1), "resolution"), (dict(loss="hinge"), "loss"),
                     (dict(span=-1.0), "span"), (dict(reg=-1.0), "reg"),
                     (dict(kind="1d", path=[W]), "path")]:
        with pytest.raises(ValueError, match=name):
            plot.loss_landscape(W, X, y, **kw)
    with pytest.raises(ValueError, match="est_or_W"):
        plot.loss_landscape(np.ones((5, 3)), X, y)
    with pytest.raises(ValueError, match="y"):
        plot.loss_landscape(W, X, y[:-1])
    with pytest.raises(ValueError, match="path"):
        plot.loss_landscape(W, X, y, path=[np.ones((2, 2))])


# -- optimizer race ----------------------------------------------------------------------------

RULES = {"sgd": optim.SGD, "momentum": optim.Momentum, "nesterov": optim.Nesterov,
         "adagrad": optim.AdaGrad, "rmsprop": optim.RMSProp, "adam": optim.Adam}


@pytest.mark.parametrize("function", ["beale", "rosenbrock", "saddle", "himmelblau"])
def test_race_paths_are_the_optimizers_run_by_hand(function):
    fn = plot.TEST_FUNCTIONS[function]
    ax = plot.optimizer_race(function, steps=40)
    lines = {line.get_label(): line for line in ax.lines}
    assert set(RULES) <= set(lines)
    for name, cls in RULES.items():
        opt = cls(learning_rate=fn.learning_rates[name])
        p = np.array(fn.start, dtype=np.float64)
        xs, ys = [p[0]], [p[1]]
        for _ in range(40):
            opt.step(p, np.array(fn.grad(*p)))
            xs.append(p[0])
            ys.append(p[1])
        np.testing.assert_array_equal(lines[name].get_xdata(), xs)
        np.testing.assert_array_equal(lines[name].get_ydata(), ys)


def test_race_finds_the_minimum_and_takes_optimizer_instances():
    paths = plot.race_paths("himmelblau", {"adam": "adam", "fast": optim.Adam(0.2)}, steps=400)
    end = paths["adam"][-1]
    assert plot.TEST_FUNCTIONS["himmelblau"].f(*end) < 1e-3
    assert paths["fast"].shape == (401, 2)
    assert not np.array_equal(paths["fast"], paths["adam"])


def test_race_animation_frames_and_gif(tmp_path):
    anim = plot.optimizer_race("saddle", steps=5, animate=True)
    assert isinstance(anim, plot.RaceAnimation)
    assert anim.n_frames == 6
    out = anim.save(tmp_path / "race.gif", fps=10, dpi=30)
    assert os.path.getsize(out) > 0
    Image = pytest.importorskip("PIL.Image")
    with Image.open(out) as im:
        assert im.format == "GIF"
        assert im.n_frames == 6
    with pytest.raises(ValueError, match="path"):
        anim.save(tmp_path / "race.avi")
    # every 3rd step: frames at steps 0, 3, 6, 9 and the end (10)
    anim = plot.optimizer_race("beale", optimizers=["adam"], steps=10, every=3, animate=True)
    assert anim.n_frames == 5
    line = anim.animation._fig.axes[0].lines[0]
    for t, k in enumerate([1, 4, 7, 10, 11]):
        anim.animation._func(t)
        np.testing.assert_array_equal(line.get_xdata(), anim.paths["adam"][:k, 0])


def test_race_bad_arguments():
    with pytest.raises(ValueError, match="function"):
        plot.optimizer_race("ackley")
    with pytest.raises(ValueError, match="steps"):
        plot.optimizer_race(steps=0)
    with pytest.raises(TypeError, match="steps"):
        plot.optimizer_race(steps=2.5)
    with pytest.raises(ValueError, match="every"):
        plot.optimizer_race(steps=5, animate=True, every=0)
    with pytest.raises(ValueError, match="optimizers"):
        plot.optimizer_race(optimizers=["lbfgs"])
    with pytest.raises(TypeError, match="optimizers"):
        plot.optimizer_race(optimizers="adam")
    with pytest.raises(ValueError, match="start"):
        plot.optimizer_race(start=(1.0, np.nan))


# -- features ----------------------------------------------------------------------------------


@pytest.mark.parametrize("signed", [False, True])
def test_hog_glyphs_lengths_are_the_cell_histograms(signed):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (24, 32, 3), dtype=np.uint8)
    nb = 12 if signed else 9
    fig = plot.hog_glyphs(image, orientations=nb, pixels_per_cell=8, signed=signed)
    assert len(fig.axes) == 2
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), image)
    segs = np.array(fig.axes[1].collections[0].get_segments())
    hist = hog(image[None], nb, 8, block_norm=None, feature_vector=False, signed=signed)[0]
    assert segs.shape == (3 * 4 * nb, 2, 2)
    length = np.linalg.norm(segs[:, 1] - segs[:, 0], axis=1)
    np.testing.assert_allclose(length, 8 * hist.ravel() / hist.max(), rtol=1e-6, atol=1e-12)
    # each glyph is centred on its cell and perpendicular to its bin's gradient orientation
    mid = segs.mean(axis=1).reshape(3, 4, nb, 2)
    np.testing.assert_allclose(mid[1, 2, 0], [2 * 8 + 3.5, 8 + 3.5])
    theta = (360.0 if signed else 180.0) * (np.arange(nb) + 0.5) / nb
    grad = np.stack([np.cos(np.deg2rad(theta)), np.sin(np.deg2rad(theta))], axis=1)
    d = (segs[:, 1] - segs[:, 0]).reshape(3, 4, nb, 2)
    np.testing.assert_allclose((d * grad).sum(-1), 0, atol=1e-9)


def test_hue_histogram_bars_are_the_histogram_painted_by_hue():
    from matplotlib.colors import rgb_to_hsv

    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    image[:8] = (40, 160, 50)  # a green half: the frog
    fig = plot.hue_histogram(image, nbin=12)
    bars = fig.axes[1].patches
    h = color_histogram_hsv(image[None], nbin=12)[0]
    assert len(bars) == 12
    np.testing.assert_allclose([b.get_height() for b in bars], h, rtol=1e-6)
    hues = rgb_to_hsv(np.array([b.get_facecolor()[:3] for b in bars]))[:, 0]
    np.testing.assert_allclose(hues, (np.arange(12) + 0.5) / 12, atol=1e-6)
    assert np.argmax(h) == int(rgb_to_hsv(np.array([40, 160, 50]) / 255)[0] * 12)
    with pytest.raises(ValueError, match="image"):
        plot.hue_histogram(image[..., 0])
    with pytest.raises(ValueError, match="nbin"):
        plot.hue_histogram(image, nbin=0)
    with pytest.raises(ValueError, match="image"):
        plot.hog_glyphs(np.zeros((2, 8, 8, 3)))


def test_codebook_undoes_the_whitening():
    from fastlin.features import fit_zca

    rng = np.random.default_rng(2)
    patches = rng.standard_normal((200, 4 * 4 * 3)) @ rng.standard_normal((48, 48))
    m, P = fit_zca(patches, 0.1)
    centres = (patches[:10] - m) @ P
    ax = plot.codebook(centres, (4, 4, 3), whiten_mean=m, whiten_matrix=P, ncols=5)
    mosaic = np.asarray(ax.images[0].get_array())
    assert mosaic.shape == (2 * 5 + 1, 5 * 5 + 1, 3)
    for k in range(10):
        r, c = divmod(k, 5)
        tile = mosaic[r * 5 + 1:r * 5 + 5, c * 5 + 1:c * 5 + 5]
        x = patches[k]
        np.testing.assert_allclose(tile, ((x - x.min()) / (x.max() - x.min())).reshape(4, 4, 3),
                                   atol=1e-8)
    with pytest.raises(ValueError, match="patch_shape"):
        plot.codebook(centres, (5, 5, 3))
    with pytest.raises(ValueError, match="whiten_matrix"):
        plot.codebook(centres, (4, 4, 3), whiten_matrix=np.eye(3))


def test_codebook_from_a_fitted_bag_of_visual_words():
    pytest.importorskip("sklearn")
    from fastlin.features import BagOfVisualWords

    images = np.random.default_rng(3).integers(0, 256, (20, 12, 12, 3), dtype=np.uint8)
    bow = BagOfVisualWords(n_words=6, patch_size=4, n_patches=300, random_state=0).fit(images)
    ax = plot.codebook(bow)
    expected = plot.codebook_patches(bow.cluster_centers_, (4, 4, 3),
                                     whiten_mean=bow.whiten_mean_, whiten_matrix=bow.whiten_matrix_)
    tile = np.asarray(ax.images[0].get_array())[1:5, 6:10]  # word 1 of a 3-column mosaic
    np.testing.assert_allclose(tile, expected[1])


# -- random search vs descent ------------------------------------------------------------------


def test_random_search_vs_descent_curves():
    X, y = blobs(n=400, d=10, c=4, seed=5)
    X = np.hstack([X, np.ones((400, 1))])
    ax = plot.random_search_vs_descent(X[:300], y[:300], X[300:], y[300:], num_candidates=60,
                                       num_updates=80, n_points=4, learning_rate=1e-2, reg=1e-3,
                                       batch_size=50, chance=0.25)
    c = ax.curves
    np.testing.assert_array_equal(c.search_iters, [15, 30, 45, 60])
    np.testing.assert_array_equal(c.descent_iters, [0, 20, 40, 60, 80])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), c.search_acc)
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), c.descent_iters)
    assert np.all(np.diff(c.search_time) >= 0)
    assert c.descent_acc[-1] > 0.9 > c.search_acc[-1]  # descent wins on separable blobs
    ax2 = plot.random_search_vs_descent(curves=c, x_axis="time")
    np.testing.assert_array_equal(ax2.lines[1].get_xdata(), c.descent_time)
    with pytest.raises(ValueError, match="x_axis"):
        plot.random_search_vs_descent(curves=c, x_axis="epochs")
    with pytest.raises(ValueError, match="X_val"):
        plot.random_search_vs_descent(X, y, X[:, :3], y)


# -- report ------------------------------------------------------------------------------------


def test_write_report_references_files_that_exist(tmp_path):
    pytest.importorskip("sklearn")
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = blobs(n=400, d=4 * 4 * 3, c=3, seed=6)
    model = make_pipeline(StandardScaler(), fastlin.Softmax(max_iter=3, random_state=0))
    model.fit(X[:300], y[:300], softmax__X_val=X[300:], softmax__y_val=y[300:])
    index = plot.write_report(model, X[300:], y[300:], tmp_path / "run",
                              class_names=["cat", "dog", "frog"], image_shape=(4, 4, 3),
                              settings={"epochs": 3}, timings={"fit": 0.5})
    page = open(index, encoding="utf-8").read()
    srcs = re.findall(r'<img src="([^"]+)"', page)
    assert set(srcs) == {"loss.png", "templates.png", "confusion.png"}
    for s in srcs:
        with open(tmp_path / "run" / s, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    pred = model.predict(X[300:])
    for k, name in enumerate(["cat", "dog", "frog"]):
        sel = y[300:] == k
        acc = np.mean(pred[sel] == k)
        assert re.search(rf"<td>{name}</td><td class=\"num\">{sel.sum()}</td>"
                         rf"<td class=\"num\">{acc:.4g}</td>", page)
    assert f"{np.mean(pred == y[300:]):.4g}" in page
    with pytest.raises(TypeError, match="estimator"):
        plot.write_report(StandardScaler().fit(X), X, y, tmp_path / "x")
    with pytest.raises(ValueError, match="y_val"):
        plot.write_report(model, X[300:], y[:10], tmp_path / "x")


def test_write_report_draws_the_codebook_of_a_bag_of_words(tmp_path):
    pytest.importorskip("sklearn")
    from sklearn.pipeline import make_pipeline

    from fastlin.features import BagOfVisualWords

    rng = np.random.default_rng(7)
    images = rng.integers(0, 256, (60, 12, 12, 3), dtype=np.uint8)
    y = rng.integers(0, 2, 60)
    images[y == 1, :, :, 1] //= 4  # class 1 has little green
    model = make_pipeline(BagOfVisualWords(n_words=6, patch_size=4, n_patches=300, random_state=0),
                          fastlin.Softmax(max_iter=2, random_state=0)).fit(images, y)
    index = plot.write_report(model, images, y, tmp_path, image_shape=(12, 12, 3))
    srcs = re.findall(r'<img src="([^"]+)"', open(index, encoding="utf-8").read())
    assert srcs == ["loss.png", "codebook.png", "confusion.png"]
    assert all((tmp_path / s).is_file() for s in srcs)
