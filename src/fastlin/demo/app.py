"""The demo's ASGI application (Starlette): the static page and its JSON API.

Every endpoint but ``GET /api/config`` takes a JSON object by POST and answers a JSON object.
A malformed body is a 400, a body over :data:`~fastlin.demo.validate.MAX_BODY` a 413, an invalid
field a 422 ``{"error": message, "field": name}``. The API is documented in the README.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import model
from . import validate as check

STATIC = Path(__file__).parent / "static"
TABLE_ROWS = 200  #: points whose scores and losses a response lists


class _JSON(Response):
    media_type = "application/json"

    def render(self, content) -> bytes:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode()


def _error(status, message, field=None):
    return _JSON({"error": message, "field": field}, status_code=status)


def endpoint(handler):
    """Wrap ``handler(body: dict) -> dict`` as a POST endpoint with the API's error answers."""

    async def route(request: Request):
        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > check.MAX_BODY):
            return _error(413, f"the request body must be at most {check.MAX_BODY} bytes")
        raw = bytearray()
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > check.MAX_BODY:
                return _error(413, f"the request body must be at most {check.MAX_BODY} bytes")
        try:
            body = json.loads(raw)
        except ValueError as exc:  # bad JSON, bad UTF-8, an integer of over 4300 digits
            return _error(400, f"the request body is not valid JSON: {exc}")
        except RecursionError:
            return _error(400, "the request body is nested too deeply")
        if not isinstance(body, dict):
            return _error(400, "the request body must be a JSON object")
        try:
            return _JSON(handler(body))
        except check.RequestError as exc:
            return _error(exc.status, exc.message, exc.field)

    route.__name__ = handler.__name__
    return route


def _evaluation(p, grid=None):
    """The page's view of parameters p["W"], p["b"]: losses, scores, predictions, gradients."""
    e = model.evaluate(p["loss"], p["W"], p["b"], p["X"], p["y"], p["reg"], p["transform"])
    out = {
        "total_loss": e["total_loss"], "data_loss": e["data_loss"], "reg_loss": e["reg_loss"],
        "accuracy": e["accuracy"], "pred": e["pred"].tolist(),
        "scores": e["scores"][:TABLE_ROWS].tolist(),
        "point_losses": e["point_losses"][:TABLE_ROWS].tolist(),
        "dW": e["dW"].tolist(), "db": e["db"].tolist(),
    }
    if grid is not None:
        extent, nx, ny = grid
        labels = model.region_grid(p["W"], p["b"], p["transform"], extent, nx, ny)
        digits = (labels.ravel() + ord("0")).astype(np.uint8).tobytes().decode("ascii")
        out["regions"] = {"nx": nx, "ny": ny, "labels": digits}
    return out


def config(request: Request):
    """The names, limits and defaults the page starts from."""
    return _JSON({
        "losses": list(model.LOSSES), "optimizers": list(model.OPTIMIZERS),
        "datasets": list(model.DATASETS),
        "transforms": {k: list(v) for k, v in model.TRANSFORMS.items()},
        "original": {"W": model.ORIGINAL_W.tolist(), "b": model.ORIGINAL_B.tolist()},
        "limits": {"points": check.MAX_POINTS, "classes": [check.MIN_CLASSES, check.MAX_CLASSES],
                   "coord": check.MAX_COORD, "param": check.MAX_PARAM, "steps": check.MAX_STEPS,
                   "grid": check.MAX_GRID, "resolution": check.MAX_RESOLUTION,
                   "candidates": check.MAX_CANDIDATES, "work": check.MAX_WORK,
                   "body": check.MAX_BODY,
                   "table_rows": TABLE_ROWS},
    })


def dataset(body):
    """``{name, num_classes?, num_points?, seed?}`` -> ``{X, y, num_classes}``."""
    name = check.choice(body, "name", model.DATASETS)
    num_classes = check.integer(body, "num_classes", default=3, lo=check.MIN_CLASSES, hi=6)
    num_points = check.integer(body, "num_points", default=90, lo=num_classes, hi=check.MAX_POINTS)
    seed = check.integer(body, "seed", default=0, lo=0, hi=2**32 - 1)
    X, y = model.make_dataset(name, num_classes, num_points, seed)
    return {"X": X.tolist(), "y": y.tolist(), "num_classes": int(y.max()) + 1}


