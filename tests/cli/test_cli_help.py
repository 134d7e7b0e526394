"""--help, --version and ``python -m fastlin``."""

import argparse
import subprocess
import sys

import pytest

import fastlin
from fastlin.cli import build_parser
from test_cli_errors import fastlin as run

COMMANDS = ["train", "evaluate", "predict", "bench"]


def _subparsers():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return parser, sub.choices


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_has_help_with_its_default(command):
    p = _subparsers()[1][command]
    fmt = p._get_formatter()
    for action in p._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        text = fmt._get_help_string(action)
        assert text, f"{command} {action.dest}: no help text"
        if action.option_strings:
            assert "default" in text, f"{command} {action.option_strings[0]}: no default shown"


def test_help_output_is_plain_text():
    r = run("train", "--help")
    assert r.returncode == 0
    assert "(default: 1000)" in r.stdout and "(default: softmax)" in r.stdout
    for rst in ("``", ":func:", ":class:", ".. "):
        assert rst not in r.stdout
    r = run("--help")
    assert r.returncode == 0 and "``" not in r.stdout
    for command in COMMANDS:
        assert f"fastlin {command}" in r.stdout


def test_version():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"fastlin {fastlin.__version__}"


@pytest.mark.parametrize("module", ["fastlin", "fastlin.cli"])
def test_python_m(module):
    r = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == f"fastlin {fastlin.__version__}"


def test_cli_does_not_import_package_root_names():
    """The CLI modules import the modules they use, never names from the package root."""
    import pathlib

    root = pathlib.Path(fastlin.cli.__file__).parent
    for path in root.glob("*.py"):
        text = path.read_text()
        assert "import fastlin" not in text and "from fastlin import" not in text, path
        assert "from .. import" not in text and "from .. " not in text, path
