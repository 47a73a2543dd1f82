"""Anchor coverage of a Pascal VOC folder, computed independently of LayerLens (NumPy, float64):
for every ground-truth box, the best IoU of any of pytorch-ssd's MobileNet-SSD priors
(generate_ssd_priors with mobilenetv1_ssd_config's specs, clamped in centre form, as the
training code builds them; IoU on image-relative corners without epsilon).

  /usr/bin/python3 reference/anchor_coverage.py DATASET OUT.json [--what-if]

OUT.json: {"objects": [{"file", "label", "box": [x1, y1, x2, y2] (VOC minus 1, as pytorch-ssd
reads them), "size" (sqrt(w*h) in 300x300 network pixels), "bestIou"}]}. --what-if also prints
the share for smaller priors (every size halved; a 38x38 head with 20 px priors in front).
"""
import argparse
import glob
import json
import math
import os
import xml.etree.ElementTree as ET

import numpy as np

SIZE = 300
MOBILENET = [(19, 16, 60, 105), (10, 32, 105, 150), (5, 64, 150, 195), (3, 100, 195, 240), (2, 150, 240, 285),
             (1, 300, 285, 330)]
HALVED = [(19, 16, 30, 60), (10, 32, 60, 105), (5, 64, 105, 150), (3, 100, 150, 195), (2, 150, 195, 240),
          (1, 300, 240, 285)]
FINER = [(38, 8, 20, 40)] + MOBILENET


def priors(specs, ratios=(2, 3)):
    out = []
    for fm, shrink, lo, hi in specs:
        scale = SIZE / shrink
        for j in range(fm):
            for i in range(fm):
                cx, cy = (i + 0.5) / scale, (j + 0.5) / scale
                small, big = lo / SIZE, math.sqrt(lo * hi) / SIZE
                out += [[cx, cy, small, small], [cx, cy, big, big]]
                for r in ratios:
                    q = math.sqrt(r)
                    out += [[cx, cy, small * q, small / q], [cx, cy, small / q, small * q]]
    p = np.clip(np.array(out, dtype=np.float64), 0, 1)
    return np.concatenate([p[:, :2] - p[:, 2:] / 2, p[:, :2] + p[:, 2:] / 2], 1)


def best_iou(p, b):
    iw = np.clip(np.minimum(p[:, 2], b[2]) - np.maximum(p[:, 0], b[0]), 0, None)
    ih = np.clip(np.minimum(p[:, 3], b[3]) - np.maximum(p[:, 1], b[1]), 0, None)
    inter = iw * ih
    union = (p[:, 2] - p[:, 0]) * (p[:, 3] - p[:, 1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float((inter / union).max())


def boxes(dataset):
    for f in sorted(glob.glob(os.path.join(dataset, "*.xml"))):
        root = ET.parse(f).getroot()
        w = float(root.find("size/width").text)
        h = float(root.find("size/height").text)
        for o in root.findall("object"):
            bb = o.find("bndbox")
            b = [float(bb.find(k).text) - 1 for k in ("xmin", "ymin", "xmax", "ymax")]
            yield os.path.basename(f), o.find("name").text, b, w, h


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("out")
    ap.add_argument("--what-if", action="store_true")
    a = ap.parse_args()
    sets = {"mobilenet": priors(MOBILENET)}
    if a.what_if:
        sets["halved"] = priors(HALVED)
        sets["finer"] = priors(FINER)
    objects = []
    shares = {k: 0 for k in sets}
    for name, label, b, w, h in boxes(a.dataset):
        rel = [b[0] / w, b[1] / h, b[2] / w, b[3] / h]
        ious = {k: best_iou(p, rel) for k, p in sets.items()}
        for k, v in ious.items():
            shares[k] += v >= 0.5
        size = math.sqrt((b[2] - b[0]) * SIZE / w * (b[3] - b[1]) * SIZE / h)
        objects.append({"file": name, "label": label, "box": b, "size": size, "bestIou": ious["mobilenet"]})
    with open(a.out, "w") as f:
        json.dump({"objects": objects}, f, indent=1)
    for k, n in shares.items():
        print(f"{k}: {n} of {len(objects)} boxes ({100 * n / max(1, len(objects)):.1f}%) have a prior at IoU >= 0.5")


if __name__ == "__main__":
    main()
