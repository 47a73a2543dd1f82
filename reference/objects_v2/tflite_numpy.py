"""An op-by-op NumPy interpreter for .tflite files, written from the TFLite operator semantics.

Independent of TensorFlow and of the flatbuffers runtime: the FlatBuffer is read with struct
(accessors for the few tables of schema v3 that a float model needs: Model, OperatorCode,
SubGraph, Tensor, Operator, Buffer and the builtin option tables below).

Semantics (TFLite's reference kernels):
  * layout NHWC; CONV_2D filters OHWI; DEPTHWISE_CONV_2D filters 1HW(I*M), output channel
    c*M+m reads input channel c (M = depth_multiplier); FULLY_CONNECTED weights [out, in];
  * SAME padding: out = ceil(in/stride), total = max((out-1)*stride + (k-1)*dilation + 1 - in, 0),
    top/left = total//2, the odd pixel goes to the bottom/right; VALID: no padding;
  * fused activations NONE, RELU, RELU_N1_TO_1, RELU6 (TANH too);
  * DEQUANTIZE of float16 -> float32 is exact; int8/uint8 DEQUANTIZE uses scale*(q-zero_point);
  * AVERAGE_POOL_2D divides by the number of in-bounds taps (padding is not counted).
Arithmetic: every value is stored as float32 (as TFLite does); sums of products (CONV_2D,
DEPTHWISE_CONV_2D, FULLY_CONNECTED, MEAN, AVERAGE_POOL_2D) are accumulated in float64 and the
result, bias included, rounded once to float32. Element-wise ops are computed in float32.

  python3 tflite_numpy.py MODEL.tflite [--summary] [--input X.npy --dump DIR]
"""
import json
import re
import struct
import sys
from pathlib import Path

import numpy as np

# enum BuiltinOperator (schema.fbs); only the names are needed for the ops handled and reported.
BUILTIN = {
    0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D",
    5: "DEPTH_TO_SPACE", 6: "DEQUANTIZE", 9: "FULLY_CONNECTED", 14: "LOGISTIC", 17: "MAX_POOL_2D",
    18: "MUL", 19: "RELU", 20: "RELU_N1_TO_1", 21: "RELU6", 22: "RESHAPE", 25: "SOFTMAX",
    28: "TANH", 32: "CUSTOM", 34: "PAD", 40: "MEAN", 41: "SUB", 43: "SQUEEZE",
}
# enum TensorType
DTYPES = {0: np.dtype("<f4"), 1: np.dtype("<f2"), 2: np.dtype("<i4"), 3: np.dtype("u1"),
          4: np.dtype("<i8"), 6: np.dtype("?"), 7: np.dtype("<i2"), 9: np.dtype("i1"),
          10: np.dtype("<f8")}
TYPE_NAMES = {0: "FLOAT32", 1: "FLOAT16", 2: "INT32", 3: "UINT8", 4: "INT64", 5: "STRING",
              6: "BOOL", 7: "INT16", 8: "COMPLEX64", 9: "INT8", 10: "FLOAT64"}
