#!/usr/bin/env bash
# Java archive scan benchmark, side by side with the baseline in one run:
#   1. reading every byte of a corpus of real Java software once with `cat` (warm cache)
#      versus `praxcheck scan` on the same corpus;
#   2. peak RSS of `praxcheck scan` on 400mb_jar_in_jar.jar (a nested jar inflating to 400 MB).
# Needs: hyperfine and GNU time (Debian: apt-get install hyperfine time), the corpus
# (bench/corpus.sh downloads it into target/bench-corpus), and ../shared/testdata for part 2.
#
#   bench/javascan.sh [RUNS]        (default 10 runs each; medians are reported)
# Every scan runs with --no-cache: the repeat-scan cache (issue 15, since 2026-12-03) would
# otherwise answer every run after the first from its stored facts.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
. bench/summary.sh
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 2; }
# CORPUS=folder measures another corpus (bench/all.sh --quick: ../shared/testdata/jars).
corpus=${CORPUS:-$(bench/corpus.sh 2>/dev/null | tail -n 1)}
[ -n "${BIN:-}" ] || cargo build --release -q -p praxcheck
bin=${BIN:-$PWD/target/release/praxcheck}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

size=$(du -sb "$corpus" | cut -f1)
files=$(find "$corpus" -type f | wc -l)
echo "corpus: $corpus, $((size / 1000000)) MB, $files files; $(nproc) cores; $runs runs each"
# Warm the page cache.
find "$corpus" -type f -print0 | xargs -0 cat > /dev/null
hyperfine --style basic -N -w 2 -r "$runs" --export-json "$out/h.json" \
  -n cat "bash -c 'find $corpus -type f -print0 | xargs -0 cat > /dev/null'" \
  -n praxcheck "$bin scan -q --no-cache --path $corpus --no-logs --format json --output $out/doc.json --no-processes --fail-on none" >&2
python3 - "$out/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
c, p = r["cat"]["median"], r["praxcheck"]["median"]
print(f"| cat (every byte once) | {c*1000:.0f} ms |")
print(f"| praxcheck scan | {p*1000:.0f} ms |")
print(f"| ratio praxcheck / cat | {p/c:.2f} |")
print(f"{p*1000:.0f} ms\t{c*1000:.0f} ms (cat)\t{p/c:.2f}", file=open(sys.argv[1] + ".sum", "w"))
PY
IFS=$'\t' read -r p c r < "$out/h.json.sum"
summary "javascan: scan vs cat of the corpus" "$p" "$c" "$r"
python3 -c "
import json,sys; d=json.load(open('$out/doc.json')); s=d['scan']['stats']
print(f\"scan: {s['archives_opened']} archives, {s['entries_listed']} entries listed, {s['bytes_read']//1000000} MB read or inflated, {len(d['inventory']['components'])} components, {len(d['findings'])} findings, {len(d['unreadable'])} unreadable\")"

big=${PRAXCHECK_TESTDATA:-../shared/testdata}/jars/google/400mb_jar_in_jar.jar
if [ -f "$big" ]; then
  for i in 1 2 3; do
    /usr/bin/time -f "%M %e" "$bin" scan -q --no-cache --path "$big" --format json --output "$out/big.json" --no-processes 2>&1 >/dev/null | tail -n 1
  done | sort -n | sed -n 2p | awk '{printf "| 400mb_jar_in_jar.jar peak RSS (median of 3) | %.1f MB | wall %s s |\n", $1/1024, $2}' | tee "$out/rss"
  summary "javascan: 400 MB nested jar, peak RSS" "$(cut -d'|' -f3 "$out/rss" | xargs)" "32 MB (target)" "-"
else
  echo "400mb_jar_in_jar.jar not found (set PRAXCHECK_TESTDATA): RSS part skipped"
fi
