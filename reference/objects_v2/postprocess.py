"""MediaPipe's pre- and post-processing for the objects-v2 model, ported from MediaPipe's C++.

The model is MediaPipe's object_detection_ssd_mobilenetv2_oidv4_fp16.tflite, run by the subgraph
ObjectDetectionOidV4Subgraph (mediapipe/modules/objectron/object_detection_oid_v4_cpu.pbtxt).
Sources: google/mediapipe at 8e097ea9c3c073054c1a534c07c315944881f48e (2023-02-03, the day the
npm package @mediapipe/objectron@0.4.1675468480 was built); file and function named at each step.
The option values, with their lines, are in SETTINGS.md beside this file.

Arithmetic follows the C++ types: float32 wherever the C++ uses float (np.float32 scalars and
arrays here, operation by operation), double where it promotes to double.

  /usr/bin/python3 postprocess.py IMAGE...          prints the detections of each image
  /usr/bin/python3 postprocess.py --check IMAGE...  checks preprocess_numpy == preprocess (cv2)
(the model comes from scripts/fetch-objectron.sh; set OBJECTS_V2_MODEL to its .tflite, default
target/objects-v2/object_detection_ssd_mobilenetv2_oidv4_fp16.tflite under the repository root)
"""
import os
import sys
from pathlib import Path

import cv2
import numpy as np

F = np.float32

# ---------------------------------------------------------------- options (see SETTINGS.md)
# ImageToTensorCalculatorOptions, object_detection_oid_v4_cpu.pbtxt lines 16-26
INPUT_W, INPUT_H = 300, 300
KEEP_ASPECT_RATIO = False
RANGE_MIN, RANGE_MAX = F(-1.0), F(1.0)
# SsdAnchorsCalculatorOptions, lines 50-70 (+ proto defaults, ssd_anchors_calculator.proto)
ANCHORS = dict(num_layers=6, min_scale=F(0.2), max_scale=F(0.95), input_size_height=300,
               input_size_width=300, anchor_offset_x=F(0.5), anchor_offset_y=F(0.5),
               strides=[16, 32, 64, 128, 256, 512],
               aspect_ratios=[F(1.0), F(2.0), F(0.5), F(3.0), F(0.3333)],
               reduce_boxes_in_lowest_layer=True,
               interpolated_scale_aspect_ratio=F(1.0),  # proto default (line 57), not set
               fixed_anchor_size=False)                 # proto default (line 62), not set
# TensorsToDetectionsCalculatorOptions, lines 83-95 (+ proto defaults)
DECODE = dict(num_classes=24, num_boxes=1917, num_coords=4, ignore_classes={0},
              sigmoid_score=True, apply_exponential_on_box_size=True,
              x_scale=F(10.0), y_scale=F(10.0), h_scale=F(5.0), w_scale=F(5.0),
              min_score_thresh=F(0.5), score_clipping_thresh=None, reverse_output_order=False,
              flip_vertically=False, max_results=-1)
# NonMaxSuppressionCalculatorOptions, lines 127-132 (+ proto defaults)
NMS = dict(min_suppression_threshold=F(0.5), max_num_detections=100,
           overlap_type="INTERSECTION_OVER_UNION", algorithm="DEFAULT",
           min_score_threshold=F(-1.0), return_empty_detections=True)

LABELS = ["???", "Bicycle", "Boot", "Laptop", "Person", "Chair", "Cattle", "Desk", "Cat",
          "Computer mouse", "Computer monitor", "Box", "Mug", "Coffee cup", "Stationary bicycle",
          "Table", "Bottle", "High heels", "Vehicle", "Footwear", "Dog", "Book", "Camera", "Car"]


def read_labels(path):
    """DetectionLabelIdToTextCalculator::Open (detection_label_id_to_text_calculator.cc lines
    79-96): line i of the file (std::getline, 0-based) is the text of label id i; no offset."""
    return Path(path).read_text(encoding="utf-8").split("\n")[:-1]


