"""Writes random-weight mb2-ssd-lite checkpoints (real torch.save zip files) and the PyTorch
reference outputs the Java parity tests compare against.

  /usr/bin/python3 reference/make_references.py --checkpoints DIR --compact DIR [--full DIR]

--compact: small files committed to the repo (per-module samples, scores, boxes, detections);
--full:    every module's whole output as .npy (hundreds of MB; CI writes them to target/).
Batch-norm running statistics and affine parameters are randomised so batch norm is not the
identity. PyTorch runs in float64; references are stored as float32.
"""
import argparse
import json
import os
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

import ssdnet

ROOT = Path(__file__).resolve().parent.parent
IMAGES = {  # real photos bundled in sample-images/ (from Debian's python3-skimage, CC0 / public domain)
    "astronaut": ROOT / "sample-images" / "astronaut.png",
    "coffee": ROOT / "sample-images" / "coffee.png",
}
CLASS_COUNTS = (4, 21)
SAMPLES = 64
DETECT_THRESHOLD = 0.5


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight.shape[1] * m.weight.shape[2] * m.weight.shape[3]
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.1)
            elif isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.running_mean.copy_(torch.randn(c, generator=g) * 0.2)
                m.running_var.copy_(torch.rand(c, generator=g) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(c, generator=g) + 0.5)
                m.bias.copy_(torch.randn(c, generator=g) * 0.2)
                m.num_batches_tracked.fill_(1000)


def run_with_hooks(model, x):
    return run_with_hooks_generic(model, x)


def run_with_hooks_generic(model, x):
    """Every module's output by dotted path; containers run piecewise get their last child's."""
    outs = {}
    hooks = []
    for name, m in model.named_modules():
        if name == "" or isinstance(m, nn.ModuleList):
            continue
        hooks.append(m.register_forward_hook(
            lambda mod, inp, out, name=name: outs.__setitem__(name, out.detach().clone())))
    with torch.no_grad():
        scores, boxes = model(x)
    for h in hooks:
        h.remove()
    # containers that pytorch-ssd runs piecewise (GraphPath) never fire as a whole
    if "base_net.14.conv.7" in outs:
        outs.setdefault("base_net.14.conv", outs["base_net.14.conv.7"])
        outs.setdefault("base_net.14", outs["base_net.14.conv.7"])
    last = str(len(model.base_net) - 1)
    outs.setdefault("base_net", outs["base_net." + last])
    outs["scores"] = scores
    outs["boxes"] = boxes
    return outs


def compact_entry(t, rng):
    a = t.float().numpy().ravel()
    n = a.size
    idx = set(rng.choice(n, size=min(SAMPLES, n), replace=False).tolist())
    idx.add(int(np.argmax(np.abs(a))))
    idx = sorted(idx)
    return {"shape": list(t.shape), "maxabs": float(np.abs(a).max()),
            "idx": idx, "val": [float(a[i]) for i in idx]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoints", required=True)
    ap.add_argument("--compact", required=True)
    ap.add_argument("--full")
    args = ap.parse_args()
    torch.set_num_threads(2)
    ck_dir, compact = Path(args.checkpoints), Path(args.compact)
    ck_dir.mkdir(parents=True, exist_ok=True)
    compact.mkdir(parents=True, exist_ok=True)

    inputs = {}
    for key, path in IMAGES.items():
        x, w, h = ssdnet.preprocess(path)
        inputs[key] = (x, w, h)
        np.save(compact / f"input-{key}.npy", x.numpy().astype(np.float32))

    for nc in CLASS_COUNTS:
        model = ssdnet.SSDLite(nc).eval()
        randomise(model, 1000 + nc)
        ck = ck_dir / f"mb2-ssd-lite-random-{nc}.pth"
        torch.save(model.state_dict(), ck)
        ref = model.double()
        for key, (x, w, h) in inputs.items():
            outs = run_with_hooks(ref, x.double())
            tag = f"random-{nc}-{key}"
            rng = np.random.default_rng(7)
            summary = {p: compact_entry(t, rng) for p, t in outs.items()
                       if p not in ("scores", "boxes")}
            (compact / f"{tag}-modules.json").write_text(json.dumps(summary))
            np.save(compact / f"{tag}-scores.npy", outs["scores"].float().numpy())
            np.save(compact / f"{tag}-boxes.npy", outs["boxes"].float().numpy())
            dets = ssdnet.detect(outs["scores"][0], outs["boxes"][0], w, h, DETECT_THRESHOLD)
            (compact / f"{tag}-detections.json").write_text(json.dumps(
                {"width": w, "height": h, "threshold": DETECT_THRESHOLD, "detections": dets}, indent=1))
            if args.full:
                d = Path(args.full) / tag
                d.mkdir(parents=True, exist_ok=True)
                for p, t in outs.items():
                    np.save(d / f"{p}.npy", t.float().numpy())
            print(f"{tag}: {len(outs)} outputs, {len(dets)} detections, "
                  f"max score {outs['scores'][0, :, 1:].max():.3f}", flush=True)


if __name__ == "__main__":
    main()
