#!/usr/bin/env bash
# Windows build and test tier, without rustup: Debian's rustc-web toolchain (which ships the
# standard library's source as rust-web-src) cross-builds for x86_64-pc-windows-gnu with
# -Zbuild-std, mingw-w64 links, and Wine runs the tests and the MSI.
#
# The Debian toolchain is used by absolute path only; PATH defaults and the machine's main
# (rustup) toolchain are left alone. RUSTC_BOOTSTRAP=1 is set for these cargo runs only,
# because -Zbuild-std is an unstable cargo flag.
#
# Usage: scripts/windows.sh [build|clippy|test|exe|smoke|msi|ci|all]...   (default: all;
# several steps run in the given order, e.g. `scripts/windows.sh build clippy test`)
#   build   praxcheck.exe (release: what ships) and the test-only bcryptprimitives.dll shim
#   clippy  clippy -D warnings for the Windows target
#   test    the Windows test tier (model, versions, sys, hostscan, fix) under Wine (debug)
#   exe     praxcheck.exe in the debug profile (the test tier's dependencies, built once)
#   smoke   praxcheck.exe --version and a scan of an empty folder under Wine
#   msi     target/windows/praxcheck.msi with wixl (packaging/windows/praxcheck.wxs), then
#           under Wine: install (/qn), the installed exe's scan, uninstall; each step checked
#   ci      what CI runs (.ci/run): test, exe, smoke and msi with the debug exe, clippy;
#           then keeps the debug exe and the shim in target/tmp/windows-ci for the cli
#           test wine::registry_values_… (PRAXCHECK_WINDOWS_EXE, PRAXCHECK_WINDOWS_SHIM)
#   all     build clippy smoke test msi (the release exe)
# smoke and msi use the release exe, or the debug exe after `exe` or within `ci`.
# Everything goes to target/windows (the std build is cached there between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(all)
t0=$(date +%s)

target=x86_64-pc-windows-gnu
pkgs=(rustc-web cargo-web rust-web-src rust-web-clippy gcc-mingw-w64-x86-64 wine wine64 msitools wixl)

# --- packages (installed only when missing; CI runs as root) ---
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$p")
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
# rust-web-src installs the library sources below the Debian rustc's sysroot
# (/usr/lib/rustlib/src), where -Zbuild-std finds them.
bstd=(-Zbuild-std=std,panic_abort --target "$target")
"$RUSTC" --version

build() {
  echo "== windows: release build of praxcheck.exe"
  local s; s=$(date +%s)
  nice -n 10 "$deb_cargo" build --release -p praxcheck "${bstd[@]}"
  shim
  echo "== windows: build took $(( $(date +%s) - s )) s"
}

# The exe smoke and msi use: release unless a debug exe was built in this run (exe, ci).
exe_profile=release
exe_path() { echo "$CARGO_TARGET_DIR/$target/$exe_profile/praxcheck.exe"; }

# The debug exe: the same profile and target as the test tier, so it reuses the tier's
# dependencies (and the std build) instead of a second, optimised build of everything.
exe() {
  echo "== windows: debug build of praxcheck.exe"
  local s; s=$(date +%s)
  nice -n 10 "$deb_cargo" build -p praxcheck "${bstd[@]}"
  shim
  exe_profile=debug
  echo "== windows: debug exe build took $(( $(date +%s) - s )) s"
}

clippy() {
  echo "== windows: clippy for $target"
  # cargo-clippy from rust-web-clippy, called directly so that rustup's proxy is not used.
  nice -n 10 /usr/bin/cargo-clippy clippy --workspace "${bstd[@]}" -- -D warnings
}

# The test-only shim: Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's std
# imports; the shim forwards it to SystemFunction036 (RtlGenRandom). Built from source here
# (target/windows/shim), never committed, never part of the MSI.
shim() {
  local d="$CARGO_TARGET_DIR/shim"
  mkdir -p "$d"
  cat > "$d/bcryptprimitives.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x7fffffffu ? 0x7fffffffu : (ULONG)len;
    if (!SystemFunction036(data, n)) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
C
  x86_64-w64-mingw32-gcc -O2 -shared -o "$d/bcryptprimitives.dll" "$d/bcryptprimitives.c" -ladvapi32
}

# A fresh Wine prefix (below target/tmp) with the shim.
wine_prefix() {
  mkdir -p "$root/target/tmp"
  WINEPREFIX=$(mktemp -d "$root/target/tmp/wine.XXXXXX")
  export WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n;mscoree,mshtml="
  wineboot -i >/dev/null 2>&1 || true
  # Wine 8's fresh prefix says Windows 7; Windows 10 is its newest choice.
  timeout 120 winecfg /v win10 >/dev/null 2>&1 || true
  shim
  cp "$CARGO_TARGET_DIR/shim/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
}

