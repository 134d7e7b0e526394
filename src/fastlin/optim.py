"""First-order update rules and learning-rate schedules.

The update rules are those of the CS231n notes ("Neural Networks Part 3: parameter updates"),
with their defaults. An optimizer holds per-parameter state and updates NumPy arrays **in
place**::

    opt = fastlin.optim.Adam(learning_rate=1e-3)
    for t in range(num_iters):
        loss, dW = fastlin.softmax_loss(W, X, y, reg)
        opt.step(W, dW)                 # or opt.step([W, b], [dW, db]) / dicts

``step`` allocates nothing the size of a parameter after the first call: every rule works
through ``np.multiply(..., out=)``-style ufunc calls on its state and one preallocated scratch
array per parameter. The dtype of a parameter is kept (float32 stays float32).

``learning_rate`` may be a number or a schedule, any callable ``schedule(t) -> lr`` where ``t``
is the number of updates already done (0 for the first update). Schedules provided here:
:class:`Constant`, :class:`StepDecay`, :class:`ExponentialDecay`, :class:`InverseTimeDecay`,
:class:`CosineDecay`.
"""

from __future__ import annotations

import math
import numbers
from typing import Callable

import numpy as np

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "get_optimizer",
    "Schedule",
    "Constant",
    "StepDecay",
    "ExponentialDecay",
    "InverseTimeDecay",
    "CosineDecay",
    "get_schedule",
]


# --------------------------------------------------------------------------------------------
# argument checking
# --------------------------------------------------------------------------------------------


def _real(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def _positive(name, value):
    value = _real(name, value)
    if value <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def _unit_interval(name, value, *, closed_right=False):
    """0 <= value < 1 (or <= 1 when closed_right)."""
    value = _real(name, value)
    ok = 0.0 <= value <= 1.0 if closed_right else 0.0 <= value < 1.0
    if not ok:
        rng = "[0, 1]" if closed_right else "[0, 1)"
        raise ValueError(f"{name} must be in {rng}, got {value}")
    return value


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


# --------------------------------------------------------------------------------------------
# learning-rate schedules
# --------------------------------------------------------------------------------------------


class Schedule:
    """Base class of learning-rate schedules: ``schedule(t) -> lr`` for update count ``t >= 0``."""

    def __call__(self, t: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def _check_t(t):
        if isinstance(t, bool) or not isinstance(t, numbers.Integral):
            raise TypeError(f"t must be an integer, got {type(t).__name__}")
        if t < 0:
            raise ValueError(f"t must be >= 0, got {t}")
        return int(t)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self).__name__, tuple(sorted(vars(self).items()))))


class Constant(Schedule):
    """``lr(t) = learning_rate``."""

    def __init__(self, learning_rate: float = 1e-3):
        self.learning_rate = _positive("learning_rate", learning_rate)

    def __call__(self, t):
        self._check_t(t)
        return self.learning_rate


