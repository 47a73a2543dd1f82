"""Independent PyTorch implementations of pytorch-ssd's vgg16-ssd, mb3-large-ssd-lite,
mb3-small-ssd-lite and sq-ssd-lite, plus per-architecture facts (priors specs, preprocessing,
which module outputs the heads read) for all seven architectures.

Written from pytorch-ssd's definitions (vision/ssd/*.py, vision/nn/{vgg,mobilenetv3,squeezenet}.py,
vision/ssd/config/*.py), not copied. Module names and nesting equal upstream's, so state_dict keys
and print(model) equal upstream's (except the top-level class name, see print_text()).
Checked by reference/check_upstream.py against upstream's own code built from a fetched copy in
/tmp (outside this repo): identical print() text, identical state_dict keys and shapes, and equal
outputs with one state_dict loaded into both (see that script and the commit messages).

Entry point: ssdnet.build(arch, num_classes) for every architecture; arch_config(arch) for the
facts; module_outputs(model, x) for every module's output by dotted path.

Upstream quirks reproduced on purpose:
- MobileNetV3 Block registers its squeeze-excite module `se` first (so it prints first and its
  keys come first) but runs it after bn3; the block's one activation object is registered as both
  nolinear1 and nolinear2 (named_modules() lists it once, as nolinear1); stride-2 blocks never call
  their (empty) shortcut; stride-1 blocks add shortcut(x) even when it is an empty Sequential.
- hswish(x) = x * relu6(x + 3) / 6 (multiply first, then divide); hsigmoid(x) = relu6(x + 3) / 6.
- SqueezeNet 1.1 features without padding or ceil_mode: 300 -> 149 -> 74 -> 36 -> 17, so the
  first source map is 17x17 (specs say 17); the last Fire (base_net.12) is run but is not a source:
  the second head reads extras.0 (10x10, depthwise padding 2).
- VGG: pooling 'C' uses ceil_mode (75 -> 38); pool5 is 3x3 stride 1 padding 1; conv6 has
  dilation 6 and padding 6; conv7 1x1. The first source is BatchNorm2d(512) (source_layer_add_ons.0)
  applied to the output of base_net.22 (the ReLU after conv4_3), not a module of base_net.
"""
import itertools
import math
from collections import namedtuple

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import ssdnet

# ---------------------------------------------------------------- configuration per architecture

Spec = namedtuple("Spec", "size shrinkage min max ratios")

MOBILENET_SPECS = [Spec(19, 16, 60, 105, (2, 3)), Spec(10, 32, 105, 150, (2, 3)), Spec(5, 64, 150, 195, (2, 3)),
                   Spec(3, 100, 195, 240, (2, 3)), Spec(2, 150, 240, 285, (2, 3)), Spec(1, 300, 285, 330, (2, 3))]
VGG_SPECS = [Spec(38, 8, 30, 60, (2,)), Spec(19, 16, 60, 111, (2, 3)), Spec(10, 32, 111, 162, (2, 3)),
             Spec(5, 64, 162, 213, (2, 3)), Spec(3, 100, 213, 264, (2,)), Spec(1, 300, 264, 315, (2,))]
SQUEEZENET_SPECS = [Spec(17, 16, 60, 105, (2, 3))] + MOBILENET_SPECS[1:]

# Where the heads read, as upstream's source_layer_indexes: an int i means "after base_net[:i]";
# ("path", i, name, s1) means GraphPath(i, name, s1); ("addon", i, k) means source_layer_add_ons[k]
# applied to the output of base_net[:i]. After these, every extras module is a source.
TAPS = {
    "mb2-ssd-lite": [("path", 14, "conv", 3), 19],
    "mb1-ssd": [12, 14],
    "mb1-ssd-lite": [12, 14],
    "vgg16-ssd": [("addon", 23, 0), 35],
    "mb3-large-ssd-lite": [15, 21],
    "mb3-small-ssd-lite": [11, 17],
    "sq-ssd-lite": [12],
}
ARCHS = tuple(TAPS)
NEW_ARCHS = ("vgg16-ssd", "mb3-large-ssd-lite", "mb3-small-ssd-lite", "sq-ssd-lite")


