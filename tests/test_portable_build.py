"""The portable C core on aarch64: tools/check_portable.py builds it with the project's meson
files for aarch64 (the vector path, and the scalar path of compilers without GNU C extensions)
and runs tools/portable_check.c, which checks every kernel family against scalar references,
under qemu-user."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "check_portable.py"
FAMILIES = ("loss ", "kmeans assign ", "kmeans++ ", "bow encode ", "patch", "dense patches",
            "normalize patches", "hog ", "hue histogram ")


def _missing():
    if not TOOL.exists():
        return "needs the source tree (tools/check_portable.py)"
    for prog, how in (("aarch64-linux-gnu-gcc", "apt-get install gcc-aarch64-linux-gnu"),
                      ("qemu-aarch64", "apt-get install qemu-user"),
                      ("meson", "pip install meson"), ("ninja", "pip install ninja")):
        if not (shutil.which(prog) or shutil.which(prog, path=str(Path(sys.executable).parent))):
            return f"{prog} not found ({how})"
    return None


@pytest.mark.skipif(_missing() is not None, reason=str(_missing()))
def test_portable_core_builds_and_passes_on_aarch64():
    r = subprocess.run([sys.executable, str(TOOL)], capture_output=True, text=True,
                       timeout=1800)
    assert r.returncode == 0, r.stdout[-20000:] + r.stderr
    out = r.stdout
    assert "[vector] level: baseline (portable C with 16-byte vector extensions), 1 level(s)" in out
    assert "[scalar] level: baseline (portable C), 1 level(s)" in out
    for variant in ("vector", "scalar"):
        lines = [ln[len(variant) + 3:] for ln in out.splitlines() if ln.startswith(f"[{variant}] ")]
        assert "arch: aarch64" in lines
        assert any(ln.startswith("openmp: 1") for ln in lines)
        assert not [ln for ln in lines if ln.startswith("FAIL")]
        for family in FAMILIES:
            assert any(ln.startswith(f"ok   {family}") for ln in lines), family
        total = re.search(r"^(\d+) checks, 0 failed$", "\n".join(lines), re.M)
        assert total and int(total.group(1)) > 100
    # the vector build really uses NEON in the loss kernel
    neon = re.search(r"\[vector\] PASSED: .*; (\d+) NEON vector FP instructions", out)
    assert neon and int(neon.group(1)) > 0