# ---------------------------------------------------------------- preprocessing
def load_rgb(path):
    """Decodes an image file with OpenCV (as LayerLens does) into RGB uint8 (H, W, 3).
    MediaPipe's ImageToTensorCalculator takes an SRGB ImageFrame, i.e. RGB bytes."""
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"{path}: not an image OpenCV can read")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _value_range(x_u8):
    """OpenCvProcessor::Convert (image_to_tensor_converter_opencv.cc lines 159-166):
    transformed.convertTo(dst, CV_32FC3, scale, offset) with GetValueRangeTransformation
    (image_to_tensor_utils.cc lines 81-91): scale = (1 - -1) / (255 - 0) in float = 2/255,
    offset = -1 - 0 * scale = -1. OpenCV's convertTo computes v*scale + offset; its AVX2 kernel
    (what x86-64 OpenCV runs on CPUs with AVX2, and what this machine's cv2 gives) uses a fused
    multiply-add, i.e. one rounding of the exact v*scale + offset. This is that value. (OpenCV's
    SSE2 and WebAssembly kernels round twice, v*scale then + offset: 158 of the 256 byte values
    then differ by 1 ulp. A 256-entry table of these floats reproduces this exactly.)"""
    scale = (RANGE_MAX - RANGE_MIN) / (F(255.0) - F(0.0))
    offset = RANGE_MIN - F(0.0) * scale
    table = (np.arange(256, dtype=np.float64) * np.float64(scale) + np.float64(offset)).astype(F)
    return table[x_u8]


def preprocess(rgb):
    """ImageToTensorCalculator on CPU with these options -> (1, 300, 300, 3) float32 in [-1, 1].

    GetRoi (image_to_tensor_utils.cc lines 27-41): no NORM_RECT input, so the ROI is the whole
    image, centre (W/2, H/2), size W x H, rotation 0. PadRoi (lines 43-49): keep_aspect_ratio is
    false, so no letterbox: the image is stretched to 300x300. OpenCvProcessor::Convert
    (image_to_tensor_converter_opencv.cc lines 128-151): cv::boxPoints of that rotated rect ->
    corners (0,H) (0,0) (W,0) (W,H), mapped by cv::getPerspectiveTransform onto (0,300) (0,0)
    (300,0) (300,300), then cv::warpPerspective(src, dst, M, 300x300, INTER_LINEAR,
    BORDER_REPLICATE) on the uint8 image (border_mode unset = BORDER_UNSPECIFIED -> kReplicate,
    GetBorderMode, image_to_tensor_utils.cc lines 219-230). The result is uint8, then scaled."""
    h, w = rgb.shape[:2]
    src = cv2.boxPoints(((w / 2.0, h / 2.0), (float(w), float(h)), 0.0))
    dst = np.array([[0, INPUT_H], [0, 0], [INPUT_W, 0], [INPUT_W, INPUT_H]], np.float32)
    m = cv2.getPerspectiveTransform(src.astype(np.float32), dst)
    warped = cv2.warpPerspective(rgb, m, (INPUT_W, INPUT_H), flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE)
    return _value_range(warped)[None]


def preprocess_numpy(rgb):
    """The same result as preprocess() without OpenCV, spelled out for a port (e.g. to Java).

    This is NOT cv2.resize(INTER_LINEAR): the warp maps output pixel x to source position
    x * W / 300 (corners to corners: no half-pixel centre shift) and samples 2x2 neighbours
    there, without the area averaging cv2.resize's INTER_AREA would do. OpenCV's warpPerspective
    rounds each source coordinate to 1/32 pixel (INTER_BITS = 5): X = round(32 * x * W / 300),
    exact in integers as (64*W*x + 300) // 600 (no ties can occur), integer part X >> 5,
    fraction ax = X & 31. Bilinear weights are (32-ax)(32-ay), ax(32-ay), (32-ax)ay, ax*ay (sum
    1024; OpenCV scales them by 32 to INTER_REMAP_COEF_SCALE = 32768, which changes nothing), and
    the uint8 result is (sum of weight*pixel + 512) >> 10. Neighbours past the last row/column are
    clamped to it (BORDER_REPLICATE)."""
    h, w = rgb.shape[:2]

    def axis(n_out, n_in):
        x = np.arange(n_out, dtype=np.int64)
        fixed = (64 * n_in * x + n_out) // (2 * n_out)
        i0 = fixed >> 5
        frac = fixed & 31
        return np.minimum(i0, n_in - 1), np.minimum(i0 + 1, n_in - 1), frac

    x0, x1, ax = axis(INPUT_W, w)
    y0, y1, ay = axis(INPUT_H, h)
    img = rgb.astype(np.int64)
    ax_, ay_ = ax[None, :, None], ay[:, None, None]
    acc = (img[y0][:, x0] * (32 - ax_) * (32 - ay_) + img[y0][:, x1] * ax_ * (32 - ay_)
           + img[y1][:, x0] * (32 - ax_) * ay_ + img[y1][:, x1] * ax_ * ay_)
    return _value_range(((acc + 512) >> 10).astype(np.uint8))[None]


