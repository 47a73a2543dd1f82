"""Writes, for all seven pytorch-ssd architectures, random-weight checkpoints, ONNX exports and
the PyTorch references the Java tests compare against (generated in CI, not committed).

  /usr/bin/python3 reference/make_arch_refs.py OUTDIR

Per architecture (fixed seed, class count varied): <model>.pth (torch.save zip), <model>-legacy.pth
(_use_new_zipfile_serialization=False), <model>-ours.onnx (make_variants.export: our forward),
<model>-upstream.onnx (upstream_export.export: upstream's SSD.forward order, softmax and decoding
in the graph), where <model> = <arch>-<classes>. Per reference tag <model>-<image>:
  print.txt                 print(model) as upstream's prints it (archs.print_text)
  input.npy                 the preprocessed input, float32 (1, 3, 300, 300)
  <dotted.path>.npy         every module's output (archs.module_outputs), float32 NCHW
  scores.npy, boxes.npy     softmax scores (1, N, classes), corner boxes (1, N, 4) in [0, 1] units
  priors.npy                center-form priors (N, 4)
  detections.json           per-class hard NMS as pytorch-ssd's Predictor, boxes in image pixels
All computed in float64 from the float32 weights, stored as float32. Files of one tag equal byte for
byte (a Sequential and its last child, a piecewise container and its last child) are hard links.

OUTDIR/manifest.json = {"files": [...], "refs": {...}}:
  files: one entry per (file, reference tag): {"file", "arch", "classes",
         "format": "zip" | "legacy" | "onnx-ours" | "onnx-upstream", "ref", "image"}; onnx entries
         also carry "ops": {op type: count} of the graph.
  refs:  {tag: {"arch", "classes", "image", "imageWidth", "imageHeight", "inputShape", "mean", "std",
         "centerVariance", "sizeVariance", "priors", "sources", "modules", "filledFromLastChild",
         "notRun", "threshold", "iouThreshold", "candidateSize", "detections", "seed", "adjusted",
         "float32Worst"}}
  "sources" are the module paths the heads read, in head order; "modules" every path with a .npy,
  in named_modules order; "filledFromLastChild" the containers run piecewise and the child whose
  output they hold; "notRun" modules that never run (no .npy); "adjusted" the post-randomise
  weight scalings (see ADJUST); "float32Worst" how close PyTorch's own float32 forward comes to the
  tests' tolerance (share, module; generation fails above FLOAT32_SHARE).
"""
import copy
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

import archs
import make_references
import make_variants
import onnx_summary
import ssdnet
import upstream_export

# arch: (classes, seed, images)
PLAN = {
    "mb2-ssd-lite": (21, 3001, ("coffee",)),
    "mb1-ssd": (4, 3002, ("coffee",)),
    "mb1-ssd-lite": (2, 3003, ("coffee",)),
    "vgg16-ssd": (4, 3004, ("coffee",)),
    "mb3-large-ssd-lite": (4, 3005, ("coffee",)),
    "mb3-small-ssd-lite": (21, 3006, ("coffee", "astronaut")),
    "sq-ssd-lite": (2, 3007, ("coffee", "astronaut")),
}
# After make_references.randomise, two architectures give degenerate outputs (scores exactly 1.0 in
# float32, boxes of 1e9..1e23 pixels) because nothing keeps their activations O(1): vgg16-ssd's
# input is pixels minus the mean (std 1), and mb3-large-ssd-lite's features grow to ~900 through its
# 15 blocks whose batch norms have random running statistics. These scalings (weights and biases of
# the named parameters) keep them usable references; they are listed per tag as "adjusted".
# mb3-large-ssd-lite's scale is on the last batch norm of each backbone block (bn3): its features
# then stay below ~10. (Scaling only its heads instead left features of ~900 whose float32 rounding,
# ~1e-3 after the heads' ReLU6, is three times the tests' tolerance even for PyTorch's own float32
# forward; see check_float32.)
ADJUST = {
    "vgg16-ssd": {"base_net.0.weight": 1 / 128},
    "mb3-large-ssd-lite": {f"base_net.{i}.bn3.{p}": 1 / 2 for i in range(3, 18) for p in ("weight", "bias")},
}
# The Java tests hold every module to 1e-4 * max(1, max|ref|); a reference is only fair if PyTorch's
# own float32 forward of the same weights meets that (mb2-ssd-lite's comes to about half of it).
FLOAT32_SHARE = 1.0
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)
MAX_DETECTIONS = 40


def make_model(arch):
    nc, seed, _ = PLAN[arch]
    model = ssdnet.build(arch, nc).eval()
    make_references.randomise(model, seed)
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, factor in ADJUST.get(arch, {}).items():
            params[name].mul_(factor)
    return model


def detections(scores, boxes, w, h, iou):
    """At the lowest threshold of THRESHOLDS giving 1..MAX_DETECTIONS detections, or else at the
    one giving the fewest (but some)."""
    tried = [(thr, ssdnet.detect(scores, boxes, w, h, thr, iou)) for thr in THRESHOLDS]
    for thr, dets in tried:
        if 0 < len(dets) <= MAX_DETECTIONS:
            return thr, dets
    return min((t for t in tried if t[1]), key=lambda t: len(t[1]), default=tried[0])


