"""The demo's JSON API through Starlette's test client: every endpoint, loss, optimizer, data set
and transform, numbers against the kernels, and a 4xx (never a 500) for every bad request."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("starlette")
pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from fastlin import softmax_loss, svm_loss  # noqa: E402
from fastlin.demo import create_app, model  # noqa: E402


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


@pytest.fixture(scope="module")
def original(client):
    cfg = client.get("/api/config").json()
    data = client.post("/api/dataset", json={"name": "default"}).json()
    return {"X": data["X"], "y": data["y"], "W": cfg["original"]["W"], "b": cfg["original"]["b"],
            "loss": "weston_watkins", "reg": 0.1, "transform": "none"}


def post(client, name, body, status=200):
    r = client.post(f"/api/{name}", json=body)
    assert r.status_code == status, r.text
    return r.json()


def test_config_names_the_contract(client):
    cfg = client.get("/api/config").json()
    assert cfg["losses"] == ["weston_watkins", "one_vs_all", "crammer_singer", "softmax"]
    assert cfg["optimizers"] == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    assert cfg["datasets"] == ["default", "blobs", "circles", "xor", "spiral"]
    assert list(cfg["transforms"]) == ["none", "polar", "quadratic"]
    assert cfg["limits"]["points"] == 10_000


def test_page_and_static_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for ref in ("/static/demo.js", "/static/demo.css"):
        assert ref in page.text
        assert client.get(ref).status_code == 200
    # the page works offline: nothing is fetched from another host
    for text in (page.text, client.get("/static/demo.js").text, client.get("/static/demo.css").text):
        assert "http://" not in text and "https://" not in text and "//cdn" not in text


def test_original_numbers(client, original):
    ev = post(client, "evaluate", original)
    W, b = np.array(original["W"]), np.array(original["b"])
    X, y = np.array(original["X"]), np.array(original["y"])
    loss, dW, db = svm_loss(W.T, X, y, 0.1, b=b)
    assert ev["total_loss"] == pytest.approx(loss, rel=1e-12)
    assert ev["reg_loss"] == pytest.approx(0.1 * np.sum(W * W))
    np.testing.assert_allclose(ev["dW"], dW.T, rtol=1e-12)
    np.testing.assert_allclose(ev["db"], db, rtol=1e-12)
    np.testing.assert_allclose(ev["scores"], X @ W.T + b, rtol=1e-12)
    assert np.mean(ev["point_losses"]) == pytest.approx(ev["data_loss"], rel=1e-12)
    assert ev["accuracy"] == pytest.approx(2 / 9)
    assert "regions" not in ev


@pytest.mark.parametrize("loss", model.LOSSES)
@pytest.mark.parametrize("transform", list(model.TRANSFORMS))
@pytest.mark.parametrize("dataset", model.DATASETS)
def test_every_loss_transform_and_dataset(client, loss, transform, dataset):
    data = post(client, "dataset", {"name": dataset, "num_classes": 4, "num_points": 40, "seed": 2})
    C, D = data["num_classes"], len(model.TRANSFORMS[transform])
    params = post(client, "init", {"num_classes": C, "transform": transform, "seed": 3})
    assert np.shape(params["W"]) == (C, D) and np.shape(params["b"]) == (C,)
    body = dict(data, W=params["W"], b=params["b"], loss=loss, reg=0.05, transform=transform,
                grid={"xmin": -1, "xmax": 1, "ymin": -1, "ymax": 1, "nx": 7, "ny": 5})
    ev = post(client, "evaluate", body)
    X, y = np.array(data["X"]), np.array(data["y"])
    W, b = np.array(params["W"]), np.array(params["b"])
    want = model.evaluate(loss, W, b, X, y, 0.05, transform)
    assert ev["total_loss"] == pytest.approx(want["total_loss"], rel=1e-12)
    if loss in ("weston_watkins", "softmax"):  # the C kernels' own numbers
        kernel = svm_loss if loss == "weston_watkins" else softmax_loss
        assert ev["total_loss"] == pytest.approx(
            kernel(W.T, model.transform(X, transform), y, 0.05, b=b)[0], rel=1e-12)
    assert len(ev["regions"]["labels"]) == 35
    assert set(ev["regions"]["labels"]) <= set(map(str, range(C)))
    assert len(ev["pred"]) == len(y)


@pytest.mark.parametrize("optimizer", model.OPTIMIZERS)
@pytest.mark.parametrize("loss", model.LOSSES)
def test_step_lowers_the_loss_at_a_small_step_size(client, original, optimizer, loss):
    body = dict(original, loss=loss, optimizer=optimizer, step_size=0.01, steps=10)
    before = post(client, "evaluate", body)["total_loss"]
    r = post(client, "step", body)
    assert r["t"] == 10 and not r["diverged"]
    assert r["losses"][0] == pytest.approx(before, rel=1e-12)
    assert r["total_loss"] < before
    names = model.optimizer_state_names(optimizer)
    assert (r["state"] is None) == (not names)
    if names:
        assert set(r["state"]) == set(names)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_step_requests_resume_the_optimizer(client, original, optimizer):
    body = dict(original, optimizer=optimizer, step_size=0.05, batch_size=4, seed=9)
    two = post(client, "step", dict(body, steps=2))
    first = post(client, "step", dict(body, steps=1))
    second = post(client, "step", dict(body, W=first["W"], b=first["b"], t=first["t"],
                                       state=first["state"]))
    np.testing.assert_allclose(second["W"], two["W"], rtol=1e-13)
    np.testing.assert_allclose(second["b"], two["b"], rtol=1e-13)
    assert second["t"] == 2


def test_step_reports_divergence_instead_of_failing(client, original):
    r = post(client, "step", dict(original, W=[[1e5, 1e5]] * 3, reg=1000.0, step_size=10.0, steps=100))
    assert r["diverged"] and r["state"] is None
    assert np.abs(r["W"]).max() <= 1e6


def test_gradcheck_agrees_with_a_centred_difference(client, original):
    body = dict(original, loss="softmax")
    r = post(client, "gradcheck", body)
    X, y = np.array(original["X"]), np.array(original["y"])
    W, b = np.array(original["W"]), np.array(original["b"])
    h = r["h"]
    entry = {e["name"]: e for e in r["entries"]}
    assert len(entry) == W.size + b.size
    _, dW, db = softmax_loss(W.T, X, y, 0.1, b=b)
    for c in range(3):
        for d in range(2):
            Wp, Wm = W.copy(), W.copy()
            Wp[c, d] += h
            Wm[c, d] -= h
            num = (softmax_loss(Wp.T, X, y, 0.1, b=b)[0] - softmax_loss(Wm.T, X, y, 0.1, b=b)[0]) / (2 * h)
            e = entry[f"W[{c},{d}]"]
            assert e["numeric"] == pytest.approx(num, rel=1e-9)
            assert e["analytic"] == pytest.approx(dW[d, c], rel=1e-12)
        assert entry[f"b[{c}]"]["analytic"] == pytest.approx(db[c], rel=1e-12)
    assert r["max_rel_error"] < 1e-7


def test_surface(client, original):
    r = post(client, "surface", dict(original, params=["W[2,1]", "b[0]"], span=0.5, resolution=3))
    assert r["u"] == pytest.approx([-1.5, -1.0, -0.5]) and r["v"] == pytest.approx([-0.5, 0.0, 0.5])
    centre = post(client, "evaluate", original)["total_loss"]
    assert r["loss"][1][1] == pytest.approx(centre, rel=1e-12)


def test_race_runs_every_rule_from_the_same_start(client, original):
    r = post(client, "race", dict(original, step_size=0.01, steps=15))
    start = post(client, "evaluate", original)["total_loss"]
    assert set(r["curves"]) == set(model.OPTIMIZERS)
    for name, curve in r["curves"].items():
        assert len(curve) == 16 and curve[0] == pytest.approx(start, rel=1e-12)
        assert curve[-1] < curve[0], name
        assert 0 <= r["accuracy"][name] <= 1 and not r["diverged"][name]
    sub = post(client, "race", dict(original, step_size=0.01, steps=15, optimizers=["adam"]))
    assert sub["curves"]["adam"] == pytest.approx(r["curves"]["adam"], rel=1e-13)


def test_random_search(client, original):
    r = post(client, "random-search", dict(original, loss="softmax", step_size=0.3, num_candidates=200))
    assert r["random_search"]["loss"] <= r["start_loss"]
    assert r["gradient_descent"]["loss"] < r["random_search"]["loss"]
    X, y = np.array(original["X"]), np.array(original["y"])
    W, b = np.array(r["random_search"]["W"]), np.array(r["random_search"]["b"])
    assert softmax_loss(W.T, X, y, 0.1, b=b)[0] == pytest.approx(r["random_search"]["loss"], rel=1e-12)


# ------------------------------------------------------------------ bad requests
BAD = [
    # (endpoint, change to the original problem, status, field)
    ("evaluate", {"loss": "hinge"}, 422, "loss"),
    ("evaluate", {"transform": "cubic"}, 422, "transform"),
    ("evaluate", {"reg": -1}, 422, "reg"),
    ("evaluate", {"reg": "0.1"}, 422, "reg"),
    ("evaluate", {"reg": True}, 422, "reg"),
    ("evaluate", {"X": None}, 422, "X"),
    ("evaluate", {"X": [[0.1, 0.2, 0.3]] * 9}, 422, "X[0]"),
    ("evaluate", {"X": [[0.1, "a"]] * 9}, 422, "X[0][1]"),
    ("evaluate", {"X": [[0.1, 0.2]] * 8 + [[True, 0.5]]}, 422, "X[8][0]"),
    ("evaluate", {"X": [[0.1, 0.2]] * 8 + [["0.5", 0.5]]}, 422, "X[8][0]"),
    ("evaluate", {"X": [[0.1, 0.2]] * 8 + [[10 ** 400, 0.5]]}, 422, "X"),
    ("evaluate", {"X": [[0.1, 0.2]] * 8 + [0.5]}, 422, "X[8]"),
    ("evaluate", {"X": [[0.1, 1e3]] * 9}, 422, "X"),
    ("evaluate", {"X": []}, 422, "X"),
    ("evaluate", {"X": [[0.0, 0.0]] * 10_001}, 422, "X"),
    ("evaluate", {"y": [0, 1]}, 422, "y"),
    ("evaluate", {"y": [0, 1, 2, 0, 1, 2, 0, 1, 3]}, 422, "y[8]"),
    ("evaluate", {"y": [0, 1, 2, 0, 1, 2, 0, 1, -1]}, 422, "y[8]"),
    ("evaluate", {"y": [0, 1, 2, 0, 1, 2, 0, 1, 1.5]}, 422, "y[8]"),
    ("evaluate", {"y": [0, 1, 2, 0, 1, 2, 0, 1, 10 ** 30]}, 422, "y[8]"),
    ("evaluate", {"y": [0, 1, 2, 0, 1, 2, 0, 1, True]}, 422, "y[8]"),
    ("evaluate", {"y": "012012012"}, 422, "y"),
    ("evaluate", {"W": [[1, 2]]}, 422, "W"),
    ("evaluate", {"W": [[1, 2]] * 11}, 422, "W"),
    ("evaluate", {"W": [[1, 2, 3]] * 3}, 422, "W[0]"),
    ("evaluate", {"W": [[1, 2], [3, 4], [5]]}, 422, "W[2]"),
    ("evaluate", {"W": [[1, 2]] * 3, "transform": "quadratic"}, 422, "W[0]"),
    ("evaluate", {"W": [[1e7, 2]] * 3}, 422, "W"),
    ("evaluate", {"b": [0, 0]}, 422, "b"),
    ("evaluate", {"b": [0, None, 0]}, 422, "b[1]"),
    ("evaluate", {"grid": {"xmin": 1, "xmax": 0, "ymin": 0, "ymax": 1, "nx": 5, "ny": 5}}, 422, "grid"),
    ("evaluate", {"grid": {"xmin": 0, "xmax": 1, "ymin": 0, "ymax": 1, "nx": 5000, "ny": 5}}, 422, "grid.nx"),
    ("evaluate", {"grid": {"xmin": 0, "xmax": 1, "ymin": 0, "ymax": 1, "nx": 5}}, 422, "grid.ny"),
    ("evaluate", {"grid": [1, 2]}, 422, "grid"),
    ("step", {"optimizer": "lbfgs"}, 422, "optimizer"),
    ("step", {"step_size": 0}, 422, "step_size"),
    ("step", {"step_size": 100}, 422, "step_size"),
    ("step", {"steps": 0}, 422, "steps"),
    ("step", {"steps": 1001}, 422, "steps"),
    ("step", {"steps": 2.5}, 422, "steps"),
    ("step", {"batch_size": 0}, 422, "batch_size"),
    ("step", {"t": -1}, 422, "t"),
    ("step", {"optimizer": "adam", "state": {"m": {"W": [[0, 0]] * 3, "b": [0, 0, 0]}}}, 422, "state"),
    ("step", {"optimizer": "momentum", "state": {"v": {"W": [[0, 0]] * 2, "b": [0, 0, 0]}}}, 422, "state.v.W"),
    ("step", {"optimizer": "momentum", "state": {"v": [1]}}, 422, "state.v"),
    ("step", {"X": [[0.0, 0.0]] * 5000, "y": [0] * 5000, "steps": 1000}, 422, "steps"),
    ("race", {"optimizers": ["sgd", "sgd"]}, 422, "optimizers"),
    ("race", {"optimizers": ["newton"]}, 422, "optimizers"),
    ("surface", {"params": ["W[0,0]"]}, 422, "params"),
    ("surface", {"params": ["W[0,0]", "W[0,0]"]}, 422, "params"),
    ("surface", {"params": ["W[0,5]", "b[0]"]}, 422, "params[0]"),
    ("surface", {"params": ["W[0,0]", "c[0]"]}, 422, "params[1]"),
    ("surface", {"resolution": 1000}, 422, "resolution"),
    ("surface", {"span": float("inf")}, 422, "span"),
    ("gradcheck", {"h": 0}, 422, "h"),
    ("random-search", {"num_candidates": 10 ** 6}, 422, "num_candidates"),
    ("random-search", {"scale": -1}, 422, "scale"),
    ("dataset", {"name": "moons"}, 422, "name"),
    ("dataset", {"name": "blobs", "num_classes": 7}, 422, "num_classes"),
    ("dataset", {"name": "blobs", "num_points": 10 ** 5}, 422, "num_points"),
    ("init", {"num_classes": 1}, 422, "num_classes"),
    ("init", {"num_classes": 3, "scale": 0}, 422, "scale"),
]


@pytest.mark.parametrize("endpoint,change,status,field", BAD)
def test_bad_field_is_a_422_naming_it(client, original, endpoint, change, status, field):
    body = dict(original, **change)
    if endpoint == "dataset":
        body = change
    elif endpoint == "init":
        body = dict({"transform": "none"}, **change)
    r = client.post(f"/api/{endpoint}", content=json.dumps(body))  # allows NaN/Infinity
    assert r.status_code == status, r.text
    assert r.json()["field"] == field
    assert r.json()["error"]


@pytest.mark.parametrize("text,field", [
    ('{"X": [[0.5, NaN]], "y": [0], "W": [[1,2],[3,4]], "b": [0,0]}', "X"),
    ('{"X": [[0.5, 0.1]], "y": [0], "W": [[1,2],[3,Infinity]], "b": [0,0]}', "W"),
    ('{"X": [[0.5, 0.1]], "y": [0], "W": [[1,2],[3,4]], "b": [0,-Infinity]}', "b"),
    ('{"X": [[0.5, 0.1]], "y": [0], "W": [[1,2],[3,4]], "b": [0,0], "reg": NaN}', "reg"),
    ('{"X": [[0.5, 1e999]], "y": [0], "W": [[1,2],[3,4]], "b": [0,0]}', "X"),
])
def test_non_finite_numbers_are_422(client, text, field):
    r = client.post("/api/evaluate", content=text)
    assert r.status_code == 422 and r.json()["field"] == field
    assert "finite" in r.json()["error"]


@pytest.mark.parametrize("content,status", [
    (b"{", 400), (b"", 400), (b"[1, 2]", 400), (b'"text"', 400), (b"\xff\xfe\x00", 400),
    (b"[" * 100_000, 400), (b'{"reg": 1' + b"0" * 5000 + b"}", 400),
    (b" " * (4 * 1024 * 1024 + 1), 413),
])
def test_malformed_bodies(client, content, status):
    for endpoint in ("evaluate", "step", "dataset"):
        r = client.post(f"/api/{endpoint}", content=content)
        assert r.status_code == status and r.json()["error"]


def test_wrong_method_and_unknown_path(client):
    assert client.get("/api/step").status_code == 405
    assert client.post("/api/nothing", json={}).status_code == 404


def test_responses_never_hold_non_finite_numbers(client, original):
    # huge but valid parameters: scores ~1e10, the loss stays finite and serialisable
    body = dict(original, W=[[1e6, -1e6]] * 3, b=[1e6, 0, -1e6], transform="quadratic")
    body["W"] = [[1e6, -1e6, 1e6, -1e6, 1e6]] * 3
    for loss in model.LOSSES:
        r = client.post("/api/evaluate", json=dict(body, loss=loss))
        assert r.status_code == 200
        assert np.isfinite(r.json()["total_loss"])


# any JSON value in any field of any endpoint: an answer, never a 500
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12)
FIELDS = ["X", "y", "W", "b", "loss", "reg", "transform", "grid", "optimizer", "step_size", "steps",
          "batch_size", "t", "state", "seed", "optimizers", "params", "span", "resolution", "h",
          "num_candidates", "scale", "name", "num_classes", "num_points"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(["dataset", "init", "evaluate", "step", "race", "gradcheck",
                                 "surface", "random-search"]),
       field=st.sampled_from(FIELDS), value=json_values)
def test_any_value_in_any_field_is_answered(client, original, endpoint, field, value):
    body = dict(original, name="blobs", num_classes=3, steps=2, num_candidates=5, resolution=3)
    body[field] = value
    r = client.post(f"/api/{endpoint}", content=json.dumps(body))
    assert r.status_code in (200, 400, 422), r.text
    if r.status_code != 200:
        assert r.json()["error"]
