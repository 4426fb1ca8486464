#!/usr/bin/env bash
# Nested DEFLATED archives (issue 11 item 8), side by side in one run: `praxcheck scan` of
#   1. 400mb_jar_in_jar.jar (../shared/testdata: a jar nesting, DEFLATED, a jar that inflates
#      to 400 MB — 400 MB of padding before a small archive);
#   2. one Flink distribution jar (bench/corpus.sh: flink-rpc-akka.jar nested DEFLATED,
#      36 MB, 15,932 entries with data descriptors),
# against `unzip -p … | cat` of the same nested bytes, and optionally against a second
# praxcheck binary (BASE=path, e.g. a build of an older commit). Median of RUNS runs, wall
# time and peak RSS (GNU time). The repeat-scan cache is off (--no-cache).
#
#   BIN=target/release/praxcheck BASE=/path/to/old/praxcheck bench/nested.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
. bench/summary.sh
bin=${BIN:-target/release/praxcheck}
[ -x "$bin" ] || cargo build --release -q -p praxcheck
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mid=$(( (runs + 1) / 2 ))
run() {
  local name=$1; shift
  for _ in $(seq 1 "$runs"); do /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1; done \
    | sort -n | awk -v n="$name" -v m="$mid" '{t[NR]=$1; r[NR]=$2} END {printf "| %s | %.2f s | %.1f MB |\n", n, t[m], r[m]/1024}' | tee "$out/last"
}
# The figure of the last row: wall seconds and peak RSS.
# Counted from the end: the command's name may hold an escaped "\|".
last() { awk -F'|' '{w = $(NF-2); r = $(NF-1); gsub(/ /, "", w); gsub(/ /, "", r); print w " (" r ")"}' "$out/last"; }
opts=(scan -q --no-cache --no-logs --no-processes --fail-on none --format json --output "$out/doc.json" --path)
big=${PRAXCHECK_TESTDATA:-../shared/testdata}/jars/google/400mb_jar_in_jar.jar
flink=$(find "${CORPUS:-target/bench-corpus}/tree" -name 'flink-dist*.jar' 2>/dev/null | head -n 1 || true)
echo "| command | median wall | peak RSS |"
echo "|---|---:|---:|"
for f in "$big" "$flink"; do
  [ -f "$f" ] || { echo "missing: $f (set PRAXCHECK_TESTDATA / CORPUS)" >&2; continue; }
  n=$(basename "$f")
  run "praxcheck scan $n" "$bin" "${opts[@]}" "$f"
  ours=$(last)
  if [ -n "${BASE:-}" ]; then run "praxcheck scan $n (BASE)" "$BASE" "${opts[@]}" "$f"; fi
  inner=$(unzip -Z1 "$f" | grep -E '\.jar$' | head -n 1)
  run "unzip -p $n $inner \\| cat > /dev/null" sh -c "unzip -p '$f' '$inner' | cat > /dev/null"
  theirs=$(last)
  summary "nested: scan $n vs unzip -p | cat" "$ours" "$theirs (unzip)" "$(ratio "${ours%%s*}" "${theirs%%s*}")"
done
