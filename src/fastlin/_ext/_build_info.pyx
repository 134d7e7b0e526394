# cython: language_level=3
"""What the compiled core was built with, its threading defaults and its SIMD levels."""

import os

cdef extern from "fastlin_config.h":
    const char *FASTLIN_VERSION
    const char *FASTLIN_COMPILER

cdef extern from "common.h":
    int fl_default_num_threads()
    int fl_thread_cap()
    int fl_openmp_enabled()

cdef extern from "kernels.h":
    int FL_SIMD_DEFAULT
    int FL_SIMD_FORCED
    int FL_SIMD_UNKNOWN
    int FL_SIMD_UNSUPPORTED
    ctypedef struct fl_kernel_table:
        const char *name
    const fl_kernel_table *fl_active_kernels()
    int fl_simd_count()
    const char *fl_simd_name(int i)
    const char *fl_simd_description(int i)
    int fl_simd_supported(int i)
    int fl_simd_select(const char *name)
    int fl_simd_request()


def thread_cap():
    """Most threads a kernel starts (the OpenMP thread limit, at most max(4 x CPUs, 64))."""
    return fl_thread_cap()


def simd_levels():
    """The instruction-set levels built in, narrowest first: list of dicts with
    ``name``, ``description`` and ``supported`` (whether this CPU runs it)."""
    return [{"name": fl_simd_name(i).decode(),
             "description": fl_simd_description(i).decode(),
             "supported": bool(fl_simd_supported(i))}
            for i in range(fl_simd_count())]


def simd_level():
    """Name of the level the kernels run on."""
    return fl_active_kernels().name.decode()


def select_simd(name):
    """Run every later kernel call on level `name` (one of `simd_levels()`).

    For tests and benchmarks: not while a kernel runs in another thread.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    status = fl_simd_select(name.encode())
    if status == FL_SIMD_FORCED:
        # the other modules hold their own copies of the core
        from . import _bow, _features, _loss
        for mod in (_bow, _features, _loss):
            mod._select_simd(name.encode())
    names = [lv["name"] for lv in simd_levels()]
    if status == FL_SIMD_UNKNOWN:
        raise ValueError(f"name must be one of {names}, got {name!r}")
    if status == FL_SIMD_UNSUPPORTED:
        ok = [lv["name"] for lv in simd_levels() if lv["supported"]]
        raise ValueError(f"SIMD level {name!r} is not supported by this CPU (it runs {ok})")


def simd_request():
    """How the FASTLIN_SIMD environment variable was applied at the first kernel
    call: (value or None, one of "default", "forced", "unknown", "unsupported")."""
    status = fl_simd_request()
    value = os.environ.get("FASTLIN_SIMD") or None
    if status == FL_SIMD_FORCED:
        return value, "forced"
    if status == FL_SIMD_UNKNOWN:
        return value, "unknown"
    if status == FL_SIMD_UNSUPPORTED:
        return value, "unsupported"
    return value, "default"


def build_info():
    """Dict of version, compiler, openmp, default_num_threads, simd (the level in use)."""
    return {
        "version": FASTLIN_VERSION.decode(),
        "compiler": FASTLIN_COMPILER.decode(),
        "openmp": bool(fl_openmp_enabled()),
        "default_num_threads": fl_default_num_threads(),
        "simd": simd_level(),
    }