wine_done() {
  wineserver -k >/dev/null 2>&1 || true
  rm -rf "$WINEPREFIX"
}

wintest() {
  echo "== windows: test tier under Wine (and the debug praxcheck.exe)"
  wine_prefix
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine
  export PRAXCHECK_WINE=1
  local rc=0
  # `-p praxcheck` builds the debug praxcheck.exe in the same run (its test crate is empty
  # on Windows): one feature resolution for all, so no crate is built twice (built apart,
  # serde's `rc`, windows-sys and syn features differ and ~150 crates would be rebuilt).
  # The Linux tiers' requirements (.ci/run exports them before this block: root, namespaces,
  # systemd, PostgreSQL…) do not hold under Wine; those tests say SKIPPED here, as they must.
  local unset_req=()
  local v
  for v in $(compgen -e | grep '^PRAXCHECK_REQUIRE_' || true); do
    unset_req+=(-u "$v")
  done
  env "${unset_req[@]}" nice -n 10 "$deb_cargo" test --no-fail-fast "${bstd[@]}" -p praxcheck-model -p praxcheck-versions \
    -p praxcheck-sys -p praxcheck-hostscan -p praxcheck-fix -p praxcheck || rc=$?
  [ -f "$CARGO_TARGET_DIR/$target/debug/praxcheck.exe" ] && exe_profile=debug
  wine_done
  return $rc
}

smoke() {
  echo "== windows: praxcheck.exe scan under Wine"
  wine_prefix
  local exe; exe=$(exe_path)
  local d; d=$(mktemp -d /tmp/praxcheck-winscan.XXXXXX)
  # Wine's Z: maps to /: the scan points at a prepared folder.
  wine "$exe" --version
  wine "$exe" scan --no-host --path "Z:${d//\//\\}" || true
  rm -rf "$d"
  wine_done
}

# The MSI: wixl builds it from the .wxs kept in the repo; the task file it ships is the
# generated, snapshot-tested packaging/windows/praxcheck-task.xml.
msi() {
  echo "== windows: praxcheck.msi (wixl)"
  local exe; exe=$(exe_path)
  [ -f "$exe" ] || { echo "windows.sh msi: $exe missing (run the build or exe step first)" >&2; return 1; }
  if [ "$exe_profile" = debug ]; then
    # The debug exe carries its line tables (122 MB); the MSI gets a stripped copy.
    mkdir -p "$root/target/tmp/msi-exe"
    x86_64-w64-mingw32-strip -o "$root/target/tmp/msi-exe/praxcheck.exe" "$exe"
    exe="$root/target/tmp/msi-exe/praxcheck.exe"
  fi
  local version
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
  # wixl (0.101) looks files up below its include folders and refuses absolute names, so
  # the sources are named relative to the repository, given as the include folder.
  wixl -a x64 -I "$root" -D Version="$version" \
    -D Exe="${exe#"$root"/}" -D TaskXml="packaging/windows/praxcheck-task.xml" \
    -o "$CARGO_TARGET_DIR/praxcheck.msi" "$root/packaging/windows/praxcheck.wxs"
  ls -l "$CARGO_TARGET_DIR/praxcheck.msi"
  msi_wine
}