def init(body):
    """``{num_classes, transform, scale?, seed?}`` -> random ``{W, b}``."""
    C = check.integer(body, "num_classes", lo=check.MIN_CLASSES, hi=check.MAX_CLASSES)
    transform = check.choice(body, "transform", tuple(model.TRANSFORMS), default="none")
    scale = check.number(body, "scale", default=1.0, lo=0.0, hi=100.0, lo_open=True)
    seed = check.integer(body, "seed", default=0, lo=0, hi=2**32 - 1)
    W, b = model.init_params(C, len(model.TRANSFORMS[transform]), scale, seed)
    return {"W": W.tolist(), "b": b.tolist()}


def evaluate(body):
    """A problem (and optional ``grid``) -> its evaluation."""
    return _evaluation(check.problem(body), check.grid(body))


def _training(body, p, *, steps_default=1):
    optimizer = check.choice(body, "optimizer", model.OPTIMIZERS, default="sgd")
    step_size = check.number(body, "step_size", default=0.1, lo=0.0, hi=10.0, lo_open=True)
    steps = check.integer(body, "steps", default=steps_default, lo=1, hi=check.MAX_STEPS)
    n = p["X"].shape[0]
    batch = check.integer(body, "batch_size", default=None, lo=1, hi=check.MAX_POINTS)
    seed = check.integer(body, "seed", default=0, lo=0, hi=2**32 - 1)
    rows = n if batch is None else min(batch, n)
    return {"optimizer": optimizer, "step_size": step_size, "steps": steps,
            "batch_size": batch, "seed": seed}, rows


def step(body):
    """A problem plus ``optimizer, step_size, steps?, batch_size?, t?, state?, seed?`` ->
    the updated ``W, b, t, state``, the loss before each update, and the new evaluation."""
    p = check.problem(body)
    g = check.grid(body)
    opts, rows = _training(body, p)
    check.work("steps", opts["steps"] * rows, f"{opts['steps']} steps of {rows} rows")
    t = check.integer(body, "t", default=0, lo=0, hi=2**31 - 1)
    state = check.optimizer_state(body, opts["optimizer"], p["W"], p["b"])
    res = model.train(p["loss"], p["W"], p["b"], p["X"], p["y"], reg=p["reg"],
                      transform_name=p["transform"], t=t, state=state, bound=check.MAX_PARAM,
                      **opts)
    p = dict(p, W=res["W"], b=res["b"])
    state = None  # SGD keeps none; after a divergence the page starts over
    if res["state"] is not None and res["finite"]:
        state = {s: {k: v.tolist() for k, v in parts.items()} for s, parts in res["state"].items()}
    return {"W": res["W"].tolist(), "b": res["b"].tolist(), "t": res["t"], "state": state,
            "losses": res["losses"], "diverged": not res["finite"], **_evaluation(p, g)}


def race(body):
    """A problem plus ``step_size, steps?, batch_size?, seed?, optimizers?`` -> every update
    rule's loss curve from the same start: ``{curves: {name: [loss, ...]}, accuracy: {...}}``.
    ``curves[name][k]`` is the total loss after k updates (k = 0 the start)."""
    p = check.problem(body)
    opts, rows = _training(body, p, steps_default=100)
    del opts["optimizer"]
    names = body.get("optimizers", list(model.OPTIMIZERS))
    if (not isinstance(names, list) or not names
            or any(not isinstance(name, str) or name not in model.OPTIMIZERS for name in names)
            or len(set(names)) != len(names)):
        raise check.RequestError("optimizers", f"must be a list of distinct names among "
                                               f"{', '.join(model.OPTIMIZERS)}")
    n = p["X"].shape[0]
    check.work("steps", len(names) * opts["steps"] * (rows + n),
               f"{len(names)} rules x {opts['steps']} steps")
    return model.race(p["loss"], p["W"], p["b"], p["X"], p["y"], reg=p["reg"],
                      transform_name=p["transform"], optimizers=names, bound=check.MAX_PARAM,
                      **opts)


