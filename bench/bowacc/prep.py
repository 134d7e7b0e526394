# Classifier-vs-features check of bench/notes/bow.md; run from a scratch dir (e.g. /tmp/bowacc) after prep.py,
# which standardises /tmp/bowtmp/feats.*.npy (bench_bow.py --cache) into Ztr/Zva/ytr/yva.npy there.
import numpy as np, time
from fastlin.datasets import load_cifar10
from sklearn.preprocessing import StandardScaler
d = load_cifar10(split="train"); y = d.y_train
Ftr = np.load("/tmp/bowtmp/feats.train.npy"); Fva = np.load("/tmp/bowtmp/feats.val.npy")
sc = StandardScaler(copy=False); Ftr = sc.fit_transform(Ftr); Fva = sc.transform(Fva)
np.save("Ztr.npy", Ftr); np.save("Zva.npy", Fva); np.save("ytr.npy", y[:49000]); np.save("yva.npy", y[49000:50000])
print(Ftr.dtype, Ftr.shape, np.bincount(y[49000:50000]))
