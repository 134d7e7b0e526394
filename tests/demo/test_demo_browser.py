"""The demo in a real headless Chromium against a real ``python -m fastlin.demo`` server.

Needs Playwright (the Python package only: it drives the system's Chromium, nothing is
downloaded) and a Chromium binary (Debian's ``chromium``, or ``FASTLIN_CHROMIUM=/path``); skips
with the reason otherwise. ``FASTLIN_DEMO_SCREENSHOT=/path.png`` keeps the screenshot it takes.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")


def find_chromium():
    path = os.environ.get("FASTLIN_CHROMIUM")
    if path:
        return path if os.access(path, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (install Debian's "
                                "'chromium' or set FASTLIN_CHROMIUM)")

# The page's palette (demo.js COLORS) and its region tint: 72 % of the way to white.
COLORS = ["#e15759", "#4e79a7", "#59a14f"]


def tint(hex_colour):
    n = int(hex_colour[1:], 16)
    return [round(v + (255 - v) * 0.72) for v in (n >> 16, (n >> 8) & 255, n & 255)]


@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen([sys.executable, "-m", "fastlin.demo", "--no-browser", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    m = re.search(r"http://127\.0\.0\.1:\d+/", proc.stdout.readline())
    if m is None:
        proc.kill()
        pytest.fail("the demo server printed no URL: " + proc.stderr.read())
    yield m.group(0)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=15)
    assert proc.returncode == 0


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1500, "height": 1250})
        errors = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        # using the page never produces a request the API turns down
        pg.on("response", lambda r: errors.append(f"{r.status} {r.url}: {r.text()}")
              if r.status >= 400 else None)
        pg.goto(server)
        pg.wait_for_selector("body[data-ready='1']", timeout=15_000)
        yield pg
        browser.close()
        assert not errors, errors


def api(server, name, body):
    req = urllib.request.Request(server + "api/" + name, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def page_problem(page):
    """The page's own state, as the API takes it."""
    return page.evaluate("""() => { const S = window.fastlinDemo; return {
        X: S.X, y: S.y, W: S.W, b: S.b, loss: document.getElementById('loss-type').value,
        reg: Number(document.getElementById('reg-value').textContent),
        transform: document.getElementById('transform').value }; }""")


def number(page, id_):
    text = page.inner_text(f"#{id_}")
    assert float(text) == pytest.approx(float(page.get_attribute(f"#{id_}", "data-value")), rel=1e-4)
    return float(page.get_attribute(f"#{id_}", "data-value"))


def wait_for_iteration(page, t):
    page.wait_for_function(f"window.fastlinDemo.t >= {t} && !window.fastlinDemo.busy", timeout=30_000)


def test_the_page_shows_the_kernels_numbers(page, server):
    assert page.locator("#plot").count() == 1
    assert page.locator("#points-table tbody tr").count() == 9
    assert [page.input_value(f"#W-0-{d}") for d in (0, 1)] == ["1", "2"]
    p = page_problem(page)
    ev = api(server, "evaluate", p)
    assert number(page, "loss-total") == pytest.approx(ev["total_loss"], rel=1e-12)
    assert number(page, "loss-data") == pytest.approx(ev["data_loss"], rel=1e-12)
    assert number(page, "accuracy") == pytest.approx(ev["accuracy"])
    first_row = page.locator("#points-table tbody tr").first.locator("td").all_inner_texts()
    assert float(first_row[-1]) == pytest.approx(ev["point_losses"][0], abs=1e-3)
    # the top-left corner of the plot is coloured by the class the API says wins there
    grid = api(server, "evaluate", dict(p, grid={"xmin": -1.25, "xmax": 1.25, "ymin": -1.25,
                                                 "ymax": 1.25, "nx": 50, "ny": 50}))
    corner = page.evaluate("() => Array.from(document.getElementById('plot')"
                           ".getContext('2d').getImageData(4, 4, 1, 1).data.slice(0, 3))")
    want = tint(COLORS[int(grid["regions"]["labels"][0])])
    assert max(abs(a - b) for a, b in zip(corner, want)) <= 3


