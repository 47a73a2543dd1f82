"""Checks tflite_numpy's kernels one operator at a time against LiteRT.js, including the operators
and options that the objects-v2 graph does not use (odd SAME padding, strides, dilation, depth
multiplier, pools, MEAN, FULLY_CONNECTED, PAD, SOFTMAX, LOGISTIC, broadcasting ADD, ...).

Each case is a one-operator .tflite written here by a small FlatBuffer writer (schema v3 tables:
Model, OperatorCode, SubGraph, Tensor, Operator, Buffer and the option tables), run by both
interpreters on random input; they must agree within 1e-5 * max(1, max |NumPy|).

  (cd reference/objects_v2 && npm ci) && /usr/bin/python3 reference/objects_v2/test_ops.py
"""
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from tflite_numpy import Interpreter, Model  # noqa: E402


class Writer:
    """Front-to-back FlatBuffer writer: every table's vtable is written just before it and its
    children after it, so that every uoffset points forward, as FlatBuffers requires."""

    def __init__(self):
        self.b = bytearray(b"\0" * 8)  # root uoffset, file identifier

    def _align(self, n):
        while len(self.b) % n:
            self.b.append(0)

    def _patch(self, field_pos, target):
        struct.pack_into("<I", self.b, field_pos, target - field_pos)

    def table(self, fields):
        """fields: {slot: ('b'|'B'|'i'|'I'|'f', value) or ('obj', callable writing a child)}."""
        nslots = max(fields) + 1 if fields else 0
        layout, size = {}, 4
        for slot in sorted(fields):
            layout[slot] = size
            size += 4
        self._align(2)
        vt = len(self.b)
        self.b += struct.pack("<HH", 4 + 2 * nslots, size)
        for s in range(nslots):
            self.b += struct.pack("<H", layout.get(s, 0))
        self._align(4)
        t = len(self.b)
        self.b += struct.pack("<i", t - vt) + b"\0" * (size - 4)
        children = []
        for slot, (kind, value) in fields.items():
            p = t + layout[slot]
            if kind == "obj":
                children.append((p, value))
            else:
                struct.pack_into("<" + kind, self.b, p, value)
        for p, write in children:
            self._patch(p, write())
        return t

    def vector(self, fmt, values, align=4):
        self._align(4)
        while (len(self.b) + 4) % align:
            self.b.append(0)
        p = len(self.b)
        self.b += struct.pack("<I", len(values))
        self.b += b"".join(struct.pack("<" + fmt, v) for v in values)
        return p

    def bytes_vector(self, data):
        self._align(4)
        while (len(self.b) + 4) % 16:
            self.b.append(0)
        p = len(self.b)
        self.b += struct.pack("<I", len(data)) + data
        return p

    def string(self, s):
        self._align(4)
        p = len(self.b)
        self.b += struct.pack("<I", len(s)) + s.encode() + b"\0"
        return p

    def tables(self, writers):
        self._align(4)
        p = len(self.b)
        self.b += struct.pack("<I", len(writers)) + b"\0" * (4 * len(writers))
        for k, write in enumerate(writers):
            self._patch(p + 4 + 4 * k, write())
        return p

    def finish(self, root_write):
        self.b[4:8] = b"TFL3"
        self._patch(0, root_write())
        return bytes(self.b)


OPS = {"ADD": (0, 11), "AVERAGE_POOL_2D": (1, 5), "CONCATENATION": (2, 10), "CONV_2D": (3, 1),
       "DEPTHWISE_CONV_2D": (4, 2), "DEQUANTIZE": (6, 0), "FULLY_CONNECTED": (9, 8),
       "LOGISTIC": (14, 0), "MAX_POOL_2D": (17, 5), "RESHAPE": (22, 17), "SOFTMAX": (25, 9),
       "PAD": (34, 22), "MEAN": (40, 27), "RELU6": (21, 0), "MUL": (18, 21)}
TYPES = {np.dtype("float32"): 0, np.dtype("float16"): 1, np.dtype("int32"): 2}


