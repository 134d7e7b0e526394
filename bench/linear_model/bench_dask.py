"""CIFAR-10 on Dask: images read lazily from disk in chunks -> HOG + hue (lazy, per chunk) ->
standardize (lazy) -> fastlin.Softmax(solver="lbfgs"), on 1 and 2 worker processes, against
dask-ml's Incremental(SGDClassifier(loss="log_loss")) on the same cluster and data.

    FASTLIN_DATA=/path/to/dir python bench/linear_model/bench_dask.py [--workers 1,2] [--chunk 5000]
        [--workdir /tmp/fastlin-dask-bench] [--reg 1e-4] [--tol 1e-4] [--passes 5]

The training images (--n-train, default 49,000) are written once to a raw uint8 file in --workdir (outside the
repository); each chunk task reads its own rows from it (numpy.fromfile with an offset), so
the client never holds the images. Held-out: the 1,000 last images of the training batches.
Per configuration: wall time of the fit (features included: they are computed inside it),
held-out accuracy, L-BFGS iterations, the bytes that went out of the workers during the fit
(``transfer_outgoing_log``: to the client and to each other), and the peak resident memory of
the client and of each worker (ru_maxrss, since each process started).
"""
import argparse
import os
import resource
import time
import warnings

import numpy as np


def read_rows(path, start, stop):
    n = stop - start
    a = np.fromfile(path, dtype=np.uint8, count=n * 3072, offset=start * 3072)
    return a.reshape(n, 32, 32, 3)


def lazy_images(path, n, chunk):
    import dask
    import dask.array as da

    parts = [da.from_delayed(dask.delayed(read_rows)(path, s, min(s + chunk, n)),
                             shape=(min(s + chunk, n) - s, 32, 32, 3), dtype=np.uint8)
             for s in range(0, n, chunk)]
    return da.concatenate(parts)


def features(images):
    import dask.array as da

    import fastlin

    hog = fastlin.features.HOG().transform(images)
    hue = fastlin.features.ColorHistogram(nbin=10).transform(images)
    return da.hstack([hog, hue]).rechunk({1: -1}).astype(np.float32)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def outgoing(dask_worker):
    return sum(e["total"] for e in dask_worker.transfer_outgoing_log)


def run(n_workers, args, path, Xva, yva, ytr):
    import dask
    import dask.array as da
    from dask.distributed import Client, LocalCluster

    import fastlin

    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
    client = Client(cluster)
    try:
        images = lazy_images(path, len(ytr), args.chunk)
        y = da.from_array(ytr, chunks=(images.chunks[0],))

        # fastlin: statistics for the scaler (one pass), then the lbfgs fit (features computed
        # once, inside the fit, and kept on the workers)
        sent0 = sum(client.run(outgoing).values())
        t = time.perf_counter()
        F = features(images)
        mean, std = dask.compute(F.mean(axis=0), F.std(axis=0))
        std = std + 1e-6
        Z = (F - mean) / std
        m = fastlin.Softmax(solver="lbfgs", reg=args.reg, tol=args.tol)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m.fit(Z, y)
        dt = time.perf_counter() - t
        sent = sum(client.run(outgoing).values()) - sent0
        Fva = np.hstack([fastlin.features.HOG().transform(Xva),
                         fastlin.features.ColorHistogram(nbin=10).transform(Xva)])
        acc = float((m.predict((Fva - mean) / std) == yva).mean())
        rows.append(("fastlin Softmax(solver='lbfgs')", dt, acc, f"{m.n_iter_} it / {m.t_} ev",
                     sent))

        try:
            from dask_ml.wrappers import Incremental
            from sklearn.linear_model import SGDClassifier
        except ImportError:
            print("  (dask-ml not installed: Incremental skipped)")
        else:
            sent0 = sum(client.run(outgoing).values())
            t = time.perf_counter()
            F = features(images)
            mean, std = dask.compute(F.mean(axis=0), F.std(axis=0))
            std = std + 1e-6
            Z = ((F - mean) / std).persist()  # Incremental reads the blocks once per pass
            inc = Incremental(SGDClassifier(loss="log_loss", alpha=2 * args.reg, random_state=0),
                              scoring="accuracy", shuffle_blocks=True, random_state=0)
            classes = np.arange(10)
            for _ in range(args.passes):
                inc.partial_fit(Z, y, classes=classes)
            dt = time.perf_counter() - t
            sent = sum(client.run(outgoing).values()) - sent0
            acc = float((inc.estimator_.predict((Fva - mean) / std) == yva).mean())
            rows.append((f"dask-ml Incremental(SGDClassifier log_loss), {args.passes} passes", dt,
                         acc, "", sent))
        worker_mem = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    finally:
        client.close()
        cluster.close()
    return rows, worker_mem


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("FASTLIN_DATA"))
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--chunk", type=int, default=5000)
    ap.add_argument("--workdir", default="/tmp/fastlin-dask-bench")
    ap.add_argument("--reg", type=float, default=1e-4)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--n-train", type=int, default=49000)
    args = ap.parse_args()
    from fastlin.datasets import load_cifar10

    from fastlin.bench import host_description

    print("host:", host_description())
    d = load_cifar10(args.data, split="train")
    X, y = d.X_train, d.y_train
    os.makedirs(args.workdir, exist_ok=True)
    n = args.n_train
    path = os.path.join(args.workdir, f"cifar10_train_{n}.u8")
    if not os.path.exists(path) or os.path.getsize(path) != n * 3072:
        np.ascontiguousarray(X[:n]).tofile(path)
    Xva, yva, ytr = X[49000:50000], y[49000:50000], np.asarray(y[:n])
    del X, d
    print(f"{n} images ({n * 3072 / 2**20:.0f} MiB uint8) in chunks of {args.chunk}; "
          f"HOG + hue (334 features); reg={args.reg:g}, tol={args.tol:g}")
    print(f"{'workers':>7s}  {'estimator':58s} {'wall s':>7s} {'val acc':>8s} {'iterations':>16s} "
          f"{'sent MiB':>9s}")
    for k in map(int, args.workers.split(",")):
        rows, mem = run(k, args, path, Xva, yva, ytr)
        for name, dt, acc, it, sent in rows:
            print(f"{k:7d}  {name:58s} {dt:7.1f} {acc:8.3f} {it:>16s} {sent / 2**20:9.2f}",
                  flush=True)
        print(f"{'':7s}  peak RSS: client {peak_rss_mb():.0f} MiB, workers "
              f"{', '.join(f'{v:.0f}' for v in mem.values())} MiB", flush=True)


if __name__ == "__main__":
    main()
