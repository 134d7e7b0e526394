#!/usr/bin/env python3
"""Builds fastlin's C core for aarch64 and runs its kernel checks there, under qemu-user.

The C core is configured by the project's own meson files (meson.build, csrc/meson.build) for
an aarch64 host, so it gets exactly the sources, defines, flags and generated config header a
native aarch64 build gets: the portable ``baseline`` level alone, 16-byte GNU vector extensions
(NEON).  Only the Python parts are left out of a copy of the top-level meson.build (there is no
aarch64 Python to build against), and tools/portable_check.c is linked to the core as the
Cython modules are.  Then the driver compares every kernel family with scalar references and
this script runs it with ``qemu-aarch64``.

Two builds: ``vector`` (as GCC builds it) and ``scalar``, the same sources as a compiler without
GNU C extensions sees them (``__GNUC__`` undefined after the system headers, so
``FL_HAVE_VECTOR_EXT`` is 0: the portable scalar path, as with MSVC).

Needs ``aarch64-linux-gnu-gcc`` (with its libgomp), ``qemu-aarch64``, and meson + ninja
(``pip install meson ninja``).  Debian: ``apt-get install gcc-aarch64-linux-gnu qemu-user``.

Usage: ``python tools/check_portable.py [--variant vector|scalar|both] [--keep DIR]``.
Exit status 0 when both builds succeed and every check passes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIPLET = "aarch64-linux-gnu"
SYSROOT = Path("/usr") / TRIPLET

# The lines of the top-level meson.build that need Python or Cython, and what replaces them;
# each must match exactly once, so that a change there stops this script loudly.
_PYTHON_PARTS = [
    (r"'c', 'cython'", "'c'"),
    (r"\npy = import\('python'\)\.find_installation\([^)]*\)\n", "\n"),
    (r"\nsubdir\('src/fastlin'\)\n", "\n"),
]
_DRIVER = """
executable('portable_check', 'tools/portable_check.c', dependencies: fastlin_core_dep)
"""

# Included before every source of the scalar build: the system headers with GCC's macros,
# then __GNUC__ removed, so that fastlin's own code sees a compiler without GNU C extensions.
_NO_GNU_C = """#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#undef __GNUC__
"""


def fail(msg: str) -> None:
    sys.exit(f"check_portable: {msg}")


def tool(name: str) -> str:
    """A program on PATH or beside this Python (a venv's meson and ninja)."""
    path = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not path:
        fail(f"{name} not found (Debian: apt-get install gcc-aarch64-linux-gnu qemu-user; "
             f"meson and ninja: pip install meson ninja)")
    return path


def core_project(src: Path) -> None:
    """A meson project in src holding the C core exactly as the real one builds it."""
    text = (ROOT / "meson.build").read_text()
    for pattern, repl in _PYTHON_PARTS:
        text, count = re.subn(pattern, repl.replace("\\", "\\\\"), text)
        if count != 1:
            fail(f"meson.build changed: {pattern!r} matched {count} times, expected once; "
                 f"update _PYTHON_PARTS in {Path(__file__).name}")
    if "subdir('csrc')" not in text:
        fail("meson.build no longer builds csrc/ with subdir('csrc')")
    (src / "meson.build").write_text(text + _DRIVER)
    shutil.copy(ROOT / "meson.options", src / "meson.options")
    shutil.copytree(ROOT / "csrc", src / "csrc")
    (src / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "portable_check.c", src / "tools" / "portable_check.c")
    (src / "no_gnu_c.h").write_text(_NO_GNU_C)


def cross_file(path: Path, runner: list[str], scalar: bool, src: Path) -> None:
    lines = [
        "[binaries]",
        f"c = '{TRIPLET}-gcc'",
        f"ar = '{TRIPLET}-ar'",
        f"strip = '{TRIPLET}-strip'",
        f"exe_wrapper = {runner!r}",
        "[host_machine]",
        "system = 'linux'",
        "cpu_family = 'aarch64'",
        "cpu = 'aarch64'",
        "endian = 'little'",
    ]
    if scalar:
        lines += ["[built-in options]", f"c_args = ['-include', '{src / 'no_gnu_c.h'}']"]
    path.write_text("\n".join(lines) + "\n")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def setup(src: Path, build: Path, variant: str, runner: list[str], meson: str) -> None:
    cross = build.parent / f"cross-{variant}.ini"
    cross_file(cross, runner, variant == "scalar", src)
    r = run([meson, "setup", str(build), str(src), "--cross-file", str(cross)])
    if r.returncode:
        fail(f"meson setup ({variant}) failed:\n{r.stdout}\n{r.stderr}")
    config = (build / "fastlin_config.h").read_text()
    for want in ("#define FASTLIN_X86_LEVELS 0", "#define FASTLIN_HAVE_OPENMP 1"):
        if want not in config:
            fail(f"{variant}: fastlin_config.h lacks {want!r}:\n{config}")


def vector_instructions(build: Path) -> int:
    """NEON arithmetic on 4 floats or 2 doubles in the loss kernel's objects."""
    objs = sorted(build.glob("csrc/*.p/loss.c.o"))
    if not objs:
        fail(f"no loss.c object under {build}/csrc")
    r = run([f"{TRIPLET}-objdump", "-d", str(objs[0])])
    return len(re.findall(r"\tf(?:mla|mul|add|sub)\s+v\d+\.(?:4s|2d)", r.stdout))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variant", choices=["vector", "scalar", "both"], default="both")
    ap.add_argument("--keep", type=Path, help="build in DIR and keep it (default: a temporary "
                                               "directory, removed)")
    ap.add_argument("--quiet", action="store_true", help="print only failed checks and totals")
    args = ap.parse_args(argv)

    for name in (f"{TRIPLET}-gcc", f"{TRIPLET}-objdump", f"{TRIPLET}-nm", "qemu-aarch64"):
        tool(name)
    meson, ninja = tool("meson"), tool("ninja")
    runner = [tool("qemu-aarch64"), "-L", str(SYSROOT)]
    variants = ["vector", "scalar"] if args.variant == "both" else [args.variant]

    if args.keep:
        work = args.keep
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="fastlin-portable-"))
    ok = True
    try:
        src = work / "src"
        src.mkdir()
        core_project(src)
        t0 = time.perf_counter()
        builds = {v: work / f"build-{v}" for v in variants}
        for v, b in builds.items():
            setup(src, b, v, runner, meson)
        # both builds at once, one job each (the C core is a handful of large files)
        procs = {v: subprocess.Popen(["nice", "-n", "10", ninja, "-C", str(b), "-j",
                                      str(max(1, (os.cpu_count() or 2) // len(builds)))],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for v, b in builds.items()}
        for v, p in procs.items():
            out = p.communicate()[0]
            if p.returncode:
                fail(f"{v} build failed:\n{out}")
        print(f"built {', '.join(variants)} for aarch64 in {time.perf_counter() - t0:.1f} s "
              f"({run([f'{TRIPLET}-gcc', '--version']).stdout.splitlines()[0]})")
        runs = {}
        for v, b in builds.items():
            exe = b / "portable_check"
            syms = run([f"{TRIPLET}-nm", str(exe)]).stdout
            if "fl_loss_float_baseline" not in syms or re.search(r"_avx(2|512)\b", syms):
                fail(f"{v}: expected the baseline level alone in {exe}")
            # both drivers at once (each starts 2 threads where it asks for them)
            runs[v] = (time.perf_counter(), subprocess.Popen(
                runner + [str(exe)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        for v, (t1, p) in runs.items():
            stdout, stderr = p.communicate(timeout=900)
            dt = time.perf_counter() - t1
            lines = stdout.splitlines()
            if "arch: aarch64" not in lines:
                fail(f"{v}: the driver did not run as aarch64:\n{stdout}\n{stderr}")
            for ln in lines:
                if not args.quiet or not ln.startswith("ok"):
                    print(f"[{v}] {ln}")
            if stderr.strip():
                print(f"[{v}] stderr: {stderr.strip()}")
            passed = p.returncode == 0 and bool(lines) and lines[-1].endswith(" 0 failed")
            print(f"[{v}] {'PASSED' if passed else 'FAILED'}: ran in {dt:.1f} s under "
                  f"qemu-aarch64; {vector_instructions(builds[v])} NEON vector FP instructions "
                  f"in loss.c")
            ok = ok and passed
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
