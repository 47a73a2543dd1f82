"""Developer check (not run in CI): compares our seven architectures with pytorch-ssd's own code.

  /usr/bin/python3 reference/check_upstream.py UPSTREAM_DIR [--onnx SCRATCH] [arch ...]

UPSTREAM_DIR holds upstream's `vision` package (e.g. `git archive HEAD vision | tar -x` of a
fetched qfgaohao/pytorch-ssd, in a scratch folder outside this repo; if torchvision is missing,
an empty torchvision/__init__.py with `transforms = None` there lets its transforms.py import).
Nothing of upstream's is copied into this repo: it is imported from that folder at run time.

Per architecture (random weights from make_references.randomise, loaded into both models):
- print(upstream) == archs.print_text(ours); state_dict keys (in order) and shapes equal;
- coffee.png through upstream's Predictor transform == archs.preprocess (bit for bit);
- scores and boxes of upstream's SSD(is_test=True) vs our forward and upstream_export.UpstreamSSD,
  in float32 and float64; every module output by dotted path (archs.module_outputs on both);
- upstream's Predictor.predict detections vs ssdnet.detect on our float32 outputs;
- with --onnx: exports of upstream's net (as jetson-inference's onnx_export.py, opset 11) and of
  upstream_export.export(ours); compares node op-type sequences and initializer shapes.
"""
import argparse
import importlib
import sys
from pathlib import Path

import cv2
import numpy as np
import torch

import archs
import make_references
import onnx_summary
import ssdnet
import upstream_export

BUILDERS = {  # arch: (module, factory, predictor factory)
    "mb2-ssd-lite": ("mobilenet_v2_ssd_lite", "create_mobilenetv2_ssd_lite", "create_mobilenetv2_ssd_lite_predictor"),
    "mb1-ssd": ("mobilenetv1_ssd", "create_mobilenetv1_ssd", "create_mobilenetv1_ssd_predictor"),
    "mb1-ssd-lite": ("mobilenetv1_ssd_lite", "create_mobilenetv1_ssd_lite", "create_mobilenetv1_ssd_lite_predictor"),
    "vgg16-ssd": ("vgg_ssd", "create_vgg_ssd", "create_vgg_ssd_predictor"),
    "mb3-large-ssd-lite": ("mobilenetv3_ssd_lite", "create_mobilenetv3_large_ssd_lite",
                           "create_mobilenetv3_ssd_lite_predictor"),
    "mb3-small-ssd-lite": ("mobilenetv3_ssd_lite", "create_mobilenetv3_small_ssd_lite",
                           "create_mobilenetv3_ssd_lite_predictor"),
    "sq-ssd-lite": ("squeezenet_ssd_lite", "create_squeezenet_ssd_lite", "create_squeezenet_ssd_lite_predictor"),
}


def maxdiff(a, b):
    return float((a.double() - b.double()).abs().max())


