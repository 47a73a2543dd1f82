"""Writes COUNT synthetic 300x300 scenes (reference/scenes.py's generator, resized) into OUT, for
scripts/bench-analysis.sh: /usr/bin/python3 scripts/make-bench-scenes.py OUT COUNT"""
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reference"))
import scenes  # noqa: E402

out, count = Path(sys.argv[1]), int(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(500)
for i in range(count):
    img, _ = scenes.scene(rng)
    cv2.imwrite(str(out / f"scene-{i:04d}.png"), cv2.resize(img, (300, 300), interpolation=cv2.INTER_AREA))
