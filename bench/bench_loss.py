"""Loss-kernel benchmark: python bench/bench_loss.py [fastlin bench options].

Same as ``fastlin bench``: fastlin's fused kernels beside the NumPy
vectorized reference, one read of X and the matmul FMA floor, in one run.
"""

import sys

from fastlin.cli import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
