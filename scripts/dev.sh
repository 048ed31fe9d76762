#!/usr/bin/env bash
# The two set-up commands of README.md, on a fresh Debian 12 machine:
#   scripts/dev.sh run    install what is missing, build, run bragd in the foreground
#   scripts/dev.sh test   install what is missing, build, run every test (also under ASan+UBSan)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=$(nproc 2>/dev/null || echo 2)

PACKAGES=(build-essential cmake ninja-build pkg-config git util-linux
          libgit2-dev libboost-dev libsqlite3-dev libtomlplusplus-dev
          nlohmann-json3-dev libcli11-dev doctest-dev libsystemd-dev zlib1g-dev)

# Only `test` needs these: the HTML digest is loaded in headless Chromium;
# fiu-run injects write and fsync failures into bragd.
TEST_PACKAGES=(chromium fiu-utils)

install_packages() {  # install_packages [extra packages...]
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "dev.sh: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

build() {  # build DIR [cmake args...]
  local dir=$1; shift
  cmake -S "$ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

cmd_run() {
  install_packages
  build "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRAG_TESTS=OFF
  echo "dev.sh: starting bragd (Ctrl-C stops it); in another terminal: $ROOT/build/daemon/brag status" >&2
  exec "$ROOT/build/daemon/bragd" "$@"
}

cmd_test() {
  install_packages "${TEST_PACKAGES[@]}"
  build "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRAG_WERROR=ON
  (cd "$ROOT/build" && ctest --output-on-failure -j "$JOBS")
  echo "dev.sh: the same tests under AddressSanitizer + UndefinedBehaviorSanitizer" >&2
  build "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=Debug -DBRAG_WERROR=ON -DBRAG_SANITIZE=ON
  (cd "$ROOT/build-asan" &&
     ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
     LSAN_OPTIONS=suppressions="$ROOT/scripts/lsan.supp":print_suppressions=0 \
     ctest --output-on-failure -j "$JOBS")
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: scripts/dev.sh run|test" >&2; exit 2 ;;
esac
