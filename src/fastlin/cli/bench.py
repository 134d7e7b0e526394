"""``fastlin bench``: the loss kernels against NumPy on synthetic CIFAR-10-shaped data."""

from ._common import CLIError, add_parser, positive_int, thread_count


def _levels(simd):
    """The SIMD levels --simd names: None (the one in use), or a list of levels this CPU runs."""
    if simd is None:
        return None
    from .._ext._build_info import simd_levels
    supported = [lv["name"] for lv in simd_levels() if lv["supported"]]
    if "all" in simd:
        return supported
    missing = [name for name in simd if name not in supported]
    if missing:
        raise CLIError(f"--simd: {', '.join(missing)} not supported by this CPU "
                       f"(it runs {', '.join(supported)})")
    return simd


def run(args):
    from .._config import show_config
    from ..bench import run as run_bench

    show_config()
    run_bench(n=args.n, d=args.d, c=args.c, dtypes=args.dtype, num_threads=args.threads,
              batch=args.batch, repeat=args.repeat, simd=_levels(args.simd))
    return 0


def add_parsers(sub):
    p = add_parser(sub, "bench", help="benchmark the loss kernels against NumPy on synthetic "
                                      "CIFAR-10-shaped data",
                   description="Time fastlin's loss kernels beside NumPy (the vectorized reference "
                               "and a lean implementation) and the machine's floors (the "
                               "flops at the matmul rate, one read of X), on random data.")
    p.add_argument("--n", type=positive_int, metavar="N", default=49000, help="rows")
    p.add_argument("--d", type=positive_int, metavar="N", default=3073, help="features")
    p.add_argument("--c", type=positive_int, metavar="N", default=10, help="classes")
    p.add_argument("--dtype", nargs="+", default=["float32", "float64"],
                   choices=["float32", "float64"], help="dtypes to time")
    p.add_argument("--threads", type=thread_count, metavar="N", default=2, help="threads for both sides")
    p.add_argument("--batch", type=positive_int, metavar="N", default=200, help="minibatch rows")
    p.add_argument("--repeat", type=positive_int, metavar="N", default=5, help="timed repeats, best kept")
    p.add_argument("--simd", nargs="+", metavar="LEVEL", choices=_simd_choices(),
                   help="SIMD levels to time fastlin on, or 'all' the CPU supports "
                        "(default: the level in use, see fastlin.show_config())")
    p.set_defaults(func=run)


def _simd_choices():
    from .._ext._build_info import simd_levels
    return ["all", *(lv["name"] for lv in simd_levels())]
