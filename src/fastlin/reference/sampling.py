"""Reference of the minibatch sampler (csrc/sampling.c): SplitMix64-seeded PCG32, Lemire's
bounded integers, Fisher-Yates epochs. Pure Python integers, one draw at a time: slow, exact."""

import numpy as np

__all__ = ["splitmix64", "PCG32", "epoch_batches_reference"]

_M64 = (1 << 64) - 1
_M32 = (1 << 32) - 1


def splitmix64(x):
    """One SplitMix64 step: returns ``(new_x, output)`` for the 64-bit state ``x``."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return x, z ^ (z >> 31)


class PCG32:
    """PCG-XSH-RR 64/32 exactly as ``csrc/sampling.c`` (see ``sampling.h`` for the stream).

    ``PCG32(seed, stream)`` seeds as ``srandom(splitmix64(seed), stream)``; ``PCG32.from_srandom``
    takes the raw ``(initstate, initseq)`` of the PCG paper's ``pcg32_srandom_r``.
    """

    MULT = 6364136223846793005

    def __init__(self, seed=0, stream=0):
        _, initstate = splitmix64(int(seed) & _M64)
        self._srandom(initstate, int(stream) & _M64)

    @classmethod
    def from_srandom(cls, initstate, initseq):
        g = cls.__new__(cls)
        g._srandom(int(initstate) & _M64, int(initseq) & _M64)
        return g

    def _srandom(self, initstate, initseq):
        self.state = 0
        self.inc = ((initseq << 1) | 1) & _M64
        self.next_uint32()
        self.state = (self.state + initstate) & _M64
        self.next_uint32()

    def next_uint32(self):
        old = self.state
        self.state = (old * self.MULT + self.inc) & _M64
        xorshifted = (((old >> 18) ^ old) >> 27) & _M32
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((-rot) & 31))) & _M32

    def bounded(self, bound):
        """Uniform on ``[0, bound)`` by Lemire's method (``1 <= bound < 2**32``)."""
        m = self.next_uint32() * bound
        low = m & _M32
        if low < bound:
            threshold = ((1 << 32) - bound) % bound
            while low < threshold:
                m = self.next_uint32() * bound
                low = m & _M32
        return m >> 32

    def sample_with_replacement(self, n, k):
        """int64 (k,): k indices uniform on [0, n)."""
        return np.array([self.bounded(n) for _ in range(k)], dtype=np.int64)

    def shuffled_range(self, n):
        """int64 (n,): Fisher-Yates from the top over 0..n-1."""
        perm = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.bounded(i + 1)
            perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=np.int64)


def epoch_batches_reference(n, batch_size, num_batches, seed=0, stream=0):
    """The first ``num_batches`` batches of the shuffled-epoch sampler (list of int64 arrays): each
    epoch is ``PCG32.shuffled_range(n)`` cut into ``batch_size`` slices, the last one shorter."""
    g = PCG32(seed, stream)
    out, perm, pos = [], None, n
    while len(out) < num_batches:
        if pos == n:
            perm, pos = g.shuffled_range(n), 0
        out.append(perm[pos : pos + batch_size])
        pos += len(out[-1])
    return out


__all__ += ["splitmix64", "PCG32", "epoch_batches_reference"]
