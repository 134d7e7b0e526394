"""The version is written once (meson.build) and read the same everywhere."""

import re
import subprocess
import sys
from importlib.metadata import version

import fastlin


def test_version_agrees_with_the_installed_metadata():
    assert fastlin.__version__ == version("fastlin")
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?(a|b|rc|dev|post)\d*)*", fastlin.__version__)


def test_cli_version():
    r = subprocess.run([sys.executable, "-m", "fastlin.cli", "--version"], capture_output=True,
                       text=True)
    assert r.returncode == 0
    assert r.stdout.strip() == f"fastlin {fastlin.__version__}"
