#!/usr/bin/env bash
# explain's cost against detect's, end to end (JVM start, model load, one image, output), on the
# same image and options: N runs of each, interleaved so both see the same machine load; medians.
# Then the window's engine calls on one pass (bench --mode explain).
#   scripts/bench-explain.sh [MODEL] [IMAGE] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-default}
IMAGE=${2:-sample-images/shapes-01.png}
N=${3:-20}
JAR=app/target/layerlens.jar
[ -f "$JAR" ] || { echo "build first: mvn -q -B -DskipTests package"; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
java -jar "$JAR" detect --model "$MODEL" --image "$IMAGE" >/dev/null 2>&1  # warm the file cache
: > "$OUT/detect"; : > "$OUT/explain"
for i in $(seq "$N"); do
  ms java -jar "$JAR" detect --model "$MODEL" --image "$IMAGE" --json "$OUT/d.json" >> "$OUT/detect"
  ms java -jar "$JAR" explain --model "$MODEL" --image "$IMAGE" --json "$OUT/e.json" >> "$OUT/explain"
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
D=$(median "$OUT/detect"); E=$(median "$OUT/explain")
echo "model $MODEL, image $IMAGE, $N runs each (interleaved), end to end with --json"
echo "detect  median $D ms (runs: $(sort -n "$OUT/detect" | tr '\n' ' '))"
echo "explain median $E ms (runs: $(sort -n "$OUT/explain" | tr '\n' ' '))"
awk -v d="$D" -v e="$E" 'BEGIN { printf "explain / detect = %.3f (%+.1f%%)\n", e / d, 100 * (e / d - 1) }'
java -jar "$JAR" bench --mode explain --model "$MODEL" --image "$IMAGE" --iterations 200 --warmup 50 2>/dev/null