ACTIVATIONS = {0: "NONE", 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6", 4: "TANH", 5: "SIGN_BIT"}
PADDINGS = {0: "SAME", 1: "VALID"}


class _Buf:
    """Little-endian FlatBuffer reader: tables through their vtables, vectors, strings."""

    def __init__(self, data):
        self.b = data

    def u8(self, o): return self.b[o]
    def i8(self, o): return struct.unpack_from("<b", self.b, o)[0]
    def u16(self, o): return struct.unpack_from("<H", self.b, o)[0]
    def i32(self, o): return struct.unpack_from("<i", self.b, o)[0]
    def u32(self, o): return struct.unpack_from("<I", self.b, o)[0]
    def u64(self, o): return struct.unpack_from("<Q", self.b, o)[0]
    def f32(self, o): return struct.unpack_from("<f", self.b, o)[0]

    def root(self):
        return self.u32(0)

    def field(self, table, slot):
        """Absolute position of field `slot` of the table at `table`, or None when absent."""
        vt = table - self.i32(table)
        vt_len = self.u16(vt)
        if 4 + 2 * slot >= vt_len:
            return None
        off = self.u16(vt + 4 + 2 * slot)
        return table + off if off else None

    def deref(self, pos):
        return pos + self.u32(pos)

    def scalar(self, table, slot, kind, default=0):
        p = self.field(table, slot)
        return default if p is None else getattr(self, kind)(p)

    def table(self, table, slot):
        p = self.field(table, slot)
        return None if p is None else self.deref(p)

    def vector(self, table, slot):
        """(start, length) of a vector field, or (0, 0)."""
        p = self.field(table, slot)
        if p is None:
            return 0, 0
        v = self.deref(p)
        return v + 4, self.u32(v)

    def tables(self, table, slot):
        start, n = self.vector(table, slot)
        return [self.deref(start + 4 * k) for k in range(n)]

    def ints(self, table, slot):
        start, n = self.vector(table, slot)
        return list(struct.unpack_from("<%di" % n, self.b, start)) if n else []

    def string(self, table, slot):
        p = self.field(table, slot)
        if p is None:
            return None
        s = self.deref(p)
        return self.b[s + 4:s + 4 + self.u32(s)].decode("utf-8")

    def bytes_(self, table, slot):
        start, n = self.vector(table, slot)
        return self.b[start:start + n]


class Tensor:
    def __init__(self, index, name, shape, type_, data, quant):
        self.index, self.name, self.shape, self.type, self.data, self.quant = \
            index, name, shape, type_, data, quant

    @property
    def type_name(self):
        return TYPE_NAMES.get(self.type, str(self.type))


class Op:
    def __init__(self, index, name, version, inputs, outputs, options):
        self.index, self.name, self.version, self.inputs, self.outputs, self.options = \
            index, name, version, inputs, outputs, options


def _options(fb, op_name, t):
    """Builtin options of one operator (table position t, or None) as a dict."""
    if t is None:
        return {}
    s, i32, u8, i8 = fb.scalar, "i32", "u8", "i8"
    if op_name == "CONV_2D":
        return dict(padding=PADDINGS[s(t, 0, i8)], stride_w=s(t, 1, i32), stride_h=s(t, 2, i32),
                    activation=ACTIVATIONS[s(t, 3, i8)], dilation_w=s(t, 4, i32, 1),
                    dilation_h=s(t, 5, i32, 1))
    if op_name == "DEPTHWISE_CONV_2D":
        return dict(padding=PADDINGS[s(t, 0, i8)], stride_w=s(t, 1, i32), stride_h=s(t, 2, i32),
                    depth_multiplier=s(t, 3, i32), activation=ACTIVATIONS[s(t, 4, i8)],
                    dilation_w=s(t, 5, i32, 1), dilation_h=s(t, 6, i32, 1))
    if op_name in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        return dict(padding=PADDINGS[s(t, 0, i8)], stride_w=s(t, 1, i32), stride_h=s(t, 2, i32),
                    filter_w=s(t, 3, i32), filter_h=s(t, 4, i32),
                    activation=ACTIVATIONS[s(t, 5, i8)])
    if op_name == "FULLY_CONNECTED":
        return dict(activation=ACTIVATIONS[s(t, 0, i8)], weights_format=s(t, 1, i8),
                    keep_num_dims=bool(s(t, 2, u8)))
    if op_name == "SOFTMAX":
        return dict(beta=s(t, 0, "f32", 0.0))
    if op_name == "CONCATENATION":
        return dict(axis=s(t, 0, i32), activation=ACTIVATIONS[s(t, 1, i8)])
    if op_name in ("ADD", "MUL", "SUB"):
        return dict(activation=ACTIVATIONS[s(t, 0, i8)])
    if op_name == "RESHAPE":
        return dict(new_shape=fb.ints(t, 0) if fb.field(t, 0) is not None else None)
    if op_name == "MEAN":
        return dict(keep_dims=bool(s(t, 0, u8)))
    if op_name == "SQUEEZE":
        return dict(squeeze_dims=fb.ints(t, 0))
    return {}


class Model:
    """The first subgraph of a .tflite file: tensors (with constant data), operators, I/O."""

    def __init__(self, path):
        data = Path(path).read_bytes()
        if data[4:8] != b"TFL3":
            raise ValueError(f"{path}: not a TFLite FlatBuffer (identifier {data[4:8]!r})")
        fb = _Buf(data)
        m = fb.root()
        self.schema_version = fb.scalar(m, 0, "u32")
        self.description = fb.string(m, 3)
        codes = []
        for oc in fb.tables(m, 1):
            # deprecated_builtin_code (byte, slot 0) and builtin_code (int, slot 3): the larger
            custom = fb.string(oc, 1)
            code = max(fb.scalar(oc, 0, "i8"), fb.scalar(oc, 3, "i32"))
            name = "CUSTOM:" + custom if code == 32 else BUILTIN.get(code, "BUILTIN_%d" % code)
            codes.append((name, fb.scalar(oc, 2, "i32", 1)))
        buffers = []
        for b in fb.tables(m, 4):
            raw = fb.bytes_(b, 0)
            off, size = fb.scalar(b, 1, "u64"), fb.scalar(b, 2, "u64")
            if not raw and off > 1:  # data stored after the FlatBuffer (models over 2 GB)
                raw = data[off:off + size]
            buffers.append(raw)
        subgraphs = fb.tables(m, 2)
        self.num_subgraphs = len(subgraphs)
        g = subgraphs[0]
        self.tensors = []
        for k, t in enumerate(fb.tables(g, 0)):
            shape = fb.ints(t, 0)
            type_ = fb.scalar(t, 1, "i8")
            raw = buffers[fb.scalar(t, 2, "u32")]
            quant = None
            q = fb.table(t, 4)
            if q is not None:
                qs, qn = fb.vector(q, 2)
                zs, zn = fb.vector(q, 3)
                if qn:
                    quant = dict(scale=np.frombuffer(data, "<f4", qn, qs).copy(),
                                 zero_point=np.frombuffer(data, "<i8", zn, zs).copy(),
                                 axis=fb.scalar(q, 6, "i32"))
            arr = None
            if raw:
                arr = np.frombuffer(raw, DTYPES[type_]).reshape(shape).copy()
            self.tensors.append(Tensor(k, fb.string(t, 3), shape, type_, arr, quant))
        self.inputs = fb.ints(g, 1)
        self.outputs = fb.ints(g, 2)
        self.ops = []
        for k, o in enumerate(fb.tables(g, 3)):
            name, version = codes[fb.scalar(o, 0, "u32")]
            self.ops.append(Op(k, name, version, fb.ints(o, 1), fb.ints(o, 2),
                               _options(fb, name, fb.table(o, 4))))

    def producer(self):
        """tensor index -> index of the operator writing it."""
        return {t: op.index for op in self.ops for t in op.outputs}


# ---------------------------------------------------------------------------- kernels

def _act(x, name):
    if name == "NONE":
        return x
    if name == "RELU":
        return np.maximum(x, np.float32(0))
    if name == "RELU6":
        return np.minimum(np.maximum(x, np.float32(0)), np.float32(6))
    if name == "RELU_N1_TO_1":
        return np.minimum(np.maximum(x, np.float32(-1)), np.float32(1))
    if name == "TANH":
        return np.tanh(x)
    raise NotImplementedError("fused activation " + name)


def _pads(size, k, stride, dilation, padding):
    """(output size, pad before, pad after) along one axis, as TFLite computes them."""
    eff = (k - 1) * dilation + 1
    if padding == "SAME":
        out = (size + stride - 1) // stride
        total = max((out - 1) * stride + eff - size, 0)
        return out, total // 2, total - total // 2
    return (size - eff + stride) // stride, 0, 0


def _windows(x, kh, kw, sh, sw, dh, dw, padding, fill=0.0):
    """Zero-padded input and, for each kernel tap (i, j), the strided view it reads."""
    n, h, w, c = x.shape
    oh, pt, pb = _pads(h, kh, sh, dh, padding)
    ow, pl, pr = _pads(w, kw, sw, dw, padding)
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=fill)
    taps = {}
    for i in range(kh):
        for j in range(kw):
            taps[i, j] = xp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh,
                            j * dw:j * dw + (ow - 1) * sw + 1:sw, :]
    return taps, (oh, ow), (pt, pl)


