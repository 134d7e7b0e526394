"""Build and runtime configuration report."""

import platform
import sys

import numpy as np

from ._ext._build_info import build_info


def show_config(file=None):
    """Print fastlin's version, compiler, OpenMP status and default threads."""
    info = build_info()
    lines = [
        f"fastlin {info['version']}",
        f"  compiler:            {info['compiler']}",
        f"  OpenMP:              {'enabled' if info['openmp'] else 'disabled (single-threaded)'}",
        f"  default num_threads: {info['default_num_threads']}",
        f"  SIMD path:           {info['simd']}",
        f"  Python:              {platform.python_version()} ({sys.platform})",
        f"  NumPy:               {np.__version__}",
    ]
    print("\n".join(lines), file=file)
