"""The small part of make_refs.py's output that is committed (reference/objects_v2/refs): MediaPipe's
anchors and, per image, LiteRT.js's two raw outputs and MediaPipe's detections. The Java tests read
these when the full references (every tensor, ~130 MB per image, made by .ci/run) are absent.

  /usr/bin/python3 reference/objects_v2/compact_refs.py FULL_DIR OUT_DIR [IMAGE_STEM...]
"""
import json
import shutil
import sys
from pathlib import Path

import numpy as np


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    full, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(full / "anchors.npy", out / "anchors.npy")
    stems = argv[2:] or sorted(p.parent.name for p in full.glob("*/detections.json"))
    for stem in stems:
        src = full / stem
        dst = out / stem
        dst.mkdir(exist_ok=True)
        lit = json.loads((src / "litert" / "litert.json").read_text())
        for info in lit["tensors"].values():
            name = info["name"].split("/")[-1]  # box_encodings, class_predictions
            np.save(dst / f"{name}.npy", np.load(src / "litert" / info["file"]).astype(np.float32))
        dets = json.loads((src / "detections.json").read_text())
        dets["image"] = "sample-images/" + Path(dets["image"]).name
        (dst / "detections.json").write_text(json.dumps(dets, indent=1) + "\n")
    print(f"anchors and {len(stems)} images -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
