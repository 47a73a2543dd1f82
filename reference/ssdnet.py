"""Independent PyTorch implementation of pytorch-ssd's mb2-ssd-lite, written from the
architecture facts in shared/DESIGN.md and the seed printout (not copied from pytorch-ssd).

Module names and nesting match the printout exactly, so state_dict keys are the ones users'
checkpoints carry. Used by make_references.py (random-weight parity references) and by
train.py (the bundled default model).
"""
import itertools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECS = [  # (feature map size, shrinkage, min box, max box)
    (19, 16, 60, 105),
    (10, 32, 105, 150),
    (5, 64, 150, 195),
    (3, 100, 195, 240),
    (2, 150, 240, 285),
    (1, 300, 285, 330),
]
ASPECT_RATIOS = (2, 3)
IMAGE_SIZE = 300
CENTER_VARIANCE = 0.1
SIZE_VARIANCE = 0.2


def conv_bn_relu(cin, cout, k, stride, groups=1):
    pad = (k - 1) // 2
    return [nn.Conv2d(cin, cout, k, stride, pad, groups=groups, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU6(inplace=True)]


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = int(round(cin * expand))
        self.use_res = stride == 1 and cin == cout
        layers = []
        if expand != 1:
            layers += conv_bn_relu(cin, hidden, 1, 1)
        layers += conv_bn_relu(hidden, hidden, 3, stride, groups=hidden)
        layers += [nn.Conv2d(hidden, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        y = self.conv(x)
        return x + y if self.use_res else y


def mobilenet_v2_features():
    setting = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
               (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    feats = [nn.Sequential(*conv_bn_relu(3, 32, 3, 2))]
    cin = 32
    for t, c, n, s in setting:
        for i in range(n):
            feats.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
            cin = c
    feats.append(nn.Sequential(*conv_bn_relu(cin, 1280, 1, 1)))
    return nn.Sequential(*feats)


def separable_head(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cin, 3, 1, 1, groups=cin), nn.BatchNorm2d(cin),
                         nn.ReLU6(), nn.Conv2d(cin, cout, 1))


def make_priors():
    rows = []
    for fm, shrink, smin, smax in SPECS:
        scale = IMAGE_SIZE / shrink
        for y, x in itertools.product(range(fm), repeat=2):
            cx, cy = (x + 0.5) / scale, (y + 0.5) / scale
            s = smin / IMAGE_SIZE
            rows.append([cx, cy, s, s])
            b = math.sqrt(smin * smax) / IMAGE_SIZE
            rows.append([cx, cy, b, b])
            for r in ASPECT_RATIOS:
                q = math.sqrt(r)
                rows.append([cx, cy, s * q, s / q])
                rows.append([cx, cy, s / q, s * q])
    return torch.tensor(rows, dtype=torch.float32).clamp_(0.0, 1.0)


class SSDLite(nn.Module):
    """mb2-ssd-lite. Sources: after base_net[14].conv[0:3] (19x19x576) and base_net (10x10x1280)."""

    def __init__(self, num_classes):
        super().__init__()
        self.num_classes = num_classes
        self.base_net = mobilenet_v2_features()
        self.extras = nn.ModuleList([
            InvertedResidual(1280, 512, 2, 0.2), InvertedResidual(512, 256, 2, 0.25),
            InvertedResidual(256, 256, 2, 0.5), InvertedResidual(256, 64, 2, 0.25)])
        chans = [576, 1280, 512, 256, 256]
        self.classification_headers = nn.ModuleList(
            [separable_head(c, 6 * num_classes) for c in chans] + [nn.Conv2d(64, 6 * num_classes, 1)])
        self.regression_headers = nn.ModuleList(
            [separable_head(c, 6 * 4) for c in chans] + [nn.Conv2d(64, 6 * 4, 1)])
        self.source_layer_add_ons = nn.ModuleList()
        self.register_buffer("priors", make_priors(), persistent=False)

    def sources(self, x):
        """Yields the six feature maps the heads read."""
        for layer in self.base_net[:14]:
            x = layer(x)
        block = self.base_net[14].conv
        for layer in block[:3]:
            x = layer(x)
        yield x
        for layer in block[3:]:
            x = layer(x)
        for layer in self.base_net[15:]:
            x = layer(x)
        yield x
        for layer in self.extras:
            x = layer(x)
            yield x

    def raw(self, x):
        confs, locs = [], []
        n = x.shape[0]
        for i, s in enumerate(self.sources(x)):
            c = self.classification_headers[i](s).permute(0, 2, 3, 1).contiguous()
            l = self.regression_headers[i](s).permute(0, 2, 3, 1).contiguous()
            confs.append(c.view(n, -1, self.num_classes))
            locs.append(l.view(n, -1, 4))
        return torch.cat(confs, 1), torch.cat(locs, 1)

    def forward(self, x):
        """Inference outputs as pytorch-ssd's SSD(is_test=True): softmax scores, corner boxes."""
        conf, loc = self.raw(x)
        scores = F.softmax(conf, dim=2)
        return scores, decode(loc, self.priors.to(loc.dtype))


def decode(loc, priors):
    centers = loc[..., :2] * CENTER_VARIANCE * priors[..., 2:] + priors[..., :2]
    sizes = torch.exp(loc[..., 2:] * SIZE_VARIANCE) * priors[..., 2:]
    return torch.cat([centers - sizes / 2, centers + sizes / 2], dim=-1)


def iou(boxes, box):
    lt = torch.max(boxes[:, :2], box[:2])
    rb = torch.min(boxes[:, 2:], box[2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[:, 0] * wh[:, 1]
    a0 = (boxes[:, 2] - boxes[:, 0]).clamp(min=0) * (boxes[:, 3] - boxes[:, 1]).clamp(min=0)
    a1 = (box[2] - box[0]).clamp(min=0) * (box[3] - box[1]).clamp(min=0)
    return inter / (a0 + a1 - inter + 1e-5)


def hard_nms(boxes, probs, iou_threshold=0.45, candidates=200):
    order = torch.argsort(probs, descending=True, stable=True)[:candidates]
    keep = []
    while order.numel() > 0:
        cur = order[0]
        keep.append(int(cur))
        if order.numel() == 1:
            break
        rest = order[1:]
        order = rest[iou(boxes[rest], boxes[cur]) <= iou_threshold]
    return keep


def detect(scores, boxes, width, height, threshold, iou_threshold=0.45):
    """Per-class hard NMS as pytorch-ssd's Predictor; boxes scaled to pixels."""
    out = []
    for k in range(1, scores.shape[1]):
        p = scores[:, k]
        mask = p > threshold
        if not bool(mask.any()):
            continue
        b, s = boxes[mask], p[mask]
        for i in hard_nms(b, s, iou_threshold):
            x1, y1, x2, y2 = b[i].tolist()
            out.append({"classId": k, "score": float(s[i]),
                        "box": [x1 * width, y1 * height, x2 * width, y2 * height]})
    return out


def preprocess(path):
    """RGB, 300x300 bilinear (OpenCV), (x - 127) / 128, NCHW. Returns (tensor, width, height)."""
    import cv2
    import numpy as np
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError(f"{path}: cannot read image")
    h, w = img.shape[:2]
    img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    img = cv2.resize(img, (IMAGE_SIZE, IMAGE_SIZE), interpolation=cv2.INTER_LINEAR)
    x = (img.astype(np.float32) - 127.0) / 128.0
    return torch.from_numpy(x.transpose(2, 0, 1).copy()).unsqueeze(0), w, h


# ---------------------------------------------------------------- MobileNetV1 variants
# pytorch-ssd's mb1-ssd and mb1-ssd-lite: MobileNetV1 (depthwise-separable convolutions, ReLU)
# as base_net; sources after base_net[0:12] (19x19x512) and base_net (10x10x1024).

def mobilenet_v1_features():
    def conv_bn(cin, cout, stride):
        return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
                             nn.ReLU(inplace=True))

    def conv_dw(cin, cout, stride):
        return nn.Sequential(nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False), nn.BatchNorm2d(cin),
                             nn.ReLU(inplace=True), nn.Conv2d(cin, cout, 1, 1, 0, bias=False),
                             nn.BatchNorm2d(cout), nn.ReLU(inplace=True))

    plan = [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2)] + \
           [(512, 512, 1)] * 5 + [(512, 1024, 2), (1024, 1024, 1)]
    return nn.Sequential(conv_bn(3, 32, 2), *[conv_dw(a, b, s) for a, b, s in plan])


def separable_v1(cin, cout, k, stride=1, padding=0):
    """mb1-ssd-lite's SeperableConv2d: depthwise (bias), ReLU, pointwise; no batch norm."""
    return nn.Sequential(nn.Conv2d(cin, cin, k, stride, padding, groups=cin), nn.ReLU(), nn.Conv2d(cin, cout, 1))


class SSDv1(SSDLite):
    """mb1-ssd (lite=False) and mb1-ssd-lite (lite=True)."""

    def __init__(self, num_classes, lite):
        nn.Module.__init__(self)
        self.num_classes = num_classes
        self.base_net = mobilenet_v1_features()
        if lite:
            ex = [(1024, 256, 512), (512, 128, 256), (256, 128, 256), (256, 128, 256)]
            self.extras = nn.ModuleList([nn.Sequential(nn.Conv2d(a, b, 1), nn.ReLU(), separable_v1(b, c, 3, 2, 1))
                                         for a, b, c in ex])
            chans = [512, 1024, 512, 256, 256]

            def head(c, k):
                return separable_v1(c, k, 3, 1, 1)
        else:
            ex = [(1024, 256, 512), (512, 128, 256), (256, 128, 256), (256, 128, 256)]
            self.extras = nn.ModuleList([nn.Sequential(nn.Conv2d(a, b, 1), nn.ReLU(), nn.Conv2d(b, c, 3, 2, 1),
                                                       nn.ReLU()) for a, b, c in ex])
            chans = [512, 1024, 512, 256, 256]

            def head(c, k):
                return nn.Conv2d(c, k, 3, padding=1)
        last = (lambda k: nn.Conv2d(256, k, 1)) if lite else (lambda k: nn.Conv2d(256, k, 3, padding=1))
        self.classification_headers = nn.ModuleList([head(c, 6 * num_classes) for c in chans] + [last(6 * num_classes)])
        self.regression_headers = nn.ModuleList([head(c, 6 * 4) for c in chans] + [last(6 * 4)])
        self.source_layer_add_ons = nn.ModuleList()
        self.register_buffer("priors", make_priors(), persistent=False)

    def sources(self, x):
        for layer in self.base_net[:12]:
            x = layer(x)
        yield x
        for layer in self.base_net[12:]:
            x = layer(x)
        yield x
        for layer in self.extras:
            x = layer(x)
            yield x


def build(arch, num_classes):
    if arch == "mb2-ssd-lite":
        return SSDLite(num_classes)
    if arch == "mb1-ssd":
        return SSDv1(num_classes, lite=False)
    if arch == "mb1-ssd-lite":
        return SSDv1(num_classes, lite=True)
    import archs  # vgg16-ssd, mb3-large-ssd-lite, mb3-small-ssd-lite, sq-ssd-lite
    return archs.build(arch, num_classes)