# ---------------------------------------------------------------- anchors
def _calculate_scale(min_scale, max_scale, stride_index, num_strides):
    """ssd_anchors_calculator.cc CalculateScale (lines 41-49): float inputs, the expression is
    promoted to double by the `* 1.0`, the result returned as float."""
    if num_strides == 1:
        return F((min_scale + max_scale) * F(0.5))
    return F(np.float64(min_scale)
             + np.float64(F(max_scale - min_scale)) * 1.0 * stride_index / (num_strides - 1.0))


def ssd_anchors(o=ANCHORS):
    """SsdAnchorsCalculator::GenerateAnchors (ssd_anchors_calculator.cc lines 248-363), the
    non-multiscale branch. Returns float32 (N, 4) as [y_center, x_center, h, w], normalised."""
    out = []
    strides = o["strides"]
    layer_id = 0
    while layer_id < o["num_layers"]:
        heights, widths, ratios, scales = [], [], [], []
        last = layer_id
        while last < len(strides) and strides[last] == strides[layer_id]:  # lines 281-316
            scale = _calculate_scale(o["min_scale"], o["max_scale"], last, len(strides))
            if last == 0 and o["reduce_boxes_in_lowest_layer"]:  # lines 288-296
                ratios += [F(1.0), F(2.0), F(0.5)]
                scales += [F(0.1), scale, scale]
            else:
                for r in o["aspect_ratios"]:  # lines 298-303
                    ratios.append(r)
                    scales.append(scale)
                if o["interpolated_scale_aspect_ratio"] > 0.0:  # lines 304-313
                    nxt = F(1.0) if last == len(strides) - 1 else _calculate_scale(
                        o["min_scale"], o["max_scale"], last + 1, len(strides))
                    scales.append(F(np.sqrt(F(scale * nxt))))
                    ratios.append(o["interpolated_scale_aspect_ratio"])
            last += 1
        for r, s in zip(ratios, scales):  # lines 318-322
            rs = F(np.sqrt(r))
            heights.append(F(s / rs))
            widths.append(F(s * rs))
        stride = strides[layer_id]  # lines 329-334
        fh = int(np.ceil(F(1.0) * F(o["input_size_height"]) / F(stride)))
        fw = int(np.ceil(F(1.0) * F(o["input_size_width"]) / F(stride)))
        for y in range(fh):  # lines 336-359
            for x in range(fw):
                for k in range(len(heights)):
                    xc = F(F(F(x) + o["anchor_offset_x"]) * F(1.0) / F(fw))
                    yc = F(F(F(y) + o["anchor_offset_y"]) * F(1.0) / F(fh))
                    if o["fixed_anchor_size"]:
                        out.append((yc, xc, F(1.0), F(1.0)))
                    else:
                        out.append((yc, xc, heights[k], widths[k]))
        layer_id = last
    return np.array(out, dtype=F)


# ---------------------------------------------------------------- decoding and scores
def decode_boxes(raw_boxes, anchors, o=DECODE):
    """TensorsToDetectionsCalculator::DecodeBoxes (tensors_to_detections_calculator.cc lines
    725-787): raw (N, 4) as [y_center, x_center, h, w] (reverse_output_order false) ->
    float32 (N, 4) [ymin, xmin, ymax, xmax], normalised to the 300x300 input."""
    raw = raw_boxes.reshape(-1, o["num_coords"]).astype(F)
    ay, ax, ah, aw = anchors[:, 0], anchors[:, 1], anchors[:, 2], anchors[:, 3]
    yc, xc, h, w = raw[:, 0], raw[:, 1], raw[:, 2], raw[:, 3]
    xc = (xc / o["x_scale"]) * aw + ax
    yc = (yc / o["y_scale"]) * ah + ay
    if o["apply_exponential_on_box_size"]:
        h = np.exp(h / o["h_scale"]) * ah
        w = np.exp(w / o["w_scale"]) * aw
    else:
        h = h / o["h_scale"] * ah
        w = w / o["w_scale"] * aw
    half = F(2.0)
    return np.stack([yc - h / half, xc - w / half, yc + h / half, xc + w / half], axis=1).astype(F)


