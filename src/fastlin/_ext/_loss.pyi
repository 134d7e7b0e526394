import numpy as np
from numpy.typing import NDArray

SVM: int
SOFTMAX: int
SVM_ONE_VS_ALL: int
SVM_CRAMMER_SINGER: int
SVM_SQUARED: int
SVM_ONE_VS_ALL_SQUARED: int
SVM_CRAMMER_SINGER_SQUARED: int
SCRATCH_CACHE_BYTES: int
PART_MACS: int

def loss_grad(
    kind: int,
    W: NDArray[np.floating],
    b: NDArray[np.floating] | None,
    X: NDArray[np.floating],
    idx: NDArray[np.intp] | None,
    y: NDArray[np.intp],
    delta: float,
    reg: float,
    num_threads: int,
    dW: NDArray[np.floating],
    db: NDArray[np.floating] | None,
    part_macs: int = ...,
) -> float: ...
def loss_grad_ready(
    kind: int,
    W: object,
    X: object,
    y: object,
    reg: object,
    delta: object,
    b: object,
    idx: object,
    num_threads: int,
) -> (
    tuple[float, NDArray[np.floating]]
    | tuple[float, NDArray[np.floating], NDArray[np.floating]]
    | None
): ...
def _select_simd(name: bytes) -> int: ...
def _simd_level() -> str: ...
