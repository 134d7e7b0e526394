"""Check what a built fastlin wheel carries, before anyone installs it.

    python tools/check_wheel.py WHEEL|DIR [--openmp | --no-openmp]

(DIR: every wheel in it.)

- every file of src/fastlin (Python, stubs, data) and every Cython module is
  in the wheel (a file left out of src/fastlin/meson.build would be missing);
- the OpenMP runtime the platform needs is bundled (--openmp: libgomp on Linux,
  libomp on macOS, vcomp140 on Windows), or no OpenMP runtime is referenced at
  all (--no-openmp);
- on x86-64 Linux (needs binutils' objdump): the kernels of the AVX2 and
  AVX-512 levels are there, and no code that the baseline level or the module
  itself can reach uses a VEX/EVEX instruction (AVX and later) or a ymm/zmm
  register, nor code of the AVX2 level a zmm or mask register, so the wheel
  runs on any x86-64 CPU whatever the build host had.  A function belongs to
  a level when it can only be reached (direct calls, jumps, addresses taken)
  from that level's entry points (names ending in _avx2 / _avx512).  Nor
  does any code use an MMX register: without an emms after it, the x87 unit
  gives NaN for every long double operation that follows.

Exits 1 with the list of problems; prints a short summary otherwise.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "fastlin"
EXT_SUFFIX = re.compile(r"\.(cpython-[^/]*\.so|cp[0-9]+[^/]*\.pyd|abi3\.so|so|pyd)$")
# OpenMP runtimes as bundled by auditwheel (Linux), delocate (macOS), delvewheel (Windows)
OPENMP_RUNTIME = {
    "linux": re.compile(r"^fastlin\.libs/libgomp[-.][^/]*\.so[.0-9]*$"),
    "macos": re.compile(r"^fastlin/\.dylibs/libomp[^/]*\.dylib$"),
    "windows": re.compile(r"^fastlin\.libs/vcomp140[^/]*\.dll$", re.IGNORECASE),
}
BUILD_LEFTOVERS = {".so", ".pyd", ".pyc", ".c", ".o", ".dylib", ".dll"}
LEVEL_ENTRY = re.compile(r"_(avx2|avx512)(\.|$)")
TARGET = re.compile(r"(?:^|[\s,#])([0-9a-f]+) <[^>+]+>")
# VEX/EVEX-encoded mnemonics all start with "v"; these two legacy ones do not need AVX
NOT_VEX = {"verr", "verw"}
WIDE_REGISTER = re.compile(r"%[yz]mm[0-9]+|%k[0-7]\b")
AVX512_REGISTER = re.compile(r"%zmm[0-9]+|%k[0-7]\b|%[xy]mm(1[6-9]|2[0-9]|3[01])\b")
MMX_REGISTER = re.compile(r"%mm[0-7]\b")


def wheel_platform(name: str) -> str:
    tag = name[:-4].split("-")[-1]
    if "linux" in tag:
        return "linux"
    if tag.startswith("macosx"):
        return "macos"
    if tag.startswith("win"):
        return "windows"
    return tag


def expected_members() -> tuple[set[str], set[str]]:
    """(files installed as they are, Cython module stems) of the source package,
    wheel-relative: every file but meson.build, the .pyx/.pxi sources and build leftovers."""
    files, ext = set(), set()
    for p in PACKAGE.rglob("*"):
        rel = "fastlin/" + p.relative_to(PACKAGE).as_posix()
        if p.suffix == ".pyx":
            ext.add(rel[:-4])
        elif p.suffix == ".pxi":  # included into .pyx sources at build time
            continue
        elif p.is_file() and p.name != "meson.build" and "__pycache__" not in p.parts \
                and p.suffix not in BUILD_LEFTOVERS:
            files.add(rel)
    return files, ext


def objdump_functions(path: Path) -> list[tuple[int, str, list[str]]]:
    """(start address, name, instruction lines) of every function, from objdump."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-M", "att", str(path)],
                         capture_output=True, text=True, check=True).stdout
    funcs: list[tuple[int, str, list[str]]] = []
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]+) <(.+)>:$", line)
        if m:
            funcs.append((int(m.group(1), 16), m.group(2), []))
        elif funcs and "\t" in line:
            funcs[-1][2].append(line.split("\t", 1)[1].strip())
    return funcs


def reachable(roots: set[int], edges: list[set[int]]) -> set[int]:
    seen, todo = set(roots), list(roots)
    while todo:
        for j in edges[todo.pop()] - seen:
            seen.add(j)
            todo.append(j)
    return seen


def uses(insns: list[str], registers: re.Pattern, vex: bool) -> str | None:
    """The first instruction that is VEX/EVEX-encoded (when vex) or names one of registers."""
    for insn in insns:
        mnemonic = insn.split(None, 1)[0] if insn else ""
        if (vex and mnemonic.startswith("v") and mnemonic not in NOT_VEX) \
                or registers.search(insn):
            return insn
    return None


