"""The demo's command line: a real server process, Ctrl-C, a busy port, missing extras."""

import argparse
import json
import re
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from fastlin.demo import cli

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")


def start(*args):
    proc = subprocess.Popen([sys.executable, "-m", "fastlin.demo", "--no-browser", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"(http://127\.0\.0\.1:(\d+)/)", line)
    if m is None:
        proc.kill()
        pytest.fail(f"no URL in {line!r}; stderr: {proc.stderr.read()}")
    return proc, m.group(1), int(m.group(2))


def test_serves_on_a_free_port_and_stops_on_ctrl_c():
    proc, url, port = start("--port", "0")
    try:
        assert port > 0
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.status == 200 and b'id="plot"' in r.read()
        with urllib.request.urlopen(url + "api/config", timeout=10) as r:
            assert json.load(r)["losses"][0] == "weston_watkins"
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert "Traceback" not in err


def test_busy_port_is_one_line_and_exit_status_1():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "fastlin.demo", "--no-browser", "--port", str(port)],
                           capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and f"127.0.0.1:{port}" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("port", ["-1", "70000", "http"])
def test_bad_port_is_a_usage_error(port):
    r = subprocess.run([sys.executable, "-m", "fastlin.demo", "--no-browser", "--port", port],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "--port" in r.stderr and "Traceback" not in r.stderr


def test_without_the_extras_it_says_what_to_install():
    code = ("import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None; "
            "from fastlin.demo.__main__ import main; sys.exit(main(['--no-browser']))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == ['fastlin demo needs Starlette and uvicorn: pip install "fastlin[demo]"']


def test_import_fastlin_does_not_import_the_web_stack():
    code = "import fastlin, fastlin.demo, sys; print('starlette' in sys.modules, 'uvicorn' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert r.stdout.split() == ["False", "False"]


def test_add_parser_hooks_into_a_command_line():
    parser = argparse.ArgumentParser(prog="fastlin")
    sub = parser.add_subparsers(dest="command", required=True)
    cli.add_parser(sub)
    args = parser.parse_args(["demo", "--port", "0", "--host", "::1", "--no-browser"])
    assert (args.command, args.host, args.port, args.no_browser, args.func) == ("demo", "::1", 0, True, cli.run)
    args = parser.parse_args(["demo"])
    assert (args.host, args.port, args.no_browser) == ("127.0.0.1", 8000, False)


def test_serve_in_the_background_for_jupyter():
    from fastlin.demo import serve

    handle = serve(port=0, open_browser=False, block=False)
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", handle.url)
        assert f'src="{handle.url}"' in handle._repr_html_()
        with urllib.request.urlopen(handle.url + "api/config", timeout=10) as r:
            assert r.status == 200
    finally:
        handle.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(handle.url, timeout=5)
