"""``fastlin demo``: serve the interactive linear-classifier demo (options in
:mod:`fastlin.demo.cli`, shared with ``python -m fastlin.demo``)."""

from ..demo import cli as _demo_cli
from ._common import add_parser


def add_parsers(sub):
    p = add_parser(sub, "demo", help=_demo_cli.HELP,
                   description=_demo_cli.HELP[0].upper() + _demo_cli.HELP[1:] + ".")
    _demo_cli.configure(p)
