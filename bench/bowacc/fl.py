# Classifier-vs-features check of bench/notes/bow.md; run from a scratch dir (e.g. /tmp/bowacc) after prep.py,
# which standardises /tmp/bowtmp/feats.*.npy (bench_bow.py --cache) into Ztr/Zva/ytr/yva.npy there.
import numpy as np, time, sys, json
import fastlin
X = np.load("Ztr.npy"); Xv = np.load("Zva.npy"); y = np.load("ytr.npy"); yv = np.load("yva.npy")
for cfg in sys.argv[1:]:
    kw = json.loads(cfg); kind = kw.pop("kind", "svm")
    est = (fastlin.LinearSVM if kind == "svm" else fastlin.Softmax)(random_state=0, **kw)
    t = time.time(); est.fit(X, y)
    print(kind, kw, "val %.4f train5k %.4f  %.1fs" % ((est.predict(Xv) == yv).mean(), (est.predict(X[:5000]) == y[:5000]).mean(), time.time() - t), flush=True)
