#!/usr/bin/env bash
# Benchmarks faces-v1 in LayerLens (ND4J, fast pass) against face-api's own JavaScript under Node
# (TensorFlow.js pure-JS CPU backend: the reference the parity tests use) on the same image, in one
# run, and prints the ratio. Both single-threaded (Node's CPU backend is; OMP_NUM_THREADS=1 here).
#   scripts/bench-faces.sh [IMAGE] [JAVA_ITERATIONS] [NODE_ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${1:-sample-images/astronaut.png}
N=${2:-30}
NN=${3:-3}
[ -f app/target/layerlens.jar ] || mvn -q -B -DskipTests package
[ -d reference/faceapi/node_modules ] || (cd reference/faceapi && npm ci --no-audit --no-fund --loglevel=error)
RAW=$(mktemp --suffix .rgb)
trap 'rm -f "$RAW"' EXIT
DIMS=$(/usr/bin/python3 -c "
import cv2, sys
bgr = cv2.imread(sys.argv[1], cv2.IMREAD_COLOR); open(sys.argv[2], 'wb').write(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB).tobytes())
print(bgr.shape[1], bgr.shape[0])" "$IMAGE" "$RAW" 2>/dev/null)
JAVA_OUT=$(OMP_NUM_THREADS=1 java -Xmx256m -jar app/target/layerlens.jar bench --model faces-v1 --image "$IMAGE" \
  --iterations "$N" --mode fast 2>/dev/null)
NODE_OUT=$(cd reference/faceapi && node bench.cjs "$RAW" $DIMS "$NN" 2>/dev/null | grep median)
echo "$JAVA_OUT"
echo "$NODE_OUT"
fast=$(echo "$JAVA_OUT" | sed -n 's/^fast pass.*median \([0-9.]*\) ms.*/\1/p')
node=$(echo "$NODE_OUT" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
awk -v f="$fast" -v t="$node" 'BEGIN { printf "ratio LayerLens fast / face-api (tf.js pure-JS CPU): %.3f\n", f / t }'
