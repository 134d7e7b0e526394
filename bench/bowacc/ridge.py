# Classifier-vs-features check of bench/notes/bow.md; run from a scratch dir (e.g. /tmp/bowacc) after prep.py,
# which standardises /tmp/bowtmp/feats.*.npy (bench_bow.py --cache) into Ztr/Zva/ytr/yva.npy there.
import numpy as np, time, scipy.linalg as sl
X = np.load("Ztr.npy"); Xv = np.load("Zva.npy"); y = np.load("ytr.npy"); yv = np.load("yva.npy")
t = time.time()
G = X.T @ X; print("gram %.0fs" % (time.time() - t), flush=True)
Y = -np.ones((len(y), 10), np.float32); Y[np.arange(len(y)), y] = 1
B = X.T @ Y
np.save("G.npy", G); np.save("B.npy", B)
ev = np.linalg.eigvalsh(G.astype(np.float64)); print("eig max %.3g min %.3g, n>1e-3*max %d" % (ev[-1], ev[0], (ev > 1e-3 * ev[-1]).sum()))
for lam in [1e1, 1e2, 1e3, 1e4, 3e4, 1e5]:
    W = sl.solve(G.astype(np.float64) + lam * np.eye(G.shape[0]), B, assume_a="pos")
    print("ridge lam=%g val %.4f train5k %.4f  %.0fs" % (lam, ((Xv @ W).argmax(1) == yv).mean(), ((X[:5000] @ W).argmax(1) == y[:5000]).mean(), time.time() - t), flush=True)
