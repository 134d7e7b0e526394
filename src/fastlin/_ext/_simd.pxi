# Included by every module that calls kernels: each compiled module holds its
# own copy of the C core, so a SIMD level is selected in each (see
# _build_info.select_simd).

cdef extern from "kernels.h":
    ctypedef struct fl_kernel_table:
        const char *name
    const fl_kernel_table *fl_active_kernels()
    int fl_simd_select(const char *name)


def _select_simd(bytes name):
    """Status of fl_simd_select in this module's copy of the core."""
    return fl_simd_select(name)


def _simd_level():
    """The level this module's copy of the core runs."""
    return fl_active_kernels().name.decode()
