"""The ``fastlin`` command line."""

import argparse
import sys


def _bench(args):
    from . import bench, show_config
    show_config()
    bench.run(n=args.n, d=args.d, c=args.c, dtypes=args.dtype, num_threads=args.threads,
              batch=args.batch, repeat=args.repeat)
    return 0


def build_parser():
    from ._ext._build_info import build_info

    parser = argparse.ArgumentParser(prog="fastlin", description=__doc__)
    parser.add_argument("--version", action="version", version=f"fastlin {build_info()['version']}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("bench", help="benchmark the loss kernels against NumPy on synthetic "
                                     "CIFAR-10-shaped data")
    p.add_argument("--n", type=int, default=49000, help="rows (default 49000)")
    p.add_argument("--d", type=int, default=3073, help="features (default 3073)")
    p.add_argument("--c", type=int, default=10, help="classes (default 10)")
    p.add_argument("--dtype", nargs="+", default=["float32", "float64"],
                   choices=["float32", "float64"])
    p.add_argument("--threads", type=int, default=2, help="threads for both sides (default 2)")
    p.add_argument("--batch", type=int, default=200, help="minibatch rows (default 200)")
    p.add_argument("--repeat", type=int, default=5, help="timed repeats, best kept")
    p.set_defaults(func=_bench)
    from ._train_cli import add_parsers  # train / evaluate / predict (issue 3)
    add_parsers(sub)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
