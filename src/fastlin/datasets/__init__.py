"""Image data sets: CIFAR-10 in its official python layout, found on disk, and the sample images
that ship with fastlin. No download code: fastlin works offline."""

from ._cifar10 import (CIFAR10, cifar10_search_paths, find_cifar10, load_cifar10,
                       load_cifar10_batch, train_val_split)
from ._samples import SampleImages, load_sample_images

__all__ = ["CIFAR10", "cifar10_search_paths", "find_cifar10", "load_cifar10",
           "load_cifar10_batch", "train_val_split", "SampleImages", "load_sample_images"]
