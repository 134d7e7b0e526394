"""``python -m fastlin.demo [--host H] [--port P] [--no-browser]``."""

import argparse
import sys

from .cli import HELP, configure


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fastlin.demo", description=HELP)
    configure(parser)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
