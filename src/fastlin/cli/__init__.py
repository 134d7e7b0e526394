"""The fastlin command line: ``build_parser`` and ``main`` (the ``fastlin`` console script)."""

import argparse
import os
import sys

from ._common import CLIError, HelpFormatter, version

DESCRIPTION = """\
Fast linear image classifiers from the command line.

  fastlin train      train a classifier on CIFAR-10 (or the shipped sample images) and save it
  fastlin evaluate   accuracy of a saved model on its data set
  fastlin predict    class names for images in a .npy file
  fastlin bench      time the loss kernels against NumPy
  fastlin demo       the interactive linear-classifier demo on a local web page

Run fastlin COMMAND --help for a command's options."""


def build_parser():
    """The argparse parser of the ``fastlin`` command and its subcommands."""
    from . import bench, demo, evaluate, predict, train

    parser = argparse.ArgumentParser(prog="fastlin", description=DESCRIPTION,
                                     formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"fastlin {version()}",
                        help="print fastlin's version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for mod in (train, evaluate, predict, bench, demo):
        mod.add_parsers(sub)
    return parser


def main(argv=None):
    """Run the command line; return the exit status. A user's mistake (bad file, missing data,
    bad value) prints one line on stderr and returns 1, without a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CLIError as exc:
        print(f"fastlin {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except MemoryError as exc:  # e.g. --patches or --words far beyond the machine
        print(f"fastlin {args.command}: error: not enough memory ({exc})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"fastlin {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # stdout closed early (piped into head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
