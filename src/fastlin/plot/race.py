"""The optimizer race: every update rule of :mod:`fastlin.optim` from the same start on a classic
2-D test function, paths drawn over its contour lines (optionally animated)."""

from __future__ import annotations

import copy
from typing import Callable, NamedTuple

import numpy as np

from .. import optim
from ._common import check_choice, check_int, new_axes

__all__ = ["optimizer_race", "race_paths", "TestFunction", "TEST_FUNCTIONS", "RaceAnimation"]


class TestFunction(NamedTuple):
    f: Callable  #: f(x, y) -> value (broadcasts over arrays)
    grad: Callable  #: grad(x, y) -> (df/dx, df/dy)
    start: tuple  #: the common starting point
    minima: tuple  #: the global minima (or the saddle point), each (x, y)
    xlim: tuple
    ylim: tuple
    learning_rates: dict  #: default learning rate per optimizer name
    log_levels: bool  #: contour levels on a log scale


def _beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _beale_grad(x, y):
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    return (2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1),
            2 * a * x + 4 * b * x * y + 6 * c * x * y**2)


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(x, y):
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def _saddle(x, y):
    return x**2 - y**2


def _saddle_grad(x, y):
    return 2 * x, -2 * y


def _himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(x, y):
    a, b = x**2 + y - 11, x + y**2 - 7
    return 4 * a * x + 2 * b, 2 * a + 4 * b * y


TEST_FUNCTIONS = {
    "beale": TestFunction(_beale, _beale_grad, (1.0, 1.4), ((3.0, 0.5),), (-4.5, 4.5), (-4.5, 4.5),
                          dict(sgd=1e-3, momentum=1e-3, nesterov=1e-3, adagrad=0.5,
                               rmsprop=1e-2, adam=0.1), True),
    "rosenbrock": TestFunction(_rosenbrock, _rosenbrock_grad, (-1.5, 2.0), ((1.0, 1.0),),
                               (-2.0, 2.0), (-1.0, 3.0),
                               dict(sgd=1e-3, momentum=3e-4, nesterov=3e-4, adagrad=0.3,
                                    rmsprop=3e-2, adam=0.1), True),
    "saddle": TestFunction(_saddle, _saddle_grad, (1.0, 1e-3), ((0.0, 0.0),), (-1.5, 1.5),
                           (-1.5, 1.5),
                           dict(sgd=0.02, momentum=0.02, nesterov=0.02, adagrad=0.1,
                                rmsprop=0.02, adam=0.05), False),
    "himmelblau": TestFunction(_himmelblau, _himmelblau_grad, (-0.3, -0.9),
                               ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                                (3.584428, -1.848126)),
                               (-5.0, 5.0), (-5.0, 5.0),
                               dict(sgd=2e-3, momentum=5e-4, nesterov=5e-4, adagrad=0.5,
                                    rmsprop=0.05, adam=0.1), True),
}

_ORDER = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
_COLOURS = dict(sgd="tab:red", momentum="tab:green", nesterov="tab:purple", adagrad="tab:olive",
                rmsprop="tab:cyan", adam="tab:orange")


def _function(function):
    if isinstance(function, TestFunction):
        return function
    return TEST_FUNCTIONS[check_choice(function, "function", tuple(TEST_FUNCTIONS))]


def _optimizers(optimizers, fn):
    """{label: fresh Optimizer} from None (all six), names, instances or a {label: spec} dict."""
    if optimizers is None:
        optimizers = list(_ORDER)
    if isinstance(optimizers, (str, optim.Optimizer)):
        raise TypeError("optimizers must be a list of names/Optimizers or a dict, not one item")
    items = optimizers.items() if isinstance(optimizers, dict) else \
        ((o if isinstance(o, str) else type(o).__name__, o) for o in optimizers)
    out = {}
    for label, spec in items:
        if isinstance(spec, str):
            key = spec.lower()
            if key not in optim._OPTIMIZERS:
                raise ValueError(f"optimizers: unknown optimizer {spec!r}; choose from {list(_ORDER)}")
            out[label] = optim.get_optimizer(key, learning_rate=fn.learning_rates.get(key, 1e-2))
        elif isinstance(spec, optim.Optimizer):
            out[label] = copy.deepcopy(spec).reset()
        else:
            raise TypeError(f"optimizers: {spec!r} is neither an optimizer name nor an Optimizer")
    if not out:
        raise ValueError("optimizers must name at least one optimizer")
    return out


def race_paths(function="beale", optimizers=None, steps=300, start=None) -> dict:
    """Run each optimizer ``steps`` updates from ``start``: {label: float64 (steps + 1, 2) path}.

    ``optimizers``: None (all six update rules of :mod:`fastlin.optim` with the function's
    default learning rates), a list of names or :class:`fastlin.optim.Optimizer` instances, or a
    dict {label: name or Optimizer}. A path stops early (shorter array) if it leaves the finite
    numbers.
    """
    fn = _function(function)
    steps = check_int(steps, "steps", 1)
    xy0 = np.asarray(fn.start if start is None else start, dtype=np.float64)
    if xy0.shape != (2,) or not np.isfinite(xy0).all():
        raise ValueError(f"start must be a finite point (x, y), got {start!r}")
    paths = {}
    for label, opt in _optimizers(optimizers, fn).items():  # (diverging runs stop at inf)
        p = xy0.copy()
        path = [p.copy()]
        for _ in range(steps):
            with np.errstate(over="ignore", invalid="ignore"):
                g = np.array(fn.grad(p[0], p[1]), dtype=np.float64)
                opt.step(p, g)
            if not np.isfinite(p).all():
                break
            path.append(p.copy())
        paths[label] = np.array(path)
    return paths


