"""Writes the checkpoints users actually have, from real torch.save, with PyTorch references:

- mb2-ssd-lite (4 classes, the weights of the committed random-4 checkpoint) in the legacy
  format, wrapped as {"state_dict"}, {"model"}, {"net"} (with epoch and optimizer state beside
  it), and with DataParallel's "module." prefix;
- mb1-ssd and mb1-ssd-lite (21 classes, random weights) in the zip and legacy formats;
- ONNX exports of all three (torch.onnx.export, eval mode: batch norm folded, generated names);
- mb1-ssd-lite with its batch norms' weights and biases left at 1 and 0 (a network whose batch
  norms were never trained, e.g. frozen), exported with training=PRESERVE: the batch norms stay,
  and the exporter stores the identical tensors once and hands them on through Identity nodes.

  /usr/bin/python3 reference/make_variants.py OUTDIR

OUTDIR/refused/ holds checkpoints that must be refused with a message that says why (not in the
manifest; CheckpointRefusalTest): see refusals().

OUTDIR/nan-weight/ holds mb2-ssd-lite (the random-4 weights) with one NaN weight in extras.1.conv.0
(torch.save), and PyTorch's output of every module for coffee.png, NaN where PyTorch has NaN
(NanWeightTest: NaN must flow through ReLU6 as it does in PyTorch).

OUTDIR/manifest.json lists every file with its architecture, class count and reference tag;
OUTDIR/<tag>/ holds scores.npy, boxes.npy and every module's output (.npy) for coffee.png.
"""
import json
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch

import make_references
import ssdnet


def reference(model, x, out):
    out.mkdir(parents=True, exist_ok=True)
    outs = make_references.run_with_hooks_generic(model.double(), x.double())
    for p, t in outs.items():
        np.save(out / f"{p}.npy", t.float().numpy())
    model.float()


def export(model, path):
    """ONNX as pytorch-ssd's convert_to_onnx does: eval mode (batch norm folded), input_0 -> scores, boxes."""
    torch.onnx.export(model.eval(), torch.zeros(1, 3, 300, 300), str(path), input_names=["input_0"],
                      output_names=["scores", "boxes"], opset_version=11)


def refusals(out):
    """Checkpoints a user may hand over that LayerLens must refuse, saying why (torch.save, zip
    format, random weights; too large to commit):
    - mb1-missing-key.pth: mb1-ssd's state_dict (21 classes, with its num_batches_tracked) less
      base_net.5.3.weight: PyTorch's load_state_dict names the missing key;
    - mb1-background-only.pth: mb1-ssd built for one class, BACKGROUND alone (heads of 6 channels).
    """
    out.mkdir(parents=True, exist_ok=True)
    m = ssdnet.build("mb1-ssd", 21).eval()
    make_references.randomise(m, 2004)
    sd = m.state_dict()
    assert "base_net.0.1.num_batches_tracked" in sd
    del sd["base_net.5.3.weight"]
    torch.save(sd, out / "mb1-missing-key.pth")
    m = ssdnet.build("mb1-ssd", 1).eval()
    make_references.randomise(m, 2005)
    assert m.state_dict()["classification_headers.0.weight"].shape[0] == 6
    torch.save(m.state_dict(), out / "mb1-background-only.pth")


