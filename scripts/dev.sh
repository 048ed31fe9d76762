#!/usr/bin/env bash
# The two set-up commands of README.md, on a fresh Debian 12 machine:
#   scripts/dev.sh run    install what is missing, build, run bragd in the foreground
#   scripts/dev.sh test   install what is missing, build, run every test (also under ASan+UBSan),
#                         fuzz each target of fuzz/ for FUZZ_SECONDS (20), then deb-test
#   scripts/dev.sh fuzz   only the fuzz stage
#   scripts/dev.sh deb    build the Debian package (packaging/debian/) into dist/, run lintian
#   scripts/dev.sh deb-test [--reuse] [--force]
#                         build the package (--reuse: the one in dist/), install it on this
#                         machine, check what it installed, purge it and check nothing is left
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
# bash (with bash-completion), zsh and fish completions; systemd-socket-activate
# (systemd) hands bragd its socket; python3 also parses the launchd plist and
# stands in for a socket-activated bragd in tests/e2e/daemon_control_test.cc.
TEST_PACKAGES=(chromium fiu-utils clang libclang-rt-14-dev python3 bash-completion zsh fish
               systemd)

# `deb` and `deb-test`: the package build and its checks (man -w needs
# man-db; the completions are syntax-checked by their shells; systemd-analyze
# verifies the installed units).
DEB_PACKAGES=(debhelper dpkg-dev fakeroot lintian scdoc man-db bash zsh fish systemd)

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
  cmd_deb_test
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

# Builds the Debian package from a copy of the source tree (the files git
# knows, with uncommitted changes, and untracked files that are not
# ignored) with packaging/debian/ as its debian/, into dist/; then lintian
# on it: errors fail, warnings are shown (the ones kept are overridden, with
# why, in packaging/debian/brag.lintian-overrides).
cmd_deb() {
  install_packages "${DEB_PACKAGES[@]}"
  local version stage log
  version=$(dpkg-parsechangelog -l "$ROOT/packaging/debian/changelog" -S Version)
  stage=$(mktemp -d)
  mkdir "$stage/brag-$version"
  (cd "$ROOT" && git ls-files -z -co --exclude-standard |
     while IFS= read -r -d '' f; do [ -e "$f" ] && [ "${f#packaging/debian/}" = "$f" ] &&
       printf '%s\0' "$f"; done |
     tar -c --null -T - -f - | tar -x -f - -C "$stage/brag-$version")
  cp -r "$ROOT/packaging/debian" "$stage/brag-$version/debian"
  log="$stage/build.log"
  echo "dev.sh: building brag $version in $stage (log: $log)" >&2
  if ! (cd "$stage/brag-$version" &&
          DEB_BUILD_OPTIONS="parallel=$JOBS ${DEB_BUILD_OPTIONS:-}" \
          dpkg-buildpackage -us -uc -b) >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "dev.sh: dpkg-buildpackage failed (log: $log)" >&2
    return 1
  fi
  # debhelper builds with CMAKE_BUILD_TYPE=None; every compile of it must
  # have -DNDEBUG (CMakeLists.txt adds it to that build type).
  local commands
  commands=$(echo "$stage/brag-$version"/obj-*/compile_commands.json)
  grep -qx 'CMAKE_BUILD_TYPE:STRING=None' "$(dirname "$commands")/CMakeCache.txt" ||
    { echo "dev.sh: the package was not built with CMAKE_BUILD_TYPE=None" >&2; return 1; }
  local compiles without
  compiles=$(grep -c '"command":' "$commands" || true)
  without=$(grep '"command":' "$commands" | grep -vc -- '-DNDEBUG' || true)
  if [ "$compiles" -eq 0 ] || [ "$without" -ne 0 ]; then
    echo "dev.sh: $without of $compiles compiles of the package lack -DNDEBUG ($commands)" >&2
    return 1
  fi
  echo "dev.sh: all $compiles compiles of the package have -DNDEBUG" >&2
  mkdir -p "$ROOT/dist"
  rm -f "$ROOT"/dist/brag_*.deb "$ROOT"/dist/brag-dbgsym_*.deb
  cp "$stage"/brag_"$version"_*.deb "$ROOT/dist/"
  cp "$stage"/brag-dbgsym_"$version"_*.deb "$ROOT/dist/" 2>/dev/null || true
  echo "dev.sh: lintian on $(cd "$ROOT" && ls dist/brag_"$version"_*.deb)" >&2
  # --fail-on error: warnings are printed, errors fail (overridden tags are
  # not shown: packaging/debian/brag.lintian-overrides lists them, with why).
  lintian --fail-on error --display-info "$ROOT"/dist/brag_"$version"_*.deb >&2
  rm -rf "$stage"
}

