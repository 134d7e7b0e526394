"""Image data sets on disk (CIFAR-10 in its official python layout). No download code:
fastlin works offline."""

from ._cifar10 import (CIFAR10, cifar10_search_paths, find_cifar10, load_cifar10,
                       load_cifar10_batch, train_val_split)

__all__ = ["CIFAR10", "cifar10_search_paths", "find_cifar10", "load_cifar10",
           "load_cifar10_batch", "train_val_split"]
