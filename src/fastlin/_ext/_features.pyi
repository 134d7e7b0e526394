import numpy as np
from numpy.typing import NDArray

NORM_NONE: int
NORM_L1: int
NORM_L1_SQRT: int
NORM_L2: int
NORM_L2_HYS: int

PART_VALUES: int

def hog_feature_size(params: tuple[int, ...], h: int, w: int) -> int: ...
def hog(images: NDArray[np.uint8] | NDArray[np.float32] | NDArray[np.float64],
        params: tuple[int, ...], num_threads: int,
        out: NDArray[np.float32] | NDArray[np.float64], part_values: int = ...) -> None: ...
def hue_histogram(images: NDArray[np.uint8] | NDArray[np.float32] | NDArray[np.float64],
                  edges: NDArray[np.float64], xmax: float, normalized: bool,
                  num_threads: int, out: NDArray[np.float32] | NDArray[np.float64],
                  part_values: int = ...) -> None: ...
def _select_simd(name: bytes) -> int: ...
def _simd_level() -> str: ...
