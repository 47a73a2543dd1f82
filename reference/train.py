"""Trains the bundled default model: mb2-ssd-lite with classes BACKGROUND, circle, square,
triangle, from scratch on synthetic scenes (scenes.py), with SSD's multibox loss.

  OMP_NUM_THREADS=1 /usr/bin/python3 reference/train.py --out model.pth --minutes 80

Scenes are generated on the fly from seed 1 (validation uses seed 2, the test split seed 3).
Writes the state_dict every few minutes, so an interrupted run still leaves a usable model.

On a machine with a GPU and many cores, scenes are made by worker processes (each with its own
seed derived from --seed) and the network runs on the GPU:

  python3 reference/train.py --init default.pth --out m.pth --minutes 7 --device cuda \
      --workers 14 --batch 64 --lr 2e-3 --seed 21 --save-every 120
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


def sample(rng, priors, priors_corner):
    img, objects = scenes.scene(rng)
    h, w = img.shape[:2]
    if rng.random() < 0.5:  # horizontal flip
        img = img[:, ::-1]
        objects = [(c, w - 1 - x2, y1, w - 1 - x1, y2) for c, x1, y1, x2, y2 in objects]
    img = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_BGR2RGB).astype(np.float32)
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

    def __init__(self, seed, batch):
        self.seed, self.batch = seed, batch

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        wid = info.id if info else 0
        torch.set_num_threads(1)
        cv2.setNumThreads(1)
        rng = np.random.default_rng(self.seed * 1000 + wid if info else self.seed)
        priors = ssdnet.make_priors()
        priors_corner = corner(priors)
        while True:
            batch = [sample(rng, priors, priors_corner) for _ in range(self.batch)]
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
    a = ap.parse_args()
    torch.manual_seed(0)
    dev = torch.device(a.device)
    torch.backends.cudnn.benchmark = dev.type == "cuda"
    model = ssdnet.SSDLite(len(scenes.CLASSES))
    if a.init:
        model.load_state_dict(torch.load(a.init, map_location="cpu"))
    model = model.to(dev).train()
    stream = iter(torch.utils.data.DataLoader(
        SceneStream(a.seed, a.batch), batch_size=None, num_workers=a.workers,
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
            print(f"step {step} {time.time() - start:.0f}s lr {lr:.5f} loss {ema:.3f} "
                  f"(cls {float(lc):.3f} reg {float(lr_):.3f})", flush=True)
        if time.time() - last_save > a.save_every:
            save(a.out)
            saves += 1
            if a.device != "cpu":
                save(f"{a.out}.{saves}")  # keep each one: the run's last minutes may not be its best
            last_save = time.time()
    model.eval()
    save(a.out)
    print(f"done: {step} steps of {a.batch} in {(time.time() - start) / 60:.1f} min -> {a.out}", flush=True)


if __name__ == "__main__":
    main()
