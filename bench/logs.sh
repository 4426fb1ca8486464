#!/usr/bin/env bash
# Side-by-side throughput of `praxcheck logs` against the tools people use today:
# GNU `grep -F '${'` on a large plain log and `zcat` on its gzip copy (issue 3 targets:
# at least half grep's throughput on the plain file, no slower than zcat on the gzip).
#
# The benign log comes from the committed seeded generator (bench/logs_gen.rs): practice
# application lines in German, access-log lines with %24 in query strings, many harmless
# ${…} templates, JNDI/LDAP talk, stack traces, and no payload (every run must report no
# evidence; the script checks). Files are cached in target/bench-logs.
#
# Usage: bench/logs.sh [SIZE_MIB (default 512)] [REPETITIONS (default 7)] [SEED (default 1)]
# Prints a table of medians. Build is --release.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-512}
reps=${2:-7}
seed=${3:-1}
cache=target/bench-logs
. bench/summary.sh
mkdir -p "$cache"

[ -n "${BIN:-}" ] || cargo build --release -q -p praxcheck
cargo build --release -q -p praxcheck-logscan --example logs_gen
bin=${BIN:-target/release/praxcheck}
plain="$cache/benign-s$seed-${size}m.log"
gz="$plain.gz"
if [ ! -s "$plain" ]; then
  target/release/examples/logs_gen "$seed" "$size" > "$plain.tmp" && mv "$plain.tmp" "$plain"
fi
if [ ! -s "$gz" ]; then
  gzip -6 -c "$plain" > "$gz.tmp" && mv "$gz.tmp" "$gz"
fi
bytes=$(stat -c %s "$plain")
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

# The scanner must find nothing in the benign log (and exit 0).
"$bin" logs -q --path "$plain" --format json > "$cache/check.json"
"$bin" logs -q --path "$gz" --format json > "$cache/check-gz.json"
if grep -q '"log_evidence"' "$cache/check.json" "$cache/check-gz.json"; then
  echo "benign log produced evidence: see $cache/check*.json" >&2
  exit 1
fi

# Warm the page cache.
cat "$plain" "$gz" > /dev/null

# median_seconds CMD...: runs CMD $reps times, prints the median wall time in seconds.
median_seconds() {
  local times=() t0 t1
  for _ in $(seq "$reps"); do
    t0=$(date +%s%N)
    "$@" > /dev/null
    t1=$(date +%s%N)
    times+=("$(( t1 - t0 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] / 1e9 }'
}

# grep writing to /dev/null stops at the first match, so its output goes to a pipe.
grep_lines() { grep -F '${' "$1" | wc -l; }
grep_count() { grep -cF '${' "$1" | cat; }
zcat_all() { zcat "$1" | wc -c; }
scan() { "$bin" logs -q --path "$1" --format json; }

declare -A t
# Each tool runs its repetitions one after the other (medians); the tools follow each other.
t[grep_lines]=$(median_seconds grep_lines "$plain")
t[grep_count]=$(median_seconds grep_count "$plain")
t[scan_plain]=$(median_seconds scan "$plain")
t[zcat]=$(median_seconds zcat_all "$gz")
t[scan_gz]=$(median_seconds scan "$gz")

rate() { awk -v s="$1" -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 / s }'; }

echo "praxcheck logs benchmark: $mib MiB benign log (seed $seed), $reps runs each, medians; $(nproc) cores"
printf '%-44s %9s %10s %s\n' "command" "seconds" "MiB/s" "praxcheck throughput relative"
printf '%-44s %9s %10s %s\n' "grep -F '\${' plain | wc -l" "${t[grep_lines]}" "$(rate "${t[grep_lines]}")" "$(ratio "${t[grep_lines]}" "${t[scan_plain]}") x grep (target >= 0.5)"
printf '%-44s %9s %10s %s\n' "grep -cF '\${' plain (search only)" "${t[grep_count]}" "$(rate "${t[grep_count]}")" "$(ratio "${t[grep_count]}" "${t[scan_plain]}") x grep -c"
printf '%-44s %9s %10s\n' "praxcheck logs --path plain --format json" "${t[scan_plain]}" "$(rate "${t[scan_plain]}")"
printf '%-44s %9s %10s %s\n' "zcat gz | wc -c" "${t[zcat]}" "$(rate "${t[zcat]}")" "$(ratio "${t[zcat]}" "${t[scan_gz]}") x zcat (target >= 1.0)"
printf '%-44s %9s %10s\n' "praxcheck logs --path gz --format json" "${t[scan_gz]}" "$(rate "${t[scan_gz]}")"
echo "(MiB/s counts uncompressed bytes for the gzip rows too)"
summary "logs: ${mib} MiB plain vs grep -F | wc -l" "${t[scan_plain]} s" "${t[grep_lines]} s (grep)" "$(ratio "${t[scan_plain]}" "${t[grep_lines]}")"
summary "logs: ${mib} MiB gzip vs zcat | wc -c" "${t[scan_gz]} s" "${t[zcat]} s (zcat)" "$(ratio "${t[scan_gz]}" "${t[zcat]}")"
