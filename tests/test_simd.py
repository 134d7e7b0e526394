"""The SIMD levels: listing, the FASTLIN_SIMD variable, switching, and agreement."""

import os
import subprocess
import sys

import numpy as np
import pytest

import fastlin
from fastlin._ext import _bow, _build_info, _features, _loss

LEVELS = _build_info.simd_levels()
SUPPORTED = [lv["name"] for lv in LEVELS if lv["supported"]]


def run_python(code, simd=None):
    env = {k: v for k, v in os.environ.items() if k != "FASTLIN_SIMD"}
    if simd is not None:
        env["FASTLIN_SIMD"] = simd
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)


def test_levels_are_listed_narrowest_first():
    names = [lv["name"] for lv in LEVELS]
    assert names[0] == "baseline" and LEVELS[0]["supported"]
    assert names in (["baseline"], ["baseline", "avx2", "avx512"])
    # a CPU that runs a level runs the narrower ones
    flags = [lv["supported"] for lv in LEVELS]
    assert flags == sorted(flags, reverse=True)


def test_default_is_the_widest_supported_level():
    out = run_python("from fastlin._ext._build_info import simd_level, simd_request;"
                     "print(simd_level(), simd_request()[1])")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [SUPPORTED[-1], "default"]


@pytest.mark.parametrize("level", SUPPORTED)
def test_environment_variable_forces_a_level(level):
    code = ("import fastlin, numpy as np; from fastlin._ext import _loss, _features, _bow;"
            "fastlin.svm_loss(np.ones((3, 2)), np.ones((4, 3)), np.zeros(4, int), 0.0);"
            "print(*{m._simd_level() for m in (_loss, _features, _bow)});"
            "fastlin.show_config()")
    out = run_python(code, simd=level)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == level
    assert f"SIMD level:          {level} (forced by FASTLIN_SIMD={level})" in out.stdout
    assert f"  * {level}" in out.stdout
    assert "Warning" not in out.stderr


@pytest.mark.parametrize("value, why", [("avx1024", "is not a SIMD level"),
                                        ("AVX2", "is not a SIMD level")])
def test_bad_environment_variable_warns_and_runs_the_widest(value, why):
    code = ("import warnings; warnings.simplefilter('always');"
            "import fastlin; from fastlin._ext import _loss; print(_loss._simd_level())")
    out = run_python(code, simd=value)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [SUPPORTED[-1]]
    assert f"RuntimeWarning: FASTLIN_SIMD='{value}' {why}" in out.stderr


def test_unsupported_level_warns():
    missing = [lv["name"] for lv in LEVELS if not lv["supported"]]
    if not missing:
        pytest.skip("this CPU runs every level built in")
    out = run_python("import fastlin._ext", simd=missing[0])
    assert "is not supported by this CPU" in out.stderr


def test_select_simd_switches_every_module():
    before = _build_info.simd_level()
    try:
        for level in SUPPORTED:
            _build_info.select_simd(level)
            assert _build_info.simd_level() == level
            assert {m._simd_level() for m in (_loss, _features, _bow)} == {level}
    finally:
        _build_info.select_simd(before)


def test_select_simd_rejects_bad_names():
    before = _build_info.simd_level()
    with pytest.raises(ValueError, match="name must be one of"):
        _build_info.select_simd("sse9")
    with pytest.raises(TypeError, match="name must be a str"):
        _build_info.select_simd(b"avx2")
    for lv in LEVELS:
        if not lv["supported"]:
            with pytest.raises(ValueError, match="not supported by this CPU"):
                _build_info.select_simd(lv["name"])
    assert _build_info.simd_level() == before


def test_kernels_leave_the_x87_unit_usable():
    # code that uses an MMX register without emms leaves the x87 register stack full, and
    # every long double operation after it gives NaN (GCC 12 did so for a 2-lane shuffle)
    rng = np.random.default_rng(1)
    before = _build_info.simd_level()
    try:
        for level in SUPPORTED:
            _build_info.select_simd(level)
            for dtype in (np.float32, np.float64):
                for C in (1, 2, 3, 10, 17):
                    for D in (1, 2, 3, 5, 16, 33):
                        X = rng.standard_normal((7, D)).astype(dtype)
                        W = rng.standard_normal((D, C)).astype(dtype)
                        y = rng.integers(0, C, 7)
                        for f in (fastlin.svm_loss, fastlin.softmax_loss):
                            f(W, X, y, 1e-3, b=np.zeros(C, dtype))
            images = (rng.random((2, 16, 16, 3)) * 255).astype(np.uint8)
            fastlin.features.hog(images)
            fastlin.features.color_histogram_hsv(images)
            a, b = np.longdouble(2.5), np.longdouble(1.5)
            assert a + b == 4 and np.isfinite(np.exp(-a)), level
    finally:
        _build_info.select_simd(before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_levels_agree_on_a_cifar_shaped_loss(dtype):
    # the same problem on every level: a different vector width sums in a different
    # order, so agreement is to rounding, and the odd D exercises every tail
    rng = np.random.default_rng(0)
    X = rng.standard_normal((517, 3073)).astype(dtype)
    W = (1e-3 * rng.standard_normal((3073, 10))).astype(dtype)
    b = rng.standard_normal(10).astype(dtype)
    y = rng.integers(0, 10, 517)
    before = _build_info.simd_level()
    results = {}
    try:
        for level in SUPPORTED:
            _build_info.select_simd(level)
            results[level] = [f(W, X, y, 1e-3, b=b, num_threads=2)
                              for f in (fastlin.svm_loss, fastlin.softmax_loss)]
    finally:
        _build_info.select_simd(before)
    rtol = 2e-4 if dtype == np.float32 else 1e-10
    base = results["baseline"]
    for level, res in results.items():
        for (l0, dW0, db0), (l1, dW1, db1) in zip(base, res):
            assert l1 == pytest.approx(l0, rel=rtol), level
            scale = np.abs(dW0).max()
            np.testing.assert_allclose(dW1, dW0, rtol=0, atol=rtol * scale, err_msg=level)
            np.testing.assert_allclose(db1, db0, rtol=0, atol=rtol * np.abs(db0).max(),
                                       err_msg=level)
