"""Sphinx configuration of the fastlin documentation.

Build: ``pip install ".[docs]"`` then ``python -m sphinx -b html docs docs/_build/html -W``.
``FASTLIN_DOCS_QUICK=1`` skips running the slowest gallery examples (they are still shown,
without their output).
"""

import os
import warnings

import fastlin

project = "fastlin"
author = "the fastlin developers"
copyright = "the fastlin developers"
release = fastlin.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "make_readme_figures.py"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_copy_source = False

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_validation_checks = set()
numpydoc_xref_param_type = False

myst_heading_anchors = 3

html_theme = "pydata_sphinx_theme"
html_title = f"fastlin {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_sidebars = {"getting_started": [], "course": [], "kernels": []}

_quick = os.environ.get("FASTLIN_DOCS_QUICK", "") not in ("", "0")
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_" if not _quick else r"/plot_0[1-6]_",
    "ignore_pattern": r"(__init__|_data)\.py",
    "within_subsection_order": "FileNameSortKey",
    "matplotlib_animations": True,
    "image_scrapers": ("matplotlib",),
    "remove_config_comments": True,
    "show_memory": False,
    "download_all_examples": False,
    "min_reported_time": 1,
    "capture_repr": (),
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("fastlin",),
    "reference_url": {"fastlin": None},
}

# matplotlib in the gallery: no GUI, and sphinx-gallery's warnings about Agg are expected
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings("ignore", category=UserWarning,
                        message="Matplotlib is currently using agg")


def _check_api_reference(app):
    """Warn (an error with -W) when a public function or class is missing from api.rst."""
    import importlib
    import inspect

    from sphinx.util import logging

    logger = logging.getLogger("fastlin.api")
    with open(os.path.join(app.srcdir, "api.rst"), encoding="utf-8") as f:
        text = f.read()
    listed = {line.strip() for line in text.splitlines() if line.startswith("   ")}
    for modname in ["fastlin", "fastlin.losses", "fastlin.gradcheck", "fastlin.optim",
                    "fastlin.sampling", "fastlin.linear_model", "fastlin.features",
                    "fastlin.cluster", "fastlin.datasets", "fastlin.plot", "fastlin.reference",
                    "fastlin.compat.cs231n"]:
        mod = importlib.import_module(modname)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and name not in listed:
                logger.warning(f"api.rst does not list {modname}.{name}")


def setup(app):
    app.connect("builder-inited", _check_api_reference)
