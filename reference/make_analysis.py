"""References for compare, stats and the int8 what-if, from real torch.save and PyTorch/NumPy
computations independent of the Java:

  /usr/bin/python3 reference/make_analysis.py OUTDIR

OUTDIR/images/        five images (sample-images: three shape scenes and two photos)
OUTDIR/base.pth       the committed random-weight mb2-ssd-lite (4 classes), saved again
OUTDIR/changed.pth    the same with one layer's weights changed (manifest.json: which)
OUTDIR/changed-figures.json  per module, changed.pth's output against base.pth's on coffee.png
                      (float64 runs): max and mean |a-b|, relative error, cosine, SQNR in dB
                      (null where the outputs are equal: +infinity)
OUTDIR/dead.pth       the same with channels forced dead (zero weights, negative batch-norm
                      bias) and one forced to ReLU6's ceiling (positive bias)
OUTDIR/dead-expected.json   per module, the channels exactly 0 (and exactly 6) on every image,
                      found in PyTorch (the forced ones and any genuinely dead), and the forced ones
OUTDIR/stats-ref.json per module and channel of dead.pth over images/: min, max, mean, std
                      (population), share of zeros and of 6.0, and the 99.9th / 99.99th percentile
                      of |x| as order statistics (NumPy's inverted_cdf); the whole tensor's range
OUTDIR/calibration.json    a min/max calibration table of base.pth over images/, computed here
OUTDIR/int8-per-channel/, int8-per-tensor/   every module output of base.pth on coffee.png under
                      a hand-written int8 simulation with that table (see simulate_int8), float32
OUTDIR/int8-gone.json the modules whose output no longer exists once fused
"""
import copy
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

import make_references
import ssdnet

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "engine" / "src" / "test" / "resources" / "reference" / "mb2-ssd-lite-random-4.pth"
IMAGES = ["shapes-01.png", "shapes-02.png", "shapes-03.png", "coffee.png", "astronaut.png"]
CHANGED = "base_net.7.conv.3"             # a 1x1 projection convolution in the middle of the backbone
DEAD = ("base_net.3.conv", [5, 77])      # expansion conv + BN + ReLU6 of block 3: channels forced to 0
SATURATED = ("base_net.3.conv", [100])   # ... and one forced to ReLU6's ceiling


def load_base():
    m = ssdnet.SSDLite(4).eval()
    m.load_state_dict(torch.load(BASE))
    return m


def outputs(model, x):
    """Every module's output (float64 model, float32 copies), with the pieces run piecewise."""
    return {p: t for p, t in make_references.run_with_hooks_generic(model, x).items()
            if p not in ("scores", "boxes")}


def rel_err(a, b):
    return float((a - b).abs().max() / max(1.0, float(a.abs().max())))


def figures(a, b):
    """compare's figures of b against a (float64): as the issue defines them, computed here on their own."""
    a = a.double().flatten()
    b = b.double().flatten()
    d = (a - b).abs()
    noise = float((d * d).sum())
    aa, bb = float((a * a).sum()), float((b * b).sum())
    cosine = 1.0 if noise == 0 else float((a * b).sum()) / (aa * bb) ** 0.5
    return {"maxAbs": float(d.max()), "meanAbs": float(d.mean()),
            "relErr": float(d.max()) / max(1.0, float(a.abs().max())), "cosine": cosine,
            "sqnrDb": None if noise == 0 else 10 * float(np.log10(aa / noise))}


def write_changed(out, base, x):
    m = copy.deepcopy(base)
    with torch.no_grad():
        w = dict(m.named_modules())[CHANGED].weight
        w[3] *= 1.5          # one output channel's weights half as large again
    torch.save(m.state_dict(), out / "changed.pth")
    # independent check that the change shows exactly there first
    a = outputs(copy.deepcopy(base).double(), x.double())
    b = outputs(m.double(), x.double())
    order = list(a.keys())
    first = next(p for p in order if rel_err(a[p], b[p]) > 1e-3)
    assert first == CHANGED, f"first divergent module in PyTorch is {first}, not {CHANGED}"
    (out / "changed-figures.json").write_text(json.dumps({p: figures(a[p], b[p]) for p in order}, indent=1))
    print(f"changed.pth: {CHANGED} first parts ways (relative error {rel_err(a[CHANGED], b[CHANGED]):.3g})")