def check(arch, seed, nc, onnx_dir):
    mod = importlib.import_module(f"vision.ssd.{BUILDERS[arch][0]}")
    theirs = getattr(mod, BUILDERS[arch][1])(nc, is_test=True).eval()
    ours = ssdnet.build(arch, nc).eval()
    make_references.randomise(ours, seed)
    report = {}
    report["print"] = repr(theirs) == archs.print_text(ours)
    sd_o, sd_t = ours.state_dict(), theirs.state_dict()
    report["keys"] = list(sd_o) == list(sd_t) and all(sd_o[k].shape == sd_t[k].shape for k in sd_o)
    theirs.load_state_dict(sd_o, strict=True)
    if not report["print"]:
        Path(f"/tmp/print-{arch}-upstream.txt").write_text(repr(theirs))
        Path(f"/tmp/print-{arch}-ours.txt").write_text(archs.print_text(ours))

    image = make_references.IMAGES["coffee"]
    x, w, h = archs.preprocess(image, arch)
    predictor = getattr(mod, BUILDERS[arch][2])(theirs, candidate_size=200, device=torch.device("cpu"))
    rgb = cv2.cvtColor(cv2.imread(str(image)), cv2.COLOR_BGR2RGB)
    report["input"] = bool(torch.equal(predictor.transform(rgb).unsqueeze(0), x))

    up_order = upstream_export.UpstreamSSD(ours, arch).eval()
    with torch.no_grad():
        s_t, b_t = theirs(x)
        s_o, b_o = ours(x)
        s_u, b_u = up_order(x)
    report["f32 ours"] = max(maxdiff(s_t, s_o), maxdiff(b_t, b_o))
    report["f32 upstream-order"] = max(maxdiff(s_t, s_u), maxdiff(b_t, b_u))

    # predictor (float32), before going to double
    thr = 0.3
    boxes_t, labels_t, probs_t = predictor.predict(rgb, -1, thr)
    dets = ssdnet.detect(s_o[0], b_o[0], w, h, thr)
    mine = sorted((d["classId"], d["score"], *d["box"]) for d in dets)
    up = sorted((int(l), float(p), *[float(v) for v in bx]) for bx, l, p in zip(boxes_t, labels_t, probs_t))
    worst = max((abs(a - b) for u, m in zip(up, mine) for a, b in zip(u, m)), default=0.0)
    report["detections"] = f"{len(up)} upstream, {len(dets)} ours, max diff {worst:.2g} (score, px)"

    theirs.double()
    theirs.priors = theirs.priors.double()
    ours.double()
    up_order.double()
    xd = x.double()
    o_t = archs.module_outputs(theirs, xd, arch=arch)
    o_o = archs.module_outputs(ours, xd)
    o_u = archs.module_outputs(ours, xd, forward=up_order)
    report["paths equal"] = list(o_t) == list(o_o) == list(o_u)
    report["f64 every module ours"] = max(maxdiff(o_t[k], o_o[k]) for k in o_t)
    report["f64 every module upstream-order"] = max(maxdiff(o_t[k], o_u[k]) for k in o_t)
    report["f64 scores/boxes"] = max(maxdiff(o_t["scores"], o_o["scores"]), maxdiff(o_t["boxes"], o_o["boxes"]))
    report["modules"] = len(o_t) - 2

    if onnx_dir:
        theirs.float()
        theirs.priors = theirs.priors.float()
        ours.float()
        f_t, f_u = onnx_dir / f"{arch}-theirs.onnx", onnx_dir / f"{arch}-ours-upstream-style.onnx"
        torch.onnx.export(theirs, torch.zeros(1, 3, 300, 300), str(f_t), input_names=["input_0"],
                          output_names=["scores", "boxes"], opset_version=11)
        upstream_export.export(ours, f_u, arch)
        a, b = onnx_summary.summary(f_t), onnx_summary.summary(f_u)
        ops_a, ops_b = [n[0] for n in a["nodes"]], [n[0] for n in b["nodes"]]
        report["onnx ops equal"] = ops_a == ops_b
        report["onnx node names equal"] = [n[1] for n in a["nodes"]] == [n[1] for n in b["nodes"]]
        report["onnx initializer shapes equal"] = [s for _, s in a["initializers"]] == [s for _, s in b["initializers"]]
        report["onnx initializer names equal"] = [n for n, _ in a["initializers"]] == [n for n, _ in b["initializers"]]
        report["onnx nodes"] = len(ops_a)
        report["onnx BatchNormalization"] = ops_a.count("BatchNormalization")
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("upstream")
    ap.add_argument("--onnx")
    ap.add_argument("archs", nargs="*")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.upstream).resolve()))
    torch.set_num_threads(2)
    onnx_dir = Path(args.onnx) if args.onnx else None
    if onnx_dir:
        onnx_dir.mkdir(parents=True, exist_ok=True)
    for i, arch in enumerate(args.archs or archs.ARCHS):
        r = check(arch, 9000 + i, (21, 4, 2)[i % 3], onnx_dir)
        print(arch, r, flush=True)


if __name__ == "__main__":
    main()