class StepDecay(Schedule):
    """Step decay: ``lr(t) = learning_rate * gamma ** floor(t / step_size)``.

    Drops the rate by the factor ``gamma`` every ``step_size`` updates. For a drop every k epochs
    use ``step_size = k * updates_per_epoch``.
    """

    def __init__(self, learning_rate: float = 1e-3, step_size: int = 1000, gamma: float = 0.5):
        self.learning_rate = _positive("learning_rate", learning_rate)
        self.step_size = _positive_int("step_size", step_size)
        gamma = _real("gamma", gamma)
        if not 0.0 < gamma <= 1.0:
            raise ValueError(f"gamma must be in (0, 1], got {gamma}")
        self.gamma = gamma

    def __call__(self, t):
        t = self._check_t(t)
        return self.learning_rate * self.gamma ** (t // self.step_size)


class ExponentialDecay(Schedule):
    """Exponential decay: ``lr(t) = learning_rate * decay_rate ** (t / decay_steps)``.

    The notes write it ``lr0 * exp(-k t)``: that is ``decay_rate = exp(-k)``, ``decay_steps = 1``.
    ``decay_rate=0.95, decay_steps=updates_per_epoch`` is the course's "multiply by 0.95 per epoch",
    applied smoothly.
    """

    def __init__(self, learning_rate: float = 1e-3, decay_rate: float = 0.95, decay_steps: int = 1000):
        self.learning_rate = _positive("learning_rate", learning_rate)
        decay_rate = _real("decay_rate", decay_rate)
        if not 0.0 < decay_rate <= 1.0:
            raise ValueError(f"decay_rate must be in (0, 1], got {decay_rate}")
        self.decay_rate = decay_rate
        self.decay_steps = _positive_int("decay_steps", decay_steps)

    def __call__(self, t):
        t = self._check_t(t)
        return self.learning_rate * self.decay_rate ** (t / self.decay_steps)


class InverseTimeDecay(Schedule):
    """1/t decay: ``lr(t) = learning_rate / (1 + k * t / decay_steps)``."""

    def __init__(self, learning_rate: float = 1e-3, k: float = 1.0, decay_steps: int = 1000):
        self.learning_rate = _positive("learning_rate", learning_rate)
        k = _real("k", k)
        if k < 0.0:
            raise ValueError(f"k must be >= 0, got {k}")
        self.k = k
        self.decay_steps = _positive_int("decay_steps", decay_steps)

    def __call__(self, t):
        t = self._check_t(t)
        return self.learning_rate / (1.0 + self.k * t / self.decay_steps)


class CosineDecay(Schedule):
    """Cosine decay (Loshchilov & Hutter's SGDR without restarts)::

        lr(t) = learning_rate * (alpha + (1 - alpha) * (1 + cos(pi * min(t, decay_steps) / decay_steps)) / 2)

    Falls from ``learning_rate`` at ``t = 0`` to ``alpha * learning_rate`` at ``t = decay_steps``
    and stays there. For a whole run use ``decay_steps = epochs * updates_per_epoch``.
    """

    def __init__(self, learning_rate: float = 1e-3, decay_steps: int = 1000, alpha: float = 0.0):
        self.learning_rate = _positive("learning_rate", learning_rate)
        self.decay_steps = _positive_int("decay_steps", decay_steps)
        self.alpha = _unit_interval("alpha", alpha, closed_right=True)

    def __call__(self, t):
        t = min(self._check_t(t), self.decay_steps)
        cos = 0.5 * (1.0 + math.cos(math.pi * t / self.decay_steps))
        return self.learning_rate * (self.alpha + (1.0 - self.alpha) * cos)


_SCHEDULES = {
    "constant": Constant,
    "step": StepDecay,
    "exponential": ExponentialDecay,
    "inverse_time": InverseTimeDecay,
    "1/t": InverseTimeDecay,
    "cosine": CosineDecay,
}


def get_schedule(name_or_callable, learning_rate: float | None = None, **kwargs) -> Callable[[int], float]:
    """Build a schedule from a name (``"constant"``, ``"step"``, ``"exponential"``,
    ``"inverse_time"``, ``"1/t"`` or ``"cosine"``) and its keyword arguments; a callable is returned unchanged
    (then no keyword arguments are allowed)."""
    if callable(name_or_callable):
        if kwargs or learning_rate is not None:
            raise ValueError("schedule: keyword arguments are only accepted with a schedule name")
        return name_or_callable
    if not isinstance(name_or_callable, str):
        raise TypeError(f"schedule must be a name or a callable, got {type(name_or_callable).__name__}")
    key = name_or_callable.lower()
    if key not in _SCHEDULES:
        raise ValueError(f"schedule must be one of {sorted(_SCHEDULES)} or a callable, got {name_or_callable!r}")
    if learning_rate is not None:
        kwargs["learning_rate"] = learning_rate
    return _SCHEDULES[key](**kwargs)


# --------------------------------------------------------------------------------------------
# update rules
# --------------------------------------------------------------------------------------------


def _as_pairs(params, grads):
    """Pair parameters with gradients: single arrays, sequences or dicts (same structure)."""
    if isinstance(params, np.ndarray):
        if not isinstance(grads, np.ndarray):
            raise TypeError(f"grads must be an ndarray like params, got {type(grads).__name__}")
        return [(0, params, grads)]
    if isinstance(params, dict):
        if not isinstance(grads, dict):
            raise TypeError(f"grads must be a dict like params, got {type(grads).__name__}")
        if set(params) != set(grads):
            raise ValueError(f"grads keys {sorted(grads, key=str)} differ from params keys {sorted(params, key=str)}")
        return [(k, params[k], grads[k]) for k in params]
    if isinstance(params, (list, tuple)):
        if not isinstance(grads, (list, tuple)):
            raise TypeError(f"grads must be a sequence like params, got {type(grads).__name__}")
        if len(params) != len(grads):
            raise ValueError(f"grads has {len(grads)} entries but params has {len(params)}")
        return list(zip(range(len(params)), params, grads))
    raise TypeError(f"params must be an ndarray, a list/tuple or a dict of ndarrays, got {type(params).__name__}")


class Optimizer:
    """Base class: per-parameter state, the update count ``t`` and the learning rate (a number or
    a schedule ``f(t) -> lr``).

    Subclasses implement ``_update(x, dx, state, lr)`` in place. Parameters are identified by
    position (sequence), key (dict) or are the single array given; their shape and dtype must not
    change between steps (call :meth:`reset` to start over).
    """

    _state_names: tuple = ()

    def __init__(self, learning_rate=1e-3):
        if callable(learning_rate):
            self.learning_rate = learning_rate
        else:
            self.learning_rate = _positive("learning_rate", learning_rate)
        self.t = 0
        self._state = {}

    # -- public -------------------------------------------------------------------------------
    @property
    def lr(self) -> float:
        """The learning rate the next :meth:`step` uses."""
        return self._lr_at(self.t)

    def _lr_at(self, t):
        if callable(self.learning_rate):
            lr = self.learning_rate(t)
            lr = _real("learning_rate(t)", lr)
            if lr < 0.0:
                raise ValueError(f"learning_rate schedule returned a negative rate {lr} at t={t}")
            return lr
        return self.learning_rate

    def reset(self):
        """Forget all state and set ``t`` back to 0."""
        self.t = 0
        self._state = {}
        return self

    def step(self, params, grads):
        """Update ``params`` in place from ``grads``; returns ``params``.

        params, grads : ndarray, or list/tuple or dict of ndarrays with the same structure.
            Parameters must be writable floating arrays; each gradient has its parameter's shape.
        """
        pairs = _as_pairs(params, grads)
        for key, x, dx in pairs:
            self._check_pair(key, x, dx)
        lr = self._lr_at(self.t)
        for key, x, dx in pairs:
            state = self._state.get(key)
            if state is None or state["_shape"] != x.shape or state["_dtype"] != x.dtype:
                if state is not None:
                    raise ValueError(
                        f"params[{key!r}] changed shape/dtype from {state['_shape']}/{state['_dtype']} to "
                        f"{x.shape}/{x.dtype} between steps; call reset() first"
                    )
                state = self._init_state(x)
                self._state[key] = state
            if dx.dtype != x.dtype:
                dx = dx.astype(x.dtype)  # mixed-precision gradients: one cast, rare
            self._update(x, dx, state, lr)
        self.t += 1
        return params

    def state(self, key=0):
        """Read-only view of the state arrays of one parameter (by position or key)."""
        s = self._state[key]
        return {k: v for k, v in s.items() if not k.startswith("_")}

    def __repr__(self):
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._hyper())
        return f"{type(self).__name__}({args})"

    # -- internals ----------------------------------------------------------------------------
    def _hyper(self):
        return ["learning_rate"]

    def get_params(self):
        """Hyperparameters as a dict (enough to rebuild a fresh optimizer)."""
        return {k: getattr(self, k) for k in self._hyper()}

    @staticmethod
    def _check_pair(key, x, dx):
        if not isinstance(x, np.ndarray):
            raise TypeError(f"params[{key!r}] must be an ndarray, got {type(x).__name__}")
        if not isinstance(dx, np.ndarray):
            raise TypeError(f"grads[{key!r}] must be an ndarray, got {type(dx).__name__}")
        if x.dtype.kind != "f":
            raise TypeError(f"params[{key!r}] must be a floating array, got dtype {x.dtype}")
        if dx.dtype.kind != "f":
            raise TypeError(f"grads[{key!r}] must be a floating array, got dtype {dx.dtype}")
        if not x.flags.writeable:
            raise ValueError(f"params[{key!r}] is read-only; it is updated in place")
        if x.shape != dx.shape:
            raise ValueError(f"grads[{key!r}] has shape {dx.shape}, expected params' shape {x.shape}")

    def _init_state(self, x):
        state = {"_shape": x.shape, "_dtype": x.dtype, "_scratch": np.empty_like(x)}
        for name in self._state_names:
            state[name] = np.zeros_like(x)
        return state

    def _update(self, x, dx, state, lr):  # pragma: no cover - abstract
        raise NotImplementedError


