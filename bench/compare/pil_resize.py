"""Resizes synthetic images with Pillow, for comparison with Vista's ImageResize.

Usage: python pil_resize.py OUT_DIR [--small]

Writes, for every case, NAME.png (the input: an RGB image of gradients, sharp edges and noise, made
with a fixed seed) and NAME_pil.png (Pillow's Image.resize((w, h), Image.BILINEAR) of it; Pillow
antialiases when it shrinks), and cases.txt with one line "NAME in_w in_h out_w out_h" per case.
With --small only the small cases kept as the test resource vista/data/pil-resize/ are written.
ImageResizeTest reads both PNGs of every case, resizes the input with Vista and requires Pillow's bytes;
it checks the stored small cases, and also the cases of any OUT_DIR given as -Dvista.pilResize=OUT_DIR:
  python pil_resize.py /tmp/pil && mvn -o test -pl data -am -Dtest=ImageResizeTest \
      -Dsurefire.failIfNoSpecifiedTests=false -Dvista.pilResize=/tmp/pil
Pillow and numpy are tools here, never build dependencies.
"""
import sys

import numpy as np
from PIL import Image

SMALL = [
    ("shrink", 37, 29, 16, 12),
    ("shrink_odd", 41, 23, 13, 7),
    ("enlarge", 11, 9, 29, 23),
    ("mixed", 30, 12, 17, 20),
]
LARGE = [
    ("photo_like_500x375_to_256", 500, 375, 341, 256),
    ("portrait_375x500_to_256", 375, 500, 256, 341),
    ("big_1024x768_to_256", 1024, 768, 341, 256),
    ("small_200x150_to_256", 200, 150, 341, 256),
]


def make_image(w, h, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 255 * x / max(w - 1, 1)
    g = 255 * y / max(h - 1, 1)
    b = 127.5 + 127.5 * np.sin(x / 3.0) * np.cos(y / 5.0)
    img = np.stack([r, g, b], axis=-1)
    # sharp-edged rectangles and a checkerboard band
    for _ in range(6):
        x0, y0 = rng.integers(0, w), rng.integers(0, h)
        x1, y1 = x0 + rng.integers(1, max(2, w // 3)), y0 + rng.integers(1, max(2, h // 3))
        img[y0:y1, x0:x1] = rng.integers(0, 256, 3)
    checker = ((x // 2 + y // 2) % 2 == 0) & (y > h * 0.6) & (y < h * 0.8)
    img[checker] = 255 - img[checker]
    img += rng.normal(0, 12, img.shape)
    return Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8), "RGB")


def main():
    out = sys.argv[1]
    cases = SMALL if "--small" in sys.argv else SMALL + LARGE
    lines = []
    for i, (name, w, h, ow, oh) in enumerate(cases):
        img = make_image(w, h, seed=i + 1)
        img.save(f"{out}/{name}.png")
        img.resize((ow, oh), Image.BILINEAR).save(f"{out}/{name}_pil.png")
        lines.append(f"{name} {w} {h} {ow} {oh}")
    with open(f"{out}/cases.txt", "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
