#!/bin/sh
# Day-zero re-evaluation at association scale on SQLite: PRACTICES x 10 hosts x 300
# components (default 5,000: 15 M host-component rows, loaded directly with SQL), then a new
# advisory set arrives. The service's reverse-index path against the naive forward path
# (re-assess every host's stored document; timed on SAMPLE hosts and scaled), same run.
# Usage: bench/reeval.sh [PRACTICES] [SAMPLE]   (needs ~1 GB in the temp folder)
set -eu
cd "$(dirname "$0")/.."
. bench/summary.sh
practices=${1:-5000}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
nice cargo run -q --release -p praxcheck-server --example reevalbench -- "$practices" "${2:-2000}" | tee "$out"
service=$(sed -n 's/.*light and score of those hosts after \([0-9]*\) ms.*/\1/p' "$out")
naive=$(sed -n 's/.*-> all [0-9]* hosts ~\([0-9]*\) s.*/\1/p' "$out")
summary "reeval: $practices practices, a new advisory set" "$service ms" "~$naive s (naive, scaled)" "$(ratio "$service" "$((naive * 1000))")"