class SGD(Optimizer):
    """Vanilla update: ``x += -lr * dx``."""

    def _update(self, x, dx, state, lr):
        s = state["_scratch"]
        np.multiply(dx, lr, out=s)
        np.subtract(x, s, out=x)


class Momentum(Optimizer):
    """Momentum update::

        v = mu * v - lr * dx
        x += v

    ``v`` starts at zero; ``mu`` (``momentum``) defaults to 0.9.
    """

    _state_names = ("v",)

    def __init__(self, learning_rate=1e-3, momentum=0.9):
        super().__init__(learning_rate)
        self.momentum = _unit_interval("momentum", momentum)

    def _hyper(self):
        return ["learning_rate", "momentum"]

    def _update(self, x, dx, state, lr):
        v, s = state["v"], state["_scratch"]
        np.multiply(v, self.momentum, out=v)
        np.multiply(dx, lr, out=s)
        np.subtract(v, s, out=v)
        np.add(x, v, out=x)


class Nesterov(Momentum):
    """Nesterov momentum, in the notes' form (x is the look-ahead position)::

        v_prev = v
        v = mu * v - lr * dx
        x += -mu * v_prev + (1 + mu) * v

    Same state and hyperparameters as :class:`Momentum`.
    """

    def _update(self, x, dx, state, lr):
        v, s = state["v"], state["_scratch"]
        mu = self.momentum
        np.multiply(v, mu, out=s)  # s = mu * v_prev
        np.subtract(x, s, out=x)  # x += -mu * v_prev
        np.multiply(dx, lr, out=v)
        np.subtract(s, v, out=v)  # v = mu * v_prev - lr * dx
        np.multiply(v, 1.0 + mu, out=s)
        np.add(x, s, out=x)  # x += (1 + mu) * v