def build(op, version, input_shape, consts, out_shape, options, const_first=False):
    """One-operator model: input tensor 0 (float32), constants 1.. , output last.
    consts: list of np arrays; options: {slot: (fmt, value)} of the op's option table."""
    tensors = [("input", list(input_shape), 0, None)]
    for k, c in enumerate(consts):
        tensors.append((f"const{k}", list(c.shape), TYPES[c.dtype], c))
    tensors.append(("output", list(out_shape), 0, None))
    code, opt_type = OPS[op]
    ins = list(range(len(tensors) - 1))
    if const_first:
        ins = ins[1:] + ins[:1]
    w = Writer()

    def tensor(k, name, shape, ttype, data):
        return lambda: w.table({0: ("obj", lambda: w.vector("i", shape)), 1: ("b", ttype),
                                2: ("I", k if data is not None else 0),
                                3: ("obj", lambda: w.string(name))})

    def operator():
        f = {0: ("I", 0), 1: ("obj", lambda: w.vector("i", ins)),
             2: ("obj", lambda: w.vector("i", [len(tensors) - 1]))}
        if opt_type:
            f[3] = ("B", opt_type)
            f[4] = ("obj", lambda: w.table(options))
        return w.table(f)

    def subgraph():
        return w.table({0: ("obj", lambda: w.tables([tensor(k, *t) for k, t in enumerate(tensors)])),
                        1: ("obj", lambda: w.vector("i", [0])),
                        2: ("obj", lambda: w.vector("i", [len(tensors) - 1])),
                        3: ("obj", lambda: w.tables([operator])),
                        4: ("obj", lambda: w.string("main"))})

    buffers = [lambda: w.table({})]
    for _, _, _, data in tensors:
        if data is not None:
            buffers.append((lambda d: lambda: w.table({0: ("obj", lambda: w.bytes_vector(d.tobytes()))}))(data))

    def model():
        return w.table({0: ("I", 3),
                        1: ("obj", lambda: w.tables([lambda: w.table(
                            {0: ("b", min(code, 127)), 2: ("i", version), 3: ("i", code)})])),
                        2: ("obj", lambda: w.tables([subgraph])),
                        3: ("obj", lambda: w.string("test_ops")),
                        4: ("obj", lambda: w.tables(buffers))})

    return w.finish(model)


