# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Thin wrapper over csrc/sampling.c: a PCG32 generator object whose methods fill caller-owned
buffers with the GIL released.

Validation happens in :mod:`fastlin.sampling` before these methods run.
"""

from libc.stdint cimport int64_t, uint32_t, uint64_t

cdef extern from "sampling.h" nogil:
    ctypedef struct fl_pcg32:
        uint64_t state
        uint64_t inc
    int64_t FL_SAMPLING_MAX_N
    int FL_SAMPLING_EINVAL
    void fl_pcg32_seed(fl_pcg32 *rng, uint64_t seed, uint64_t stream)
    void fl_pcg32_srandom(fl_pcg32 *rng, uint64_t initstate, uint64_t initseq)
    uint32_t fl_pcg32_bounded(fl_pcg32 *rng, uint32_t bound)
    void fl_pcg32_fill(fl_pcg32 *rng, uint32_t *out, int64_t count)
    int fl_sample_with_replacement(fl_pcg32 *rng, int64_t n, int64_t k, int64_t *out)
    int fl_shuffled_range(fl_pcg32 *rng, int64_t n, int64_t *perm)
    int64_t fl_sample_epoch_batch(fl_pcg32 *rng, int64_t n, int64_t *perm, int64_t *pos,
                                  int64_t *epoch, int64_t k, int64_t *out)

MAX_N = FL_SAMPLING_MAX_N


cdef class PCG32:
    """PCG-XSH-RR 64/32 state (see csrc/sampling.h for the exact stream)."""

    cdef fl_pcg32 rng

    def __init__(self, uint64_t seed=0, uint64_t stream=0):
        fl_pcg32_seed(&self.rng, seed, stream)

    @staticmethod
    def from_srandom(uint64_t initstate, uint64_t initseq):
        cdef PCG32 g = PCG32.__new__(PCG32)
        fl_pcg32_srandom(&g.rng, initstate, initseq)
        return g

    def get_state(self):
        return (int(self.rng.state), int(self.rng.inc))

    def set_state(self, state):
        cdef uint64_t s = state[0], inc = state[1]
        if not inc & 1:
            raise ValueError("state: the increment of a PCG32 state must be odd")
        self.rng.state = s
        self.rng.inc = inc

    def fill_uint32(self, uint32_t[::1] out):
        with nogil:
            fl_pcg32_fill(&self.rng, &out[0], out.shape[0])

    def fill_bounded(self, uint32_t bound, uint32_t[::1] out):
        cdef Py_ssize_t i
        with nogil:
            for i in range(out.shape[0]):
                out[i] = fl_pcg32_bounded(&self.rng, bound)

    def with_replacement(self, int64_t n, int64_t[::1] out):
        cdef int status
        with nogil:
            status = fl_sample_with_replacement(&self.rng, n, out.shape[0], &out[0] if out.shape[0] else NULL)
        if status == FL_SAMPLING_EINVAL:
            raise ValueError(f"n must be in [1, {MAX_N}], got {n}")

    def shuffled_range(self, int64_t[::1] perm):
        cdef int status
        with nogil:
            status = fl_shuffled_range(&self.rng, perm.shape[0], &perm[0])
        if status == FL_SAMPLING_EINVAL:
            raise ValueError(f"n must be in [1, {MAX_N}], got {perm.shape[0]}")

    def epoch_batch(self, int64_t[::1] perm, int64_t[::1] pos_epoch, int64_t[::1] out):
        """One batch of a shuffled-epoch sampler; pos_epoch = [pos, epoch] is updated.
        Returns the number of indices written to out."""
        cdef int64_t m
        with nogil:
            m = fl_sample_epoch_batch(&self.rng, perm.shape[0], &perm[0], &pos_epoch[0],
                                      &pos_epoch[1], out.shape[0], &out[0])
        if m == FL_SAMPLING_EINVAL:
            raise ValueError("invalid sampler state")
        return m