def nan_weight(model, x, out):
    """A checkpoint with one NaN weight, and PyTorch's module outputs from it (float32, as users run it)."""
    out.mkdir(parents=True, exist_ok=True)
    sd = {k: v.clone() for k, v in model.state_dict().items()}
    sd["extras.1.conv.0.weight"][0, 0, 0, 0] = float("nan")
    m = ssdnet.SSDLite(4).eval()
    m.load_state_dict(sd)
    torch.save(m.state_dict(), out / "mb2-nan-weight.pth")
    outs = make_references.run_with_hooks_generic(m, x)
    for p, t in outs.items():
        np.save(out / f"{p}.npy", t.float().numpy())
    nans = sum(int(torch.isnan(t).sum()) for p, t in outs.items() if p.startswith("extras.1"))
    assert nans > 0, "the NaN weight made no NaN"
    print(f"nan-weight: {sum(1 for t in outs.values() if torch.isnan(t).any())} outputs hold NaN")


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(2)
    x, _, _ = ssdnet.preprocess(make_references.IMAGES["coffee"])
    manifest = []

    mb2 = ssdnet.SSDLite(4).eval()
    make_references.randomise(mb2, 1004)
    reference(mb2, x, out / "mb2-ssd-lite-4")
    sd = mb2.state_dict()
    variants = {
        "mb2-legacy.pth": (sd, False),
        "mb2-wrapped-state_dict.pth": ({"state_dict": sd, "epoch": 12, "best_loss": 2.5}, True),
        "mb2-wrapped-model.pth": ({"model": sd, "optimizer": torch.optim.SGD(mb2.parameters(), lr=0.01,
                                                                           momentum=0.9).state_dict()}, True),
        "mb2-wrapped-net-legacy.pth": ({"net": sd}, False),
        "mb2-dataparallel.pth": (OrderedDict(("module." + k, v) for k, v in sd.items()), True),
    }
    export(mb2, out / "mb2-ssd-lite-4.onnx")
    manifest.append({"file": "mb2-ssd-lite-4.onnx", "arch": "mb2-ssd-lite", "classes": 4, "ref": "mb2-ssd-lite-4"})
    for name, (obj, zipfmt) in variants.items():
        torch.save(obj, out / name, _use_new_zipfile_serialization=zipfmt)
        manifest.append({"file": name, "arch": "mb2-ssd-lite", "classes": 4, "ref": "mb2-ssd-lite-4"})

    for arch, seed in (("mb1-ssd", 2001), ("mb1-ssd-lite", 2002)):
        m = ssdnet.build(arch, 21).eval()
        make_references.randomise(m, seed)
        reference(m, x, out / f"{arch}-21")
        for zipfmt in (True, False):
            name = f"{arch}-21{'' if zipfmt else '-legacy'}.pth"
            torch.save(m.state_dict(), out / name, _use_new_zipfile_serialization=zipfmt)
            manifest.append({"file": name, "arch": arch, "classes": 21, "ref": f"{arch}-21"})
        export(m, out / f"{arch}-21.onnx")
        manifest.append({"file": f"{arch}-21.onnx", "arch": arch, "classes": 21, "ref": f"{arch}-21"})
    m = ssdnet.build("mb1-ssd-lite", 21).eval()
    make_references.randomise(m, 2003)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.weight.fill_(1)
                mod.bias.zero_()
    reference(m, x, out / "mb1-ssd-lite-21-plain-bn")
    torch.save(m.state_dict(), out / "mb1-ssd-lite-21-plain-bn.pth")
    manifest.append({"file": "mb1-ssd-lite-21-plain-bn.pth", "arch": "mb1-ssd-lite", "classes": 21,
                     "ref": "mb1-ssd-lite-21-plain-bn"})
    name = "mb1-ssd-lite-21-plain-bn-identities.onnx"
    torch.onnx.export(m.eval(), torch.zeros(1, 3, 300, 300), str(out / name), input_names=["input_0"],
                      output_names=["scores", "boxes"], opset_version=11, training=torch.onnx.TrainingMode.PRESERVE)
    # a node's op_type is field 4 of NodeProto: tag 0x22, then the length 8 of "Identity"
    identities = (out / name).read_bytes().count(b"\x22\x08Identity")
    assert identities > 0, f"{name}: the exporter wrote no Identity nodes"
    print(f"{name}: {identities} Identity nodes")
    manifest.append({"file": name, "arch": "mb1-ssd-lite", "classes": 21, "ref": "mb1-ssd-lite-21-plain-bn"})
    nan_weight(mb2, x, out / "nan-weight")
    refusals(out / "refused")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"wrote {len(manifest)} checkpoints to {out}")


if __name__ == "__main__":
    main()