# What the package must install (DESIGN §11); the hook shims are every file
# of hooks/ but its README.
deb_expected_files() {
  printf '%s\n' /usr/bin/bragd /usr/bin/brag /usr/libexec/brag/brag-cli \
    /usr/share/doc/brag/brag.toml \
    /usr/lib/systemd/user/bragd.service /usr/lib/systemd/user/bragd.socket \
    /usr/share/man/man1/brag.1.gz /usr/share/man/man1/bragd.1.gz \
    /usr/share/man/man5/brag.toml.5.gz \
    /usr/share/bash-completion/completions/brag \
    /usr/share/zsh/vendor-completions/_brag \
    /usr/share/fish/vendor_completions.d/brag.fish
  local f
  for f in "$ROOT"/hooks/*; do
    [ "$(basename "$f")" = README.md ] || echo "/usr/share/brag/hooks/$(basename "$f")"
  done
}

# Installs the package on this machine, checks it, purges it.
cmd_deb_test() {
  local reuse=0 force=0 arg
  for arg in "$@"; do
    case "$arg" in
      --reuse) reuse=1 ;;
      --force) force=1 ;;
      *) echo "usage: scripts/dev.sh deb-test [--reuse] [--force]" >&2; return 2 ;;
    esac
  done
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if dpkg-query -W -f='${Status}' brag 2>/dev/null | grep -q "installed"; then
    if [ "$force" -ne 1 ]; then
      echo "dev.sh: error: a brag package is already installed on this machine" \
           "($(dpkg-query -W -f='${Version}' brag)); deb-test installs and purges its own," \
           "so it leaves that one alone (remove it first, or pass --force to replace it)" >&2
      return 1
    fi
    echo "dev.sh: --force: replacing the installed brag package" >&2
  fi
  local started=$SECONDS
  install_packages "${DEB_PACKAGES[@]}"
  if [ "$reuse" -eq 0 ] || ! ls "$ROOT"/dist/brag_*.deb >/dev/null 2>&1; then
    cmd_deb
  fi
  local deb
  deb=$(ls "$ROOT"/dist/brag_*_"$(dpkg --print-architecture)".deb | tail -n 1)
  echo "dev.sh: installing $deb" >&2
  # A minimal image may exclude man pages and docs from every install
  # (dpkg path-exclude); this package's own are put back for the check.
  $sudo dpkg -i --path-include='/usr/share/man/*' --path-include='/usr/share/doc/brag/*' \
    "$deb" >/dev/null
  local failed=0 f
  fail() { echo "dev.sh: deb-test: $*" >&2; failed=1; }
  local listed expected
  listed=$(dpkg -L brag)
  expected=$(deb_expected_files)
  while IFS= read -r f; do
    grep -qxF "$f" <<<"$listed" || fail "the package does not install $f"
    [ -f "$f" ] || fail "$f is missing after install"
  done <<<"$expected"
  # Nothing else but directories, the package's docs and more man pages.
  while IFS= read -r f; do
    [ -d "$f" ] && continue
    case "$f" in
      /usr/share/doc/brag/copyright | /usr/share/doc/brag/changelog.gz) continue ;;
      /usr/share/man/*) continue ;;
      /usr/share/lintian/overrides/brag) continue ;;
    esac
    grep -qxF "$f" <<<"$expected" || fail "the package installs $f, which is not expected"
  done <<<"$listed"
  for f in "$ROOT"/hooks/*; do
    [ "$(basename "$f")" = README.md ] && continue
    local installed=/usr/share/brag/hooks/$(basename "$f")
    [ "$(stat -c %a "$installed" 2>/dev/null)" = 755 ] || fail "$installed is not mode 0755"
    cmp -s "$f" "$installed" || fail "$installed differs from hooks/$(basename "$f")"
  done
  bragd --version | grep -q "^bragd " || fail "bragd --version: $(bragd --version 2>&1)"
  brag --help >/dev/null 2>&1 || fail "brag --help failed: $(brag --help 2>&1 | tail -n 3)"
  [ "$(readlink -f "$(command -v brag)")" = /usr/bin/brag ] || fail "brag is not /usr/bin/brag"
  man -w brag >/dev/null || fail "man -w brag"
  man -w bragd >/dev/null || fail "man -w bragd"
  man -w 5 brag.toml >/dev/null || fail "man -w 5 brag.toml"
  bash -n /usr/share/bash-completion/completions/brag || fail "bash -n on the bash completion"
  zsh -n /usr/share/zsh/vendor-completions/_brag || fail "zsh -n on the zsh completion"
  fish --no-execute /usr/share/fish/vendor_completions.d/brag.fish ||
    fail "fish --no-execute on the fish completion"
  # The installed units, as systemd reads them: ExecStart's binary and the
  # man pages of Documentation= must exist (no user manager needs to run).
  local runtime
  runtime=$(mktemp -d)
  XDG_RUNTIME_DIR=$runtime systemd-analyze --user verify \
    /usr/lib/systemd/user/bragd.service /usr/lib/systemd/user/bragd.socket ||
    fail "systemd-analyze --user verify on the installed units"
  rm -rf "$runtime"
  systemctl --global is-enabled bragd.socket >/dev/null 2>&1 &&
    fail "bragd.socket is enabled for every user (dh_installsystemduser --no-enable)"

  $sudo dpkg --purge brag >/dev/null
  while IFS= read -r f; do
    [ -d "$f" ] && continue
    [ -e "$f" ] || [ -L "$f" ] && fail "$f is still there after dpkg --purge"
  done <<<"$listed"
  for f in /usr/share/brag /usr/libexec/brag /usr/share/doc/brag; do
    [ -e "$f" ] && fail "$f is still there after dpkg --purge"
  done
  if [ "$failed" -ne 0 ]; then
    echo "dev.sh: deb-test failed" >&2
    return 1
  fi
  echo "dev.sh: deb-test passed in $((SECONDS - started))s: $(wc -l <<<"$expected") files" \
       "installed as DESIGN §11 lists them, bragd --version, brag --help, man -w, the" \
       "completions' syntax, systemd-analyze verify of the units, nothing left after purge" >&2
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  fuzz) shift; install_packages "${TEST_PACKAGES[@]}"; fuzz_stage ;;
  deb) shift; cmd_deb ;;
  deb-test) shift; cmd_deb_test "$@" ;;
  *) echo "usage: scripts/dev.sh run|test|fuzz|deb|deb-test" >&2; exit 2 ;;
esac
