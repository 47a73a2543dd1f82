"""Reference data for the objects-v2 model: for each image, MediaPipe's input tensor, every tensor
of the NumPy interpreter, the raw outputs of LiteRT.js (the real runtime) and their differences,
and MediaPipe's detections.

  scripts/fetch-objectron.sh target/objects-v2
  (cd reference/objects_v2 && npm ci)
  /usr/bin/python3 reference/objects_v2/make_refs.py OUTDIR IMAGE... [--model M.tflite]

Writes
  OUTDIR/anchors.npy                     (1917, 4) float32 [y_center, x_center, h, w], normalised
  OUTDIR/summary.json                    per image: max |NumPy - LiteRT| per output, detections
  OUTDIR/<image stem>/input.npy          (1, 300, 300, 3) float32, MediaPipe's preprocessing
  OUTDIR/<image stem>/<index>-<name>.npy every tensor the NumPy interpreter holds (the constants
                                         too: float16 weights and their DEQUANTIZE outputs)
  OUTDIR/<image stem>/index.json         tensor index -> name, file, shape, dtype, producing op
  OUTDIR/<image stem>/litert/            LiteRT.js outputs: the two model outputs of the unchanged
                                         model, and all/ with every operator output (--all)
  OUTDIR/<image stem>/compare.json       max |NumPy - LiteRT| for every tensor LiteRT gave back
  OUTDIR/<image stem>/decoded_boxes.npy  (1917, 4) float32 [ymin, xmin, ymax, xmax], relative
  OUTDIR/<image stem>/best_scores.npy, best_classes.npy   per anchor, background ignored
  OUTDIR/<image stem>/detections.json    MediaPipe's final detections: label, class index, score,
                                         box [x1, y1, x2, y2] in pixels of the original image
Exits 1 if any LiteRT tensor differs from NumPy's by more than 1e-4 * max(1, max |NumPy|), or if
the detections from LiteRT's outputs differ (labels, or scores by more than 1e-4) from NumPy's.
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import postprocess as P  # noqa: E402
from tflite_numpy import Interpreter, Model, dump  # noqa: E402

RTOL = 1e-4


def run_litert(model_path, input_npy, outdir, all_tensors):
    # node runs in HERE (for node_modules): relative paths would be read from there
    cmd = ["node", str(HERE / "litert_run.cjs"), str(Path(model_path).resolve()), str(Path(input_npy).resolve()),
           str(Path(outdir).resolve())]
    if all_tensors:
        cmd.append("--all")
    r = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"litert_run.cjs failed:\n{r.stdout}\n{r.stderr}")
    return json.loads((Path(outdir) / "litert.json").read_text())


def compare(vals, lit, litdir):
    out, worst = {}, 0.0
    for k, info in lit["tensors"].items():
        a = np.load(Path(litdir) / info["file"])
        ref = vals[int(k)]
        d = float(np.abs(a.astype(np.float64) - ref.astype(np.float64)).max())
        tol = RTOL * max(1.0, float(np.abs(ref).max()))
        out[k] = dict(name=info["name"], max_abs_diff=d, tolerance=tol, ok=d <= tol)
        worst = max(worst, d / tol)
    return out, worst


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    model_path = P.default_model()
    if "--model" in argv:
        i = argv.index("--model")
        model_path = Path(argv[i + 1])
        del argv[i:i + 2]
    if not model_path.exists():
        sys.exit(f"{model_path}: no model; run scripts/fetch-objectron.sh {model_path.parent}")
    if not (HERE / "node_modules" / "@litertjs" / "core").exists():
        sys.exit(f"LiteRT.js is not installed: (cd {HERE} && npm ci)")
    outroot = Path(argv[0])
    outroot.mkdir(parents=True, exist_ok=True)
    model = Model(model_path)
    interp = Interpreter(model)
    anchors = P.ssd_anchors()
    np.save(outroot / "anchors.npy", anchors)
    box_k, score_k = model.outputs
    summary, failed = {}, False
    for image in argv[1:]:
        name = Path(image).stem
        out = outroot / name
        out.mkdir(parents=True, exist_ok=True)
        rgb = P.load_rgb(image)
        h, w = rgb.shape[:2]
        x = P.preprocess(rgb)
        np.save(out / "input.npy", x)
        vals = interp.run(x)
        dump(model, vals, out)
        lit = run_litert(model_path, out / "input.npy", out / "litert", all_tensors=False)
        lit_all = run_litert(model_path, out / "input.npy", out / "litert" / "all", all_tensors=True)
        cmp_out, worst_out = compare(vals, lit, out / "litert")
        cmp_all, worst_all = compare(vals, lit_all, out / "litert" / "all")
        (out / "compare.json").write_text(json.dumps(dict(
            tolerance=f"{RTOL} * max(1, max |NumPy|)", outputs=cmp_out, all_tensors=cmp_all),
            indent=1))

        boxes = P.decode_boxes(vals[box_k], anchors)
        scores, classes, _ = P.best_scores(vals[score_k])
        np.save(out / "decoded_boxes.npy", boxes)
        np.save(out / "best_scores.npy", scores)
        np.save(out / "best_classes.npy", classes.astype(np.int32))
        dets = P.postprocess(vals[box_k], vals[score_k], w, h, anchors)
        (out / "detections.json").write_text(json.dumps(dict(image=str(image), width=w, height=h,
                                                             detections=dets), indent=1))
        lit_boxes = np.load(out / "litert" / lit["tensors"][str(box_k)]["file"])
        lit_scores = np.load(out / "litert" / lit["tensors"][str(score_k)]["file"])
        lit_dets = P.postprocess(lit_boxes, lit_scores, w, h, anchors)
        same_dets = (len(dets) == len(lit_dets) and all(
            a["label"] == b["label"] and abs(a["score"] - b["score"]) <= 1e-4
            for a, b in zip(dets, lit_dets)))

        ok = worst_out <= 1 and worst_all <= 1 and same_dets
        failed |= not ok
        summary[name] = dict(
            image=str(image), size=[w, h], litert_wasm=lit["wasm"],
            max_abs_diff_outputs={v["name"]: v["max_abs_diff"] for v in cmp_out.values()},
            worst_diff_over_tolerance_outputs=worst_out,
            worst_diff_over_tolerance_all_tensors=worst_all,
            tensors_compared=len(cmp_all), litert_detections_match=same_dets, ok=ok,
            detections=[(d["label"], round(d["score"], 4)) for d in dets])
        print(f"{image}: {w}x{h}; max |NumPy - LiteRT|: " + ", ".join(
            f"{v['name']} {v['max_abs_diff']:.2e}" for v in cmp_out.values())
            + f"; {len(cmp_all)} tensors within tolerance: {worst_all <= 1}"
            + ("" if ok else "  FAILED"))
        for d in dets:
            print(f"  {d['label']:<18} {d['score']:.3f}  [" + ", ".join(f"{v:.1f}" for v in d["box"]) + "]")
    (outroot / "summary.json").write_text(json.dumps(summary, indent=1))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