def arch_config(arch):
    """Image size, preprocessing, priors specs, variances, taps and source paths of one architecture."""
    if arch == "vgg16-ssd":  # vgg_ssd_config; its predictor passes no std, so std is 1.0
        specs, mean, std = VGG_SPECS, (123.0, 117.0, 104.0), 1.0
    elif arch == "sq-ssd-lite":  # squeezenet_ssd_config
        specs, mean, std = SQUEEZENET_SPECS, (127.0, 127.0, 127.0), 128.0
    elif arch in TAPS:  # mobilenetv1_ssd_config (used by mb1, mb2 and mb3 alike)
        specs, mean, std = MOBILENET_SPECS, (127.0, 127.0, 127.0), 128.0
    else:
        raise ValueError(arch)
    return {"arch": arch, "image_size": 300, "mean": mean, "std": std, "specs": specs,
            "center_variance": 0.1, "size_variance": 0.2, "iou_threshold": 0.45,
            "taps": TAPS[arch], "sources": source_paths(arch)}


def source_paths(arch):
    """Dotted paths of the module outputs the heads read, in head order."""
    n_extras = 5 if arch == "sq-ssd-lite" else 4
    out = []
    for tap in TAPS[arch]:
        if isinstance(tap, int):
            out.append(f"base_net.{tap - 1}")
        elif tap[0] == "path":
            _, i, name, s1 = tap
            out.append(f"base_net.{i}.{name}.{s1 - 1}")
        else:
            out.append(f"source_layer_add_ons.{tap[2]}")
    return out + [f"extras.{i}" for i in range(n_extras)]


def make_priors(specs, image_size=300):
    """Center-form priors (cx, cy, w, h), clamped to [0, 1], in upstream's order and float32."""
    rows = []
    for s in specs:
        scale = image_size / s.shrinkage
        for y, x in itertools.product(range(s.size), repeat=2):
            cx, cy = (x + 0.5) / scale, (y + 0.5) / scale
            small = s.min / image_size
            big = math.sqrt(s.max * s.min) / image_size
            rows.append([cx, cy, small, small])
            rows.append([cx, cy, big, big])
            for r in s.ratios:
                q = math.sqrt(r)
                rows.append([cx, cy, small * q, small / q])
                rows.append([cx, cy, small / q, small * q])
    return torch.tensor(rows, dtype=torch.float32).clamp_(0.0, 1.0)


def preprocess(path, arch):
    """pytorch-ssd's PredictionTransform: RGB, cv2.resize to 300x300 (bilinear), float32,
    minus mean, divided by std, NCHW. Returns (tensor, width, height) of the original image."""
    cfg = arch_config(arch)
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError(f"{path}: cannot read image")
    h, w = img.shape[:2]
    img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    size = cfg["image_size"]
    img = cv2.resize(img, (size, size), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    img = (img - np.array(cfg["mean"], dtype=np.float32)) / np.float32(cfg["std"])
    return torch.from_numpy(img.transpose(2, 0, 1).copy()).unsqueeze(0), w, h


# ---------------------------------------------------------------- MobileNetV3 (vision/nn/mobilenetv3.py)

class hswish(nn.Module):  # noqa: N801 (upstream's class name; print(model) shows it)
    def forward(self, x):
        return x * F.relu6(x + 3.0) / 6.0


class hsigmoid(nn.Module):  # noqa: N801
    def forward(self, x):
        return F.relu6(x + 3.0) / 6.0


class SeModule(nn.Module):
    """Squeeze-excite: x * hsigmoid(bn(conv(relu(bn(conv(avgpool(x))))))), reduction 4, no biases."""

    def __init__(self, channels, reduction=4):
        super().__init__()
        mid = channels // reduction
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(channels, mid, 1, 1, 0, bias=False),
                                nn.BatchNorm2d(mid), nn.ReLU(inplace=True),
                                nn.Conv2d(mid, channels, 1, 1, 0, bias=False), nn.BatchNorm2d(channels), hsigmoid())

    def forward(self, x):
        return x * self.se(x)


