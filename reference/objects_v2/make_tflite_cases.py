"""Small .tflite files for LayerLens's Java tests, with what the NumPy interpreter (tflite_numpy.py,
itself checked against LiteRT.js by test_ops.py) computes on them.

  /usr/bin/python3 reference/objects_v2/make_tflite_cases.py OUTDIR

Writes (the committed copy is engine/src/test/resources/tflite; .ci/run regenerates it and compares)
  ops/<name>.tflite, .input.npy, .expected.npy   one- or few-operator graphs, random float32 input
  cases.json                                       per case: file, input, expected output, or the words
                                                   LayerLens's refusal must contain
  warp/warps.json, warp/*.npy                      small random uint8 images and sample photos, and
                                                   MediaPipe's warp of them (cv2.warpPerspective as
                                                   ImageToTensorCalculator sets it up) to various sizes
  tiny-ssd.tflite                                  an SSD with objects-v2's head layout (300x300 input,
                                                   19x19x3 ... 1x1x6 anchors) and 4-channel layers, named like
                                                   the real model's TF scopes (';'-joined fused names,
                                                   BatchNorm scopes), float16 weights behind DEQUANTIZE
  tiny-ssd/<tensor index>.npy                      every tensor it computes on sample-images/chair.png
                                                   (MediaPipe's preprocessing), and tiny-ssd/index.json
Everything is seeded: the files are the same bytes on every run (the .npy values may differ in
their last digits between CPUs, so .ci/run compares them with a tolerance).
"""
import json
import struct
import sys
from pathlib import Path

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import postprocess as P  # noqa: E402
from test_ops import OPS, Writer, build, cases  # noqa: E402
from tflite_numpy import Interpreter, Model  # noqa: E402

CODES = dict(OPS)
CODES.update({"RESIZE_BILINEAR": (23, 15), "SQUEEZE": (43, 30), "RELU": (19, 0)})
TYPES = {"float32": 0, "float16": 1, "int32": 2, "uint8": 3}


def graph(tensors, ops, inputs, outputs, description="layerlens test"):
    """A one-subgraph model. tensors: (name, shape, dtype name, data array or None, quant or None);
    ops: (operator name, input indices, output indices, option slots {slot: (fmt, value)}, a function of
    the writer giving them, or None)."""
    w = Writer()
    kinds = []
    for op in ops:
        if op[0] not in kinds:
            kinds.append(op[0])
    buffers = [lambda: w.table({})]
    buffer_of = {}
    for k, t in enumerate(tensors):
        if t[3] is not None:
            buffer_of[k] = len(buffers)
            buffers.append((lambda d: lambda: w.table({0: ("obj", lambda: w.bytes_vector(d.tobytes()))}))(t[3]))

    def tensor(k, name, shape, dtype, data, quant):
        f = {0: ("obj", lambda: w.vector("i", list(shape))), 1: ("b", TYPES[dtype]),
             2: ("I", buffer_of.get(k, 0)), 3: ("obj", lambda: w.string(name))}
        if quant:
            f[4] = ("obj", lambda: w.table({2: ("obj", lambda: w.vector("f", quant[0])),
                                            3: ("obj", lambda: w.vector("q", quant[1], align=8))}))
        return lambda: w.table(f)

    def operator(kind, ins, outs, options):
        code, opt_type = CODES[kind]
        if callable(options):  # option tables with vectors need the writer
            options = options(w)
        f = {0: ("I", kinds.index(kind)), 1: ("obj", lambda: w.vector("i", ins)),
             2: ("obj", lambda: w.vector("i", outs))}
        if opt_type and options is not None:
            f[3] = ("B", opt_type)
            f[4] = ("obj", lambda: w.table(options))
        return lambda: w.table(f)

    def subgraph():
        return w.table({0: ("obj", lambda: w.tables([tensor(k, *t) for k, t in enumerate(tensors)])),
                        1: ("obj", lambda: w.vector("i", inputs)),
                        2: ("obj", lambda: w.vector("i", outputs)),
                        3: ("obj", lambda: w.tables([operator(*op) for op in ops])),
                        4: ("obj", lambda: w.string("main"))})

    def model():
        codes = [(lambda c: lambda: w.table({0: ("b", min(c, 127)), 2: ("i", 1), 3: ("i", c)}))(CODES[k][0])
                 for k in kinds]
        return w.table({0: ("I", 3), 1: ("obj", lambda: w.tables(codes)),
                        2: ("obj", lambda: w.tables([subgraph])), 3: ("obj", lambda: w.string(description)),
                        4: ("obj", lambda: w.tables(buffers))})

    return w.finish(model)


