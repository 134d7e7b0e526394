"""``fastlin bench``: the loss kernels against NumPy on synthetic CIFAR-10-shaped data."""

from ._common import add_parser, positive_int, thread_count


def run(args):
    from .._config import show_config
    from ..bench import run as run_bench

    show_config()
    run_bench(n=args.n, d=args.d, c=args.c, dtypes=args.dtype, num_threads=args.threads,
              batch=args.batch, repeat=args.repeat)
    return 0


def add_parsers(sub):
    p = add_parser(sub, "bench", help="benchmark the loss kernels against NumPy on synthetic "
                                      "CIFAR-10-shaped data",
                   description="Time fastlin's loss kernels beside NumPy's vectorized reference, "
                               "one read of X and the matmul floor, on random data.")
    p.add_argument("--n", type=positive_int, metavar="N", default=49000, help="rows")
    p.add_argument("--d", type=positive_int, metavar="N", default=3073, help="features")
    p.add_argument("--c", type=positive_int, metavar="N", default=10, help="classes")
    p.add_argument("--dtype", nargs="+", default=["float32", "float64"],
                   choices=["float32", "float64"], help="dtypes to time")
    p.add_argument("--threads", type=thread_count, metavar="N", default=2, help="threads for both sides")
    p.add_argument("--batch", type=positive_int, metavar="N", default=200, help="minibatch rows")
    p.add_argument("--repeat", type=positive_int, metavar="N", default=5, help="timed repeats, best kept")
    p.set_defaults(func=run)
