import subprocess
import sys

import pytest

import fastlin
from fastlin.cli import main


def test_show_config(capsys):
    fastlin.show_config()
    out = capsys.readouterr().out
    assert out.startswith(f"fastlin {fastlin.__version__}")
    for field in ("compiler:", "OpenMP:", "default num_threads:", "SIMD level:"):
        assert field in out


def test_bench_command_prints_table(capsys):
    assert main(["bench", "--n", "300", "--d", "40", "--c", "4", "--repeat", "1",
                 "--batch", "20", "--dtype", "float32"]) == 0
    out = capsys.readouterr().out
    assert "svm full batch" in out and "softmax minibatch 20 (idx)" in out
    for column in ("ref ms", "lean ms", "vs lean", "/floor", "FMA floor", "read floor"):
        assert column in out


def test_bench_names_the_blas_kernels_and_their_forcing(monkeypatch, capsys):
    """Peers timed with OPENBLAS_CORETYPE forcing older kernels are slower than a user's NumPy:
    the header says which kernels ran and what forced them."""
    pytest.importorskip("threadpoolctl")
    from fastlin.bench import blas_description

    monkeypatch.setenv("OPENBLAS_CORETYPE", "Haswell")
    assert main(["bench", "--n", "100", "--d", "8", "--c", "3", "--repeat", "1",
                 "--batch", "10", "--dtype", "float32"]) == 0
    out = capsys.readouterr().out
    host = next(line for line in out.splitlines() if line.startswith("host: "))
    assert "SIMD level" in host and "BLAS " in host
    if "openblas" in host:
        assert "kernels (forced by OPENBLAS_CORETYPE=Haswell)" in host
    monkeypatch.delenv("OPENBLAS_CORETYPE")
    assert "forced" not in blas_description()


def test_bench_times_every_simd_level(capsys):
    from fastlin._ext._build_info import simd_levels

    assert main(["bench", "--n", "200", "--d", "40", "--c", "3", "--repeat", "1",
                 "--batch", "10", "--dtype", "float64", "--simd", "all"]) == 0
    out = capsys.readouterr().out
    for lv in simd_levels():
        assert (f"svm full batch [{lv['name']}]" in out) == lv["supported"]


def test_bench_rejects_an_unknown_simd_level(capsys):
    import pytest

    with pytest.raises(SystemExit) as e:
        main(["bench", "--simd", "avx1024"])
    assert e.value.code == 2 and "--simd" in capsys.readouterr().err


def test_console_script_help():
    r = subprocess.run([sys.executable, "-m", "fastlin.cli", "--help"], capture_output=True,
                       text=True)
    assert r.returncode == 0 and "bench" in r.stdout


def test_every_public_submodule_is_reachable_from_the_package():
    import subprocess
    import sys
    code = ("import fastlin\n"
            "assert fastlin.cluster.KMeans and fastlin.compat.cs231n.LinearSVM\n"
            "assert fastlin.features.BagOfVisualWords and fastlin.linear_model.Softmax\n"
            "assert fastlin.bow and fastlin.random_search and fastlin.losses.svm_loss\n"
            "assert 'cluster' in dir(fastlin)\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_bench_rejects_a_level_the_cpu_lacks(monkeypatch, capsys):
    from fastlin._ext import _build_info

    levels = [dict(lv, supported=lv["name"] == "baseline") for lv in _build_info.simd_levels()]
    if len(levels) == 1:
        import pytest

        pytest.skip("only the baseline level is built")
    monkeypatch.setattr(_build_info, "simd_levels", lambda: levels)
    assert main(["bench", "--simd", levels[-1]["name"], "--n", "100", "--d", "8"]) == 1
    err = capsys.readouterr().err
    assert f"--simd: {levels[-1]['name']} not supported by this CPU (it runs baseline)" in err
    assert "Traceback" not in err
