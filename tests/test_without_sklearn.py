"""The estimators and transformers work (minus scikit-learn's extras) without scikit-learn."""

import subprocess
import sys

SCRIPT = r'''
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ImportError("scikit-learn blocked for this test")
sys.meta_path.insert(0, Block())
import numpy as np, fastlin
from fastlin.features import HOG, ColorHistogram, BagOfVisualWords
from fastlin.cluster import KMeans
rng = np.random.default_rng(0)
X = np.vstack([rng.normal(-3, 1, (100, 5)), rng.normal(3, 1, (100, 5))]).astype(np.float32)
y = np.repeat([0, 1], 100)
for est in (fastlin.Softmax(max_iter=5), fastlin.LinearSVM(max_iter=5)):
    est.set_params(reg=1e-4, learning_rate=1e-2)
    assert est.fit(X, y).score(X, y) > 0.95, est
    assert est.get_params()["reg"] == 1e-4
    try:
        est.set_params(nope=1)
        raise AssertionError("set_params accepted a bad name")
    except ValueError:
        pass
labels = KMeans(2, random_state=0).fit_predict(X)
assert len(set(labels[:100])) == 1 and labels[0] != labels[-1]
imgs = rng.integers(0, 255, (4, 32, 32, 3), dtype=np.uint8)
assert HOG().fit_transform(imgs).shape == (4, 324)
assert ColorHistogram().set_params(nbin=6).fit_transform(imgs).shape == (4, 6)
assert BagOfVisualWords(n_words=4).get_params()["n_words"] == 4
assert not any(m == "sklearn" or m.startswith("sklearn.") for m in sys.modules)
print("ok")
'''


def test_estimators_and_transformers_without_sklearn():
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
