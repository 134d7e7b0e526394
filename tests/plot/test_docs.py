"""Build the documentation site (slow: only with FASTLIN_TEST_DOCS=1).

``FASTLIN_TEST_DOCS=1 python -m pytest tests/test_docs.py`` runs Sphinx with warnings as errors
in quick mode (the slowest gallery examples are shown but not run); the full build is
``python -m sphinx -b html docs docs/_build/html -W --keep-going``.
"""

import os
import re
import subprocess
import sys

import pytest

DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "docs")

pytestmark = pytest.mark.skipif(os.environ.get("FASTLIN_TEST_DOCS", "") in ("", "0"),
                                reason="set FASTLIN_TEST_DOCS=1 to build the docs")


def test_docs_build_without_warnings(tmp_path):
    for mod in ("sphinx", "numpydoc", "pydata_sphinx_theme", "sphinx_gallery", "myst_parser"):
        pytest.importorskip(mod)
    if not os.path.isfile(os.path.join(DOCS, "conf.py")):
        pytest.skip("no docs/ beside the tests (installed package)")
    out = tmp_path / "html"
    env = dict(os.environ, FASTLIN_DOCS_QUICK="1", MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
                        "-d", str(tmp_path / "doctrees"), DOCS, str(out)],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-5000:]
    for page in ("index.html", "getting_started.html", "lecture.html", "kernels.html",
                 "course.html", "api.html", "auto_examples/index.html",
                 "auto_examples/plot_06_optimizer_race.html",
                 "generated/fastlin.plot.loss_landscape.html"):
        assert (out / page).is_file(), page
    # every local link of the landing and lecture pages resolves
    for page in ("index.html", "lecture.html"):
        html = (out / page).read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#:]+\.html)', html):
            assert (out / os.path.dirname(page) / href).resolve().is_file(), (page, href)
    # the executed race example embeds its pictures
    race = (out / "auto_examples/plot_06_optimizer_race.html").read_text(encoding="utf-8")
    assert "sphx_glr_plot_06_optimizer_race_001.png" in race
