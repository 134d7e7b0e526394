"""
A bag of visual words
=====================

Coates, Lee & Ng (2011) learn features without labels: cut many small patches
(6 x 6 pixels) out of the training images, normalise their contrast, whiten
them, and cluster them with k-means. The cluster centres are the *visual
words*; an image is described by how close each of its patches is to every
word, summed over the four quadrants of the image. The words look like edges,
colour blobs and gratings (the whitening is undone to show them).
"""

import time

import numpy as np
from _data import load_images
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import fastlin
import fastlin.plot
from fastlin.features import BagOfVisualWords

X, y, X_val, y_val, names = load_images(n_train=3000, n_val=500)

t0 = time.perf_counter()
model = make_pipeline(BagOfVisualWords(n_words=200, n_patches=50_000, random_state=0),
                      StandardScaler(),
                      fastlin.Softmax(reg=1e-3, learning_rate=1e-2, max_iter=20, random_state=0))
model.fit(X, y)
print(f"codebook, codes and classifier in {time.perf_counter() - t0:.1f} s; "
      f"validation accuracy {model.score(X_val, y_val):.3f}")

ax = fastlin.plot.codebook(model[0], max_words=200)

# %%
# The same pipeline on pixels alone, for comparison.

pixels = make_pipeline(StandardScaler(), fastlin.Softmax(max_iter=20, random_state=0))
pixels.fit(X.reshape(len(X), -1).astype(np.float32), y)
print(f"pixels: validation accuracy "
      f"{pixels.score(X_val.reshape(len(X_val), -1).astype(np.float32), y_val):.3f}")
