"""Demo latency: one update round trip (request, validation, kernel, response) on localhost.

Starts a real ``python -m fastlin.demo --port 0 --no-browser`` server and sends it the page's
own ``/api/step`` request over one keep-alive HTTP connection, ``--requests`` times for each
payload, then prints p50, p99 and the mean in milliseconds:

  page      the original 9 points, one SGD update, scores and the 173 x 173 region grid the
            page asks for at every update (what the browser's run loop waits on);
  no-grid   the same without the region grid;
  N=10000   10,000 blob points (the request size limit), with the grid.

    python bench/demo/bench_demo.py [--requests 1000]

The machine's load average is printed with the results (shared machines give noisy timings).
"""
import argparse
import http.client
import json
import re
import signal
import subprocess
import sys
import time

import numpy as np

from fastlin.bench import host_description
from fastlin.demo import model

GRID = {"xmin": -1.25, "xmax": 1.25, "ymin": -1.25, "ymax": 1.25, "nx": 173, "ny": 173}


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def payloads():
    X, y = model.make_dataset("default")
    page = {"X": X.tolist(), "y": y.tolist(), "W": model.ORIGINAL_W.tolist(),
            "b": model.ORIGINAL_B.tolist(), "loss": "weston_watkins", "reg": 0.1,
            "transform": "none", "optimizer": "sgd", "step_size": 1e-3, "steps": 1, "t": 0,
            "state": None, "seed": 1, "grid": GRID}
    no_grid = {k: v for k, v in page.items() if k != "grid"}
    Xb, yb = model.make_dataset("blobs", 3, 10_000, seed=0)
    big = dict(page, X=Xb.tolist(), y=yb.tolist())
    return {"page": page, "no-grid": no_grid, "N=10000": big}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1000)
    args = ap.parse_args()

    proc = subprocess.Popen([sys.executable, "-m", "fastlin.demo", "--no-browser", "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = int(re.search(r":(\d+)/", proc.stdout.readline()).group(1))
        conn = http.client.HTTPConnection("127.0.0.1", port)
        print(f"fastlin demo round trip, {args.requests} requests per payload, one keep-alive "
              f"connection; {host_description()}")
        print(f"{'payload':>10} {'bytes in':>9} {'bytes out':>9} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
        for name, body in payloads().items():
            data = json.dumps(body).encode()
            n = args.requests if name != "N=10000" else max(1, args.requests // 10)
            times, size = [], 0
            for _ in range(n + 5):
                t0 = time.perf_counter()
                conn.request("POST", "/api/step", data, {"Content-Type": "application/json"})
                r = conn.getresponse()
                out = r.read()
                times.append(time.perf_counter() - t0)
                if r.status != 200:
                    raise SystemExit(f"{name}: HTTP {r.status}: {out[:200]!r}")
                size = len(out)
            t = np.array(times[5:]) * 1e3  # the first few warm caches up
            print(f"{name:>10} {len(data):>9} {size:>9} {np.percentile(t, 50):8.2f} "
                  f"{np.percentile(t, 99):8.2f} {t.mean():8.2f}   ({n} requests)")
        print(f"load average: {load()}")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)


if __name__ == "__main__":
    main()
