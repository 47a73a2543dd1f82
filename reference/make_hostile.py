"""Writes checkpoints that carry code-execution payloads, the way an attacker would, with real
torch.save. Loading them must fail cleanly without running anything.

  /usr/bin/python3 reference/make_hostile.py OUTDIR
"""
import collections
import os
import sys
from pathlib import Path

import torch


class Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def small(out):
    """Small valid checkpoints for the fuzz test: zip and legacy, float32/int64/float16 tensors."""
    sd = collections.OrderedDict()
    g = torch.Generator().manual_seed(5)
    sd["conv.weight"] = torch.randn(4, 3, 3, 3, generator=g)
    sd["conv.bias"] = torch.randn(4, generator=g)
    sd["bn.num_batches_tracked"] = torch.tensor(7)
    sd["half"] = torch.randn(5, generator=g).half()
    sd["view"] = sd["conv.weight"][1]  # shares the storage, offset 27
    torch.save(sd, out / "small-zip.pth")
    torch.save(sd, out / "small-legacy.pth", _use_new_zipfile_serialization=False)
    torch.save({"state_dict": sd, "epoch": 3}, out / "small-wrapped.pth")
    torch.manual_seed(5)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1, bias=False), torch.nn.BatchNorm2d(4),
                              torch.nn.ReLU6(), torch.nn.Conv2d(4, 2, 1)).eval()
    torch.onnx.export(net, torch.zeros(1, 3, 8, 8), str(out / "small.onnx"), input_names=["input_0"],
                      opset_version=11)


class SSD(torch.nn.Module):
    """Stands for a user's model class in their training script (pickled as '__main__.SSD')."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 2, 1)


def whole_model(out):
    """torch.save(model): a whole pickled module (its class '__main__.SSD'), not a state_dict.
    Refused like any other class, with a hint to save model.state_dict()."""
    torch.manual_seed(5)
    torch.save(SSD(), out / "whole-model.pth")


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    sd = collections.OrderedDict()
    sd["base_net.0.0.weight"] = torch.zeros(2, 3)
    sd["evil"] = Payload("/tmp/layerlens-pwned-zip")
    torch.save(sd, out / "reduce-payload.pth")
    torch.save({"state_dict": sd}, out / "reduce-payload-wrapped.pth")
    legacy = collections.OrderedDict(sd)
    legacy["evil"] = Payload("/tmp/layerlens-pwned-legacy")
    torch.save(legacy, out / "reduce-payload-legacy.pth", _use_new_zipfile_serialization=False)
    small(out)
    whole_model(out)


if __name__ == "__main__":
    main()

