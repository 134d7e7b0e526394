#!/bin/sh
# The per-host benchmark set: the loss kernels, the course loop, HOG and hue, the Lloyd step,
# on every SIMD level this CPU runs, with NumPy's BLAS on its own kernels.
#
#   sh bench/run_host.sh [DATA_DIR] > bench/notes/host-$(date +%F).txt
#
# Peers must run as a user's NumPy does: OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE), which some
# machines set to force older kernels, are unset for every run, and each script prints the BLAS
# kernels it got (fastlin.bench.host_description). On an AVX-512 CPU the avx2 level is also
# timed against OpenBLAS's Haswell kernels: AVX2 on both sides, the nearest this host comes to
# an AVX2-only machine (same cores and memory, so only an approximation of one).
# DATA_DIR: the CIFAR-10 python batches (default $FASTLIN_DATA); without them the course loop
# uses random data and the feature and k-means sections are skipped.
set -eu
data=${1:-${FASTLIN_DATA:-}}
here=$(dirname "$0")
run() { echo; echo "\$ $*"; env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }
haswell() { echo; echo "\$ OPENBLAS_CORETYPE=Haswell $*"; env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=Haswell "$@"; }
levels=$(python -c "from fastlin._ext._build_info import simd_levels as s
print(' '.join(v['name'] for v in s() if v['supported']))")
uptime
run python -m fastlin bench --simd all --repeat 7
case " $levels " in *" avx512 "*)
    haswell env FASTLIN_SIMD=avx2 python -m fastlin bench --repeat 7 ;;
esac
run python "$here/linear_model/bench_course_loop.py" ${data:+--data "$data"} --repeats 3
if [ -n "$data" ]; then
    for level in $levels; do
        run env FASTLIN_SIMD="$level" OPENBLAS_NUM_THREADS=1 \
            python "$here/features/bench_features.py" --data "$data" --repeat 3
        run env FASTLIN_SIMD="$level" python "$here/features/bench_bow.py" --data "$data" \
            --sections kmeans
    done
    case " $levels " in *" avx512 "*)
        haswell env FASTLIN_SIMD=avx2 python "$here/features/bench_bow.py" --data "$data" \
            --sections kmeans ;;
    esac
fi
uptime