class AdaGrad(Optimizer):
    """AdaGrad: per-weight step sizes that shrink with the sum of squared gradients.

    The update::

        cache += dx ** 2
        x += -lr * dx / (sqrt(cache) + eps)
    """

    _state_names = ("cache",)

    def __init__(self, learning_rate=1e-3, eps=1e-8):
        super().__init__(learning_rate)
        self.eps = _positive("eps", eps)

    def _hyper(self):
        return ["learning_rate", "eps"]

    def _update(self, x, dx, state, lr):
        cache, s = state["cache"], state["_scratch"]
        np.multiply(dx, dx, out=s)
        np.add(cache, s, out=cache)
        np.sqrt(cache, out=s)
        np.add(s, self.eps, out=s)
        np.divide(dx, s, out=s)
        np.multiply(s, lr, out=s)
        np.subtract(x, s, out=x)


class RMSProp(Optimizer):
    """RMSProp::

        cache = decay_rate * cache + (1 - decay_rate) * dx ** 2
        x += -lr * dx / (sqrt(cache) + eps)

    Defaults ``decay_rate=0.99``, ``eps=1e-8``.
    """

    _state_names = ("cache",)

    def __init__(self, learning_rate=1e-3, decay_rate=0.99, eps=1e-8):
        super().__init__(learning_rate)
        self.decay_rate = _unit_interval("decay_rate", decay_rate)
        self.eps = _positive("eps", eps)

    def _hyper(self):
        return ["learning_rate", "decay_rate", "eps"]

    def _update(self, x, dx, state, lr):
        cache, s = state["cache"], state["_scratch"]
        np.multiply(cache, self.decay_rate, out=cache)
        np.multiply(dx, dx, out=s)
        np.multiply(s, 1.0 - self.decay_rate, out=s)
        np.add(cache, s, out=cache)
        np.sqrt(cache, out=s)
        np.add(s, self.eps, out=s)
        np.divide(dx, s, out=s)
        np.multiply(s, lr, out=s)
        np.subtract(x, s, out=x)