def test_step_lowers_the_loss_and_the_loss_type_changes_it(page, server):
    before = number(page, "loss-total")
    for k in range(1, 21):
        page.click("#step")
        wait_for_iteration(page, k)
    after = number(page, "loss-total")
    assert after < before
    assert page.inner_text("#iteration") == "iteration 20"
    assert number(page, "loss-total") == pytest.approx(api(server, "evaluate", page_problem(page))["total_loss"], rel=1e-12)

    page.select_option("#loss-type", "softmax")
    page.wait_for_function(f"document.getElementById('loss-total').dataset.value != '{after!r}'")
    page.wait_for_function("!window.fastlinDemo.busy")
    p = page_problem(page)
    assert p["loss"] == "softmax"
    assert number(page, "loss-total") == pytest.approx(api(server, "evaluate", p)["total_loss"], rel=1e-12)


def test_gradient_check_random_search_and_race(page):
    page.click("#gradcheck")
    page.wait_for_selector("#gradcheck-max")
    assert float(page.inner_text("#gradcheck-max")) < 1e-6  # softmax is smooth
    assert page.locator("#gradcheck-result tbody tr").count() == 9  # 6 weights and 3 biases
    page.click("#random-search")
    page.wait_for_selector("#descent-loss")
    assert float(page.inner_text("#descent-loss")) < float(page.inner_text("#random-search-loss"))
    page.click("#race")
    page.wait_for_function("document.getElementById('race-legend').children.length >= 6")
    assert "adam" in page.inner_text("#race-legend")


def test_drag_and_add_points(page, server):
    box = page.locator("#plot").bounding_box()

    def to_screen(x, y):
        return box["x"] + (x + 1.25) / 2.5 * box["width"], box["y"] + (1.25 - y) / 2.5 * box["height"]

    x0, y0 = page.evaluate("window.fastlinDemo.X[0]")
    loss0 = number(page, "loss-total")
    page.mouse.move(*to_screen(x0, y0))
    page.mouse.down()
    page.mouse.move(*to_screen(-0.9, -0.9), steps=5)
    page.mouse.up()
    page.wait_for_function("!window.fastlinDemo.busy && window.fastlinDemo.X[0][0] < -0.8")
    page.wait_for_function(f"document.getElementById('loss-total').dataset.value != '{loss0!r}'")
    page.wait_for_function("!window.fastlinDemo.busy")
    assert float(page.locator("#points-table tbody tr").first.locator("td").nth(1).inner_text()) < -0.8
    assert number(page, "loss-total") == pytest.approx(api(server, "evaluate", page_problem(page))["total_loss"], rel=1e-12)

    page.mouse.click(*to_screen(1.0, 1.1))  # empty space: a new point of the selected class
    page.wait_for_function("window.fastlinDemo.X.length == 10 && !window.fastlinDemo.busy")
    page.wait_for_function("document.querySelectorAll('#points-table tbody tr').length == 10")


def run_updates(page, n):
    """Press run, wait for n more updates, press stop; returns updates per second."""
    t0 = page.evaluate("window.fastlinDemo.t")
    start = time.perf_counter()
    page.click("#run")
    page.wait_for_function(f"window.fastlinDemo.t >= {t0 + n}", timeout=60_000)
    rate = n / (time.perf_counter() - start)
    page.click("#run")
    page.wait_for_function("!window.fastlinDemo.looping && !window.fastlinDemo.busy")
    return rate


def test_polar_features_separate_the_circles(page, tmp_path):
    page.select_option("#dataset", "circles")
    page.wait_for_function("window.fastlinDemo.X.length == 90 && !window.fastlinDemo.busy")
    page.select_option("#loss-type", "softmax")
    page.select_option("#transform", "polar")
    page.wait_for_function("window.fastlinDemo.W[0].length == 2 && window.fastlinDemo.t == 0")
    for id_, value in (("step-size", "0"), ("reg", "-3")):  # log10: step 1, reg 0.001
        page.eval_on_selector(f"#{id_}", "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", value)
    assert page.inner_text("#step-size-value") == "1" and page.inner_text("#reg-value") == "0.001"
    rate = run_updates(page, 200)
    polar = number(page, "accuracy")
    print(f"\nbrowser: {rate:.0f} updates/s (test's clock), page shows {page.inner_text('#ups')}")
    assert polar >= 0.95

    shot = os.environ.get("FASTLIN_DEMO_SCREENSHOT") or str(tmp_path / "demo.png")
    png = page.screenshot(path=shot, full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000

    page.select_option("#transform", "none")
    page.wait_for_function("window.fastlinDemo.t == 0 && !window.fastlinDemo.busy")
    run_updates(page, 200)
    assert number(page, "accuracy") < 0.8  # no line separates rings
