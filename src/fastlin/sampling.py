"""Seeded minibatch sampling (C core: ``csrc/sampling.c``).

A :class:`BatchSampler` yields int64 row indices for the kernels' ``idx`` argument, so a training
step never copies rows::

    sampler = BatchSampler(len(X), batch_size=200, seed=0)
    for _ in range(num_iters):
        idx = sampler.next_batch()
        loss, dW = fastlin.svm_loss(W, X, y, reg, idx=idx)

The generator is PCG32 (PCG-XSH-RR 64/32) seeded through SplitMix64; bounded integers use
Lemire's unbiased method and epochs are Fisher-Yates shuffles. The stream is specified exactly in
``csrc/sampling.h`` and reproduced in pure Python by :class:`fastlin.reference.PCG32`, so a seed
gives the same indices on every platform and thread count (sampling is sequential).
"""

from __future__ import annotations

import numbers

import numpy as np

from ._ext import _sampling

__all__ = ["BatchSampler", "PCG32", "seed_from_random_state"]

PCG32 = _sampling.PCG32

_U64 = (1 << 64) - 1


def _uint64(name, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    if not 0 <= value <= _U64:
        raise ValueError(f"{name} must be in [0, 2**64), got {value}")
    return value


def seed_from_random_state(random_state) -> int:
    """A 64-bit seed from scikit-learn style ``random_state``: None (fresh OS entropy), an int
    (used as is), a ``numpy.random.RandomState`` or ``numpy.random.Generator`` (one draw)."""
    if random_state is None:
        return int(np.random.SeedSequence().generate_state(1, np.uint64)[0])
    if isinstance(random_state, (bool, np.bool_)):
        raise TypeError("random_state must be None, an int, a RandomState or a Generator, got bool")
    if isinstance(random_state, numbers.Integral):
        if random_state < 0:
            raise ValueError(f"random_state must be >= 0, got {random_state}")
        return int(random_state) & _U64
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**63 - 1, dtype=np.int64))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**63 - 1, dtype=np.int64))
    raise TypeError(
        f"random_state must be None, an int, a RandomState or a Generator, got {type(random_state).__name__}"
    )


class BatchSampler:
    """Minibatches of row indices in ``[0, n)``.

    Parameters
    ----------
    n : int, 1 <= n < 2**32
        Number of rows to sample from.
    batch_size : int >= 1
        Indices per batch (the last batch of an epoch may be shorter when ``replace=False``).
    replace : bool
        True: every batch is ``batch_size`` independent uniform draws (as
        ``np.random.choice(n, batch_size)``). False (default): shuffled epochs, every index exactly
        once per epoch; batches are consecutive slices of a fresh Fisher-Yates permutation.
    seed : int in [0, 2**64)
        Generator seed. ``stream`` (int in [0, 2**64)) selects one of 2**63 independent streams.

    Attributes
    ----------
    epoch : int
        Epochs started so far (``replace=False``); 0 before the first batch.
    position : int
        Indices of the current epoch already handed out.
    """

    def __init__(self, n, batch_size, *, replace=False, seed=0, stream=0):
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
            raise TypeError(f"n must be an integer, got {type(n).__name__}")
        if not 1 <= n <= _sampling.MAX_N:
            raise ValueError(f"n must be in [1, {_sampling.MAX_N}], got {n}")
        if isinstance(batch_size, (bool, np.bool_)) or not isinstance(batch_size, numbers.Integral):
            raise TypeError(f"batch_size must be an integer, got {type(batch_size).__name__}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.n = int(n)
        self.batch_size = int(batch_size)
        self.replace = bool(replace)
        self.seed = _uint64("seed", seed)
        self.stream = _uint64("stream", stream)
        self._rng = _sampling.PCG32(self.seed, self.stream)
        self._perm = None if self.replace else np.empty(self.n, dtype=np.int64)
        self._pos_epoch = np.array([self.n, 0], dtype=np.int64)  # position n: epoch spent

    @property
    def epoch(self) -> int:
        return int(self._pos_epoch[1])

    @property
    def position(self) -> int:
        return 0 if self.epoch == 0 else int(self._pos_epoch[0])

    @property
    def batches_per_epoch(self) -> int:
        return -(-self.n // self.batch_size)

    def next_batch(self, out=None) -> np.ndarray:
        """The next batch: int64 (batch_size,) (shorter at the end of an epoch without
        replacement). ``out``: optional int64 C-contiguous (batch_size,) buffer to fill; then the
        filled part of it is returned."""
        if out is None:
            out = np.empty(self.batch_size, dtype=np.int64)
        else:
            if not isinstance(out, np.ndarray) or out.dtype != np.int64 or out.shape != (self.batch_size,):
                raise ValueError(f"out must be an int64 array of shape ({self.batch_size},)")
            if not out.flags.c_contiguous or not out.flags.writeable:
                raise ValueError("out must be C-contiguous and writeable")
        if self.replace:
            self._rng.with_replacement(self.n, out)
            return out
        m = self._rng.epoch_batch(self._perm, self._pos_epoch, out)
        return out if m == self.batch_size else out[:m]

    def epoch_batches(self):
        """Iterate over the batches that finish the current epoch (a whole new epoch when the
        current one is spent). With ``replace=True``: ``ceil(n / batch_size)`` batches."""
        if self.replace:
            for _ in range(self.batches_per_epoch):
                yield self.next_batch()
            return
        first = self.next_batch()
        yield first
        while self._pos_epoch[0] < self.n:
            yield self.next_batch()

    def __iter__(self):
        return self.epoch_batches()

    def get_state(self) -> dict:
        """Everything needed to continue the exact same sequence (see :meth:`set_state`)."""
        return {
            "n": self.n,
            "batch_size": self.batch_size,
            "replace": self.replace,
            "seed": self.seed,
            "stream": self.stream,
            "rng": self._rng.get_state(),
            "perm": None if self._perm is None else self._perm.copy(),
            "pos_epoch": self._pos_epoch.copy(),
        }

    def set_state(self, state):
        self.__init__(state["n"], state["batch_size"], replace=state["replace"], seed=state["seed"],
                      stream=state["stream"])
        self._rng.set_state(state["rng"])
        if state["perm"] is not None:
            self._perm[:] = state["perm"]
        self._pos_epoch[:] = state["pos_epoch"]

    def __getstate__(self):
        return self.get_state()

    def __setstate__(self, state):
        self.set_state(state)

    def __repr__(self):
        return (f"BatchSampler(n={self.n}, batch_size={self.batch_size}, replace={self.replace}, "
                f"seed={self.seed}, stream={self.stream})")