class Adam(Optimizer):
    """Adam with bias correction (``t`` counts from 1 at the first update)::

        m = beta1 * m + (1 - beta1) * dx
        mt = m / (1 - beta1 ** t)
        v = beta2 * v + (1 - beta2) * dx ** 2
        vt = v / (1 - beta2 ** t)
        x += -lr * mt / (sqrt(vt) + eps)

    Defaults ``beta1=0.9``, ``beta2=0.999``, ``eps=1e-8``.
    """

    _state_names = ("m", "v")

    def __init__(self, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(learning_rate)
        self.beta1 = _unit_interval("beta1", beta1)
        self.beta2 = _unit_interval("beta2", beta2)
        self.eps = _positive("eps", eps)

    def _hyper(self):
        return ["learning_rate", "beta1", "beta2", "eps"]

    def _update(self, x, dx, state, lr):
        m, v, s = state["m"], state["v"], state["_scratch"]
        b1, b2 = self.beta1, self.beta2
        t = self.t + 1
        np.multiply(m, b1, out=m)
        np.multiply(dx, 1.0 - b1, out=s)
        np.add(m, s, out=m)
        np.multiply(v, b2, out=v)
        np.multiply(dx, dx, out=s)
        np.multiply(s, 1.0 - b2, out=s)
        np.add(v, s, out=v)
        np.divide(v, 1.0 - b2**t, out=s)  # vt
        np.sqrt(s, out=s)
        np.add(s, self.eps, out=s)
        np.divide(m, s, out=s)  # m / (sqrt(vt) + eps)
        np.multiply(s, lr / (1.0 - b1**t), out=s)  # lr * mt / (...)
        np.subtract(x, s, out=x)


_OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSProp,
    "adam": Adam,
}


def get_optimizer(name_or_instance="sgd", **kwargs) -> Optimizer:
    """An optimizer from a name (``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``,
    ``"rmsprop"``, ``"adam"``; case-insensitive) and its hyperparameters, or from an
    :class:`Optimizer` subclass. An instance is returned unchanged (then no keyword arguments are
    allowed)."""
    if isinstance(name_or_instance, Optimizer):
        if kwargs:
            raise ValueError(
                f"optimizer: keyword arguments {sorted(kwargs)} cannot be applied to an optimizer instance"
            )
        return name_or_instance
    if isinstance(name_or_instance, type) and issubclass(name_or_instance, Optimizer):
        return name_or_instance(**kwargs)
    if not isinstance(name_or_instance, str):
        raise TypeError(
            f"optimizer must be a name, an Optimizer or an Optimizer subclass, got {type(name_or_instance).__name__}"
        )
    key = name_or_instance.lower()
    if key not in _OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(_OPTIMIZERS)}, got {name_or_instance!r}")
    return _OPTIMIZERS[key](**kwargs)