def write_dead(out, base):
    m = copy.deepcopy(base)
    seq = dict(m.named_modules())[DEAD[0]]
    conv, bn = seq[0], seq[1]
    with torch.no_grad():
        for c, bias in [(c, -1.0) for c in DEAD[1]] + [(c, 10.0) for c in SATURATED[1]]:
            conv.weight[c] = 0
            bn.running_mean[c] = 0
            bn.running_var[c] = 1
            bn.weight[c] = 1
            bn.bias[c] = bias
    torch.save(m.state_dict(), out / "dead.pth")
    return m


def stats(model, images):
    """Per module output over all images: exact figures per channel (float32 values, float64 sums)."""
    per = {}
    for img in images:
        x, _, _ = ssdnet.preprocess(img)
        for p, t in outputs(model, x.double()).items():
            per.setdefault(p, []).append(t.float().numpy()[0])
    ref, dead, saturated = {}, {}, {}
    for p, maps in per.items():
        a = np.stack(maps)                                   # N, C, H, W
        c = a.shape[1]
        v = a.transpose(1, 0, 2, 3).reshape(c, -1)           # C, N*H*W
        v64 = v.astype(np.float64)
        absv = np.abs(v)
        entry = {
            "shape": list(a.shape[1:]),
            "min": v.min(axis=1).tolist(), "max": v.max(axis=1).tolist(),
            "mean": v64.mean(axis=1).tolist(), "std": v64.std(axis=1).tolist(),
            "zeros": (v == 0).mean(axis=1).tolist(), "atCeiling": (v == 6).mean(axis=1).tolist(),
            "p999": np.quantile(absv, 0.999, axis=1, method="inverted_cdf").astype(np.float64).tolist(),
            "p9999": np.quantile(absv, 0.9999, axis=1, method="inverted_cdf").astype(np.float64).tolist(),
        }
        flat = absv.ravel()
        entry["range"] = {"min": float(v.min()), "max": float(v.max()),
                          "p999": float(np.quantile(flat, 0.999, method="inverted_cdf")),
                          "p9999": float(np.quantile(flat, 0.9999, method="inverted_cdf"))}
        ref[p] = entry
        dead[p] = [int(i) for i in np.nonzero((v == 0).all(axis=1))[0]]
        saturated[p] = [int(i) for i in np.nonzero((v == 6).all(axis=1))[0]]
    return ref, dead, saturated


# ---------------------------------------------------------------- int8 simulation, by hand

def qparams(lo, hi):
    """uint8 asymmetric grid for [lo, hi] widened to hold 0 (the Java's Calibration.Range.of)."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = np.float32((hi - lo) / 255)
    if not scale > 0:
        scale = np.float32(1)
    zp = int(min(255, max(0, np.rint(-lo / float(scale)))))
    return float(scale), zp


def fake_quant(x, scale, zp):
    s = torch.tensor(scale, dtype=torch.float32)
    return torch.clamp(torch.round(x / s), 0 - zp, 255 - zp) * s


def quantise_weight(w, per_channel):
    """Symmetric int8 [-127, 127], scale max|w| / 127 per output channel or per tensor, float32."""
    if per_channel:
        s = w.abs().amax(dim=tuple(range(1, w.dim())), keepdim=True) / 127
    else:
        s = w.abs().max() / 127
    q = torch.where(s == 0, torch.zeros_like(w), torch.clamp(torch.round(w / torch.where(s == 0, torch.ones_like(s), s)),
                                                              -127, 127) * s)
    return q


def fold(conv, bn):
    """Batch norm folded into the convolution before it (the Java's Op.Conv.folded, same float steps)."""
    g, b = bn.weight.double(), bn.bias.double()
    m, v = bn.running_mean.double(), bn.running_var.double()
    s = (g / torch.sqrt(v + bn.eps)).float()
    t = (b - m * (g / torch.sqrt(v + bn.eps))).float()
    w = conv.weight.float() * s.view(-1, 1, 1, 1)
    b0 = conv.bias.double() if conv.bias is not None else torch.zeros(conv.out_channels, dtype=torch.float64)
    bias = (b0 * s.double() + t.double()).float()
    new = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding,
                    conv.dilation, conv.groups, bias=True)
    with torch.no_grad():
        new.weight.copy_(w)
        new.bias.copy_(bias)
    return new


