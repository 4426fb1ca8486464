#!/usr/bin/env bash
# Host collection benchmark: `praxcheck scan --host-only` (this computer's posture facts)
# against the 5 s target, side by side in the same run with Lynis, the tool people use today
# (`lynis audit system`), when Lynis is installed from Debian's packages.
#
# Needs: hyperfine (Debian: apt-get install hyperfine); for the comparison lynis
# (apt-get install lynis). Lynis is run as it would be by an administrator
# (`lynis audit system --quick`), with its log and report written to a scratch folder.
# Run as root to measure the full collection; the script also times a run as `nobody`
# (setpriv) when it can.
#
#   bench/host.sh [RUNS] [LYNIS_RUNS]     (defaults 10 and 3; medians are reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
lynis_runs=${2:-3}
. bench/summary.sh
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 2; }
[ -n "${BIN:-}" ] || cargo build --release -q -p praxcheck
bin=${BIN:-$PWD/target/release/praxcheck}
out=$(mktemp -d)
chmod 0777 "$out"
trap 'rm -rf "$out"' EXIT

. /etc/os-release
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), ${PRETTY_NAME}, kernel $(uname -r), user $(id -un); load average $(cut -d' ' -f1-3 /proc/loadavg)"

cmds=(-n praxcheck "$bin scan -q --host-only --fail-on none --format json --output $out/host.json")
if command -v lynis >/dev/null; then
  echo "lynis: $(lynis --version 2>/dev/null | head -n 1)"
  cmds+=(-n lynis "lynis audit system --quick --no-colors --logfile $out/lynis.log --report-file $out/lynis-report.dat")
else
  echo "lynis not installed (apt-get install lynis): comparison skipped"
fi
hyperfine --style basic -N -w 1 -r "$runs" --export-json "$out/p.json" "${cmds[@]:0:3}" >&2
if [ ${#cmds[@]} -gt 3 ]; then
  hyperfine --style basic -N -r "$lynis_runs" --export-json "$out/l.json" "${cmds[@]:3:3}" >&2
fi

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  hyperfine --style basic -N -w 1 -r "$runs" --export-json "$out/u.json" \
    -n "praxcheck as nobody" "setpriv --reuid=65534 --regid=65534 --clear-groups -- $bin scan -q --host-only --fail-on none --format json --output $out/host-nobody.json" >&2
fi

python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
def median(f):
    p = os.path.join(d, f)
    return json.load(open(p))["results"][0]["median"] if os.path.exists(p) else None
p, l, u = median("p.json"), median("l.json"), median("u.json")
print("| command | median |")
print("|---|---:|")
print(f"| `praxcheck scan --host-only` (root) | {p:.3f} s |")
if u is not None:
    print(f"| `praxcheck scan --host-only` as `nobody` | {u:.3f} s |")
with open(os.path.join(d, "sum"), "w") as s:
    print(f"{p:.3f} s\t{f'{l:.1f} s (lynis)' if l is not None else 'lynis not installed'}\t{f'{p/l:.3f}' if l else '-'}", file=s)
if l is not None:
    print(f"| `lynis audit system --quick` | {l:.1f} s |")
    print(f"| ratio Lynis / praxcheck | {l/p:.0f} × |")
doc = json.load(open(os.path.join(d, "host.json")))
facts = doc["inventory"]["host"]["facts"]
unknown = sum(1 for f in facts if f["type"] == "unknown")
print(f"\nfacts: {len(facts)} ({unknown} unknown), components: {len(doc['inventory']['components'])}; target < 5 s: {'met' if p < 5 else 'NOT met'}")
up = os.path.join(d, "host-nobody.json")
if os.path.exists(up):
    n = json.load(open(up))["inventory"]["host"]
    need = [f for f in n["facts"] if f["key"] == "host.facts_needing_privilege"][0]["value"]
    print(f"as nobody: privileged={n['privileged']}, facts needing root: {', '.join(need) or 'none'}")
PY
IFS=$'\t' read -r p l r < "$out/sum"
summary "host: scan --host-only ($(id -un)) vs lynis" "$p" "$l" "$r"
