#!/usr/bin/env bash
# Re-measures every local pipeline after a change (issue 10: no regression beyond noise):
# builds the release binary once, then runs, one after the other, each bench script that
# measures a pipeline on this computer, each with its baseline side by side in the same run,
# and prints one table: name, praxcheck's figure, the baseline's, the ratio praxcheck /
# baseline (times: lower is better) and the 1-minute load average when the row was measured.
#
#   bench/all.sh [--quick] [--net] [--server] [--web]
#
# Runs javascan (corpus: bench/corpus.sh, downloaded once into target/bench-corpus), logs,
# host, assess, nested, cache, reeval and its catch-up after an upgrade (reeval.sh catchup).
# The others need more than this computer: --net
# the network lab (root, samba, nmap, …: see bench/net.sh), --server the service's upload
# benchmark (PostgreSQL optional), --web the fleet pages. --quick checks that every script
# still runs (few rounds, small inputs, ../shared/testdata/jars as the corpus): its figures
# are not for BENCHMARKS.md. Each script's whole output goes to target/bench-all/NAME.log.
# Run it on an idle machine; a row measured at a load average above 1 says so in the table.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0 net=0 server=0 web=0
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    --net) net=1 ;;
    --server) server=1 ;;
    --web) web=1 ;;
    *) echo "usage: bench/all.sh [--quick] [--net] [--server] [--web]" >&2; exit 2 ;;
  esac
done
logs=target/bench-all
mkdir -p "$logs"
export BENCH_SUMMARY=$logs/summary.tsv
: > "$BENCH_SUMMARY"
echo "== cargo build --release -p praxcheck" >&2
cargo build --release -q -p praxcheck
export BIN=$PWD/target/release/praxcheck
testdata=${PRAXCHECK_TESTDATA:-../shared/testdata}

failed=()
step() {
  local name=$1; shift
  echo "== $name: $*" >&2
  local t0=$SECONDS
  if "$@" > "$logs/$name.log" 2>&1; then
    echo "   done in $((SECONDS - t0)) s" >&2
  else
    echo "   FAILED (see $logs/$name.log)" >&2
    failed+=("$name")
    printf '%s\tFAILED\t-\t-\t%s\n' "$name" "$(cut -d' ' -f1 /proc/loadavg)" >> "$BENCH_SUMMARY"
  fi
}

if [ "$quick" = 1 ]; then
  [ -d target/bench-corpus/tree ] && corpus=target/bench-corpus/tree || corpus=$testdata/jars
  step javascan env CORPUS="$corpus" bench/javascan.sh 2
  step logs bench/logs.sh 32 2
  step host bench/host.sh 2 1
  step assess bench/assess.sh 1000 10000 2
  step nested bench/nested.sh 1
  step cache bench/cache.sh "$corpus" 1
  step reeval bench/reeval.sh 50 20
  step catchup bench/reeval.sh catchup 200
else
  step javascan bench/javascan.sh 15
  step logs bench/logs.sh 512 7
  step host bench/host.sh 10 3
  step assess bench/assess.sh 5000 100000 10
  step nested bench/nested.sh 11
  step cache bench/cache.sh "" 5
  step reeval bench/reeval.sh 5000 2000
  step catchup bench/reeval.sh catchup 5000
fi
# These print their own tables (in their logs), not rows of the summary.
if [ "$net" = 1 ]; then step net bench/net.sh 3 --release; fi
if [ "$server" = 1 ]; then step server bench/server.sh; fi
if [ "$web" = 1 ]; then step web bench/web.sh; fi

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%dT%H:%MZ); commit $(git rev-parse --short=12 HEAD)$([ "$quick" = 1 ] && echo '; --quick: not for BENCHMARKS.md')"
echo
echo "| benchmark | praxcheck | baseline | ratio | load |"
echo "|---|---:|---:|---:|---:|"
# A "|" inside a cell (a pipeline in a benchmark's name) is escaped for Markdown.
awk -F'\t' '{ for (i = 1; i <= 4; i++) gsub(/\|/, "\\|", $i)
  printf "| %s | %s | %s | %s | %s%s |\n", $1, $2, $3, $4, $5, ($5 > 1.0 ? " (busy)" : "") }' "$BENCH_SUMMARY"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