def best_scores(raw_scores, o=DECODE):
    """TensorsToDetectionsCalculator::ProcessCPU (lines 373-403): per box, the highest
    sigmoid(score) over the classes that IsClassIndexAllowed (lines 1315-1324; ignore_classes
    {0}: the background column is skipped), first class on ties (strict `max_score < score`)."""
    s = raw_scores.reshape(-1, o["num_classes"]).astype(F)
    if o["sigmoid_score"]:
        if o["score_clipping_thresh"] is not None:
            s = np.clip(s, -o["score_clipping_thresh"], o["score_clipping_thresh"])
        s = (F(1.0) / (F(1.0) + np.exp(-s))).astype(F)
    allowed = np.array([c not in o["ignore_classes"] for c in range(o["num_classes"])])
    masked = np.where(allowed[None, :], s, F(-np.finfo(F).max))
    cls = np.argmax(masked, axis=1)  # argmax returns the first maximum
    return masked[np.arange(len(cls)), cls], cls, s


def to_detections(boxes, scores, classes, o=DECODE):
    """TensorsToDetectionsCalculator::ConvertToDetections / ConvertToDetection (lines 789-856):
    keeps boxes in index order with score >= min_score_thresh, a non-ignored class, and
    non-negative, non-NaN width and height; a detection is xmin, ymin, width, height (relative)."""
    dets = []
    for i in range(len(scores)):
        if o["max_results"] > 0 and len(dets) == o["max_results"]:
            break
        if o["min_score_thresh"] is not None and scores[i] < o["min_score_thresh"]:
            continue
        if classes[i] in o["ignore_classes"]:
            continue
        ymin, xmin, ymax, xmax = boxes[i]
        width, height = F(xmax - xmin), F(ymax - ymin)
        if width < 0 or height < 0 or np.isnan(width) or np.isnan(height):
            continue
        dets.append(dict(anchor=i, class_id=int(classes[i]), score=F(scores[i]),
                         xmin=F(xmin), ymin=F(ymin), width=width, height=height))
    return dets


# ---------------------------------------------------------------- non-maximum suppression
def _rect(d):
    """Location::GetRelativeBBox (location.cc lines 420-424) -> Rectangle_f(x, y, w, h), whose
    max corner is (x + w, y + h) in float (rectangle.h Set, lines 229-233)."""
    return (d["xmin"], d["ymin"], F(d["xmin"] + d["width"]), F(d["ymin"] + d["height"]))


def overlap_similarity(r1, r2, overlap_type="INTERSECTION_OVER_UNION"):
    """non_max_suppression_calculator.cc OverlapSimilarity (lines 78-98), with Rectangle_f's
    IsEmpty, Intersects, Intersect, Union and Area (rectangle.h lines 64, 77, 284-305)."""
    def empty(r):
        return r[0] > r[2] or r[1] > r[3]

    def area(r):
        return F(F(r[2] - r[0]) * F(r[3] - r[1]))

    if empty(r1) or empty(r2) or r2[2] < r1[0] or r1[2] < r2[0] or r2[3] < r1[1] or r1[3] < r2[1]:
        return F(0.0)
    ix0, iy0 = max(r1[0], r2[0]), max(r1[1], r2[1])
    ix1, iy1 = min(r1[2], r2[2]), min(r1[3], r2[3])
    inter = area((ix0, iy0, ix1, iy1)) if not (ix0 > ix1 or iy0 > iy1) else F(0.0)
    if overlap_type == "JACCARD":
        norm = area((min(r1[0], r2[0]), min(r1[1], r2[1]), max(r1[2], r2[2]), max(r1[3], r2[3])))
    elif overlap_type == "MODIFIED_JACCARD":
        norm = area(r2)
    elif overlap_type == "INTERSECTION_OVER_UNION":
        norm = F(F(area(r1) + area(r2)) - inter)
    else:
        raise ValueError(overlap_type)
    return F(inter / norm) if norm > 0 else F(0.0)


