"""Compares regenerated reference files with the committed ones, numerically.

  /usr/bin/python3 reference/compare_refs.py REGENERATED_DIR COMMITTED_DIR [--rel 1e-5] [--recursive]

Floats recomputed on another CPU differ in their last digits (float64 sums run in another order
on AVX-512 than on AVX2), so no float is compared byte for byte: every float must be within
rel * max(1, max|committed|) of the committed one, the maximum taken over what the float belongs
to: its array (.npy, a state_dict tensor), its JSON list of numbers, or the float itself where it
stands alone in JSON (one scale per document let a file's largest number, an index in the
millions, widen the tolerance of its scores to 21). What is not a recomputed float is compared
exactly: strings, JSON integers (indices, counts, class ids), array shapes and dtypes, state_dict
keys. A committed file that is not regenerated fails too (the tests would go on reading a file
no generator vouches for), unless named with --not-regenerated. Exits 1 naming the first file
and place that differ.

- .npy:  same shape and dtype, values within the tolerance;
- .json: same structure (keys, list lengths, strings, booleans), integers equal, floats within the tolerance;
- .pth:  same keys, shapes and dtypes (loaded with weights_only where supported), values within
         the tolerance (random weights come from torch's seeded CPU generator: equal in practice);
- anything else: bytes.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np


class Mismatch(Exception):
    pass


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def compare_json(a, b, rel, where, scale=None):
    """a (regenerated) against b (committed); scale: max |b| of the list of numbers b stands in."""
    if isinstance(b, bool) or b is None or isinstance(b, str):
        if a != b:
            raise Mismatch(f"{where}: {a!r} != {b!r}")
    elif is_number(b):
        if not is_number(a):
            raise Mismatch(f"{where}: {a!r} is not a number like {b!r}")
        if is_int(a) and is_int(b):
            if a != b:
                raise Mismatch(f"{where}: integer {a} != {b}")
            return
        tol = rel * max(1.0, abs(float(b)) if scale is None else scale)
        if not abs(float(a) - float(b)) <= tol:
            raise Mismatch(f"{where}: {a!r} differs from {b!r} by more than {tol:.3g}")
    elif isinstance(b, list):
        if not isinstance(a, list) or len(a) != len(b):
            raise Mismatch(f"{where}: list of {len(a) if isinstance(a, list) else '?'} != {len(b)} items")
        numbers = b and all(is_number(v) for v in b)
        list_scale = max(abs(float(v)) for v in b) if numbers else None
        for i, (x, y) in enumerate(zip(a, b)):
            compare_json(x, y, rel, f"{where}[{i}]", list_scale)
    elif isinstance(b, dict):
        if not isinstance(a, dict) or list(a.keys()) != list(b.keys()):
            raise Mismatch(f"{where}: keys {list(a)[:5] if isinstance(a, dict) else a!r} != {list(b)[:5]}")
        for k in b:
            compare_json(a[k], b[k], rel, f"{where}.{k}")
    else:
        raise Mismatch(f"{where}: unexpected JSON value {b!r}")


def compare_arrays(a, b, rel, where):
    if a.shape != b.shape or a.dtype != b.dtype:
        raise Mismatch(f"{where}: {a.dtype}{list(a.shape)} != {b.dtype}{list(b.shape)}")
    if a.size == 0:
        return
    if not np.issubdtype(b.dtype, np.floating):
        if not np.array_equal(a, b):
            raise Mismatch(f"{where}: integer values differ")
        return
    tol = rel * max(1.0, float(np.abs(b.astype(np.float64)).max()))
    diff = float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max())
    if not diff <= tol:
        raise Mismatch(f"{where}: max |difference| {diff:.3g} > {tol:.3g}")


def compare_file(new, old, rel):
    name = old.name
    if name.endswith(".npy"):
        compare_arrays(np.load(new), np.load(old), rel, name)
    elif name.endswith(".json"):
        a = json.loads(new.read_text())
        b = json.loads(old.read_text())
        compare_json(a, b, rel, name)
    elif name.endswith(".pth"):
        import torch
        kw = {"weights_only": True} if "weights_only" in torch.load.__code__.co_varnames else {}
        a = torch.load(new, map_location="cpu", **kw)
        b = torch.load(old, map_location="cpu", **kw)
        if list(a.keys()) != list(b.keys()):
            raise Mismatch(f"{name}: state_dict keys differ")
        for k in b:
            compare_arrays(a[k].numpy(), b[k].numpy(), rel, f"{name}:{k}")
    elif new.read_bytes() != old.read_bytes():
        raise Mismatch(f"{name}: bytes differ")


def main():
    """Compares every file of the regenerated folder with its namesake in the committed one."""
    ap = argparse.ArgumentParser()
    ap.add_argument("regenerated")
    ap.add_argument("committed")
    ap.add_argument("--rel", type=float, default=1e-5)
    ap.add_argument("--bytes", action="store_true",
                    help="compare bytes only (files that hold no recomputed floats, e.g. hostile pickles, "
                         "which must never be unpickled here)")
    ap.add_argument("--recursive", action="store_true", help="also the files in subfolders")
    ap.add_argument("--not-regenerated", action="append", default=[], metavar="NAME",
                    help="a committed file (path relative to the committed folder) that no generator writes")
    a = ap.parse_args()
    new_dir, old_dir = Path(a.regenerated), Path(a.committed)
    files = new_dir.rglob("*") if a.recursive else new_dir.iterdir()
    names = sorted(str(p.relative_to(new_dir)) for p in files if p.is_file())
    if not names:
        sys.exit(f"{new_dir}: nothing was regenerated")
    committed = old_dir.rglob("*") if a.recursive else old_dir.iterdir()
    stale = sorted(set(str(p.relative_to(old_dir)) for p in committed if p.is_file())
                   - set(names) - set(a.not_regenerated))
    if stale:
        sys.exit(f"{old_dir}: committed but not regenerated (and not named with --not-regenerated): "
                 + ", ".join(stale[:10]) + (f" and {len(stale) - 10} more" if len(stale) > 10 else ""))
    for n in names:
        old = old_dir / n
        if not old.is_file():
            sys.exit(f"{n}: regenerated but not committed in {old_dir}")
        try:
            if a.bytes:
                if (new_dir / n).read_bytes() != old.read_bytes():
                    raise Mismatch(f"{n}: bytes differ")
            else:
                compare_file(new_dir / n, old, a.rel)
        except Mismatch as e:
            sys.exit(f"regenerated reference differs from the committed one: {e}")
    how = ("byte for byte" if a.bytes else
           f"floats within {a.rel:g} * max(1, max|ref|) of their array or list, integers equal")
    named = f"; {len(a.not_regenerated)} named as not regenerated" if a.not_regenerated else ""
    print(f"{len(names)} regenerated reference files match {old_dir} ({how}){named}")


if __name__ == "__main__":
    main()
