"""Serving the demo with uvicorn: in the foreground (``fastlin demo``) or in a background
thread (Jupyter)."""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import time
import webbrowser


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say so; without it every
    # response waits ~40 ms for a delayed ACK (Nagle)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    if host in ("0.0.0.0", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


class DemoServer:
    """A demo server running in a background thread: ``url``, ``stop()``; shown inline in
    Jupyter (an iframe of the page)."""

    def __init__(self, server, thread, url):
        self._server, self._thread, self.url = server, thread, url

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        self._thread.join()

    def _repr_html_(self):
        return (f'<iframe src="{self.url}" width="100%" height="900" style="border:0"></iframe>'
                f'<p><a href="{self.url}" target="_blank">{self.url}</a></p>')

    def __repr__(self):
        return f"DemoServer(url={self.url!r})"


def serve(host: str = "127.0.0.1", port: int = 8000, *, open_browser: bool = True,
          block: bool = True, log_level: str = "warning"):
    """Serve the interactive demo.

    host, port : where to listen; 127.0.0.1 (this machine only) unless told otherwise; port 0
        picks a free port.
    open_browser : open the page in the default web browser.
    block : serve in this thread until Ctrl-C (then return None); False serves from a daemon
        thread and returns a :class:`DemoServer` (in Jupyter, evaluate it to show the page
        inline).

    Raises OSError when the address cannot be bound (e.g. the port is in use).
    """
    import uvicorn

    from .app import create_app

    sock = _bind(host, port)
    url = _url(sock)
    config = uvicorn.Config(create_app(), log_level=log_level, lifespan="off")
    server = uvicorn.Server(config)
    if block:
        print(f"fastlin demo: serving on {url} (Ctrl-C to stop)", flush=True)
        if not ipaddress.ip_address(sock.getsockname()[0]).is_loopback:
            print(f"fastlin demo: listening on {host}, other machines can reach it",
                  file=sys.stderr, flush=True)
        if open_browser:
            webbrowser.open(url)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
        finally:
            sock.close()
        print("fastlin demo: stopped", file=sys.stderr, flush=True)
        return None
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.01)
    if open_browser:
        webbrowser.open(url)
    return DemoServer(server, thread, url)
