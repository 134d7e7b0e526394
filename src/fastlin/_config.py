"""Build and runtime configuration report."""

import platform
import sys

import numpy as np

from ._ext._build_info import build_info, simd_levels, simd_request


def show_config(file=None):
    """Print fastlin's version, compiler, OpenMP status, default threads and SIMD levels."""
    info = build_info()
    value, status = simd_request()
    how = {"default": "the widest this CPU supports",
           "forced": f"forced by FASTLIN_SIMD={value}",
           "unknown": f"FASTLIN_SIMD={value!r} ignored: not a level",
           "unsupported": f"FASTLIN_SIMD={value!r} ignored: not supported by this CPU"}[status]
    levels = [f"    {'*' if lv['name'] == info['simd'] else ' '} {lv['name']:9s}"
              f"{lv['description']}{'' if lv['supported'] else ' (not on this CPU)'}"
              for lv in simd_levels()]
    lines = [
        f"fastlin {info['version']}",
        f"  compiler:            {info['compiler']}",
        f"  OpenMP:              {'enabled' if info['openmp'] else 'disabled (single-threaded)'}",
        f"  default num_threads: {info['default_num_threads']}",
        f"  SIMD level:          {info['simd']} ({how})",
        *levels,
        f"  Python:              {platform.python_version()} ({sys.platform})",
        f"  NumPy:               {np.__version__}",
    ]
    print("\n".join(lines), file=file)
