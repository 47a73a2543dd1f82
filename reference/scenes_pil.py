"""A second, independent renderer of circle/square/triangle scenes, for testing the default
model on pictures another program would draw. It shares nothing with scenes.py's drawing:
PIL ImageDraw with aliased edges (no anti-aliasing, no supersampling), shapes from 16 px up,
its own backgrounds (flat, noise, linear/radial gradients, stripes at any angle,
checkerboards, graph paper, low-frequency blotches, clutter of lines/ellipses/arcs/bars that
are none of the three classes), PNG or JPEG, Pascal VOC XML written the way scenes.py does
(1-based pixel coordinates, the box being the drawn pixels' extent).

  /usr/bin/python3 reference/scenes_pil.py OUTDIR --seed S --count N

Seeds: validation 102 (100 scenes), held-out test 103 (200 scenes); training must use others.

Design (see also the README): image long side 256-640 px, aspect 1:1 to 16:9, 30 % portrait;
1-8 shapes each; shape size (circle diameter, square side, triangle side) log-uniform on
[16, min(200, 0.8 * short side)] px, so about half the shapes are under 50 px; squares and
equilateral triangles at any rotation; 55 % filled (a third of those with an outline in
another colour), the rest outlined 1-8 px wide; shapes may touch and overlap a little.
"""
import argparse
import io
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ["BACKGROUND", "circle", "square", "triangle"]


def _colour(rng):
    return tuple(int(v) for v in rng.integers(0, 256, 3))


def _grid(h, w):
    return np.mgrid[0:h, 0:w].astype(np.float32)


def _two_colours(rng, min_diff=40):
    a = _colour(rng)
    for _ in range(20):
        b = _colour(rng)
        if sum(abs(x - y) for x, y in zip(a, b)) >= min_diff:
            break
    return a, b


def _clutter(rng, img, n):
    """Things that are not circles, squares or triangles: lines, polylines, elongated ellipses,
    arcs of at most 200 degrees, long bars."""
    w, h = img.size
    d = ImageDraw.Draw(img)
    for _ in range(n):
        c = _colour(rng)
        kind = rng.integers(5)
        x, y = float(rng.uniform(0, w)), float(rng.uniform(0, h))
        if kind == 0:  # straight line
            L, a = rng.uniform(20, max(w, h)), rng.uniform(0, math.pi)
            d.line([(x, y), (x + L * math.cos(a), y + L * math.sin(a))], fill=c, width=int(rng.integers(1, 6)))
        elif kind == 1:  # zigzag / scribble
            pts = [(x, y)]
            for _ in range(int(rng.integers(3, 9))):
                x, y = x + rng.uniform(-40, 40), y + rng.uniform(-40, 40)
                pts.append((x, y))
            d.line(pts, fill=c, width=int(rng.integers(1, 5)), joint="curve")
        elif kind == 2:  # elongated ellipse (axis ratio <= 0.45, never a circle)
            a = rng.uniform(10, 70)
            b = a * rng.uniform(0.1, 0.45)
            ang = rng.uniform(0, math.pi)
            t = np.linspace(0, 2 * math.pi, 48, endpoint=False)
            px = x + a * np.cos(t) * math.cos(ang) - b * np.sin(t) * math.sin(ang)
            py = y + a * np.cos(t) * math.sin(ang) + b * np.sin(t) * math.cos(ang)
            pts = list(zip(px.tolist(), py.tolist()))
            if rng.random() < 0.5:
                d.polygon(pts, fill=c)
            else:
                d.line(pts + pts[:1], fill=c, width=int(rng.integers(1, 4)))
        elif kind == 3:  # arc, at most 200 degrees of a circle
            r = rng.uniform(8, 60)
            start = rng.uniform(0, 360)
            d.arc([x - r, y - r, x + r, y + r], start, start + rng.uniform(40, 200), fill=c,
                  width=int(rng.integers(1, 5)))
        else:  # long bar (aspect >= 4), any angle
            L = rng.uniform(30, 150)
            t = L * rng.uniform(0.05, 0.25)
            a = rng.uniform(0, math.pi)
            ux, uy, vx, vy = math.cos(a), math.sin(a), -math.sin(a), math.cos(a)
            pts = [(x, y), (x + L * ux, y + L * uy), (x + L * ux + t * vx, y + L * uy + t * vy), (x + t * vx, y + t * vy)]
            d.polygon(pts, fill=c)


