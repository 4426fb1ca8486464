#!/bin/sh
# Durable uploads/s of 300-component documents on SQLite (WAL + synchronous=FULL):
# the service's group-commit writer over HTTP against the naive one-transaction-per-upload
# write, in the same run, for unchanged and for changed inventories; peak RSS of the process.
# Usage: bench/server.sh [UPLOADS] [CLIENTS]   (keep it short on the shared 2-core machine)
set -eu
cd "$(dirname "$0")/.."
exec nice cargo run -q --release -p praxcheck-server --example uploadbench -- "${1:-2000}" "${2:-64}"
