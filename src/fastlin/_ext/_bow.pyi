"""Type stubs of the compiled bag-of-words kernels (see fastlin.bow and fastlin.cluster)."""
import numpy as np

TRIANGLE: int
HARD: int

PART_MACS: int
KMEANS_PART_MACS: int

def patch_positions(n: int, h: int, w: int, ph: int, pw: int, seed: int,
                    out: np.ndarray) -> None: ...
def patches(images: np.ndarray, ph: int, pw: int, pos: np.ndarray, num_threads: int,
            out: np.ndarray) -> None: ...
def dense_patches(images: np.ndarray, ph: int, pw: int, stride: int, num_threads: int,
                  out: np.ndarray) -> None: ...
def normalize_patches(X: np.ndarray, eps: float, num_threads: int) -> None: ...
def kmeans_assign(X: np.ndarray, centres: np.ndarray, num_threads: int, labels: np.ndarray,
                  mindist: np.ndarray | None, sums: np.ndarray | None,
                  counts: np.ndarray | None, part_macs: int = ...) -> float: ...
def kmeans_plusplus(X: np.ndarray, K: int, n_trials: int, seed: int, num_threads: int,
                    out: np.ndarray, part_macs: int = ...) -> float: ...
def encode(images: np.ndarray, centres: np.ndarray, out: np.ndarray, params: tuple,
           wmean: np.ndarray | None, P: np.ndarray | None, num_threads: int,
           part_macs: int = ...) -> None: ...