SAME, VALID, NONE, RELU, RELU6 = 0, 1, 0, 1, 3


def conv_opts(pad, s, act):
    return {0: ("b", pad), 1: ("i", s), 2: ("i", s), 3: ("b", act), 4: ("i", 1), 5: ("i", 1)}


def dw_opts(pad, s, act, m=1):
    return {0: ("b", pad), 1: ("i", s), 2: ("i", s), 3: ("i", m), 4: ("b", act), 5: ("i", 1), 6: ("i", 1)}


def extra_cases(rng):
    """Graphs of a few operators: what one-operator files cannot show (two computed inputs)."""
    f32 = np.float32
    x = lambda *s: rng.standard_normal(s).astype(f32)  # noqa: E731
    out = []
    # CONCATENATION of two computed maps along channels, and of two reshaped heads along the box axis
    t = [("input", [1, 5, 6, 3], "float32", None, None), ("a", [1, 5, 6, 3], "float32", None, None),
         ("b", [1, 5, 6, 3], "float32", None, None), ("output", [1, 5, 6, 6], "float32", None, None)]
    out.append(("CONCATENATION of two computed maps (axis -1)", t,
                [("RELU", [0], [1], None), ("RELU6", [0], [2], None),
                 ("CONCATENATION", [1, 2], [3], {0: ("i", -1), 1: ("b", NONE)})], [0], [3], None))
    t = [("input", [1, 4, 4, 8], "float32", None, None),
         ("w1", [8, 1, 1, 8], "float32", x(8, 1, 1, 8), None), ("b1", [8], "float32", x(8), None),
         ("head1", [1, 4, 4, 8], "float32", None, None), ("shape", [4], "int32", np.array([1, -1, 1, 4], np.int32), None),
         ("r1", [1, 32, 1, 4], "float32", None, None),
         ("pooled", [1, 2, 2, 8], "float32", None, None), ("r2", [1, 8, 1, 4], "float32", None, None),
         ("output", [1, 40, 1, 4], "float32", None, None)]
    out.append(("CONCATENATION of reshaped maps (axis 1), as SSD heads", t,
                [("CONV_2D", [0, 1, 2], [3], conv_opts(SAME, 1, NONE)), ("RESHAPE", [3, 4], [5], {}),
                 ("MAX_POOL_2D", [3], [6], {0: ("b", VALID), 1: ("i", 2), 2: ("i", 2), 3: ("i", 2), 4: ("i", 2), 5: ("b", NONE)}),
                 ("RESHAPE", [6, 4], [7], {}),
                 ("CONCATENATION", [5, 7], [8], {0: ("i", 1), 1: ("b", NONE)})], [0], [8], None))
    # an inverted residual: expand, depthwise (multiplier 0: implied), project, ADD with fused RELU6
    t = [("input", [1, 7, 7, 4], "float32", None, None),
         ("we", [12, 1, 1, 4], "float32", x(12, 1, 1, 4), None), ("be", [12], "float32", x(12), None),
         ("expand", [1, 7, 7, 12], "float32", None, None),
         ("wd", [1, 3, 3, 12], "float32", x(1, 3, 3, 12), None), ("bd", [12], "float32", x(12), None),
         ("depthwise", [1, 7, 7, 12], "float32", None, None),
         ("wp", [4, 1, 1, 12], "float32", x(4, 1, 1, 12), None), ("bp", [4], "float32", x(4), None),
         ("project", [1, 7, 7, 4], "float32", None, None), ("output", [1, 7, 7, 4], "float32", None, None)]
    out.append(("inverted residual, ADD of two computed maps with RELU6", t,
                [("CONV_2D", [0, 1, 2], [3], conv_opts(SAME, 1, RELU6)),
                 ("DEPTHWISE_CONV_2D", [3, 4, 5], [6], dw_opts(SAME, 1, RELU6, 0)),
                 ("CONV_2D", [6, 7, 8], [9], conv_opts(SAME, 1, NONE)),
                 ("ADD", [9, 0], [10], {0: ("b", RELU6)})], [0], [10], None))
    # a MobileNet classifier's tail: AVERAGE_POOL_2D, 1x1 CONV_2D, SQUEEZE, SOFTMAX
    t = [("input", [1, 7, 7, 16], "float32", None, None), ("pool", [1, 1, 1, 16], "float32", None, None),
         ("wl", [10, 1, 1, 16], "float32", x(10, 1, 1, 16), None), ("bl", [10], "float32", x(10), None),
         ("logits", [1, 1, 1, 10], "float32", None, None), ("squeezed", [1, 10], "float32", None, None),
         ("output", [1, 10], "float32", None, None)]
    out.append(("classifier tail: AVERAGE_POOL_2D, CONV_2D, SQUEEZE, SOFTMAX", t,
                [("AVERAGE_POOL_2D", [0], [1], {0: ("b", VALID), 1: ("i", 2), 2: ("i", 2), 3: ("i", 7), 4: ("i", 7), 5: ("b", NONE)}),
                 ("CONV_2D", [1, 2, 3], [4], conv_opts(VALID, 1, NONE)),
                 ("SQUEEZE", [4], [5], lambda w: {0: ("obj", lambda: w.vector("i", [1, 2]))}),
                 ("SOFTMAX", [5], [6], {0: ("f", 1.0)})], [0], [6], None))
    return out


