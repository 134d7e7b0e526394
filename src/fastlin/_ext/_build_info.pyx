# cython: language_level=3
"""What the compiled core was built with, and its threading defaults."""

cdef extern from "fastlin_config.h":
    const char *FASTLIN_VERSION
    const char *FASTLIN_COMPILER

cdef extern from "common.h":
    int fl_default_num_threads()
    int fl_openmp_enabled()
    const char *fl_simd_path()


def build_info():
    """Dict of version, compiler, openmp, default_num_threads, simd."""
    return {
        "version": FASTLIN_VERSION.decode(),
        "compiler": FASTLIN_COMPILER.decode(),
        "openmp": bool(fl_openmp_enabled()),
        "default_num_threads": fl_default_num_threads(),
        "simd": fl_simd_path().decode(),
    }
