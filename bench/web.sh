#!/usr/bin/env bash
# The fleet pages at scale (issue 14: <= 200 ms server time per page at 5,000 practices).
# Seeds PRACTICES practices x 10 machines into a fresh SQLite data folder, starts the server
# with the web pages in-process, signs in as association staff and times every fleet page
# over HTTP on 127.0.0.1 (median and worst of REQUESTS); the naive baseline (every assessment
# loaded into memory and counted) runs in the same process.
#
#   bench/web.sh [PRACTICES] [REQUESTS]     (defaults: 5000 20)
set -euo pipefail
cd "$(dirname "$0")/.."
practices=${1:-5000}
requests=${2:-20}
echo "machine: $(nproc) cores, $(uname -m); $(date -u +%Y-%m-%d)"
cargo run -q -p praxcheck-web --example webbench -- "$practices" "$requests"