def non_max_suppression(dets, o=NMS):
    """NonMaxSuppressionCalculator::Process + NonMaxSuppression (DEFAULT algorithm,
    non_max_suppression_calculator.cc lines 183-293). Class-agnostic: all detections together,
    by decreasing score; a detection is dropped when its overlap with an already kept one is
    > min_suppression_threshold; at most max_num_detections are kept. The C++ sorts with
    std::sort (not stable); equal scores are kept here in input (anchor) order."""
    order = sorted(range(len(dets)), key=lambda k: (-float(dets[k]["score"]), k))
    limit = o["max_num_detections"] if o["max_num_detections"] > -1 else len(dets)
    kept, rects = [], []
    for k in order:
        d = dets[k]
        if o["min_score_threshold"] > 0 and d["score"] < o["min_score_threshold"]:
            break
        r = _rect(d)
        if not any(overlap_similarity(q, r, o["overlap_type"]) > o["min_suppression_threshold"]
                   for q in rects):
            kept.append(d)
            rects.append(r)
        if len(kept) >= limit:
            break
    return kept


# ---------------------------------------------------------------- whole pipeline
def postprocess(raw_boxes, raw_scores, image_w, image_h, anchors=None, labels=LABELS):
    """Raw model outputs -> MediaPipe's final detections, with the label text
    (DetectionLabelIdToTextCalculator) and the box in pixels of the original image: the
    relative box times the image size (no letterbox since keep_aspect_ratio is false; MediaPipe
    itself hands out the relative box and clips nothing, nor does this)."""
    anchors = ssd_anchors() if anchors is None else anchors
    boxes = decode_boxes(raw_boxes, anchors)
    scores, classes, _ = best_scores(raw_scores)
    dets = non_max_suppression(to_detections(boxes, scores, classes))
    out = []
    for d in dets:
        x1, y1 = float(d["xmin"]) * image_w, float(d["ymin"]) * image_h
        x2 = float(F(d["xmin"] + d["width"])) * image_w
        y2 = float(F(d["ymin"] + d["height"])) * image_h
        out.append(dict(label=labels[d["class_id"]], class_index=d["class_id"],
                        score=float(d["score"]), box=[x1, y1, x2, y2], anchor=d["anchor"],
                        relative=dict(xmin=float(d["xmin"]), ymin=float(d["ymin"]),
                                      width=float(d["width"]), height=float(d["height"]))))
    return out


def default_model():
    env = os.environ.get("OBJECTS_V2_MODEL")
    if env:
        return Path(env)
    return (Path(__file__).resolve().parents[2] / "target" / "objects-v2"
            / "object_detection_ssd_mobilenetv2_oidv4_fp16.tflite")


def main(argv):
    if not argv:
        sys.exit(__doc__)
    if argv[0] == "--check":
        bad = 0
        for path in argv[1:]:
            rgb = load_rgb(path)
            a, b = preprocess(rgb), preprocess_numpy(rgb)
            same = np.array_equal(a, b)
            bad += not same
            print(f"{path}: {rgb.shape[1]}x{rgb.shape[0]} cv2.warpPerspective "
                  f"{'==' if same else '!='} integer port (max |diff| {np.abs(a - b).max()}); "
                  f"vs cv2.resize INTER_LINEAR max |diff| "
                  f"{np.abs(a - _value_range(cv2.resize(rgb, (INPUT_W, INPUT_H)))[None]).max():.4f}")
        sys.exit(1 if bad else 0)
    from tflite_numpy import Interpreter, Model
    model = Model(default_model())
    interp = Interpreter(model)
    for path in argv:
        rgb = load_rgb(path)
        vals = interp.run(preprocess(rgb))
        boxes, scores = (vals[k] for k in model.outputs)
        print(path)
        for d in postprocess(boxes, scores, rgb.shape[1], rgb.shape[0]):
            print(f"  {d['label']:<18} {d['score']:.3f}  [{', '.join(f'{v:.1f}' for v in d['box'])}]")


if __name__ == "__main__":
    main(sys.argv[1:])
