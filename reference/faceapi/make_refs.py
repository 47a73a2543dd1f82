"""Reference outputs of the faces-v1 model from @vladmandic/face-api's own JavaScript under Node
(TensorFlow.js pure-JS CPU backend). Decodes each image with OpenCV (as LayerLens does) into raw
RGB, runs reference.cjs on it, and writes OUTDIR/<image stem>.json; with --layers DIR also every
layer's output (large: about 40 MB per image, not committed).

  (cd reference/faceapi && npm ci) && /usr/bin/python3 reference/faceapi/make_refs.py OUTDIR [--layers DIR] IMAGE...
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2

HERE = Path(__file__).resolve().parent


def main():
    args = sys.argv[1:]
    out = Path(args.pop(0))
    layers = None
    if args and args[0] == "--layers":
        args.pop(0)
        layers = str(Path(args.pop(0)).resolve())
    out.mkdir(parents=True, exist_ok=True)
    for image in args:
        bgr = cv2.imread(image, cv2.IMREAD_COLOR)
        if bgr is None:
            sys.exit(f"{image}: not an image OpenCV can read")
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        h, w = rgb.shape[:2]
        with tempfile.NamedTemporaryFile(suffix=".rgb") as raw:
            raw.write(rgb.tobytes())
            raw.flush()
            target = out / (Path(image).stem + ".json")
            cmd = ["node", str(HERE / "reference.cjs"), str(target.resolve()), raw.name, str(w), str(h), "0.3"]
            subprocess.run(cmd + ([layers] if layers else []), cwd=HERE, check=True)


if __name__ == "__main__":
    main()