def gradcheck(body):
    """A problem -> ``{entries: [{name, analytic, numeric, rel_error}], max_rel_error}``."""
    p = check.problem(body)
    h = check.number(body, "h", default=1e-5, lo=1e-8, hi=1e-1)
    rows = model.gradient_check(p["loss"], p["W"], p["b"], p["X"], p["y"], reg=p["reg"],
                                transform_name=p["transform"], h=h)
    entries = [{"name": n, "analytic": a, "numeric": x, "rel_error": e} for n, a, x, e in rows]
    return {"entries": entries, "max_rel_error": max(e["rel_error"] for e in entries), "h": h}


def surface(body):
    """A problem plus ``params: [name, name], span?, resolution?`` -> the total loss over the
    square ``current ± span`` of the two parameters: ``{u, v, loss}`` with ``loss[i][j]`` at
    ``(u[j], v[i])``."""
    p = check.problem(body)
    params = body.get("params", ["W[0,0]", "W[0,1]"])
    if not isinstance(params, list) or len(params) != 2:
        raise check.RequestError("params", "must be a list of two parameter names")
    pa = [check.parameter(v, f"params[{i}]", p["W"], p["b"]) for i, v in enumerate(params)]
    if pa[0] == pa[1]:
        raise check.RequestError("params", "must name two different parameters")
    span = check.number(body, "span", default=2.0, lo=0.0, hi=100.0, lo_open=True)
    res = check.integer(body, "resolution", default=25, lo=2, hi=check.MAX_RESOLUTION)
    check.work("resolution", res * res * p["X"].shape[0], f"{res}x{res} losses")
    u, v, L = model.loss_surface(p["loss"], p["W"], p["b"], p["X"], p["y"], reg=p["reg"],
                                 transform_name=p["transform"], params=pa, span=span,
                                 resolution=res)
    return {"params": params, "u": u.tolist(), "v": v.tolist(), "loss": L.tolist()}


def random_search(body):
    """A problem plus ``optimizer, step_size, num_candidates?, scale?, seed?`` -> random
    search's best loss against gradient descent's with as many loss evaluations."""
    p = check.problem(body)
    opts, _ = _training(body, p)
    num = check.integer(body, "num_candidates", default=1000, lo=1, hi=check.MAX_CANDIDATES)
    scale = check.number(body, "scale", default=1.0, lo=0.0, hi=100.0, lo_open=True)
    check.work("num_candidates", 2 * num * p["X"].shape[0], f"{num} candidates and {num} steps")
    r = model.random_search_vs_descent(
        p["loss"], p["X"], p["y"], num_classes=p["W"].shape[0], reg=p["reg"],
        transform_name=p["transform"], optimizer=opts["optimizer"],
        step_size=opts["step_size"], num_candidates=num, scale=scale, seed=opts["seed"])
    return {"num_candidates": num, "start_loss": r["start_loss"],
            "random_search": {"loss": r["random_search_loss"], "W": r["random_search_W"].tolist(),
                              "b": r["random_search_b"].tolist()},
            "gradient_descent": {"loss": r["descent_loss"], "W": r["descent_W"].tolist(),
                                 "b": r["descent_b"].tolist(), "diverged": not r["descent_finite"],
                                 "optimizer": opts["optimizer"], "step_size": opts["step_size"]}}


def index(request: Request):
    return FileResponse(STATIC / "index.html")


_API = {"dataset": dataset, "init": init, "evaluate": evaluate, "step": step, "race": race,
        "gradcheck": gradcheck, "surface": surface, "random-search": random_search}


def create_app() -> Starlette:
    """The demo's ASGI application."""
    routes = [Route("/", index), Route("/api/config", config)]
    routes += [Route(f"/api/{name}", endpoint(fn), methods=["POST"]) for name, fn in _API.items()]
    routes.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    return Starlette(routes=routes)
