"""ONNX exports shaped like those made from pytorch-ssd's own model code (jetson-inference's
onnx_export.py: the net built with is_test=True, eval mode, input `input_0`, outputs `scores` and
`boxes`), made from OUR implementations (ssdnet / archs) of all seven architectures.

The difference from make_variants.export ("ours" style) lies in the order and form of the graph:
- upstream's SSD.forward walks source_layer_indexes; for a source inside a block
  (mb2-ssd-lite's GraphPath(14, 'conv', 3)) it runs the REST of that block (conv[3:]) before
  computing that source's heads, whereas ours computes the heads as soon as the source exists;
- an add-on source (vgg16-ssd's BatchNorm2d) is computed, then its heads, then base_net goes on;
- after the taps, the rest of base_net runs, then each extra followed by its heads;
- each head's output is permute(0, 2, 3, 1).contiguous().view(n, -1, k) with n taken from the
  permuted tensor's size(0);
- softmax(dim=2) and box decoding are in the graph, decoded in two steps as upstream's box_utils
  does (center form: loc[..., :2] * cv * p[..., 2:] + p[..., :2] and exp(loc[..., 2:] * sv) *
  p[..., 2:], concatenated; then corner form: b[..., :2] - b[..., 2:] / 2 and
  b[..., :2] + b[..., 2:] / 2, concatenated), with the priors a plain tensor attribute
  (a constant in the trace, not a buffer) unsqueezed to (1, N, 4).

UpstreamSSD shares the child modules of our model (same objects, same attribute names), so node
scopes and parameter names in the export are those of upstream's. torch 1.13's eval-mode export
folds a BatchNorm2d into the Conv2d right before it; a BatchNorm2d not preceded by a Conv2d
(vgg16-ssd's source_layer_add_ons.0, after a ReLU) stays a BatchNormalization node.

  /usr/bin/python3 reference/upstream_export.py OUTDIR [arch ...]   (random weights, 21 classes)
"""
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

import archs
import make_references
import ssdnet


class UpstreamSSD(nn.Module):
    """Our model's modules, run in exactly the order and form of upstream's SSD.forward(is_test=True)."""

    def __init__(self, model, arch=None):
        super().__init__()
        arch = arch or archs.arch_of(model)
        cfg = archs.arch_config(arch)
        self.num_classes = model.num_classes
        self.base_net = model.base_net
        self.extras = model.extras
        self.classification_headers = model.classification_headers
        self.regression_headers = model.regression_headers
        self.source_layer_add_ons = model.source_layer_add_ons
        self.taps = cfg["taps"]
        self.center_variance = cfg["center_variance"]
        self.size_variance = cfg["size_variance"]
        self.priors = archs.make_priors(cfg["specs"], cfg["image_size"])  # plain attribute, as upstream's

    def _get_name(self):
        return "SSD"

    def _apply(self, fn, *args, **kwargs):  # keep the priors in step with .double() / .float()
        super()._apply(fn, *args, **kwargs)
        self.priors = fn(self.priors)
        return self

    def heads(self, i, x):
        conf = self.classification_headers[i](x).permute(0, 2, 3, 1).contiguous()
        conf = conf.view(conf.size(0), -1, self.num_classes)
        loc = self.regression_headers[i](x).permute(0, 2, 3, 1).contiguous()
        loc = loc.view(loc.size(0), -1, 4)
        return conf, loc

    def forward(self, x):
        confs, locs = [], []
        start = 0
        end = 0
        for tap in self.taps:
            kind = "index" if isinstance(tap, int) else tap[0]
            end = tap if kind == "index" else tap[1]
            for layer in self.base_net[start:end]:
                x = layer(x)
            y = self.source_layer_add_ons[tap[2]](x) if kind == "addon" else x
            if kind == "path":
                block = getattr(self.base_net[end], tap[2])
                for layer in block[:tap[3]]:
                    x = layer(x)
                y = x
                for layer in block[tap[3]:]:
                    x = layer(x)
                end += 1
            start = end
            c, l = self.heads(len(confs), y)
            confs.append(c)
            locs.append(l)
        for layer in self.base_net[end:]:
            x = layer(x)
        for layer in self.extras:
            x = layer(x)
            c, l = self.heads(len(confs), x)
            confs.append(c)
            locs.append(l)
        conf = torch.cat(confs, 1)
        loc = torch.cat(locs, 1)
        scores = F.softmax(conf, dim=2)
        p = self.priors.unsqueeze(0)
        centre = torch.cat([loc[..., :2] * self.center_variance * p[..., 2:] + p[..., :2],
                            torch.exp(loc[..., 2:] * self.size_variance) * p[..., 2:]], dim=2)
        boxes = torch.cat([centre[..., :2] - centre[..., 2:] / 2, centre[..., :2] + centre[..., 2:] / 2], dim=2)
        return scores, boxes


def export(model, path, arch=None):
    """Upstream-style ONNX of our model: UpstreamSSD order, eval mode, opset 11, input_0 -> scores, boxes."""
    net = UpstreamSSD(model, arch).float().eval()
    torch.onnx.export(net, torch.zeros(1, 3, 300, 300), str(path), input_names=["input_0"],
                      output_names=["scores", "boxes"], opset_version=11)


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(2)
    for i, arch in enumerate(sys.argv[2:] or archs.ARCHS):
        m = ssdnet.build(arch, 21).eval()
        make_references.randomise(m, 5000 + i)
        export(m, out / f"{arch}-21-upstream.onnx", arch)
        print(f"{arch}: {out / f'{arch}-21-upstream.onnx'}")


if __name__ == "__main__":
    main()
