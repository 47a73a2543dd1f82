"""Synthetic scenes for the default model: circles, squares and triangles on cluttered
backgrounds, with Pascal VOC annotations. Seeded and reproducible.

  /usr/bin/python3 reference/scenes.py OUTDIR --seed S --count N
"""
import argparse
import math
from pathlib import Path

import cv2
import numpy as np

CLASSES = ["BACKGROUND", "circle", "square", "triangle"]


def background(rng, h, w):
    kind = rng.integers(5)
    if kind == 0:  # flat colour
        img = np.empty((h, w, 3), np.uint8)
        img[:] = rng.integers(0, 256, 3)
    elif kind == 1:  # noise
        base = rng.integers(0, 256, 3)
        img = np.clip(base + rng.normal(0, rng.uniform(10, 60), (h, w, 3)), 0, 255).astype(np.uint8)
    elif kind == 2:  # gradient
        a, b = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
        t = np.linspace(0, 1, w if rng.random() < 0.5 else h)
        g = (a[None, :] * (1 - t[:, None]) + b[None, :] * t[:, None]).astype(np.uint8)
        img = np.repeat(g[None], h, 0) if g.shape[0] == w else np.repeat(g[:, None], w, 1)
    elif kind == 3:  # stripes
        img = np.empty((h, w, 3), np.uint8)
        img[:] = rng.integers(0, 256, 3)
        period = int(rng.integers(6, 40))
        c2 = tuple(int(v) for v in rng.integers(0, 256, 3))
        angle = rng.uniform(0, math.pi)
        yy, xx = np.mgrid[0:h, 0:w]
        mask = ((xx * math.cos(angle) + yy * math.sin(angle)) // (period / 2)) % 2 == 0
        img[mask] = c2
    else:  # blurred blobs
        img = np.empty((h, w, 3), np.uint8)
        img[:] = rng.integers(0, 256, 3)
        for _ in range(int(rng.integers(5, 25))):
            c = tuple(int(v) for v in rng.integers(0, 256, 3))
            a = int(rng.integers(8, 60))  # elongated, so that no blob passes for a circle
            cv2.ellipse(img, (int(rng.integers(w)), int(rng.integers(h))),
                        (a, max(2, int(a * rng.uniform(0.15, 0.6)))), float(rng.uniform(0, 180)),
                        0, 360, c, -1)
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(3, 12))
    if rng.random() < 0.3:
        img = np.clip(img + rng.normal(0, 8, img.shape), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(img)


def polygon(cls, cx, cy, size, angle):
    if cls == "square":
        r = size / 2 * math.sqrt(2)
        ang = [angle + math.pi / 4 + k * math.pi / 2 for k in range(4)]
    else:
        r = size / math.sqrt(3)
        ang = [angle - math.pi / 2 + k * 2 * math.pi / 3 for k in range(3)]
    return np.array([[cx + r * math.cos(a), cy + r * math.sin(a)] for a in ang])


def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter + 1e-9)


def scene(rng):
    """Returns (BGR image, [(class, x1, y1, x2, y2)])."""
    w = int(rng.choice([240, 300, 320, 400, 480, 512, 640]))
    h = int(rng.choice([240, 300, 320, 400, 480, 512]))
    img = background(rng, h, w)
    objects = []
    for _ in range(int(rng.integers(1, 7))):
        for _attempt in range(20):
            cls = CLASSES[1 + int(rng.integers(3))]
            size = float(rng.uniform(24, min(200, 0.9 * min(w, h))))
            cx, cy = rng.uniform(size / 2, w - size / 2), rng.uniform(size / 2, h - size / 2)
            if cls == "circle":
                box = (cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2)
            else:
                pts = polygon(cls, cx, cy, size, rng.uniform(0, 2 * math.pi))
                box = (pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max())
            box = (max(0, box[0]), max(0, box[1]), min(w - 1, box[2]), min(h - 1, box[3]))
            if all(iou(box, o[1:]) < 0.3 for o in objects):
                break
        else:
            continue
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        filled = rng.random() < 0.6
        thick = -1 if filled else int(rng.integers(2, 7))
        if cls == "circle":
            cv2.circle(img, (int(round(cx)), int(round(cy))), int(round(size / 2)), colour, thick, cv2.LINE_AA)
        else:
            p = np.round(pts).astype(np.int32).reshape(-1, 1, 2)
            if filled:
                cv2.fillPoly(img, [p], colour, cv2.LINE_AA)
            else:
                cv2.polylines(img, [p], True, colour, thick, cv2.LINE_AA)
        objects.append((cls,) + tuple(float(v) for v in box))
    return img, objects


def voc_xml(name, w, h, objects):
    parts = [f"<annotation>\n  <filename>{name}</filename>\n  <size><width>{w}</width><height>{h}</height>"
             f"<depth>3</depth></size>"]
    for cls, x1, y1, x2, y2 in objects:
        parts.append(f"  <object>\n    <name>{cls}</name>\n    <difficult>0</difficult>\n    <bndbox>"
                     f"<xmin>{x1 + 1:.0f}</xmin><ymin>{y1 + 1:.0f}</ymin><xmax>{x2 + 1:.0f}</xmax>"
                     f"<ymax>{y2 + 1:.0f}</ymax></bndbox>\n  </object>")
    parts.append("</annotation>\n")
    return "\n".join(parts)


def write(out, seed, count, prefix="scene"):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        img, objects = scene(rng)
        name = f"{prefix}-{seed}-{i:04d}.png"
        cv2.imwrite(str(out / name), img)
        (out / name.replace(".png", ".xml")).write_text(voc_xml(name, img.shape[1], img.shape[0], objects))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    a = ap.parse_args()
    write(a.out, a.seed, a.count)