def refusals(rng):
    """Files LayerLens must refuse, with words its one-line message must contain."""
    out = []
    t = [("input", [1, 4, 4, 3], "uint8", None, ([0.5], [128])), ("w", [2, 1, 1, 3], "uint8",
         np.full((2, 1, 1, 3), 130, np.uint8), ([0.01], [128])), ("output", [1, 4, 4, 2], "uint8", None, ([0.1], [0]))]
    out.append(("quantised uint8 model", t, [("CONV_2D", [0, 1], [2], conv_opts(SAME, 1, NONE))], [0], [2],
                "quantised"))
    t = [("input", [1, 4, 4, 3], "float32", None, None), ("size", [2], "int32", np.array([8, 8], np.int32), None),
         ("output", [1, 8, 8, 3], "float32", None, None)]
    out.append(("RESIZE_BILINEAR", t, [("RESIZE_BILINEAR", [0, 1], [2], {})], [0], [2],
                'op 0 RESIZE_BILINEAR (output "output")'))
    t = [("input", [1, 3, 4], "float32", None, None), ("a", [1, 3, 4], "float32", None, None),
         ("output", [1, 3, 8], "float32", None, None)]
    out.append(("CONCATENATION with fused RELU", t,
                [("RELU6", [0], [1], None), ("CONCATENATION", [0, 1], [2], {0: ("i", -1), 1: ("b", RELU)})],
                [0], [2], "fused RELU"))
    return out


