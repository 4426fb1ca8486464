#!/bin/sh
# Day-zero re-evaluation at association scale on SQLite: PRACTICES x 10 hosts x 300
# components (default 5,000: 15 M host-component rows, loaded directly with SQL), then a new
# advisory set arrives. The service's reverse-index path against the naive forward path
# (re-assess every host's stored document; timed on SAMPLE hosts and scaled), same run.
# Usage: bench/reeval.sh [PRACTICES] [SAMPLE]   (needs ~1 GB in the temp folder)
set -eu
cd "$(dirname "$0")/.."
exec nice cargo run -q --release -p praxcheck-server --example reevalbench -- "${1:-5000}" "${2:-2000}"
