#!/bin/sh
# Day-zero re-evaluation at association scale on SQLite: PRACTICES x 10 hosts x 300
# components (default 5,000: 15 M host-component rows, loaded directly with SQL), then a new
# advisory set arrives. The service's reverse-index path against the naive forward path
# (re-assess every host's stored document; timed on SAMPLE hosts and scaled), same run.
# Usage: bench/reeval.sh [PRACTICES] [SAMPLE]   (needs ~1 GB in the temp folder)
#
# `bench/reeval.sh catchup [HOSTS]` (reeval6): HOSTS stored hosts (default 5,000) assessed
# with an older set, a server with the newer set starts; time until every host is
# re-assessed in the background, and request latency during it against the same request
# idle, same run.
set -eu
cd "$(dirname "$0")/.."
. bench/summary.sh
if [ "${1:-}" = catchup ]; then
  out=$(mktemp)
  trap 'rm -f "$out"' EXIT
  nice cargo run -q --release -p praxcheck-server --example catchupbench -- "${2:-5000}" | tee "$out"
  done_s=$(sed -n 's/.*re-assessed with version [0-9]* after \([0-9.]*\) s.*/\1/p' "$out")
  during=$(sed -n 's/^latency during.*median \([0-9.]*\) ms.*/\1/p' "$out")
  idle=$(sed -n 's/^latency idle.*median \([0-9.]*\) ms.*/\1/p' "$out")
  summary "reeval catch-up: ${2:-5000} hosts after an upgrade" "$done_s s; request median $during ms" "idle request median $idle ms" "$(ratio "$during" "$idle")"
  exit 0
fi
practices=${1:-5000}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
nice cargo run -q --release -p praxcheck-server --example reevalbench -- "$practices" "${2:-2000}" | tee "$out"
service=$(sed -n 's/.*light and score of those hosts after \([0-9]*\) ms.*/\1/p' "$out")
naive=$(sed -n 's/.*-> all [0-9]* hosts ~\([0-9]*\) s.*/\1/p' "$out")
summary "reeval: $practices practices, a new advisory set" "$service ms" "~$naive s (naive, scaled)" "$(ratio "$service" "$((naive * 1000))")"
