#!/usr/bin/env bash
# Benchmarks of compare and stats (numbers to read, not tests):
#   1. compare against one inspect pass, interleaved in one run (bench --mode compare);
#   2. stats over COUNT synthetic 300x300 scenes at each thread count in THREADS: images per second;
#   3. resident memory of the stats run with the most images, sampled every second: growth from
#      the first tenth of the run to its end.
#   scripts/bench-analysis.sh [COUNT] [THREADS...]     (defaults: 500, 1 and the machine's cores)
# Needs the jar (mvn -q -B -DskipTests package) and /usr/bin/python3 with OpenCV.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=app/target/layerlens.jar
COUNT=${1:-500}
shift || true
THREADS=("$@")
[ ${#THREADS[@]} -gt 0 ] || THREADS=(1 "$(nproc)")
DATA=target/bench-scenes-$COUNT
if [ ! -f "$DATA/.complete" ]; then
  rm -rf "$DATA"
  /usr/bin/python3 scripts/make-bench-scenes.py "$DATA" "$COUNT"
  touch "$DATA/.complete"
fi

echo "== compare vs one inspect pass (1 engine thread)"
java -jar "$JAR" bench --mode compare --iterations "${COMPARE_ITERATIONS:-20}" --warmup 3 --threads 1

for t in "${THREADS[@]}"; do
  echo "== stats over $COUNT images of 300x300, --threads $t"
  LOG=$(mktemp)
  java -jar "$JAR" stats --model default --dataset "$DATA" --threads "$t" >"$LOG" 2>&1 &
  PID=$!
  START=$(date +%s)
  SAMPLES=()
  while kill -0 "$PID" 2>/dev/null; do
    RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status" 2>/dev/null || true)
    [ -n "$RSS" ] && SAMPLES+=("$(( $(date +%s) - START )) $RSS")
    sleep 1
  done
  wait "$PID"
  head -1 "$LOG"
  rm -f "$LOG"
  printf '%s\n' "${SAMPLES[@]}" | awk '{t[NR] = $1; r[NR] = $2; if ($2 > peak) peak = $2}
    END {n = NR; a = int(n / 10); if (a < 1) a = 1;
         printf "resident memory: %.0f MB at %d s (a tenth of the run), %.0f MB at the end (%d s), peak %.0f MB; growth %+.0f MB\n",
                r[a] / 1024, t[a], r[n] / 1024, t[n], peak / 1024, (r[n] - r[a]) / 1024}'
done
