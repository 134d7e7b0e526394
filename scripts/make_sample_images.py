"""Build src/fastlin/datasets/data/sample_images.npz: the ten photographs behind
``fastlin.datasets.load_sample_images``, each cut to its central square and resized to
128 x 128 RGB. Needs scikit-image (the photos ship with it) and Pillow.

    python scripts/make_sample_images.py [OUTPUT]

Every photo is public domain or CC0 (sources in src/fastlin/datasets/data/README.md).
"""

import sys

import numpy as np
from PIL import Image
from skimage import data

SIZE = 128
# label name -> scikit-image loader; all public domain or CC0 (see the data README)
PHOTOS = {
    "astronaut": data.astronaut,
    "cat": data.chelsea,
    "coffee": data.coffee,
    "rocket": data.rocket,
    "galaxies": data.hubble_deep_field,
    "retina": data.retina,
    "grass": data.grass,
    "gravel": data.gravel,
    "brick": data.brick,
    "camera": data.camera,
}


def square(img):
    img = np.asarray(img)
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    h, w = img.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    img = np.ascontiguousarray(img[top:top + s, left:left + s, :3])
    return np.asarray(Image.fromarray(img).resize((SIZE, SIZE), Image.LANCZOS))


def main(out="src/fastlin/datasets/data/sample_images.npz"):
    images = np.stack([square(load()) for load in PHOTOS.values()]).astype(np.uint8)
    np.savez_compressed(out, images=images, label_names=np.array(list(PHOTOS)))
    print(f"wrote {out}: {images.shape} {images.dtype}")


if __name__ == "__main__":
    main(*sys.argv[1:])