def conv_2d(x, w, b, o):
    """x NHWC, w OHWI, b [O] or None."""
    cout, kh, kw, cin = w.shape
    taps, (oh, ow), _ = _windows(x.astype(np.float64), kh, kw, o["stride_h"], o["stride_w"],
                                 o["dilation_h"], o["dilation_w"], o["padding"])
    cols = np.concatenate([taps[i, j] for i in range(kh) for j in range(kw)], axis=-1)
    wm = w.astype(np.float64).reshape(cout, kh * kw * cin).T  # (i, j, c) order matches cols
    y = cols.reshape(-1, kh * kw * cin) @ wm
    if b is not None:
        y += b.astype(np.float64)
    return _act(y.reshape(x.shape[0], oh, ow, cout).astype(np.float32), o["activation"])


def depthwise_conv_2d(x, w, b, o):
    """x NHWC, w [1, KH, KW, C*M]; output channel c*M+m = sum over taps of x[..., c] * w."""
    _, kh, kw, cout = w.shape
    m = o["depth_multiplier"] or cout // x.shape[3]
    xx = x.astype(np.float64)
    if m != 1:
        xx = np.repeat(xx, m, axis=3)
    taps, (oh, ow), _ = _windows(xx, kh, kw, o["stride_h"], o["stride_w"],
                                 o["dilation_h"], o["dilation_w"], o["padding"])
    w64 = w.astype(np.float64)
    y = np.zeros((x.shape[0], oh, ow, cout))
    for (i, j), v in taps.items():
        y += v * w64[0, i, j]
    if b is not None:
        y += b.astype(np.float64)
    return _act(y.astype(np.float32), o["activation"])


