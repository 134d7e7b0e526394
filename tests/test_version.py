"""The version is written once (meson.build): the installed metadata says the same."""

import re
from importlib.metadata import version

import fastlin


def test_version_agrees_with_the_installed_metadata():
    assert fastlin.__version__ == version("fastlin")
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", fastlin.__version__)
