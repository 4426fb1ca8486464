# Sourced by the bench scripts: `summary NAME PRAXCHECK BASELINE RATIO` adds one row to the
# table `bench/all.sh` prints (the file named by $BENCH_SUMMARY; nothing when unset), with
# the 1-minute load average at that moment: figures measured under load are not comparable.
summary() {
  [ -n "${BENCH_SUMMARY:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$(cut -d' ' -f1 /proc/loadavg)" >> "$BENCH_SUMMARY"
}
# ratio A B: A / B with two decimals ("-" when B is zero or missing).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
