#!/usr/bin/env bash
# Benchmarks the ND4J engine against PyTorch eager on the same checkpoint, input and thread
# count, in one run, and prints the ratio.
#   scripts/bench.sh [MODEL.pth] [IMAGE] [THREADS] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-engine/src/test/resources/reference/mb2-ssd-lite-random-4.pth}
IMAGE=${2:-sample-images/coffee.png}
THREADS=${3:-1}
N=${4:-100}
[ -f app/target/layerlens.jar ] || mvn -q -B -DskipTests package
JAVA_OUT=$(OMP_NUM_THREADS=$THREADS java -Xmx256m -jar app/target/layerlens.jar bench --model "$MODEL" --image "$IMAGE" \
  --iterations "$N" 2>/dev/null)
PY_OUT=$(OMP_NUM_THREADS=$THREADS /usr/bin/python3 reference/bench_torch.py --model "$MODEL" --image "$IMAGE" \
  --iterations "$N" --threads "$THREADS" 2>/dev/null)
echo "$JAVA_OUT"
echo "$PY_OUT"
fast=$(echo "$JAVA_OUT" | sed -n 's/^fast pass.*median \([0-9.]*\) ms.*/\1/p')
torch=$(echo "$PY_OUT" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
awk -v f="$fast" -v t="$torch" 'BEGIN { printf "ratio ND4J fast / PyTorch eager: %.2f (below 1 is faster than PyTorch)\n", f / t }'