def simulate_int8(model, table, per_channel, x):
    """Fold BN into convs, quantise conv weights, quantise every op output that remains (the last
    module of each fused unit: conv [+BN] [+ReLU/ReLU6]; residual adds); returns every remaining
    module's output and the modules whose output is gone."""
    m = copy.deepcopy(model).float().eval()
    gone = set()
    boundaries = set()
    acts = (nn.ReLU, nn.ReLU6)
    for name, mod in list(m.named_modules()):
        if not isinstance(mod, nn.Sequential):
            continue
        kids = list(mod.named_children())
        i = 0
        while i < len(kids):
            kname, k = kids[i]
            path = f"{name}.{kname}" if name else kname
            if isinstance(k, nn.Conv2d):
                unit = [path]
                j = i + 1
                if j < len(kids) and isinstance(kids[j][1], nn.BatchNorm2d):
                    setattr(mod, kname, fold(k, kids[j][1]))
                    setattr(mod, kids[j][0], nn.Identity())
                    unit.append(f"{name}.{kids[j][0]}")
                    j += 1
                if j < len(kids) and isinstance(kids[j][1], acts):
                    unit.append(f"{name}.{kids[j][0]}")
                    j += 1
                gone.update(unit[:-1])
                boundaries.add(unit[-1])
                i = j
            else:
                i += 1
    for name, mod in m.named_modules():
        if isinstance(mod, nn.Conv2d):
            with torch.no_grad():
                mod.weight.copy_(quantise_weight(mod.weight, per_channel))
            if name not in gone:
                boundaries.add(name)     # also a convolution outside any Sequential (the last heads)
        if isinstance(mod, ssdnet.InvertedResidual) and mod.use_res:
            boundaries.add(name)         # the residual add
    boundaries -= gone
    hooks = []
    for name, mod in m.named_modules():
        if name in boundaries:
            scale, zp = table[name]["scale"], table[name]["zeroPoint"]
            hooks.append(mod.register_forward_hook(
                lambda mod_, inp, out, scale=scale, zp=zp: fake_quant(out, scale, zp)))
    outs = outputs(m, x.float())
    for h in hooks:
        h.remove()
    return {p: t for p, t in outs.items() if p not in gone}, sorted(gone)


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(2)
    imgdir = out / "images"
    imgdir.mkdir(exist_ok=True)
    for n in IMAGES:
        shutil.copy(ROOT / "sample-images" / n, imgdir / n)
    images = sorted(imgdir.iterdir())
    base = load_base()
    torch.save(base.state_dict(), out / "base.pth")
    x, _, _ = ssdnet.preprocess(ROOT / "sample-images" / "coffee.png")
    write_changed(out, base, x)

    dead_model = write_dead(out, base)
    ref, dead, saturated = stats(copy.deepcopy(dead_model).double(), images)
    (out / "stats-ref.json").write_text(json.dumps({"images": [p.name for p in images], "modules": ref}))
    (out / "dead-expected.json").write_text(json.dumps({
        "dead": dead, "saturated": saturated,
        "forced": {"dead": {f"{DEAD[0]}.2": DEAD[1]}, "saturated": {f"{SATURATED[0]}.2": SATURATED[1]}}}, indent=1))
    print(f"dead.pth: {sum(len(v) for v in dead.values())} dead and {sum(len(v) for v in saturated.values())} "
          f"saturated (module, channel) pairs over {len(images)} images")

    base_ref, _, _ = stats(copy.deepcopy(base).double(), images)
    table = {}
    for p, e in base_ref.items():
        scale, zp = qparams(e["range"]["min"], e["range"]["max"])
        table[p] = {"min": e["range"]["min"], "max": e["range"]["max"], "scale": scale, "zeroPoint": zp}
    (out / "calibration.json").write_text(json.dumps({"range": "minmax", "source": "reference/make_analysis.py",
                                                      "modules": table}, indent=1))
    for per_channel, tag in ((True, "int8-per-channel"), (False, "int8-per-tensor")):
        outs, gone = simulate_int8(base, table, per_channel, x)
        d = out / tag
        d.mkdir(exist_ok=True)
        for p, t in outs.items():
            np.save(d / f"{p}.npy", t.float().numpy())
        (out / "int8-gone.json").write_text(json.dumps(gone))
        print(f"{tag}: {len(outs)} module outputs, {len(gone)} folded away")
    (out / "manifest.json").write_text(json.dumps({"base": "base.pth", "changed": "changed.pth",
                                                   "changedModule": CHANGED, "dead": "dead.pth"}, indent=1))


if __name__ == "__main__":
    main()
