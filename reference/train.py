"""Trains the bundled default model: mb2-ssd-lite with classes BACKGROUND, circle, square,
triangle, from scratch on synthetic scenes (scenes.py), with SSD's multibox loss.

  OMP_NUM_THREADS=1 /usr/bin/python3 reference/train.py --out model.pth --minutes 80

Scenes are generated on the fly from seed 1 (validation uses seed 2, the test split seed 3).
Writes the state_dict every few minutes, so an interrupted run still leaves a usable model.

On a machine with a GPU and many cores, scenes are made by worker processes (each with its own
seed derived from --seed) and the network runs on the GPU:

  python3 reference/train.py --init default.pth --out m.pth --minutes 7 --device cuda \
      --workers 14 --batch 64 --lr 2e-3 --seed 21 --save-every 120

Options for more variety (all off by default; then the scenes drawn are the same as before):
--pil P draws a share P of the scenes with scenes_pil.py (the second, independent renderer),
--zoom-out P / --max-zoom Z shrink scenes onto fresh backgrounds, --crop P crops (zooms in),
--jpeg P round-trips through JPEG. Seeds whose scene streams would be a validation or test
split (2, 3, 102, 103) are refused.
"""
import argparse
import math
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

import scenes
import ssdnet

HELD_OUT_SEEDS = {2, 3, 102, 103}  # validation and test splits of scenes.py and scenes_pil.py


def corner(p):
    return torch.cat([p[:, :2] - p[:, 2:] / 2, p[:, :2] + p[:, 2:] / 2], 1)


def iou_matrix(a, b):
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    area = lambda x: (x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])
    return inter / (area(a)[:, None] + area(b)[None, :] - inter + 1e-5)


def match(gt_boxes, gt_labels, priors, priors_corner, threshold=0.5):
    """pytorch-ssd's assign_priors: each prior takes its best GT; each GT keeps its best prior."""
    ious = iou_matrix(gt_boxes, priors_corner)  # [G, P]
    best_gt_iou, best_gt = ious.max(0)
    best_prior = ious.argmax(1)
    for g, p in enumerate(best_prior.tolist()):
        best_gt[p] = g
        best_gt_iou[p] = 2.0
    labels = gt_labels[best_gt].clone()
    labels[best_gt_iou < threshold] = 0
    boxes = gt_boxes[best_gt]
    cxcy = (boxes[:, :2] + boxes[:, 2:]) / 2
    wh = (boxes[:, 2:] - boxes[:, :2]).clamp(min=1e-6)
    loc = torch.cat([(cxcy - priors[:, :2]) / priors[:, 2:] / ssdnet.CENTER_VARIANCE,
                     torch.log(wh / priors[:, 2:]) / ssdnet.SIZE_VARIANCE], 1)
    return loc, labels


class Augment:
    """Optional extras on top of flips and brightness/contrast (all off by default, so the
    original command lines draw exactly the scenes they drew before):
    pil: share of scenes drawn by scenes_pil.py instead of scenes.py;
    zoom_out: chance to shrink the scene by 1-max_zoom and paste it at a random place on a fresh
    background of either renderer (smaller objects); crop: chance of a random crop of 30-100 %
    of each side that keeps every object at least 80 % inside or leaves it out (larger objects,
    other aspect ratios); jpeg: chance of a JPEG round trip at quality 40-95."""

    def __init__(self, pil=0.0, zoom_out=0.0, max_zoom=2.5, crop=0.0, jpeg=0.0):
        self.pil, self.zoom_out, self.max_zoom, self.crop, self.jpeg = pil, zoom_out, max_zoom, crop, jpeg


def _zoom_out(rng, img, objects, max_zoom):
    import scenes_pil  # needs PIL; imported only when asked for, so plain runs need just cv2
    h, w = img.shape[:2]
    r = rng.uniform(1.0, max_zoom)
    sw, sh = max(1, int(w / r)), max(1, int(h / r))
    if rng.random() < 0.5:
        canvas = np.asarray(scenes_pil.background(rng, w, h))
    else:
        canvas = cv2.cvtColor(scenes.background(rng, h, w), cv2.COLOR_BGR2RGB)
    canvas = np.array(canvas)
    small = cv2.resize(img, (sw, sh), interpolation=cv2.INTER_AREA if rng.random() < 0.5 else cv2.INTER_NEAREST)
    ox, oy = int(rng.integers(0, w - sw + 1)), int(rng.integers(0, h - sh + 1))
    canvas[oy:oy + sh, ox:ox + sw] = small
    fx, fy = sw / w, sh / h
    return canvas, [(c, ox + x1 * fx, oy + y1 * fy, ox + x2 * fx, oy + y2 * fy) for c, x1, y1, x2, y2 in objects]