def tiny_ssd(rng, classes=3):
    """objects-v2's head layout with 4-channel layers and the real model's naming habits."""
    tensors, ops = [], []

    def add(name, shape, dtype="float32", data=None):
        tensors.append((name, list(shape), dtype, data, None))
        return len(tensors) - 1

    def weights(name, shape):
        half = add(name + "/weights_fp16", shape, "float16", (rng.standard_normal(shape) * 0.5).astype(np.float16))
        full = add(name + "/weights", shape)
        ops.append(("DEQUANTIZE", [half], [full], None))
        return full

    def conv(x, name, cin, cout, k, s, act, depthwise=False):
        w = weights(name, (1, k, k, cout) if depthwise else (cout, k, k, cin))
        b = add(name + "/biases", (cout,), data=(rng.standard_normal(cout) * 0.1).astype(np.float32))
        h = tensors[x][1][1]
        o = (h + s - 1) // s
        y = add(name, (1, o, o, cout))
        if depthwise:
            ops.append(("DEPTHWISE_CONV_2D", [x, w, b], [y], dw_opts(SAME, s, act)))
        else:
            ops.append(("CONV_2D", [x, w, b], [y], conv_opts(SAME, s, act)))
        return y

    inp = add("normalized_input_image_tensor", (1, 300, 300, 3))
    fe = "FeatureExtractor/MobilenetV2/"
    c0 = conv(inp, fe + "Conv/Relu6;" + fe + "Conv/BatchNorm/FusedBatchNormV3;" + fe + "expanded_conv_5/project/Conv2D",
              3, 4, 3, 16, RELU6)
    d = conv(c0, fe + "expanded_conv/depthwise/Relu6;" + fe + "expanded_conv/depthwise/BatchNorm/FusedBatchNormV3",
             4, 4, 3, 1, RELU6, depthwise=True)
    p = conv(d, fe + "expanded_conv/project/BatchNorm/FusedBatchNormV3;" + fe + "expanded_conv/project/Conv2D1",
             4, 4, 1, 1, NONE)
    src = add(fe + "expanded_conv/add", (1, 19, 19, 4))
    ops.append(("ADD", [p, c0], [src], {0: ("b", NONE)}))
    sources = [src]
    x = src
    for k, size in enumerate([10, 5, 3, 2, 1]):
        e = conv(x, fe + f"layer_19_1_Conv2d_{k + 2}_1x1_4/Relu6", 4, 4, 1, 1, RELU6)
        x = conv(e, fe + f"layer_19_2_Conv2d_{k + 2}_3x3_s2_4/Relu6;" + fe
                 + f"layer_19_2_Conv2d_{k + 2}_3x3_s2_4/BatchNorm/FusedBatchNormV3", 4, 4, 3, 2, RELU6)
        sources.append(x)
    box_shape = add("BoxPredictor_0/Reshape/shape", (4,), "int32", np.array([1, -1, 1, 4], np.int32))
    cls_shape = add("BoxPredictor_0/Reshape_1/shape", (3,), "int32", np.array([1, -1, classes], np.int32))
    boxes, scores = [], []
    for i, s in enumerate(sources):
        a = 3 if i == 0 else 6
        h = tensors[s][1][1]
        bp = f"BoxPredictor_{i}/"
        bm = conv(s, bp + "BoxEncodingPredictor/BiasAdd;" + bp + "BoxEncodingPredictor/Conv2D", 4, a * 4, 1, 1, NONE)
        cm = conv(s, bp + "ClassPredictor/BiasAdd;" + bp + "ClassPredictor/Conv2D", 4, a * classes, 1, 1, NONE)
        br = add(bp + "Reshape", (1, h * h * a, 1, 4))
        cr = add(bp + "Reshape_1", (1, h * h * a, classes))
        ops.append(("RESHAPE", [bm, box_shape], [br], {}))
        ops.append(("RESHAPE", [cm, cls_shape], [cr], {}))
        boxes.append(br)
        scores.append(cr)
    cat = add("concat", (1, 1917, 1, 4))
    ops.append(("CONCATENATION", boxes, [cat], {0: ("i", 1), 1: ("b", NONE)}))
    final_shape = add("raw_outputs/box_encodings/shape", (3,), "int32", np.array([1, 1917, 4], np.int32))
    out_boxes = add("raw_outputs/box_encodings", (1, 1917, 4))
    ops.append(("RESHAPE", [cat, final_shape], [out_boxes], {}))
    out_scores = add("raw_outputs/class_predictions", (1, 1917, classes))
    ops.append(("CONCATENATION", scores, [out_scores], {0: ("i", 1), 1: ("b", NONE)}))
    return graph(tensors, ops, [inp], [out_boxes, out_scores], "MLIR Converted.")