def background(rng, w, h):
    """An RGB PIL image of one of this renderer's background kinds."""
    kind = int(rng.integers(9))
    yy, xx = None, None
    if kind in (2, 3, 4, 5, 8):
        yy, xx = _grid(h, w)
    if kind == 0:  # flat
        img = Image.new("RGB", (w, h), _colour(rng))
    elif kind == 1:  # noise, colour or grey, fine or coarse grain
        base = np.array(_colour(rng), np.float32)
        sigma = rng.uniform(5, 50)
        grain = int(rng.choice([1, 1, 2, 3]))
        gh, gw = -(-h // grain), -(-w // grain)
        n = rng.normal(0, sigma, (gh, gw, 1 if rng.random() < 0.4 else 3)).astype(np.float32)
        n = np.repeat(np.repeat(n, grain, 0), grain, 1)[:h, :w]
        img = Image.fromarray(np.clip(base + n, 0, 255).astype(np.uint8))
    elif kind == 2:  # linear gradient at any angle
        a, b = (np.array(c, np.float32) for c in _two_colours(rng, 60))
        ang = rng.uniform(0, 2 * math.pi)
        t = xx * math.cos(ang) + yy * math.sin(ang)
        t = (t - t.min()) / max(1e-6, t.max() - t.min())
        img = Image.fromarray((a * (1 - t[..., None]) + b * t[..., None]).astype(np.uint8))
    elif kind == 3:  # radial gradient
        a, b = (np.array(c, np.float32) for c in _two_colours(rng, 60))
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        t = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
        t = np.clip(t / max(1.0, t.max()) * rng.uniform(0.8, 1.5), 0, 1)
        img = Image.fromarray((a * (1 - t[..., None]) + b * t[..., None]).astype(np.uint8))
    elif kind == 4:  # hard-edged stripes: horizontal, vertical, 45 degrees or any angle
        a, b = _two_colours(rng, 80)
        ang = float(rng.choice([0, 90, 45, 135, rng.uniform(0, 180), rng.uniform(0, 180)])) * math.pi / 180
        period = rng.uniform(4, 48)
        duty = rng.uniform(0.25, 0.75)
        t = ((xx * math.cos(ang) + yy * math.sin(ang)) / period) % 1.0
        arr = np.where((t < duty)[..., None], np.array(a, np.uint8), np.array(b, np.uint8))
        img = Image.fromarray(arr.astype(np.uint8))
    elif kind == 5:  # checkerboard, axis-aligned or rotated
        a, b = _two_colours(rng, 80)
        cell = rng.uniform(4, 20)
        ang = 0.0 if rng.random() < 0.5 else rng.uniform(0, math.pi / 2)
        u = xx * math.cos(ang) + yy * math.sin(ang)
        v = -xx * math.sin(ang) + yy * math.cos(ang)
        m = (np.floor(u / cell) + np.floor(v / cell)) % 2 == 0
        img = Image.fromarray(np.where(m[..., None], np.array(a, np.uint8), np.array(b, np.uint8)).astype(np.uint8))
    elif kind == 6:  # clutter on a flat colour
        img = Image.new("RGB", (w, h), _colour(rng))
        _clutter(rng, img, int(rng.integers(5, 40)))
    elif kind == 7:  # low-frequency blotches: a coarse random grid, upscaled smoothly
        g = rng.integers(0, 256, (int(rng.integers(2, 7)), int(rng.integers(2, 7)), 3)).astype(np.uint8)
        img = Image.fromarray(g).resize((w, h), Image.BICUBIC)
    else:  # graph paper: thin grid lines on paper colour
        a, b = _two_colours(rng, 60)
        step = rng.uniform(8, 40)
        lw = int(rng.integers(1, 3))
        m = ((xx % step) < lw) | ((yy % step) < lw)
        img = Image.fromarray(np.where(m[..., None], np.array(b, np.uint8), np.array(a, np.uint8)).astype(np.uint8))
    if kind != 6 and rng.random() < 0.3:
        _clutter(rng, img, int(rng.integers(3, 20)))
    if rng.random() < 0.2:
        arr = np.asarray(img).astype(np.float32) + rng.normal(0, rng.uniform(3, 15), (h, w, 1 if rng.random() < 0.5 else 3))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return img


def shape_points(cls, cx, cy, size, angle):
    """Vertices of a square (side = size) or equilateral triangle (side = size), rotated by angle."""
    if cls == "square":
        r, n, a0 = size / math.sqrt(2), 4, angle + math.pi / 4
    else:
        r, n, a0 = size / math.sqrt(3), 3, angle - math.pi / 2
    return [(cx + r * math.cos(a0 + 2 * math.pi * k / n), cy + r * math.sin(a0 + 2 * math.pi * k / n)) for k in range(n)]


def draw_shape(mask_draw, cls, cx, cy, size, angle, width):
    """Draws onto an L-mode mask: 255 where the shape is; width None means filled."""
    if cls == "circle":
        r = size / 2
        box = [cx - r, cy - r, cx + r - 1, cy + r - 1]
        if width is None:
            mask_draw.ellipse(box, fill=255)
        else:
            mask_draw.ellipse(box, outline=255, width=width)
    else:
        pts = shape_points(cls, cx, cy, size, angle)
        if width is None:
            mask_draw.polygon(pts, fill=255)
        else:
            mask_draw.polygon(pts, outline=255, width=width)


def _overlap(a, b):
    """Intersection over the smaller box's area."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return ix * iy / max(1, small)


def scene(rng):
    """Returns (RGB PIL image, [(class, x1, y1, x2, y2)]) with 0-based inclusive pixel boxes."""
    long_side = int(rng.choice([256, 320, 400, 480, 512, 600, 640]))
    aspect = float(rng.choice([1.0, 4 / 3, 3 / 2, 16 / 9]))
    w, h = long_side, int(round(long_side / aspect))
    if rng.random() < 0.3:
        w, h = h, w
    img = background(rng, w, h)
    arr_bg = np.asarray(img)
    objects = []
    short = min(w, h)
    for _ in range(int(rng.integers(1, 9))):
        for _attempt in range(30):
            cls = CLASSES[1 + int(rng.integers(3))]
            size = float(math.exp(rng.uniform(math.log(16), math.log(min(200, 0.8 * short)))))
            half = size / 2 if cls != "triangle" else size / math.sqrt(3)
            half = half * (math.sqrt(2) if cls == "square" else 1.0) + 2
            if 2 * half >= min(w, h):
                continue
            cx, cy = rng.uniform(half, w - half), rng.uniform(half, h - half)
            approx = (cx - half, cy - half, cx + half, cy + half)
            if all(_overlap(approx, o[1:]) < 0.25 for o in objects):
                break
        else:
            continue
        angle = float(rng.uniform(0, 2 * math.pi))
        filled = rng.random() < 0.55
        width = None if filled else int(min(rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8]), max(1, size // 5)))
        mask = Image.new("L", (w, h), 0)
        md = ImageDraw.Draw(mask)
        draw_shape(md, cls, cx, cy, size, angle, width)
        bbox = mask.getbbox()
        if bbox is None:
            continue
        x1, y1, x2, y2 = bbox[0], bbox[1], bbox[2] - 1, bbox[3] - 1
        # a colour that stands out from what lies under the shape
        under = arr_bg[y1:y2 + 1, x1:x2 + 1].reshape(-1, 3).mean(0)
        for _ in range(20):
            colour = _colour(rng)
            if np.abs(np.array(colour) - under).sum() >= 100:
                break
        img.paste(colour, (0, 0), mask)
        if filled and rng.random() < 0.33:  # filled with an outline in another colour
            edge = Image.new("L", (w, h), 0)
            draw_shape(ImageDraw.Draw(edge), cls, cx, cy, size, angle, int(rng.integers(1, 4)))
            img.paste(_colour(rng), (0, 0), edge)
        arr_bg = np.asarray(img)
        objects.append((cls, x1, y1, x2, y2))
    return img, objects


def voc_xml(name, w, h, objects):
    """Same fields and layout as scenes.py's; boxes 1-based (VOC)."""
    parts = [f"<annotation>\n  <filename>{name}</filename>\n  <size><width>{w}</width><height>{h}</height>"
             f"<depth>3</depth></size>"]
    for cls, x1, y1, x2, y2 in objects:
        parts.append(f"  <object>\n    <name>{cls}</name>\n    <difficult>0</difficult>\n    <bndbox>"
                     f"<xmin>{x1 + 1:d}</xmin><ymin>{y1 + 1:d}</ymin><xmax>{x2 + 1:d}</xmax>"
                     f"<ymax>{y2 + 1:d}</ymax></bndbox>\n  </object>")
    parts.append("</annotation>\n")
    return "\n".join(parts)


def encode(rng, img):
    """Returns (suffix, bytes): PNG mostly, JPEG (quality 55-95) for a quarter of the scenes."""
    buf = io.BytesIO()
    if rng.random() < 0.25:
        img.save(buf, "JPEG", quality=int(rng.integers(55, 96)))
        return ".jpg", buf.getvalue()
    img.save(buf, "PNG")
    return ".png", buf.getvalue()


def write(out, seed, count, prefix="pil"):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        img, objects = scene(rng)
        suffix, data = encode(rng, img)
        stem = f"{prefix}-{seed}-{i:04d}"
        (out / (stem + suffix)).write_bytes(data)
        (out / (stem + ".xml")).write_text(voc_xml(stem + suffix, img.size[0], img.size[1], objects))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    a = ap.parse_args()
    write(a.out, a.seed, a.count)