def _crop(rng, img, objects):
    h, w = img.shape[:2]
    for _ in range(20):
        cw, ch = int(w * rng.uniform(0.3, 1.0)), int(h * rng.uniform(0.3, 1.0))
        x0, y0 = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        kept, ok = [], True
        for c, x1, y1, x2, y2 in objects:
            ix = max(0.0, min(x2, x0 + cw - 1) - max(x1, x0))
            iy = max(0.0, min(y2, y0 + ch - 1) - max(y1, y0))
            inside = ix * iy / max(1e-6, (x2 - x1) * (y2 - y1))
            if inside >= 0.8:
                kept.append((c, max(x1, x0) - x0, max(y1, y0) - y0, min(x2, x0 + cw - 1) - x0, min(y2, y0 + ch - 1) - y0))
            elif inside > 0.1 or (ix > 0 and iy > 0 and inside > 0.02):
                ok = False
                break
        if ok and kept:
            return img[y0:y0 + ch, x0:x0 + cw], kept
    return img, objects


def sample(rng, priors, priors_corner, aug=None):
    aug = aug or Augment()
    if aug.pil and rng.random() < aug.pil:
        import scenes_pil
        pil, objects = scenes_pil.scene(rng)
        img = np.asarray(pil)  # RGB
        objects = [(c, float(x1), float(y1), float(x2), float(y2)) for c, x1, y1, x2, y2 in objects]
    else:
        img, objects = scenes.scene(rng)
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)  # flip and channel swap commute: same pixels as before
    if aug.zoom_out and rng.random() < aug.zoom_out:
        img, objects = _zoom_out(rng, img, objects, aug.max_zoom)
    if aug.crop and rng.random() < aug.crop:
        img, objects = _crop(rng, img, objects)
    if aug.jpeg and rng.random() < aug.jpeg:
        ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(img[:, :, ::-1]), [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(40, 96))])
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR)[:, :, ::-1]
    h, w = img.shape[:2]
    if rng.random() < 0.5:  # horizontal flip
        img = img[:, ::-1]
        objects = [(c, w - 1 - x2, y1, w - 1 - x1, y2) for c, x1, y1, x2, y2 in objects]
    img = np.ascontiguousarray(img).astype(np.float32)
    img = img * rng.uniform(0.7, 1.3) + rng.uniform(-30, 30)  # contrast / brightness
    img = np.clip(img, 0, 255).astype(np.uint8)
    img = cv2.resize(img, (300, 300), interpolation=cv2.INTER_LINEAR)
    x = torch.from_numpy(((img.astype(np.float32) - 127) / 128).transpose(2, 0, 1).copy())
    boxes = torch.tensor([[x1 / w, y1 / h, x2 / w, y2 / h] for _, x1, y1, x2, y2 in objects], dtype=torch.float32)
    labels = torch.tensor([scenes.CLASSES.index(c) for c, *_ in objects], dtype=torch.long)
    loc, lab = match(boxes, labels, priors, priors_corner)
    return x, loc, lab


def multibox_loss(conf, loc, gt_loc, gt_lab, neg_pos=3):
    with torch.no_grad():
        bg = -F.log_softmax(conf, dim=2)[:, :, 0]
        pos = gt_lab > 0
        num_neg = pos.long().sum(1, keepdim=True) * neg_pos
        bg[pos] = -math.inf
        _, idx = bg.sort(1, descending=True)
        _, rank = idx.sort(1)
        mask = pos | (rank < num_neg)
    cls = F.cross_entropy(conf[mask], gt_lab[mask], reduction="sum")
    reg = F.smooth_l1_loss(loc[pos], gt_loc[pos], reduction="sum")
    n = max(1, int(pos.sum()))
    return cls / n, reg / n