def cases(rng):
    f32 = np.float32
    x = lambda *s: rng.standard_normal(s).astype(f32)  # noqa: E731
    SAME, VALID, NONE, RELU, RELU6 = 0, 1, 0, 1, 3
    conv = lambda pad, sw, sh, act, dw=1, dh=1: {0: ("b", pad), 1: ("i", sw), 2: ("i", sh), 3: ("b", act), 4: ("i", dw), 5: ("i", dh)}  # noqa: E731
    dw_opt = lambda pad, s, m, act, d=1: {0: ("b", pad), 1: ("i", s), 2: ("i", s), 3: ("i", m), 4: ("b", act), 5: ("i", d), 6: ("i", d)}  # noqa: E731
    pool = lambda pad, s, k, act=NONE: {0: ("b", pad), 1: ("i", s), 2: ("i", s), 3: ("i", k), 4: ("i", k), 5: ("b", act)}  # noqa: E731
    yield "CONV_2D 3x3 s2 SAME odd (7x9), RELU6", "CONV_2D", 1, (1, 7, 9, 3), [x(4, 3, 3, 3), x(4)], (1, 4, 5, 4), conv(SAME, 2, 2, RELU6)
    yield "CONV_2D 3x3 s2 SAME even (8x8)", "CONV_2D", 1, (1, 8, 8, 3), [x(5, 3, 3, 3), x(5)], (1, 4, 4, 5), conv(SAME, 2, 2, NONE)
    yield "CONV_2D 3x2 s(1,2) VALID, RELU", "CONV_2D", 1, (1, 6, 7, 2), [x(3, 3, 2, 2), x(3)], (1, 4, 3, 3), conv(VALID, 2, 1, RELU)
    yield "CONV_2D 1x1", "CONV_2D", 1, (1, 5, 5, 8), [x(6, 1, 1, 8), x(6)], (1, 5, 5, 6), conv(SAME, 1, 1, NONE)
    yield "CONV_2D 3x3 dilation 2 SAME", "CONV_2D", 2, (1, 9, 9, 2), [x(3, 3, 3, 2), x(3)], (1, 9, 9, 3), conv(SAME, 1, 1, NONE, 2, 2)
    yield "DEPTHWISE 3x3 s1 SAME RELU6", "DEPTHWISE_CONV_2D", 1, (1, 6, 6, 4), [x(1, 3, 3, 4), x(4)], (1, 6, 6, 4), dw_opt(SAME, 1, 1, RELU6)
    yield "DEPTHWISE 3x3 s2 SAME odd, multiplier 2", "DEPTHWISE_CONV_2D", 1, (1, 7, 7, 3), [x(1, 3, 3, 6), x(6)], (1, 4, 4, 6), dw_opt(SAME, 2, 2, NONE)
    yield "DEPTHWISE 3x3 VALID dilation 2", "DEPTHWISE_CONV_2D", 2, (1, 8, 8, 2), [x(1, 3, 3, 2), x(2)], (1, 4, 4, 2), dw_opt(VALID, 1, 1, NONE, 2)
    yield "AVERAGE_POOL_2D 3x3 s2 SAME (edge counts)", "AVERAGE_POOL_2D", 1, (1, 7, 8, 3), [], (1, 4, 4, 3), pool(SAME, 2, 3)
    yield "AVERAGE_POOL_2D 2x2 VALID RELU6", "AVERAGE_POOL_2D", 1, (1, 6, 6, 2), [], (1, 3, 3, 2), pool(VALID, 2, 2, RELU6)
    yield "MAX_POOL_2D 3x3 s2 SAME", "MAX_POOL_2D", 1, (1, 7, 7, 2), [], (1, 4, 4, 2), pool(SAME, 2, 3)
    yield "MEAN over H,W keep_dims", "MEAN", 1, (1, 5, 6, 4), [np.array([1, 2], np.int32)], (1, 1, 1, 4), {0: ("B", 1)}
    yield "MEAN over H,W", "MEAN", 1, (1, 5, 6, 4), [np.array([1, 2], np.int32)], (1, 4), {0: ("B", 0)}
    yield "FULLY_CONNECTED RELU", "FULLY_CONNECTED", 1, (2, 10), [x(7, 10), x(7)], (2, 7), {0: ("b", RELU)}
    yield "FULLY_CONNECTED from 4-D", "FULLY_CONNECTED", 1, (1, 1, 1, 12), [x(5, 12), x(5)], (1, 5), {0: ("b", NONE)}
    yield "PAD", "PAD", 1, (1, 3, 4, 2), [np.array([[0, 0], [1, 2], [2, 1], [0, 0]], np.int32)], (1, 6, 7, 2), {}
    yield "SOFTMAX beta 1", "SOFTMAX", 1, (1, 20, 6), [], (1, 20, 6), {0: ("f", 1.0)}
    yield "SOFTMAX beta 0.5", "SOFTMAX", 1, (3, 11), [], (3, 11), {0: ("f", 0.5)}
    yield "LOGISTIC", "LOGISTIC", 1, (1, 50, 24), [], (1, 50, 24), {}
    yield "RELU6", "RELU6", 1, (1, 4, 4, 3), [], (1, 4, 4, 3), {}
    yield "ADD broadcast, RELU6", "ADD", 1, (1, 4, 5, 3), [x(3) * 4], (1, 4, 5, 3), {0: ("b", RELU6)}
    yield "MUL broadcast", "MUL", 1, (1, 4, 5, 3), [x(1, 1, 5, 1)], (1, 4, 5, 3), {0: ("b", NONE)}
    yield "CONCATENATION axis 1 (const first)", "CONCATENATION", 1, (1, 3, 4), [x(1, 2, 4)], (1, 5, 4), {0: ("i", 1), 1: ("b", NONE)}
    yield "CONCATENATION axis -1", "CONCATENATION", 1, (1, 3, 4), [x(1, 3, 2)], (1, 3, 6), {0: ("i", -1), 1: ("b", NONE)}
    yield "RESHAPE with shape tensor (-1)", "RESHAPE", 1, (1, 2, 3, 4), [np.array([1, -1, 4], np.int32)], (1, 6, 4), {}
    yield "DEQUANTIZE float16 (const input)", "DEQUANTIZE", 2, (1,), [], None, None


