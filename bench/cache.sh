#!/usr/bin/env bash
# The repeat-scan cache (issue 15), side by side in one run: the first scan of a corpus
# (empty cache), then repeat scans of the unchanged corpus (cache warm), and a scan with
# --no-cache; the findings of all of them must be identical.
#
#   bench/cache.sh [CORPUS] [RUNS]
# CORPUS defaults to target/bench-corpus/tree (bench/corpus.sh), else ../shared/testdata/jars.
# Uses target/release/praxcheck (build it with cargo build --release -p praxcheck or
# scripts/deb.sh; BIN=path uses another binary). With CALLGRIND=1 it also counts the
# instructions of one first and one repeat scan (valgrind --tool=callgrind, all threads
# together): a figure the other load on a shared machine does not change.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-}
if [ -z "$corpus" ]; then
  if [ -d target/bench-corpus/tree ]; then corpus=target/bench-corpus/tree; else corpus=../shared/testdata/jars; fi
fi
runs=${2:-5}
. bench/summary.sh
bin=${BIN:-target/release/praxcheck}
[ -x "$bin" ] || { echo "build first: cargo build --release -p praxcheck" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export PRAXCHECK_STATE_DIR=$work/state PRAXCHECK_OUTPUT_DIR=$work/reports PRAXCHECK_TODAY=2026-12-01
# Each scan's wall time and CPU time (user + system, from GNU time): on a shared machine the
# wall time carries the scheduler's delays, the CPU time is what the scan itself cost.
scan() { /usr/bin/time -f "%U %S" -o "$work/cpu" "$bin" --quiet scan --path "$corpus" --no-logs --no-processes --format json --fail-on none "$@"; }
cpu() { awk '{print $1 + $2}' "$work/cpu"; }
findings() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(sorted((f["id"], f["status"], f["severity"]) for f in d["findings"])))' "$1"; }
now() { date +%s.%N; }
med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "corpus: $corpus ($(du -sh "$corpus" | cut -f1), $(find "$corpus" -type f | wc -l) files); runs: $runs"
cold=(); warm=(); nocache=(); cold_cpu=(); warm_cpu=(); nocache_cpu=()
for i in $(seq "$runs"); do
  rm -rf "$work/state"
  t0=$(now); scan > "$work/cold.json"; t1=$(now); cold_cpu+=("$(cpu)")
  scan > "$work/warm.json"; t2=$(now); warm_cpu+=("$(cpu)")
  scan --no-cache > "$work/nocache.json"; t3=$(now); nocache_cpu+=("$(cpu)")
  cold+=("$(echo "$t1 - $t0" | bc)"); warm+=("$(echo "$t2 - $t1" | bc)"); nocache+=("$(echo "$t3 - $t2" | bc)")
  for f in warm nocache; do
    [ "$(findings "$work/cold.json")" = "$(findings "$work/$f.json")" ] || { echo "verdicts differ: cold vs $f" >&2; exit 1; }
  done
done
c=$(printf '%s\n' "${cold[@]}" | med); w=$(printf '%s\n' "${warm[@]}" | med); n=$(printf '%s\n' "${nocache[@]}" | med)
cc=$(printf '%s\n' "${cold_cpu[@]}" | med); wc=$(printf '%s\n' "${warm_cpu[@]}" | med); nc=$(printf '%s\n' "${nocache_cpu[@]}" | med)
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "first scan (empty cache)   median ${c} s wall, ${cc} s CPU"
echo "repeat scan (cache warm)   median ${w} s wall, ${wc} s CPU"
echo "repeat scan --no-cache     median ${n} s wall, ${nc} s CPU"
echo "speed-up first / repeat:   $(echo "scale=1; $c / $w" | bc) x wall, $(awk -v a="$cc" -v b="$wc" 'BEGIN { if (b < 0.01) b = 0.01; printf "%.1f", a / b }') x CPU (GNU time counts in 10 ms steps; a repeat below that counts as 10 ms)"
summary "cache: repeat scan (warm) vs first scan" "$(printf '%.4f' "$w") s" "$(printf '%.4f' "$c") s (first)" "$(ratio "$w" "$c")"
echo "findings identical in every run: $(findings "$work/cold.json" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') findings"
echo "cache file: $(du -h "$work"/state/agent/cache/javascan.* | cut -f1)"
# The wall times above include the harness: each scan is timed around a fork of GNU time
# and two `date` processes, a few milliseconds that weigh on a 20 ms repeat and not on a
# 240 ms first scan. hyperfine (Debian package) times the command alone (no shell, -N),
# output written to a file as above, the first scan with its cache removed before every
# run (--prepare), the repeat with a warm cache: both the same way, in the same run.
if command -v hyperfine >/dev/null 2>&1; then
  cmd="$bin --quiet scan --path $corpus --no-logs --no-processes --format json --fail-on none"
  hyperfine -N -w 2 -r "$((runs > 10 ? runs : 10))" --output="$work/hf.json" --export-json "$work/hf-first.json" \
    --prepare "rm -rf $work/state" -n first "$cmd" > /dev/null
  "$bin" --quiet scan --path "$corpus" --no-logs --no-processes --format json --fail-on none > /dev/null
  hyperfine -N -w 2 -r "$((runs > 10 ? runs : 10))" --output="$work/hf.json" --export-json "$work/hf-repeat.json" \
    -n repeat "$cmd" > /dev/null
  hf() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.4f" % r["median"])' "$1"; }
  hc=$(hf "$work/hf-first.json"); hw=$(hf "$work/hf-repeat.json")
  echo "hyperfine first scan       median ${hc} s wall"
  echo "hyperfine repeat scan      median ${hw} s wall"
  echo "hyperfine speed-up:        $(echo "scale=1; $hc / $hw" | bc) x wall"
  summary "cache (hyperfine): repeat scan vs first scan" "$hw s" "$hc s (first)" "$(ratio "$hw" "$hc")"
else
  echo "hyperfine: not installed (apt-get install hyperfine); harness wall times only"
fi
if [ "${CALLGRIND:-0}" = 1 ]; then
  # Instructions (Ir) of one first and one repeat scan; under valgrind the threads run one
  # at a time, the count is theirs together.
  ir() { valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" --quiet scan --path "$corpus" --no-logs --no-processes --format json --fail-on none > "$work/cg.json" 2> "$work/cg.err"; sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.err"; }
  rm -rf "$work/state"
  ic=$(ir); iw=$(ir)
  echo "instructions first scan:   $ic"
  echo "instructions repeat scan:  $iw"
  echo "speed-up in instructions:  $(echo "scale=1; $ic / $iw" | bc) x"
fi