class SceneStream(torch.utils.data.IterableDataset):
    """Endless batches of training scenes; worker w of a run with seed s draws from seed s*1000+w."""

    def __init__(self, seed, batch, aug=None):
        self.seed, self.batch, self.aug = seed, batch, aug

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        wid = info.id if info else 0
        torch.set_num_threads(1)
        cv2.setNumThreads(1)
        rng = np.random.default_rng(self.seed * 1000 + wid if info else self.seed)
        priors = ssdnet.make_priors()
        priors_corner = corner(priors)
        while True:
            batch = [sample(rng, priors, priors_corner, self.aug) for _ in range(self.batch)]
            yield (torch.stack([b[0] for b in batch]), torch.stack([b[1] for b in batch]),
                   torch.stack([b[2] for b in batch]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=80)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--init", help="continue from this state_dict (a second, shorter schedule)")
    ap.add_argument("--seed", type=int, default=1, help="scene stream seed (training scenes)")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--workers", type=int, default=0, help="scene-making processes (0: in this one)")
    ap.add_argument("--save-every", type=float, default=300, help="seconds between saves")
    ap.add_argument("--keep", action="store_true", help="also keep each periodic save as OUT.N (always on GPU)")
    ap.add_argument("--pil", type=float, default=0.0, help="share of scenes from scenes_pil.py (0: scenes.py only)")
    ap.add_argument("--zoom-out", type=float, default=0.0, help="chance of shrinking a scene onto a new background")
    ap.add_argument("--max-zoom", type=float, default=2.5, help="largest zoom-out factor")
    ap.add_argument("--crop", type=float, default=0.0, help="chance of a random crop (zoom in)")
    ap.add_argument("--jpeg", type=float, default=0.0, help="chance of a JPEG round trip")
    a = ap.parse_args()
    rng_seeds = {a.seed * 1000 + w for w in range(a.workers)} if a.workers else {a.seed}
    if rng_seeds & HELD_OUT_SEEDS:
        ap.error(f"--seed {a.seed} would draw the scenes of a validation/test split (seeds {sorted(HELD_OUT_SEEDS)})")
    aug = Augment(a.pil, a.zoom_out, a.max_zoom, a.crop, a.jpeg)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    torch.backends.cudnn.benchmark = dev.type == "cuda"
    model = ssdnet.SSDLite(len(scenes.CLASSES))
    if a.init:
        model.load_state_dict(torch.load(a.init, map_location="cpu"))
    model = model.to(dev).train()
    stream = iter(torch.utils.data.DataLoader(
        SceneStream(a.seed, a.batch, aug), batch_size=None, num_workers=a.workers,
        pin_memory=dev.type == "cuda", prefetch_factor=4 if a.workers else None,
        persistent_workers=a.workers > 0))

    def save(path):
        torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, path)

    saves = 0
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    start = time.time()
    budget = a.minutes * 60
    last_save = start
    step = 0
    ema = None
    while True:
        frac = (time.time() - start) / budget
        if frac >= 1:
            break
        lr = a.lr * min(1.0, (step + 1) / max(1, a.warmup)) * (0.5 * (1 + math.cos(math.pi * frac)) * 0.97 + 0.03)
        for g in opt.param_groups:
            g["lr"] = lr
        x, gl, gc = (t.to(dev, non_blocking=True) for t in next(stream))
        conf, loc = model.raw(x)
        lc, lr_ = multibox_loss(conf, loc, gl, gc)
        loss = lc + lr_
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        ema = float(loss) if ema is None else 0.98 * ema + 0.02 * float(loss)
        if step % 25 == 0:
            print(f"step {step} {time.time() - start:.0f}s ({step * a.batch * 60 / (time.time() - start):.0f} scenes/min) "
                  f"lr {lr:.5f} loss {ema:.3f} "
                  f"(cls {float(lc):.3f} reg {float(lr_):.3f})", flush=True)
        if time.time() - last_save > a.save_every:
            save(a.out)
            saves += 1
            if a.device != "cpu" or a.keep:
                save(f"{a.out}.{saves}")  # keep each one: the run's last minutes may not be its best
            last_save = time.time()
    model.eval()
    save(a.out)
    print(f"done: {step} steps of {a.batch} in {(time.time() - start) / 60:.1f} min -> {a.out}", flush=True)


if __name__ == "__main__":
    main()
