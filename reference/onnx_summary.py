"""Reads the parts of an ONNX file the reference scripts check (no onnx package needed: a minimal
protobuf wire-format reader): node op types in graph order, node inputs/outputs, initializer
names and shapes, graph input and output names.

  /usr/bin/python3 reference/onnx_summary.py FILE.onnx ...   prints op counts and BN survival
"""
import sys
from collections import Counter


def _varint(b, i):
    shift = value = 0
    while True:
        c = b[i]
        i += 1
        value |= (c & 0x7F) << shift
        if c < 0x80:
            return value, i
        shift += 7


def _fields(b):
    """Yields (field number, wire type, value) of one message; length-delimited values as bytes."""
    i, n = 0, len(b)
    while i < n:
        key, i = _varint(b, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            v, i = _varint(b, i)
        elif wire == 1:
            v, i = b[i:i + 8], i + 8
        elif wire == 2:
            size, i = _varint(b, i)
            v, i = b[i:i + size], i + size
        elif wire == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield field, wire, v


def _ints(wire, v):
    if wire == 0:
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = _varint(v, i)
        out.append(x)
    return out


def summary(path):
    """{"nodes": [(op_type, name, inputs, outputs)], "initializers": [(name, dims)],
    "inputs": [names], "outputs": [names]} of the main graph."""
    data = open(path, "rb").read()
    graph = next(v for f, w, v in _fields(data) if f == 7)
    nodes, inits, inputs, outputs = [], [], [], []
    for f, w, v in _fields(graph):
        if f == 1:  # NodeProto
            ins, outs, name, op = [], [], "", ""
            for g, _, u in _fields(v):
                if g == 1:
                    ins.append(u.decode())
                elif g == 2:
                    outs.append(u.decode())
                elif g == 3:
                    name = u.decode()
                elif g == 4:
                    op = u.decode()
            nodes.append((op, name, ins, outs))
        elif f == 5:  # TensorProto
            dims, name = [], ""
            for g, wt, u in _fields(v):
                if g == 1:
                    dims += _ints(wt, u)
                elif g == 8:
                    name = u.decode()
            inits.append((name, tuple(dims)))
        elif f in (11, 12):  # ValueInfoProto
            name = next(u.decode() for g, _, u in _fields(v) if g == 1)
            (inputs if f == 11 else outputs).append(name)
    return {"nodes": nodes, "initializers": inits, "inputs": inputs, "outputs": outputs}


def op_counts(path):
    return dict(sorted(Counter(op for op, *_ in summary(path)["nodes"]).items()))


if __name__ == "__main__":
    for p in sys.argv[1:]:
        s = summary(p)
        c = Counter(op for op, *_ in s["nodes"])
        print(f"{p}: {len(s['nodes'])} nodes, {len(s['initializers'])} initializers, "
              f"inputs {s['inputs']}, outputs {s['outputs']}, BatchNormalization {c.get('BatchNormalization', 0)}")
        print("  " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