def main():
    if not (HERE / "node_modules" / "@litertjs" / "core").exists():
        sys.exit(f"LiteRT.js is not installed: (cd {HERE} && npm ci)")
    rng = np.random.default_rng(7)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for k, (title, op, version, in_shape, consts, out_shape, opts) in enumerate(cases(rng)):
            if op == "DEQUANTIZE":
                # float16 constant -> DEQUANTIZE -> ADD with the input: the graph shape of objects-v2
                half = rng.standard_normal((2, 3)).astype(np.float16)
                data = build_dequantize_add(half)
                in_shape = (2, 3)
            else:
                data = build(op, version, in_shape, consts, out_shape, opts,
                             const_first="const first" in title)
            mfile = tmp / f"case{k}.tflite"
            mfile.write_bytes(data)
            x = (rng.standard_normal(in_shape) * 3).astype(np.float32)
            np.save(tmp / f"x{k}.npy", x)
            model = Model(mfile)
            ref = Interpreter(model).run(x)[model.outputs[0]]
            r = subprocess.run(["node", str(HERE / "litert_run.cjs"), str(mfile), str(tmp / f"x{k}.npy"),
                                str(tmp / f"out{k}")], cwd=HERE, capture_output=True, text=True)
            if r.returncode != 0:
                print(f"FAIL {title}: LiteRT: {r.stderr.strip().splitlines()[-1:]}")
                failed += 1
                continue
            got = np.load(next((tmp / f"out{k}").glob("*.npy")))
            d = float(np.abs(got.astype(np.float64) - ref).max()) if got.shape == ref.shape else float("inf")
            tol = 1e-5 * max(1.0, float(np.abs(ref).max()))
            ok = d <= tol
            passed += ok
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {title}: shape {ref.shape}, max |diff| {d:.2e}")
    # TFLite's CONCATENATION kernel refuses a fused activation (LiteRT.js's XNNPACK path runs
    # such a model and ignores the activation); tflite_numpy refuses it too.
    data = build("CONCATENATION", 1, (1, 3, 4), [np.zeros((1, 3, 2), np.float32)], (1, 3, 6),
                 {0: ("i", -1), 1: ("b", 1)})
    with tempfile.NamedTemporaryFile(suffix=".tflite") as f:
        f.write(data)
        f.flush()
        try:
            Interpreter(Model(f.name)).run(np.zeros((1, 3, 4), np.float32))
            print("FAIL CONCATENATION with fused RELU: accepted")
            failed += 1
        except ValueError:
            print("ok   CONCATENATION with fused RELU: refused, as TFLite's kernel does")
            passed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def build_dequantize_add(half):
    """input (2,3) float32; const float16 (2,3) -> DEQUANTIZE -> t2; ADD(input, t2) -> output."""
    w = Writer()
    tensors = [("input", [2, 3], 0, 0), ("w16", [2, 3], 1, 1), ("w32", [2, 3], 0, 0), ("output", [2, 3], 0, 0)]

    def tensor(name, shape, ttype, buf):
        return lambda: w.table({0: ("obj", lambda: w.vector("i", shape)), 1: ("b", ttype),
                                2: ("I", buf), 3: ("obj", lambda: w.string(name))})

    def op(opcode, ins, outs, opt=None):
        def write():
            f = {0: ("I", opcode), 1: ("obj", lambda: w.vector("i", ins)),
                 2: ("obj", lambda: w.vector("i", outs))}
            if opt:
                f[3], f[4] = ("B", 11), ("obj", lambda: w.table({0: ("b", 0)}))
            return w.table(f)
        return write

    def subgraph():
        return w.table({0: ("obj", lambda: w.tables([tensor(*t) for t in tensors])),
                        1: ("obj", lambda: w.vector("i", [0])), 2: ("obj", lambda: w.vector("i", [3])),
                        3: ("obj", lambda: w.tables([op(0, [1], [2]), op(1, [0, 2], [3], True)]))})

    def model():
        codes = [lambda: w.table({0: ("b", 6), 2: ("i", 2), 3: ("i", 6)}),
                 lambda: w.table({0: ("b", 0), 2: ("i", 1), 3: ("i", 0)})]
        bufs = [lambda: w.table({}), lambda: w.table({0: ("obj", lambda: w.bytes_vector(half.tobytes()))})]
        return w.table({0: ("I", 3), 1: ("obj", lambda: w.tables(codes)),
                        2: ("obj", lambda: w.tables([subgraph])), 4: ("obj", lambda: w.tables(bufs))})

    return w.finish(model)


if __name__ == "__main__":
    main()
