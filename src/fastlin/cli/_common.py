"""What the subcommands share: the error they raise for a user's mistake, the help formatter and
argument types."""

import argparse


class CLIError(Exception):
    """A user's mistake (bad file, bad argument, missing data): ``main`` prints the message as one
    line on stderr and exits with status 1, without a traceback."""


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Descriptions as written (plain text); every option's help ends with its default, unless
    the default is None or the help already says it."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" in text or action.default in (None, argparse.SUPPRESS):
            return text
        return super()._get_help_string(action)


def add_parser(sub, name, **kw):
    """A subcommand parser with the shared formatter."""
    return sub.add_parser(name, formatter_class=HelpFormatter, **kw)


INT_MAX = 2**31 - 1
MAX_THREADS = 1024


def _int_in(text, lo, hi):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer in {lo}..{hi}, got {text!r}") from None
    if not lo <= v <= hi:
        raise argparse.ArgumentTypeError(f"expected an integer in {lo}..{hi}, got {v}")
    return v


def positive_int(text):
    """argparse type: an integer in 1..2**31-1 (what the kernels take)."""
    return _int_in(text, 1, INT_MAX)


def nonnegative_int(text):
    """argparse type: an integer in 0..2**31-1."""
    return _int_in(text, 0, INT_MAX)


def thread_count(text):
    """argparse type: a thread count, 1..1024."""
    return _int_in(text, 1, MAX_THREADS)


def positive_float(text):
    """argparse type: a finite float > 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not (0 < v < float("inf")):
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text}")
    return v


def nonnegative_float(text):
    """argparse type: a finite float >= 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}") from None
    if not (0 <= v < float("inf")):
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text}")
    return v


def version():
    """fastlin's version string."""
    from .._ext._build_info import build_info

    return build_info()["version"]
