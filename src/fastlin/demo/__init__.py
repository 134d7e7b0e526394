"""The interactive linear-classifier demo: a local web page driven by fastlin's kernels.

``fastlin demo`` (or :func:`serve`) starts a Starlette app on uvicorn bound to 127.0.0.1 and
opens the page; every number on it comes from the server's JSON API (:mod:`fastlin.demo.app`),
computed by :mod:`fastlin.demo.model`. Needs the ``demo`` extra: ``pip install "fastlin[demo]"``.
"""

__all__ = ["serve", "create_app"]


def serve(host="127.0.0.1", port=8000, *, open_browser=True, block=True, log_level="warning"):
    """Serve the demo on ``http://host:port/`` (port 0: a free port).

    ``block=True`` serves until Ctrl-C; ``block=False`` serves from a background thread and
    returns a handle with ``url`` and ``stop()`` that Jupyter shows inline. See
    :func:`fastlin.demo.server.serve`.
    """
    from .server import serve as _serve

    return _serve(host, port, open_browser=open_browser, block=block, log_level=log_level)


def create_app():
    """The demo's ASGI application (Starlette)."""
    from .app import create_app as _create_app

    return _create_app()