class Block(nn.Module):
    """MobileNetV3 bottleneck: 1x1 expand, kxk depthwise, 1x1 project, optional squeeze-excite,
    residual (through a 1x1 conv + bn when channel counts differ) when stride is 1."""

    def __init__(self, k, cin, hidden, cout, act, se, stride):
        super().__init__()
        self.stride = stride
        self.se = se  # registered before the convolutions (printed first), applied after bn3
        self.conv1 = nn.Conv2d(cin, hidden, 1, 1, 0, bias=False)
        self.bn1 = nn.BatchNorm2d(hidden)
        self.nolinear1 = act
        self.conv2 = nn.Conv2d(hidden, hidden, k, stride, k // 2, groups=hidden, bias=False)
        self.bn2 = nn.BatchNorm2d(hidden)
        self.nolinear2 = act  # the same object as nolinear1
        self.conv3 = nn.Conv2d(hidden, cout, 1, 1, 0, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        if stride == 1 and cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout))
        else:
            self.shortcut = nn.Sequential()

    def forward(self, x):
        y = self.nolinear1(self.bn1(self.conv1(x)))
        y = self.nolinear2(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        if self.se is not None:
            y = self.se(y)
        if self.stride == 1:
            y = y + self.shortcut(x)
        return y


# (kernel, in, expand, out, activation, squeeze-excite, stride)
MB3_LARGE = [(3, 16, 16, 16, "relu", False, 1), (3, 16, 64, 24, "relu", False, 2), (3, 24, 72, 24, "relu", False, 1),
             (5, 24, 72, 40, "relu", True, 2), (5, 40, 120, 40, "relu", True, 1), (5, 40, 120, 40, "relu", True, 1),
             (3, 40, 240, 80, "hs", False, 2), (3, 80, 200, 80, "hs", False, 1), (3, 80, 184, 80, "hs", False, 1),
             (3, 80, 184, 80, "hs", False, 1), (3, 80, 480, 112, "hs", True, 1), (3, 112, 672, 112, "hs", True, 1),
             (5, 112, 672, 160, "hs", True, 1), (5, 160, 672, 160, "hs", True, 2), (5, 160, 960, 160, "hs", True, 1)]
MB3_SMALL = [(3, 16, 16, 16, "relu", True, 2), (3, 16, 72, 24, "relu", False, 2), (3, 24, 88, 24, "relu", False, 1),
             (5, 24, 96, 40, "hs", True, 2), (5, 40, 240, 40, "hs", True, 1), (5, 40, 240, 40, "hs", True, 1),
             (5, 40, 120, 48, "hs", True, 1), (5, 48, 144, 48, "hs", True, 1), (5, 48, 288, 96, "hs", True, 2),
             (5, 96, 576, 96, "hs", True, 1), (5, 96, 576, 96, "hs", True, 1)]


def mobilenet_v3_features(plan, last):
    """MobileNetV3_{Large,Small}().features: conv-bn-hswish stem, the blocks, 1x1 conv-bn-hswish."""
    layers = [nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), hswish()]
    for k, cin, hidden, cout, act, se, stride in plan:
        a = nn.ReLU(inplace=True) if act == "relu" else hswish()
        layers.append(Block(k, cin, hidden, cout, a, SeModule(cout) if se else None, stride))
    cin = plan[-1][3]
    layers += [nn.Conv2d(cin, last, 1, 1, 0, bias=False), nn.BatchNorm2d(last), hswish()]
    return nn.Sequential(*layers)


def separable_bn(cin, cout):
    """mb2/mb3 heads: depthwise 3x3 (bias) + BatchNorm2d + ReLU6 + pointwise 1x1 (bias)."""
    return nn.Sequential(nn.Conv2d(cin, cin, 3, 1, 1, groups=cin), nn.BatchNorm2d(cin), nn.ReLU6(), nn.Conv2d(cin, cout, 1))


def separable(cin, cout, stride=1, padding=1):
    """SqueezeNet's (and mb1-lite's) SeperableConv2d: depthwise 3x3 (bias) + ReLU + pointwise 1x1."""
    return nn.Sequential(nn.Conv2d(cin, cin, 3, stride, padding, groups=cin), nn.ReLU(), nn.Conv2d(cin, cout, 1))


# ---------------------------------------------------------------- SqueezeNet 1.1 (vision/nn/squeezenet.py)

class Fire(nn.Module):
    def __init__(self, cin, squeeze, e1, e3):
        super().__init__()
        self.inplanes = cin
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(squeeze, e1, 1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(squeeze, e3, 3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x):
        s = self.squeeze_activation(self.squeeze(x))
        return torch.cat([self.expand1x1_activation(self.expand1x1(s)),
                          self.expand3x3_activation(self.expand3x3(s))], 1)


def squeezenet11_features():
    def pool():
        return nn.MaxPool2d(kernel_size=3, stride=2)
    return nn.Sequential(nn.Conv2d(3, 64, 3, 2), nn.ReLU(inplace=True), pool(),
                         Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), pool(),
                         Fire(128, 32, 128, 128), Fire(256, 32, 128, 128), pool(),
                         Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256),
                         Fire(512, 64, 256, 256))


# ---------------------------------------------------------------- VGG16 (vision/nn/vgg.py)

