"""VOC mAP@0.5 of an mb2-ssd-lite state_dict on Pascal VOC folders (scenes.py / scenes_pil.py
output), with pytorch-ssd's eval semantics: per-class hard NMS (IoU 0.45, 200 candidates,
score threshold 0.01, ssdnet.detect), ground truth = VOC box - 1, a detection is a true
positive when IoU > 0.5 with an unmatched ground truth of its class (greedy by score over the
whole split), difficult objects neither count nor make false positives, AP by all-point
interpolation (pytorch-ssd's compute_average_precision, not the 2007 11-point metric).

Also recall by object size, the size being sqrt(box area) in network-input pixels (the box
after resizing the image to 300x300): <24, 24-40, 40-80, >80; at score >= 0.01 (what the AP
can reach) and >= 0.5 (what a user sees), and false positives with score >= 0.5.

  /usr/bin/python3 reference/eval_map.py MODEL.pth DIR [DIR ...] [--threads 1] [--json out.json]
"""
import argparse
import json
import math
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ssdnet  # noqa: E402

CLASSES = ["BACKGROUND", "circle", "square", "triangle"]
SIZE_BINS = [(0, 24, "<24"), (24, 40, "24-40"), (40, 80, "40-80"), (80, 1e9, ">80")]


def load_split(folder):
    """[(image path, width, height, [(class id, [x1, y1, x2, y2] 0-based, difficult)])]."""
    items = []
    for xml in sorted(Path(folder).glob("*.xml")):
        root = ET.parse(xml).getroot()
        name = root.findtext("filename")
        path = xml.parent / name if name and (xml.parent / name).exists() else None
        if path is None:
            path = next(p for p in (xml.with_suffix(s) for s in (".png", ".jpg", ".jpeg")) if p.exists())
        w, h = int(root.findtext("size/width")), int(root.findtext("size/height"))
        objs = []
        for o in root.findall("object"):
            b = [float(o.findtext(f"bndbox/{k}")) - 1 for k in ("xmin", "ymin", "xmax", "ymax")]
            objs.append((CLASSES.index(o.findtext("name").strip()), b, int(o.findtext("difficult") or 0)))
        items.append((path, w, h, objs))
    return items


def iou_of(box, boxes):
    """pytorch-ssd's box_utils.iou_of for one box against many (eps 1e-5)."""
    lt = np.maximum(boxes[:, :2], box[:2])
    rb = np.minimum(boxes[:, 2:], box[2:])
    wh = np.clip(rb - lt, 0, None)
    inter = wh[:, 0] * wh[:, 1]
    area = lambda b: np.clip(b[..., 2] - b[..., 0], 0, None) * np.clip(b[..., 3] - b[..., 1], 0, None)
    return inter / (area(box) + area(boxes) - inter + 1e-5)


def average_precision(precision, recall):
    """pytorch-ssd's measurements.compute_average_precision (all-point interpolation)."""
    precision = np.concatenate([[0.0], precision, [0.0]])
    recall = np.concatenate([[0.0], recall, [1.0]])
    for i in range(len(precision) - 2, -1, -1):
        precision[i] = max(precision[i], precision[i + 1])
    changing = np.where(recall[1:] != recall[:-1])[0]
    return float(((recall[changing + 1] - recall[changing]) * precision[changing + 1]).sum())


def predict(model, items, batch=16):
    """Per image, the list of ssdnet.detect dicts (threshold 0.01)."""
    out = []
    with torch.no_grad():
        for i in range(0, len(items), batch):
            chunk = items[i:i + batch]
            xs = [ssdnet.preprocess(p) for p, *_ in chunk]
            scores, boxes = model(torch.cat([x for x, _, _ in xs]))
            for j, (_, w, h) in enumerate(xs):
                out.append(ssdnet.detect(scores[j], boxes[j], w, h, 0.01))
    return out


