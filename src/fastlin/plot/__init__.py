"""Pictures of linear classifiers, their training and their features (matplotlib).

Needs matplotlib (``pip install 'fastlin[plot]'``); it is imported when this package is. Every
function draws on an ``ax`` it is given (or a new one), or returns a Figure for a grid or a pair
of panels, and takes a fitted estimator or plain arrays.

* :func:`loss_history` -- the loss of every update, smoothed, and validation accuracy;
* :func:`weight_templates` -- the learned weights as one image per class;
* :func:`loss_landscape` -- 1-D and 2-D slices of the loss around W (Li et al. 2018);
* :func:`optimizer_race` -- every update rule of :mod:`fastlin.optim` on a 2-D test function;
* :func:`hog_glyphs`, :func:`hue_histogram`, :func:`codebook` -- the image features;
* :func:`random_search_vs_descent` -- the lecture's first two attempts, side by side;
* :func:`write_report` -- a static HTML report of a training run.

Confusion matrices: use scikit-learn's ``ConfusionMatrixDisplay``.
"""

from ._common import pyplot as _pyplot

_pyplot()  # a clear ImportError now when matplotlib is missing

from .features import (codebook, codebook_patches, hog_glyph_segments, hog_glyphs,  # noqa: E402
                       hue_histogram)
from .history import loss_history, smooth  # noqa: E402
from .landscape import (Landscape, landscape_directions, landscape_grid, loss_landscape,  # noqa: E402
                        pca_directions)
from .race import TEST_FUNCTIONS, RaceAnimation, TestFunction, optimizer_race, race_paths  # noqa: E402
from .report import write_report  # noqa: E402
from .search import Curves, random_search_vs_descent, search_vs_descent_curves  # noqa: E402
from .templates import templates_as_images, weight_templates  # noqa: E402

__all__ = [
    "loss_history", "smooth",
    "weight_templates", "templates_as_images",
    "loss_landscape", "landscape_grid", "landscape_directions", "pca_directions",
    "Landscape",
    "optimizer_race", "race_paths", "RaceAnimation", "TestFunction", "TEST_FUNCTIONS",
    "hog_glyphs", "hog_glyph_segments", "hue_histogram", "codebook", "codebook_patches",
    "random_search_vs_descent", "search_vs_descent_curves", "Curves",
    "write_report",
]
