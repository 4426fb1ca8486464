#!/usr/bin/env bash
# Downloads a corpus of real Java software from registries this project can reach (PyPI
# source distributions that bundle jars, Debian's Java packages) into a cache folder
# outside git, and unpacks it. Idempotent: finished steps are skipped.
#
#   bench/corpus.sh [CACHE_DIR]     (default: target/bench-corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${1:-target/bench-corpus}
mkdir -p "$cache/dl" "$cache/tree"
cache=$(cd "$cache" && pwd)

# PyPI sdists with bundled jars (Flink 1.14.0/1.14.2/1.14.3 carry log4j-core 2.14.1 /
# 2.16.0 / 2.17.1 and an uber jar with merged log4j classes; PySpark 3.2.0 carries
# log4j 1.2.17, 3.3.0 log4j-core 2.17.2). The jars are never run, but note that
# `pip download` of a source distribution prepares its metadata, which runs the package's
# build script (setup.py) — run this in a throwaway environment if that matters.
pypi=(apache-flink-libraries==1.14.0 apache-flink-libraries==1.14.2 apache-flink-libraries==1.14.3 pyspark==3.2.0 pyspark==3.3.0)
for spec in "${pypi[@]}"; do
  name=${spec%%==*}; ver=${spec##*==}
  if ! ls "$cache/dl/" 2>/dev/null | grep -q "^${name//-/[-_]}-${ver}\.tar\.gz$"; then
    echo "== download $spec" >&2
    python3 -m pip download --quiet --no-deps --no-binary :all: --no-build-isolation \
      --dest "$cache/dl" "$spec" 2>/dev/null \
      || python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$cache/dl" "$spec"
  fi
done

# Debian's Java packages (log4j 2 and 1.2 with distribution back-ports, logback, and some
# common libraries).
debs=(liblog4j2-java liblog4j1.2-java liblogback-java libcommons-lang3-java libcommons-io-java
      libslf4j-java libjackson2-databind-java libguava-java libtomcat10-java)
(cd "$cache/dl" && for d in "${debs[@]}"; do ls "${d}"_*.deb >/dev/null 2>&1 || apt-get download -qq "$d" 2>/dev/null || echo "skip $d" >&2; done)

for f in "$cache"/dl/*.tar.gz; do
  dest="$cache/tree/$(basename "$f" .tar.gz)"
  [ -d "$dest" ] || { mkdir -p "$dest.tmp" && tar -xzf "$f" -C "$dest.tmp" && mv "$dest.tmp" "$dest"; }
done
for f in "$cache"/dl/*.deb; do
  dest="$cache/tree/deb-$(basename "$f" .deb)"
  [ -d "$dest" ] || { dpkg-deb -x "$f" "$dest.tmp" && mv "$dest.tmp" "$dest"; }
done
echo "$cache/tree"