def size_bin(box, w, h):
    s = math.sqrt(max(0.0, box[2] - box[0]) * 300 / w * max(0.0, box[3] - box[1]) * 300 / h)
    return next(label for lo, hi, label in SIZE_BINS if lo <= s < hi)


def evaluate(items, dets, iou_threshold=0.5):
    res = {"ap": {}, "recall": {}, "fp50": {}}
    found = {}  # (image, gt index) -> best score of the detection that matched it
    for k in range(1, len(CLASSES)):
        gts = {}
        n_true = 0
        for im, (_, w, h, objs) in enumerate(items):
            g = [(b, d, gi) for gi, (c, b, d) in enumerate(objs) if c == k]
            if g:
                gts[im] = (np.array([b for b, _, _ in g], np.float64), [d for _, d, _ in g], [gi for *_, gi in g])
                n_true += sum(1 for _, d, _ in g if not d)
        cand = [(d["score"], im, np.array(d["box"], np.float64)) for im, ds in enumerate(dets) for d in ds
                if d["classId"] == k]
        order = np.argsort(-np.array([c[0] for c in cand]), kind="stable") if cand else []
        tp, fp = np.zeros(len(cand)), np.zeros(len(cand))
        matched = set()
        fp50 = 0
        for r, idx in enumerate(order):
            score, im, box = cand[idx]
            if im not in gts:
                fp[r] = 1
            else:
                boxes, diff, gidx = gts[im]
                ious = iou_of(box, boxes)
                a = int(np.argmax(ious))
                if ious[a] > iou_threshold:
                    if not diff[a]:
                        if (im, a) not in matched:
                            tp[r] = 1
                            matched.add((im, a))
                            found[(im, gidx[a])] = score
                        else:
                            fp[r] = 1
                else:
                    fp[r] = 1
            fp50 += int(fp[r] and score >= 0.5)
        tpc, fpc = tp.cumsum(), fp.cumsum()
        prec = tpc / np.maximum(tpc + fpc, 1e-12)
        rec = tpc / max(1, n_true)
        res["ap"][CLASSES[k]] = average_precision(prec, rec) if n_true else float("nan")
        res["fp50"][CLASSES[k]] = fp50
    res["map"] = float(np.nanmean(list(res["ap"].values())))
    for thr in (0.01, 0.5):
        table = {}
        for _, _, label in SIZE_BINS:
            table[label] = [0, 0]
        for im, (_, w, h, objs) in enumerate(items):
            for gi, (c, b, d) in enumerate(objs):
                if d:
                    continue
                t = table[size_bin(b, w, h)]
                t[1] += 1
                t[0] += int(found.get((im, gi), -1) >= thr)
        res["recall"][str(thr)] = table
    return res


def report(name, res):
    lines = [f"{name}: mAP@0.5 {res['map']:.4f} (" + ", ".join(f"{c} {v:.4f}" for c, v in res["ap"].items()) + ")"]
    for thr, table in res["recall"].items():
        tot = [sum(v[0] for v in table.values()), sum(v[1] for v in table.values())]
        lines.append(f"  recall@score>={thr}: all {tot[0] / max(1, tot[1]):.3f} ({tot[0]}/{tot[1]}); " + "; ".join(
            f"{k} {v[0] / max(1, v[1]):.3f} ({v[0]}/{v[1]})" for k, v in table.items()))
    lines.append("  false positives with score>=0.5: " + ", ".join(f"{c} {v}" for c, v in res["fp50"].items()))
    return "\n".join(lines)


def load_model(path):
    model = ssdnet.SSDLite(len(CLASSES))
    model.load_state_dict(torch.load(path, map_location="cpu"))
    return model.eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", help="write the numbers here too")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = load_model(a.model)
    allres = {}
    for d in a.dirs:
        items = load_split(d)
        res = evaluate(items, predict(model, items))
        allres[d] = res
        print(report(f"{d} ({len(items)} images)", res), flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(allres, indent=1))


if __name__ == "__main__":
    main()
