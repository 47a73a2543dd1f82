#!/bin/sh
# objects-v2 next to the seed network (the bundled default model), same image, same thread count:
# `layerlens bench` on each, interleaved, RUNS times, then the median of each pass's medians.
# The machine this was written on is shared and noisy; run it on an idle one for figures to quote.
#   scripts/bench-objects.sh [IMAGE] [THREADS] [RUNS]
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=${1:-$HERE/sample-images/faust_github.jpg}
THREADS=${2:-1}
RUNS=${3:-3}
JAR=$HERE/app/target/layerlens.jar
[ -f "$JAR" ] || { echo "bench-objects: build first (mvn -q -B -DskipTests package)" >&2; exit 1; }
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
i=1
while [ "$i" -le "$RUNS" ]; do
  for m in objects-v2 default; do
    load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
    java -jar "$JAR" bench --model "$m" --threads "$THREADS" --image "$IMAGE" 2>/dev/null \
      | awk -v m="$m" -v r="$i" -v l="$load" '
          match($0, /median [0-9.]+/) { v = substr($0, RSTART + 7, RLENGTH - 7) }
          /^fast pass/ { f = v } /^inspect pass/ { s = v }
          END { print m, r, f, s, l }' >> "$OUT"
  done
  i=$((i + 1))
done
echo "model       run  fast ms  inspect ms  load"
awk '{printf "%-11s %3s %8s %11s  %s\n", $1, $2, $3, $4, $5}' "$OUT"
for m in objects-v2 default; do
  f=$(awk -v m="$m" '$1 == m {print $3}' "$OUT" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  s=$(awk -v m="$m" '$1 == m {print $4}' "$OUT" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$m: median of $RUNS runs: fast $f ms, inspect $s ms ($THREADS thread(s), $(basename "$IMAGE"))"
done