# The MSI under Wine, each step checked: install silently, the installed exe scans a
# prepared folder (a log4j-core 2.14.1 stand-in) and writes its report into
# %ProgramData%\praxcheck, uninstall silently; the program and the task are gone, the data
# folder and the report stay. Every Wine command is bounded in time. What Wine cannot show
# (the folder's ACL, the task actually running as SYSTEM) is listed in README.
msi_wine() {
  echo "== windows: praxcheck.msi under Wine (install, scan, uninstall)"
  local msi="$CARGO_TARGET_DIR/praxcheck.msi"
  wine_prefix
  local c="$WINEPREFIX/drive_c"
  local exe="$c/Program Files/praxcheck/praxcheck.exe"
  local data="$c/ProgramData/praxcheck"
  local d; d=$(mktemp -d "$root/target/tmp/msi-scan.XXXXXX")
  local fail=0
  check() { if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1" >&2; fail=1; fi; }
  # Windows always runs the Task Scheduler; a fresh Wine prefix does not, and its first
  # start can outlast `net`'s wait, so a second try follows.
  # Under load the first starts time out or find the service database locked; the
  # service is asked again (at most 6 times) until `sc query` says RUNNING.
  local i
  for i in 1 2 3 4 5 6; do
    timeout 120 wine net start schedule >/dev/null 2>&1 || true
    if timeout 60 wine sc query schedule 2>/dev/null | grep RUNNING >/dev/null; then break; fi
    echo "== windows: Task Scheduler not running yet (try $i)"
    sleep 3
  done
  timeout 600 wine msiexec /i "Z:${msi//\//\\}" /qn || { echo "FAILED: msiexec /i exited $?" >&2; fail=1; }
  check "praxcheck.exe installed under Program Files" '[ -f "$exe" ]'
  check "task file installed" '[ -f "$c/Program Files/praxcheck/praxcheck-task.xml" ]'
  check "%ProgramData%\\praxcheck created" '[ -d "$data" ]'
  check "daily task registered" '[ -n "$(find "$c/windows/system32/tasks" -ipath "*praxcheck*agent*" -type f 2>/dev/null)" ]'
  # A stand-in for log4j-core 2.14.1 (Maven metadata and JndiLookup; the scan reads these).
  python3 - "$d/log4j-core-2.14.1.jar" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
    z.writestr("META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
               "groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n")
    z.writestr("org/apache/logging/log4j/core/lookup/JndiLookup.class", b"\xca\xfe\xba\xbe\x00\x00\x00\x34")
PY
  mkdir -p "$data/reports"
  local rc=0
  PRAXCHECK_TODAY=2026-11-29 timeout 300 wine "$exe" --lang de scan --no-host --no-processes \
    --path "Z:${d//\//\\}" --format json --fail-on none \
    --output 'C:\ProgramData\praxcheck\reports\msi-scan.json' || rc=$?
  check "the installed exe's scan exits 0 (got $rc)" '[ "$rc" = 0 ]'
  check "its report names Log4Shell" 'grep -q CVE-2021-44228 "$data/reports/msi-scan.json"'
  timeout 600 wine msiexec /x "Z:${msi//\//\\}" /qn || { echo "FAILED: msiexec /x exited $?" >&2; fail=1; }
  check "praxcheck.exe removed" '[ ! -e "$exe" ]'
  check "daily task removed" '[ -z "$(find "$c/windows/system32/tasks" -ipath "*praxcheck*agent*" -type f 2>/dev/null)" ]'
  check "the report kept in %ProgramData%\\praxcheck" '[ -f "$data/reports/msi-scan.json" ]'
  rm -rf "$d"
  wine_done
  [ "$fail" = 0 ] || { echo "windows.sh msi: the MSI under Wine failed (see above)" >&2; return 1; }
}

# CI: the test tier first (its dependencies are the debug exe's), the exe, its smoke test
# and the MSI round trip, then clippy (a check build: nothing of the others is reused).
# The exe and the shim are kept (a few MB) for the cli wine test; target/windows can go.
ci() {
  # The tier's failure is reported at the end, after the other steps ran (wintest returns
  # cargo's status; `timed` is not used here because `||` would hide it).
  local rc=0 s; s=$(date +%s)
  wintest || rc=$?
  echo "== windows: step 'wintest' took $(( $(date +%s) - s )) s"
  cpu
  # The tier's run built the debug exe; without it (the build failed) stop here.
  [ "$exe_profile" = debug ] || { echo "windows.sh ci: no debug praxcheck.exe" >&2; return 1; }
  timed smoke
  timed msi
  timed clippy
  local keep="$root/target/tmp/windows-ci"
  rm -rf "$keep"
  mkdir -p "$keep"
  cp "$(exe_path)" "$CARGO_TARGET_DIR/shim/bcryptprimitives.dll" "$keep/"
  echo "== windows: kept $keep/praxcheck.exe and the shim for the cli wine test"
  [ "$rc" = 0 ] || { echo "windows.sh ci: the Wine test tier failed (see above)" >&2; return 1; }
}

# Each step's wall time; at the end `times` prints the CPU seconds (user, system) of the
# script and, on its second line, of everything it ran.
# Called plainly (never after `||`), so that `set -e` still stops at a failing step.
timed() {
  local s; s=$(date +%s)
  "$@"
  echo "== windows: step '$*' took $(( $(date +%s) - s )) s"
  cpu
}

# CPU seconds (user, system) of everything this script ran so far (`times`, second line).
# `times` runs in this shell only when not in a command substitution, so it writes to a file.
cpu() {
  mkdir -p "$root/target/tmp"; times > "$root/target/tmp/.windows-times"
  echo "== windows: CPU so far (children user, system): $(tail -1 "$root/target/tmp/.windows-times")"
}

for step in "${steps[@]}"; do
  case "$step" in
    build | clippy | test | exe | smoke | msi | ci | all) ;;
    *) echo "usage: $0 [build|clippy|test|exe|smoke|msi|ci|all]..." >&2; exit 2 ;;
  esac
done
for step in "${steps[@]}"; do
  case "$step" in
    build) timed build ;;
    clippy) timed clippy ;;
    test) timed wintest ;;
    exe) timed exe ;;
    smoke) [ "$exe_profile" = debug ] || timed build; timed smoke ;;
    msi) timed msi ;;
    ci) ci ;;
    all) build; clippy; smoke; wintest; msi ;;
  esac
done
times
echo "== windows: finished in $(( $(date +%s) - t0 )) s"