def check_isa(path: Path, problems: list[str]) -> tuple[int, str]:
    """Baseline-safety of one x86-64 ELF extension module: (level functions, summary)."""
    funcs = objdump_functions(path)
    index = {addr: i for i, (addr, _, _) in enumerate(funcs)}
    edges = [{index[int(t, 16)] for insn in insns for t in TARGET.findall(insn)
              if int(t, 16) in index} for _, _, insns in funcs]
    roots = {lv: {i for i, (_, name, _) in enumerate(funcs)
                  if (m := LEVEL_ENTRY.search(name)) and m.group(1) == lv}
             for lv in ("avx2", "avx512")}
    wide = reachable(roots["avx2"] | roots["avx512"], edges)
    shared = reachable(set(range(len(funcs))) - wide, edges)
    avx2_only = reachable(roots["avx2"], edges) - reachable(roots["avx512"], edges) - shared
    for i, (_, name, insns) in enumerate(funcs):
        bad = uses(insns, MMX_REGISTER, vex=False)
        if bad:
            problems.append(f"{path.name}: MMX register, in {name}: {bad}")
        if i not in wide or i in shared:
            bad = uses(insns, WIDE_REGISTER, vex=True)
            if bad:
                problems.append(f"{path.name}: AVX instruction in baseline code, in {name}: {bad}")
        elif i in avx2_only:
            bad = uses(insns, AVX512_REGISTER, vex=False)
            if bad:
                problems.append(f"{path.name}: AVX-512 register in AVX2 code, in {name}: {bad}")
    n = len(wide - shared)
    return n, f"{n} functions of the AVX2/AVX-512 levels, the rest AVX-free; no MMX"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("wheel", type=Path, help="a wheel, or a directory of wheels")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--openmp", dest="openmp", action="store_true", default=True,
                       help="the OpenMP runtime must be bundled (default)")
    group.add_argument("--no-openmp", dest="openmp", action="store_false",
                       help="a build with -Dopenmp=disabled: no OpenMP runtime at all")
    args = ap.parse_args(argv)
    path = args.wheel
    wheels = sorted(path.glob("*.whl")) if path.is_dir() else [path]
    if not wheels:
        print(f"no wheel in {path}", file=sys.stderr)
        return 1
    return max(check_wheel(w, args.openmp) for w in wheels)


def check_wheel(wheel: Path, openmp: bool) -> int:
    problems: list[str] = []
    plat = wheel_platform(wheel.name)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        sizes = {i.filename: i.file_size for i in zf.infolist()}
        with tempfile.TemporaryDirectory() as tmp:
            zf.extractall(tmp)
            files, ext = expected_members()
            for f in sorted(files - set(names)):
                problems.append(f"missing from the wheel: {f} (listed in meson.build?)")
            built = {EXT_SUFFIX.sub("", n): n for n in names if EXT_SUFFIX.search(n)
                     and n.startswith("fastlin/")}
            for stem in sorted(ext - set(built)):
                problems.append(f"compiled module missing from the wheel: {stem}")

            runtime = [n for n in names if OPENMP_RUNTIME.get(plat, re.compile("$^")).match(n)]
            any_omp = [n for n in names if re.search(r"(gomp|libomp|vcomp|iomp)", n, re.I)]
            if openmp and plat in OPENMP_RUNTIME and not runtime:
                problems.append(f"no bundled OpenMP runtime for {plat} (expected "
                                f"{OPENMP_RUNTIME[plat].pattern})")
            if not openmp and any_omp:
                problems.append(f"OpenMP runtime in a no-OpenMP wheel: {any_omp}")
            if not openmp and plat == "linux" and shutil.which("readelf"):
                for n in built.values():
                    dyn = subprocess.run(["readelf", "-dW", str(Path(tmp) / n)],
                                         capture_output=True, text=True, check=True).stdout
                    if re.search(r"NEEDED.*(gomp|libomp|iomp)", dyn):
                        problems.append(f"{n} needs an OpenMP runtime in a no-OpenMP wheel")

            lines = [f"{wheel.name}: {wheel.stat().st_size / 1024:.0f} KiB, "
                     f"{len(names)} files, {len(built)} compiled modules"]
            for n in sorted(built.values()):
                lines.append(f"  {n}  {sizes[n] / 1024:.0f} KiB")
            for n in runtime:
                lines.append(f"  {n}  {sizes[n] / 1024:.0f} KiB  (OpenMP runtime)")

            is_x86_elf = plat == "linux" and "x86_64" in wheel.name
            if is_x86_elf and shutil.which("objdump") and shutil.which("readelf"):
                n_level = 0
                for n in sorted(built.values()):
                    count, summary = check_isa(Path(tmp) / n, problems)
                    n_level += count
                    lines.append(f"  {Path(n).name}: {summary}")
                if n_level == 0:
                    problems.append("no AVX2/AVX-512 kernels at all: built without the x86-64 "
                                    "levels (a compiler without -march=x86-64-v4?)")
            elif is_x86_elf:
                lines.append("  ISA check skipped: objdump/readelf not found")
            else:
                lines.append(f"  ISA check skipped: not an x86-64 Linux wheel ({plat})")

    print("\n".join(lines))
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("wheel contents OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