def warp(rgb, size_w, size_h):
    """ImageToTensorCalculator's OpenCV warp (postprocess.preprocess) for any output size."""
    h, w = rgb.shape[:2]
    src = cv2.boxPoints(((w / 2.0, h / 2.0), (float(w), float(h)), 0.0))
    dst = np.array([[0, size_h], [0, 0], [size_w, 0], [size_w, size_h]], np.float32)
    m = cv2.getPerspectiveTransform(src.astype(np.float32), dst)
    return cv2.warpPerspective(rgb, m, (size_w, size_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def slug(title):
    return "".join(c if c.isalnum() else "-" for c in title).strip("-").lower()[:60]


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    out = Path(argv[0])
    (out / "ops").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261201)
    manifest = []

    def emit(title, data, x):
        name = slug(title)
        (out / "ops" / f"{name}.tflite").write_bytes(data)
        np.save(out / "ops" / f"{name}.input.npy", x)
        model = Model(out / "ops" / f"{name}.tflite")
        y = Interpreter(model).run(x)[model.outputs[0]]
        np.save(out / "ops" / f"{name}.expected.npy", y.astype(np.float32))
        manifest.append(dict(title=title, file=f"ops/{name}.tflite", input=f"ops/{name}.input.npy",
                             expected=f"ops/{name}.expected.npy"))

    for title, op, version, in_shape, consts, out_shape, opts in cases(rng):
        if op == "DEQUANTIZE":
            continue  # the folding of float16 weights is in every other case and in tiny-ssd
        data = build(op, version, in_shape, consts, out_shape, opts, const_first="const first" in title)
        x = (rng.standard_normal(in_shape) * 3).astype(np.float32)
        if op in ("MUL", "CONCATENATION"):
            # a constant as data: LayerLens refuses it (one line naming the operator)
            name = slug(title)
            (out / "ops" / f"{name}.tflite").write_bytes(data)
            manifest.append(dict(title=title, file=f"ops/{name}.tflite",
                                 refuse="MUL" if op == "MUL" else "reads the constant"))
            continue
        emit(title, data, x)
    for title, tensors, ops, ins, outs, _ in extra_cases(rng):
        x = (rng.standard_normal(tensors[ins[0]][1]) * 3).astype(np.float32)
        emit(title, graph(tensors, ops, ins, outs), x)
    for title, tensors, ops, ins, outs, words in refusals(rng):
        name = slug(title)
        (out / "ops" / f"{name}.tflite").write_bytes(graph(tensors, ops, ins, outs))
        manifest.append(dict(title=title, file=f"ops/{name}.tflite", refuse=words))
    (out / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")

    (out / "warp").mkdir(exist_ok=True)
    warps = []
    for k, (h, w, oh, ow) in enumerate([(1, 1, 7, 5), (5, 7, 16, 16), (37, 23, 30, 41), (9, 300, 20, 24)]):
        img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        np.save(out / "warp" / f"random{k}.npy", img)
        np.save(out / "warp" / f"random{k}.warped.npy", warp(img, ow, oh))
        warps.append(dict(source=f"warp/random{k}.npy", warped=f"warp/random{k}.warped.npy"))
    for name, oh, ow in [("chair.png", 300, 300), ("faust_github.jpg", 37, 37), ("scenetext01.jpg", 30, 41)]:
        rgb = P.load_rgb(HERE.parents[1] / "sample-images" / name)
        stem = Path(name).stem
        np.save(out / "warp" / f"{stem}.warped.npy", warp(rgb, ow, oh))
        warps.append(dict(source=f"sample-images/{name}", warped=f"warp/{stem}.warped.npy"))
    (out / "warp" / "warps.json").write_text(json.dumps(warps, indent=1) + "\n")

    tiny = tiny_ssd(rng)
    (out / "tiny-ssd.tflite").write_bytes(tiny)
    model = Model(out / "tiny-ssd.tflite")
    rgb = P.load_rgb(HERE.parents[1] / "sample-images" / "chair.png")
    vals = Interpreter(model).run(P.preprocess(rgb))
    (out / "tiny-ssd").mkdir(exist_ok=True)
    index = {}
    for op in model.ops:
        if op.name == "DEQUANTIZE":
            continue
        k = op.outputs[0]
        np.save(out / "tiny-ssd" / f"{k}.npy", vals[k].astype(np.float32))
        index[str(k)] = dict(name=model.tensors[k].name.split(";")[0], op=op.name, shape=list(vals[k].shape))
    (out / "tiny-ssd" / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    print(f"{len(manifest)} cases, {len(warps)} warps, tiny-ssd ({len(tiny)} bytes, {len(index)} tensors) -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