def pool_2d(x, o, kind):
    taps, (oh, ow), _ = _windows(x.astype(np.float64), o["filter_h"], o["filter_w"],
                                 o["stride_h"], o["stride_w"], 1, 1, o["padding"],
                                 fill=-np.inf if kind == "max" else 0.0)
    if kind == "max":
        y = np.max(np.stack(list(taps.values())), axis=0)
    else:
        ones = np.ones((1,) + x.shape[1:3] + (1,))
        counts, _, _ = _windows(ones, o["filter_h"], o["filter_w"], o["stride_h"], o["stride_w"],
                                1, 1, o["padding"])
        y = sum(taps.values()) / sum(counts.values())
    return _act(y.astype(np.float32), o["activation"])


def fully_connected(x, w, b, o):
    y = x.astype(np.float64).reshape(-1, w.shape[1]) @ w.astype(np.float64).T
    if b is not None:
        y += b.astype(np.float64)
    y = _act(y.astype(np.float32), o["activation"])
    if o.get("keep_num_dims"):
        y = y.reshape(tuple(x.shape[:-1]) + (w.shape[0],))
    return y


def dequantize(x, t):
    if x.dtype == np.float16:
        return x.astype(np.float32)
    q = t.quant
    scale, zp = q["scale"], q["zero_point"]
    if scale.size > 1:
        shape = [1] * x.ndim
        shape[q["axis"]] = -1
        scale, zp = scale.reshape(shape), zp.reshape(shape)
    return ((x.astype(np.int64) - zp) * scale.astype(np.float64)).astype(np.float32)