def vgg16_layers():
    """Conv-ReLU pairs, 'M' 2x2 pools, 'C' a 2x2 ceil_mode pool, then pool5, conv6 (dilated), conv7."""
    layers, cin = [], 3
    for v in (64, 64, "M", 128, 128, "M", 256, 256, 256, "C", 512, 512, 512, "M", 512, 512, 512):
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        elif v == "C":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=True))
        else:
            layers += [nn.Conv2d(cin, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            cin = v
    layers += [nn.MaxPool2d(kernel_size=3, stride=1, padding=1),
               nn.Conv2d(512, 1024, kernel_size=3, padding=6, dilation=6), nn.ReLU(inplace=True),
               nn.Conv2d(1024, 1024, kernel_size=1), nn.ReLU(inplace=True)]
    return layers


# ---------------------------------------------------------------- the SSD container

class ArchSSD(ssdnet.SSDLite):
    """SSD over one of the four architectures above. forward() = upstream's SSD.forward with
    is_test=True (softmax scores, corner-form boxes), computed as ssdnet does (heads on each source
    as it is produced, fused decode); upstream_export.UpstreamSSD follows upstream's order exactly."""

    def __init__(self, arch, num_classes, base_net, extras, cls_heads, reg_heads, add_ons=()):
        nn.Module.__init__(self)
        self.arch = arch
        self.num_classes = num_classes
        self.base_net = base_net
        self.extras = nn.ModuleList(extras)
        self.classification_headers = nn.ModuleList(cls_heads)
        self.regression_headers = nn.ModuleList(reg_heads)
        self.source_layer_add_ons = nn.ModuleList(add_ons)
        cfg = arch_config(arch)
        self.taps = cfg["taps"]
        self.register_buffer("priors", make_priors(cfg["specs"], cfg["image_size"]), persistent=False)

    def _get_name(self):
        return "SSD"  # upstream's class name, so print(model) reads as upstream's

    def sources(self, x):
        start = 0
        for tap in self.taps:
            end = tap if isinstance(tap, int) else tap[1]
            for layer in self.base_net[start:end]:
                x = layer(x)
            start = end
            yield self.source_layer_add_ons[tap[2]](x) if isinstance(tap, tuple) else x
        for layer in self.base_net[start:]:
            x = layer(x)
        for layer in self.extras:
            x = layer(x)
            yield x


def _vgg16_ssd(nc):
    def extra(cin, mid, cout, stride, pad):
        return nn.Sequential(nn.Conv2d(cin, mid, 1), nn.ReLU(), nn.Conv2d(mid, cout, 3, stride, pad), nn.ReLU())
    extras = [extra(1024, 256, 512, 2, 1), extra(512, 128, 256, 2, 1), extra(256, 128, 256, 1, 0),
              extra(256, 128, 256, 1, 0)]
    chans, boxes = (512, 1024, 512, 256, 256, 256), (4, 6, 6, 6, 4, 4)
    reg = [nn.Conv2d(c, b * 4, 3, padding=1) for c, b in zip(chans, boxes)]
    cls = [nn.Conv2d(c, b * nc, 3, padding=1) for c, b in zip(chans, boxes)]
    return ArchSSD("vgg16-ssd", nc, nn.ModuleList(vgg16_layers()), extras, cls, reg, [nn.BatchNorm2d(512)])


def _mb3_ssd_lite(arch, nc):
    large = arch == "mb3-large-ssd-lite"
    base = mobilenet_v3_features(MB3_LARGE, 960) if large else mobilenet_v3_features(MB3_SMALL, 576)
    first, last = (112, 960) if large else (48, 576)
    extras = [Block(3, last, 256, 512, hswish(), None, 2), Block(3, 512, 128, 256, hswish(), None, 2),
              Block(3, 256, 128, 256, hswish(), None, 2), Block(3, 256, 64, 64, hswish(), None, 2)]
    chans = (first, last, 512, 256, 256)
    reg = [separable_bn(c, 24) for c in chans] + [nn.Conv2d(64, 24, 1)]
    cls = [separable_bn(c, 6 * nc) for c in chans] + [nn.Conv2d(64, 6 * nc, 1)]
    return ArchSSD(arch, nc, base, extras, cls, reg)


def _sq_ssd_lite(nc):
    def extra(cin, mid, cout, pad):
        return nn.Sequential(nn.Conv2d(cin, mid, 1), nn.ReLU(), separable(mid, cout, 2, pad))
    extras = [extra(512, 256, 512, 2), extra(512, 256, 512, 1), extra(512, 128, 256, 1), extra(256, 128, 256, 1),
              extra(256, 128, 256, 1)]
    chans = (512, 512, 512, 256, 256)
    reg = [separable(c, 24) for c in chans] + [nn.Conv2d(256, 24, 1)]
    cls = [separable(c, 6 * nc) for c in chans] + [nn.Conv2d(256, 6 * nc, 1)]
    return ArchSSD("sq-ssd-lite", nc, squeezenet11_features(), extras, cls, reg)


def build(arch, num_classes):
    """The four architectures of this module; ssdnet.build dispatches here for them."""
    if arch == "vgg16-ssd":
        return _vgg16_ssd(num_classes)
    if arch in ("mb3-large-ssd-lite", "mb3-small-ssd-lite"):
        return _mb3_ssd_lite(arch, num_classes)
    if arch == "sq-ssd-lite":
        return _sq_ssd_lite(num_classes)
    raise ValueError(arch)


def print_text(model):
    """print(model) as upstream's SSD prints. ssdnet's SSDLite/SSDv1 keep their own class names
    (their behaviour is frozen), so only the first line is renamed for them."""
    text = repr(model)
    first, rest = text.split("\n", 1)
    return "SSD(\n" + rest if first.endswith("(") else text


# ---------------------------------------------------------------- every module's output

def module_outputs(model, x, forward=None, arch=None):
    """Runs forward (default model.forward) and returns {dotted path: output} for every module,
    plus "scores" and "boxes". Filled as follows (the same rule for all seven architectures):

    - a module called once: its output (hooks clone it at once, before any in-place ReLU);
    - one module object registered under several names (MobileNetV3 Block's nolinear1/nolinear2):
      its k-th call goes to its k-th name in registration order (nolinear1 first, then nolinear2);
    - a container never called as a whole because upstream runs it piecewise gets its last
      child's output: "base_net" (all archs; a ModuleList for vgg16-ssd) <- base_net.<last>;
      mb2-ssd-lite's "base_net.14.conv" and "base_net.14" <- base_net.14.conv.7 (GraphPath);
    - ModuleLists (extras, the headers, source_layer_add_ons) have no entry;
    - modules never run have no entry: MobileNetV3 Blocks of stride 2 never call their empty
      `shortcut` (base_net.N.shortcut, extras.N.shortcut); see not_run(model).
    Stride-1 MobileNetV3 blocks with an empty shortcut do call it: its output is the block input.
    arch defaults to arch_of(model); pass it for a model that is not one of ours (upstream's).
    """
    names_of = {}
    for name, m in model.named_modules(remove_duplicate=False):
        if name == "" or isinstance(m, nn.ModuleList):
            continue
        names_of.setdefault(id(m), (m, []))[1].append(name)
    calls = {k: [] for k in names_of}
    hooks = [m.register_forward_hook(lambda mod, inp, out, k=k: calls[k].append(out.detach().clone()))
             for k, (m, _) in names_of.items()]
    try:
        with torch.no_grad():
            scores, boxes = (forward or model)(x)
    finally:
        for h in hooks:
            h.remove()
    outs = {}
    for k, (_, names) in names_of.items():
        got = calls[k]
        if got and len(got) != len(names):
            raise RuntimeError(f"{names}: {len(got)} calls for {len(names)} names")
        for name, t in zip(names, got):
            outs[name] = t
    for parent, child in filled_from_children(model, arch).items():
        outs.setdefault(parent, outs[child])
    ordered = {name: outs[name] for name, _ in model.named_modules(remove_duplicate=False) if name in outs}
    ordered["scores"], ordered["boxes"] = scores, boxes
    return ordered


def filled_from_children(model, arch=None):
    """{container path: child path whose output it gets} for containers run piecewise."""
    out = {"base_net": f"base_net.{len(model.base_net) - 1}"}
    for tap in TAPS[arch or arch_of(model)]:
        if isinstance(tap, tuple) and tap[0] == "path":
            _, i, name, _ = tap
            sub = getattr(model.base_net[i], name)
            out[f"base_net.{i}.{name}"] = f"base_net.{i}.{name}.{len(sub) - 1}"
            out[f"base_net.{i}"] = f"base_net.{i}.{name}.{len(sub) - 1}"
    return out


def not_run(model):
    """Paths of modules that never run in forward (stride-2 MobileNetV3 blocks' shortcuts)."""
    return [f"{name}.shortcut" for name, m in model.named_modules()
            if isinstance(m, Block) and m.stride != 1]


def arch_of(model):
    if isinstance(model, ArchSSD):
        return model.arch
    if isinstance(model, ssdnet.SSDv1):
        return "mb1-ssd-lite" if isinstance(model.classification_headers[0], nn.Sequential) else "mb1-ssd"
    if isinstance(model, ssdnet.SSDLite):
        return "mb2-ssd-lite"
    raise ValueError(type(model))