class RaceAnimation:
    """The race as a matplotlib ``FuncAnimation`` (``.animation``), one frame every ``every``
    steps: frame t shows the first ``t * every + 1`` points of each path (``n_frames`` frames,
    the last one showing whole paths).

    ``save(path)`` writes a GIF (Pillow) for ``.gif`` and an MP4 (ffmpeg) for ``.mp4``.
    """

    def __init__(self, fig, lines, heads, paths, interval, every=1):
        from matplotlib.animation import FuncAnimation

        self.fig, self.paths, self.every = fig, paths, every
        longest = max(len(p) for p in paths.values())
        self.n_frames = -(-(longest - 1) // every) + 1

        def draw(t):
            for line, head, p in zip(lines, heads, paths.values()):
                k = min(t * every + 1, len(p))
                line.set_data(p[:k, 0], p[:k, 1])
                head.set_data(p[k - 1:k, 0], p[k - 1:k, 1])
            return lines + heads

        self.animation = FuncAnimation(fig, draw, frames=self.n_frames, interval=interval,
                                       blit=True)

    def save(self, path, *, fps=30, dpi=80):
        """Write the animation to ``path`` (.gif with Pillow, .mp4 with ffmpeg)."""
        import os

        from matplotlib import animation

        ext = os.path.splitext(str(path))[1].lower()
        if ext == ".gif":
            writer = animation.PillowWriter(fps=fps)
        elif ext == ".mp4":
            if not animation.writers.is_available("ffmpeg"):
                raise RuntimeError("writing MP4 needs ffmpeg on the PATH; save as .gif instead")
            writer = animation.FFMpegWriter(fps=fps)
        else:
            raise ValueError(f"path must end in .gif or .mp4, got {str(path)!r}")
        self.animation.save(path, writer=writer, dpi=dpi)
        return path

    def to_jshtml(self):
        return self.animation.to_jshtml()

    def _repr_html_(self):
        return self.to_jshtml()


def optimizer_race(function="beale", optimizers=None, steps=300, *, start=None, animate=False,
                   every=1, interval=30, ax=None):
    """The lecture's optimizer race on a 2-D test function.

    Parameters
    ----------
    function : {"beale", "rosenbrock", "saddle", "himmelblau"} or TestFunction
    optimizers : see :func:`race_paths` (default: SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam)
    steps : int >= 1
    start : (x, y), default the function's usual start
    animate : bool
        Return a :class:`RaceAnimation` (frame t shows the first ``t * every + 1`` points of
        every path).
    every : int >= 1
        Steps between two frames of the animation (fewer frames: smaller files).
    interval : int
        Milliseconds between frames.
    ax : matplotlib Axes, optional

    Returns
    -------
    Axes or RaceAnimation
        With ``animate=False`` the Axes: one line per optimizer after the contour lines (in the
        order of ``optimizers``, labelled with its name; x, y data = the path), and
        ``ax.paths`` = the paths dict. With ``animate=True`` a :class:`RaceAnimation`.
    """
    fn = _function(function)
    paths = race_paths(fn, optimizers, steps, start)
    every = check_int(every, "every", 1)
    interval = check_int(interval, "interval", 1)
    ax = new_axes(ax)
    xs = np.linspace(*fn.xlim, 300)
    ys = np.linspace(*fn.ylim, 300)
    Xg, Yg = np.meshgrid(xs, ys)
    Z = fn.f(Xg, Yg)
    if fn.log_levels:
        from matplotlib.colors import LogNorm

        Zp = Z - Z.min() + 1e-2
        ax.contour(Xg, Yg, Zp, levels=np.logspace(np.log10(Zp.min()) + 0.5, np.log10(Zp.max()), 25),
                   norm=LogNorm(), cmap="RdBu", linewidths=0.8)
    else:
        ax.contour(Xg, Yg, Z, levels=25, cmap="RdBu", linewidths=0.8)
    first = len(ax.lines)
    for label, p in paths.items():
        colour = _COLOURS.get(label.lower())
        ax.plot(p[:, 0], p[:, 1], "-", lw=2, color=colour, label=label)
    lines = ax.lines[first:]
    minima = np.asarray(fn.minima, dtype=np.float64).reshape(-1, 2)
    ax.plot(minima[:, 0], minima[:, 1], "k*", ms=12, ls="none")
    ax.plot(*paths[next(iter(paths))][0], "ko", ms=5)
    ax.set_xlim(fn.xlim)
    ax.set_ylim(fn.ylim)
    ax.legend(loc="best", fontsize=8)
    ax.paths = paths
    if not animate:
        return ax
    heads = [ax.plot([], [], "o", color=line.get_color(), ms=6)[0] for line in lines]
    return RaceAnimation(ax.figure, lines, heads, paths, interval, every)
