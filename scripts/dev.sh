#!/usr/bin/env bash
# The two set-up commands of README.md, on a fresh Debian 12 machine:
#   scripts/dev.sh run    install what is missing, build, run bragd in the foreground
#   scripts/dev.sh test   install what is missing, build, run every test (also under ASan+UBSan),
#                         then fuzz each target of fuzz/ for FUZZ_SECONDS (20)
#   scripts/dev.sh fuzz   only the fuzz stage
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=$(nproc 2>/dev/null || echo 2)

PACKAGES=(build-essential cmake ninja-build pkg-config git util-linux
          libgit2-dev libboost-dev libsqlite3-dev libtomlplusplus-dev
          nlohmann-json3-dev libcli11-dev doctest-dev libsystemd-dev zlib1g-dev
          libedit-dev scdoc)

# Only `test` needs these: the HTML digest is loaded in headless Chromium;
# fiu-run injects write and fsync failures into bragd; clang's libFuzzer
# runs the fuzz targets of fuzz/; tests/docs/drift_test.py (python3) runs the
# bash (with bash-completion), zsh and fish completions; python3 also stands in
# for a socket-activated bragd in tests/e2e/daemon_control_test.cc.
TEST_PACKAGES=(chromium fiu-utils clang libclang-rt-14-dev python3 bash-completion zsh fish)

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
  fuzz_stage
}

# Builds the libFuzzer targets of fuzz/ with clang and runs each for
# FUZZ_SECONDS (20) on a temporary copy of its corpus (new units are not
# written into the repo), two at a time; any crash fails the script.
fuzz_stage() {
  echo "dev.sh: fuzzing each target for ${FUZZ_SECONDS:-20}s" >&2
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$ROOT/build-fuzz" -G Ninja -DBRAG_FUZZ=ON \
    -DBRAG_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBRAG_WERROR=ON >/dev/null
  cmake --build "$ROOT/build-fuzz" -j "$JOBS" --target fuzz
  local work targets=() pids=() failed=0 t
  work=$(mktemp -d)
  for dir in "$ROOT"/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
  run_one() {  # run_one TARGET: its log is $work/TARGET.log
    mkdir -p "$work/$1/corpus" "$work/$1/artifacts"
    cp -r "$ROOT/fuzz/corpus/$1/." "$work/$1/corpus/"
    "$ROOT/build-fuzz/fuzz/$1" -max_total_time="${FUZZ_SECONDS:-20}" -print_final_stats=1 \
      -artifact_prefix="$work/$1/artifacts/" "$work/$1/corpus" >"$work/$1.log" 2>&1
  }
  for ((i = 0; i < ${#targets[@]}; i += 2)); do
    pids=()
    for t in "${targets[@]:i:2}"; do run_one "$t" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p" || failed=1; done
  done
  for t in "${targets[@]}"; do
    echo "dev.sh: $t: $(grep -E 'stat::(number_of_executed_units|average_exec_per_sec)' \
      "$work/$t.log" | tr -s ' \n' ' ')" >&2
    if grep -qE 'ERROR: |runtime error|fuzz invariant broken|deadly signal' "$work/$t.log"; then
      failed=1
      echo "dev.sh: $t crashed:" >&2
      tail -n 40 "$work/$t.log" >&2
      ls "$work/$t/artifacts" >&2
    fi
  done
  if [ "$failed" -ne 0 ]; then
    echo "dev.sh: fuzzing found a crash (logs and artifacts in $work)" >&2
    return 1
  fi
  rm -rf "$work"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  fuzz) shift; install_packages "${TEST_PACKAGES[@]}"; fuzz_stage ;;
  *) echo "usage: scripts/dev.sh run|test|fuzz" >&2; exit 2 ;;
esac