class Interpreter:
    def __init__(self, model):
        self.model = model if isinstance(model, Model) else Model(model)

    def run(self, *inputs):
        """Runs the graph; returns {tensor index: value} for every tensor, constants included."""
        m = self.model
        vals = {t.index: t.data for t in m.tensors if t.data is not None}
        for k, x in zip(m.inputs, inputs):
            t = m.tensors[k]
            x = np.asarray(x, DTYPES[t.type])
            if list(x.shape) != list(t.shape):
                raise ValueError(f"input {t.name}: shape {x.shape}, model wants {t.shape}")
            vals[k] = x
        for op in m.ops:
            ins = [vals[i] if i >= 0 else None for i in op.inputs]
            y = self._op(op, ins)
            out = m.tensors[op.outputs[0]]
            if out.shape and list(y.shape) != list(out.shape):
                raise ValueError(f"op {op.index} {op.name}: computed shape {y.shape}, "
                                 f"tensor {out.name} says {out.shape}")
            vals[op.outputs[0]] = y
        return vals

    def _op(self, op, ins):
        n, o, m = op.name, op.options, self.model
        if n == "DEQUANTIZE":
            return dequantize(ins[0], m.tensors[op.inputs[0]])
        if n == "CONV_2D":
            return conv_2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, o)
        if n == "DEPTHWISE_CONV_2D":
            return depthwise_conv_2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, o)
        if n in ("ADD", "SUB", "MUL"):
            f = {"ADD": np.add, "SUB": np.subtract, "MUL": np.multiply}[n]
            return _act(f(ins[0], ins[1]).astype(np.float32), o["activation"])
        if n == "CONCATENATION":
            if o["activation"] != "NONE":  # TFLite's kernel refuses it (concatenation.cc Prepare)
                raise ValueError(f"op {op.index}: CONCATENATION with fused {o['activation']}")
            return np.concatenate(ins, axis=o["axis"])
        if n == "RESHAPE":
            if len(ins) > 1 and ins[1] is not None:
                shape = [int(v) for v in ins[1].reshape(-1)]
            elif o.get("new_shape") is not None:
                shape = o["new_shape"]
            else:
                shape = m.tensors[op.outputs[0]].shape
            return ins[0].reshape(shape)
        if n == "SQUEEZE":
            dims = o.get("squeeze_dims") or [k for k, d in enumerate(ins[0].shape) if d == 1]
            return np.squeeze(ins[0], axis=tuple(dims))
        if n == "LOGISTIC":
            x = ins[0].astype(np.float32)
            return (np.float32(1) / (np.float32(1) + np.exp(-x))).astype(np.float32)
        if n == "TANH":
            return np.tanh(ins[0]).astype(np.float32)
        if n in ("RELU", "RELU6", "RELU_N1_TO_1"):
            return _act(ins[0], n)
        if n == "SOFTMAX":
            x = ins[0].astype(np.float32)
            e = np.exp((x - x.max(axis=-1, keepdims=True)) * np.float32(o["beta"]))
            return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)
        if n == "AVERAGE_POOL_2D":
            return pool_2d(ins[0], o, "avg")
        if n == "MAX_POOL_2D":
            return pool_2d(ins[0], o, "max")
        if n == "MEAN":
            axes = tuple(int(a) % ins[0].ndim for a in ins[1].reshape(-1))
            return ins[0].astype(np.float64).mean(axis=axes, keepdims=o["keep_dims"]).astype(np.float32)
        if n == "FULLY_CONNECTED":
            return fully_connected(ins[0], ins[1], ins[2] if len(ins) > 2 else None, o)
        if n == "PAD":
            pads = [tuple(int(v) for v in p) for p in ins[1]]
            return np.pad(ins[0], pads)
        raise NotImplementedError(f"operator {n} (op {op.index})")


def sanitise(name):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[:150]


def dump(model, vals, outdir):
    """Writes every tensor as <index>-<sanitised name>.npy and index.json (index -> name, shape,
    dtype, the operator that produced it, or 'constant'/'input')."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    prod = model.producer()
    index = {}
    for t in model.tensors:
        if t.index not in vals:
            continue
        v = vals[t.index]
        fname = f"{t.index}-{sanitise(t.name)}.npy"
        np.save(outdir / fname, v)
        if t.index in prod:
            op = model.ops[prod[t.index]]
            made = dict(op=op.name, op_index=op.index, inputs=op.inputs, options=op.options)
        else:
            made = dict(op="input" if t.index in model.inputs else "constant")
        index[t.index] = dict(name=t.name, file=fname, shape=list(v.shape), dtype=str(v.dtype),
                              model_type=t.type_name, **made)
    (outdir / "index.json").write_text(json.dumps(index, indent=1))
    return index


def summary(model):
    from collections import Counter
    lines = [f"schema version {model.schema_version}, description {model.description!r}, "
             f"{model.num_subgraphs} subgraph(s), {len(model.tensors)} tensors, {len(model.ops)} ops"]
    for name, count in sorted(Counter(op.name for op in model.ops).items()):
        lines.append(f"  {name}: {count}")
    for what, idx in (("input", model.inputs), ("output", model.outputs)):
        for k in idx:
            t = model.tensors[k]
            lines.append(f"  {what} {k} {t.name!r} {t.shape} {t.type_name}")
    types = Counter(t.type_name for t in model.tensors if t.data is not None)
    lines.append("  constant tensors by type: " + ", ".join(f"{k} {v}" for k, v in types.items()))
    return "\n".join(lines)


def main(argv):
    if not argv:
        sys.exit(__doc__)
    model = Model(argv[0])
    if "--summary" in argv or "--input" not in argv:
        print(summary(model))
    if "--input" in argv:
        x = np.load(argv[argv.index("--input") + 1])
        vals = Interpreter(model).run(x)
        if "--dump" in argv:
            dump(model, vals, argv[argv.index("--dump") + 1])
        for k in model.outputs:
            v = vals[k]
            print(model.tensors[k].name, v.shape, float(v.min()), float(v.max()))


if __name__ == "__main__":
    main(sys.argv[1:])
