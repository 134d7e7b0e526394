"""``fastlin demo``: the argparse subcommand (``add_parser``, ``run``)."""

from __future__ import annotations

import argparse
import sys

HELP = "serve the interactive linear-classifier demo on a local web page"
MISSING = 'fastlin demo needs Starlette and uvicorn: pip install "fastlin[demo]"'


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``demo`` subcommand to an argparse ``subparsers`` object; returns its parser."""
    p = subparsers.add_parser("demo", help=HELP, description=HELP[0].upper() + HELP[1:] + ".")
    configure(p)
    return p


def configure(p: argparse.ArgumentParser) -> None:
    """The demo's options on parser ``p`` (its ``func`` default is :func:`run`)."""
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_port, default=8000,
                   help="port to listen on; 0 picks a free one (default 8000)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.set_defaults(func=run)


def _port(text):
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer in [0, 65535], got {text!r}") \
            from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be an integer in [0, 65535], got {port}")
    return port


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; returns the exit status (1, with one line on stderr, when the extras
    are missing or the address cannot be bound)."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 1
    from .server import serve

    try:
        serve(args.host, args.port, open_browser=not args.no_browser)
    except OSError as exc:
        print(f"fastlin demo: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    return 0