def check_float32(model, x, outs, tag):
    """Fails unless PyTorch's float32 forward of the same weights is within FLOAT32_SHARE of the
    tests' tolerance for every module; returns the worst share and its module."""
    f32 = archs.module_outputs(copy.deepcopy(model).float(), x.float(), arch=archs.arch_of(model))
    worst = max((((f32[p].double() - t).abs().max().item() / (1e-4 * max(1.0, t.abs().max().item()))), p)
                for p, t in outs.items())
    if worst[0] > FLOAT32_SHARE:
        raise SystemExit(f"{tag}: PyTorch's float32 forward is {worst[0]:.2f} of the tolerance at {worst[1]}: "
                         f"ill-conditioned weights (see ADJUST)")
    return worst


def reference(model, arch, image, out):
    cfg = archs.arch_config(arch)
    x, w, h = archs.preprocess(make_references.IMAGES[image], arch)
    out.mkdir(parents=True, exist_ok=True)
    outs = archs.module_outputs(model, x.double())
    f32_worst = check_float32(model, x, outs, out.name)
    saved = {}  # digest -> path: a file equal byte for byte to one already written is a hard link to it
    for p, t in [("input", x), ("priors", model.priors)] + list(outs.items()):
        f = out / f"{p}.npy"
        if f.exists() or f.is_symlink():
            f.unlink()
        arr = np.ascontiguousarray(t.float().numpy())
        key = (arr.shape, hashlib.sha1(arr.tobytes()).hexdigest())
        if key in saved:
            os.link(saved[key], f)
        else:
            np.save(f, arr)
            saved[key] = f
    (out / "print.txt").write_text(archs.print_text(model) + "\n")
    thr, dets = detections(outs["scores"][0], outs["boxes"][0], w, h, cfg["iou_threshold"])
    (out / "detections.json").write_text(json.dumps(
        {"width": w, "height": h, "threshold": thr, "iouThreshold": cfg["iou_threshold"], "candidateSize": 200,
         "detections": dets}, indent=1))
    missing = [s for s in cfg["sources"] if s not in outs]
    assert not missing, missing
    return {"arch": arch, "classes": model.num_classes, "image": make_references.IMAGES[image].name,
            "imageWidth": w, "imageHeight": h, "inputShape": list(x.shape), "mean": list(cfg["mean"]),
            "std": cfg["std"], "centerVariance": cfg["center_variance"], "sizeVariance": cfg["size_variance"],
            "priors": int(model.priors.shape[0]), "sources": cfg["sources"],
            "modules": [p for p in outs if p not in ("scores", "boxes")],
            "filledFromLastChild": archs.filled_from_children(model), "notRun": archs.not_run(model),
            "threshold": thr, "iouThreshold": cfg["iou_threshold"], "candidateSize": 200, "detections": len(dets),
            "seed": PLAN[arch][1], "adjusted": {k: v for k, v in ADJUST.get(arch, {}).items()},
            "float32Worst": {"share": f32_worst[0], "module": f32_worst[1]}}


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(2)
    files, refs = [], {}
    t0 = time.time()
    for arch in sys.argv[2:] or PLAN:
        nc, _, images = PLAN[arch]
        model = make_model(arch)
        stem = f"{arch}-{nc}"
        written = []
        for zipfmt in (True, False):
            name = f"{stem}{'' if zipfmt else '-legacy'}.pth"
            torch.save(model.state_dict(), out / name, _use_new_zipfile_serialization=zipfmt)
            written.append((name, "zip" if zipfmt else "legacy", None))
        make_variants.export(model, out / f"{stem}-ours.onnx")
        upstream_export.export(model, out / f"{stem}-upstream.onnx", arch)
        for style in ("ours", "upstream"):
            name = f"{stem}-{style}.onnx"
            written.append((name, f"onnx-{style}", onnx_summary.op_counts(out / name)))
        ref_model = model.double()
        for image in images:
            tag = f"{stem}-{image}"
            refs[tag] = reference(ref_model, arch, image, out / tag)
            for name, fmt, ops in written:
                entry = {"file": name, "arch": arch, "classes": nc, "format": fmt, "ref": tag,
                         "image": refs[tag]["image"]}
                if ops is not None:
                    entry["ops"] = ops
                files.append(entry)
            print(f"{tag}: {len(refs[tag]['modules'])} modules, {refs[tag]['priors']} priors, "
                  f"{refs[tag]['detections']} detections at {refs[tag]['threshold']}, PyTorch float32 worst "
                  f"{refs[tag]['float32Worst']['share']:.3f} of the tolerance "
                  f"({time.time() - t0:.0f} s)", flush=True)
        model.float()
    (out / "manifest.json").write_text(json.dumps({"files": files, "refs": refs}, indent=1))
    size = sum({p.stat().st_ino: p.stat().st_size for p in out.rglob("*") if p.is_file()}.values())
    print(f"wrote {len(files)} file entries, {len(refs)} references, {size / 2**20:.0f} MiB to {out} "
          f"in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
