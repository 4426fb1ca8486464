#!/usr/bin/env bash
# The network scan (issue 12), side by side in one run: the lab's /24 (10.99.7.0/24 inside
# network namespaces the benchmark builds itself: Samba with SMB1 on and off, OpenSSH,
# vsftpd, HTTP, HTTPS, pynetdicom DICOM SCPs, fake RDP/VNC/HL7/MariaDB/Telnet; nothing binds on
# this machine's interfaces) with the practice port profile and identification:
#   praxcheck net 10.99.7.0/24      vs      nmap -sT -sV --version-light -n -p <the same ports>
# both run from the same scanner namespace, one after the other, RUNS times each; prints the
# median times and a table of what each identified, and fails when nmap identified a port
# that praxcheck did not.
#
# The lab is the test harness of crates/netscan/tests/netlab.rs (the ignored test
# bench_practice_profile_against_nmap). Needs root and Debian's samba, vsftpd, openssh-server,
# nftables, iproute2, openssl, nmap and python3 with pynetdicom (see .ci/run).
#
#   bench/net.sh [RUNS] [--release]          (default: 1 run, the debug binary)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
profile=debug
if [ "${2:-}" = --release ]; then profile=release; fi
if [ "$profile" = release ]; then cargo build --release -q -p praxcheck; else cargo build -q -p praxcheck; fi
bin=$(pwd)/target/$profile/praxcheck
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ); binary: $profile"
PRAXCHECK_BIN=$bin BENCH_RUNS=$runs BENCH_OUT=$out PRAXCHECK_REQUIRE_NETLAB=1 \
  cargo test -q -p praxcheck-netscan --test netlab -- --ignored --exact \
  bench_practice_profile_against_nmap
cat "$out"
