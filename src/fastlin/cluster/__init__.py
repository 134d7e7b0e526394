"""k-means clustering with a C/OpenMP core: fused Lloyd steps and a fast k-means++
(:class:`KMeans`, :func:`kmeans_plusplus`, :func:`lloyd_step`)."""

from ._kmeans import KMeans, kmeans_plusplus, lloyd_step

__all__ = ["KMeans", "kmeans_plusplus", "lloyd_step"]
