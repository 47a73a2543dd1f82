#!/usr/bin/env bash
# LayerLens's fast, inspect and inspect-all passes against ONNX Runtime's Java API (CPU), same weights, same
# input, same threads, in rounds of a block of each in one run; prints the ratios.
#   scripts/bench-ort.sh [THREADS] [ITERATIONS] [IMAGE]
# The weights: the committed random-weight mb2-ssd-lite (4 classes) and its ONNX export, written
# by PyTorch (reference/make_variants.py) into target/variants when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-1}
N=${2:-100}
IMAGE=${3:-sample-images/coffee.png}
PTH=engine/src/test/resources/reference/mb2-ssd-lite-random-4.pth
ONNX=target/variants/mb2-ssd-lite-4.onnx
[ -f "$ONNX" ] || /usr/bin/python3 reference/make_variants.py target/variants >/dev/null
ls bench/target/layerlens-bench-*.jar >/dev/null 2>&1 || mvn -q -B -Pbench -DskipTests package
java -cp "$(ls bench/target/layerlens-bench-*.jar):bench/target/lib/*" org.layerlens.bench.OrtComparison \
  "$PTH" "$ONNX" "$IMAGE" "$THREADS" "$N"
