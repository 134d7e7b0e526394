import os

import pytest
from hypothesis import HealthCheck, settings

# "ci": fixed seed, no deadline (timings vary on shared 2-core machines).
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=200)
# "seeds": the ci settings with random examples, to run under several --hypothesis-seed values
settings.register_profile("seeds", deadline=None, max_examples=40, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _simd_levels():
    from fastlin._ext._build_info import simd_levels

    return [lv["name"] for lv in simd_levels() if lv["supported"]]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "all_simd_levels: run the module once per SIMD level this CPU supports")


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("all_simd_levels"):
        metafunc.parametrize("simd_level", _simd_levels(), indirect=True, scope="module")


@pytest.fixture(autouse=True, scope="module")
def simd_level(request):
    """The SIMD level the kernels run on while the module's tests run (see all_simd_levels)."""
    level = getattr(request, "param", None)
    if level is None:
        yield None
        return
    from fastlin._ext._build_info import select_simd, simd_level as active

    before = active()
    select_simd(level)
    yield level
    select_simd(before)
