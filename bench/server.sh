#!/bin/sh
# Durable uploads/s of 300-component documents: the service's group-commit writer over HTTP
# against the naive one-transaction-per-upload write, in the same run, on SQLite (WAL +
# synchronous=FULL) and on a private PostgreSQL cluster (fsync on; skipped without Debian's
# postgresql), for unchanged and for changed inventories; the server process's peak RSS and
# CPU time per upload; the cost of the SQLite pool's release hook.
# Usage: bench/server.sh [UPLOADS] [CLIENTS]   (keep it short on the shared 2-core machine)
set -eu
cd "$(dirname "$0")/.."
nice cargo build -q --release -p praxcheck-server --bin praxcheck-test-serve --example uploadbench
exec nice target/release/examples/uploadbench "${1:-2000}" "${2:-64}"
