#!/usr/bin/env bash
# Time added to `git commit` by brag's hooks (DESIGN §10: median <= 20 ms with
# bragd up, <= 50 ms with it down), side by side in one run:
#   none  a repo without hooks
#   up    a repo with `brag hooks install`, bragd running
#   all   a repo with `brag hooks install --all-hooks`, bragd running: what the
#         reference-transaction shim (run twice per commit) costs on top
#   down  a repo with `brag hooks install`, no bragd (the hook spools its record)
#   shims a repo with the hooks of `brag hooks install` but no `brag` on PATH:
#         what git spends starting the shims a commit runs, the floor under
#         "up" and "down"
# A plain install puts reference-transaction only where bragd gets no
# filesystem events (hooks/README.md); the script says which hooks each repo
# got. Each round makes one commit in each repo, in turn, so that a busy
# machine slows all alike. Every commit carries an Impact: trailer, so the
# post-commit hook files a note each time.
#
# usage: bench/hook_overhead.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail

BUILD=${1:-build}
ROUNDS=${2:-40}
BRAG=$(cd "$BUILD/daemon" && pwd)/brag
BRAGD=$(cd "$BUILD/daemon" && pwd)/bragd
WORK=$(mktemp -d)
trap 'kill "${BRAGD_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

mkdir -p "$WORK/bin"
ln -s "$BRAG" "$WORK/bin/brag"
export PATH="$WORK/bin:$PATH" HOME="$WORK/home"
mkdir -p "$HOME"
git config --global user.email me@example.com
git config --global user.name Me

write_config() {  # NAME: a config with its own journal and socket
  cat > "$WORK/$1.toml" <<EOF
[journal]
path = "$WORK/$1/journal.db"
[daemon]
socket = "$WORK/$1/sock/bragd.sock"
notify = false
log_level = "warn"
EOF
}
write_config up
write_config down

make_repo() {  # NAME CONFIG|"" [INSTALL FLAGS]
  git init -q -b main "$WORK/$1"
  git -C "$WORK/$1" commit -q --allow-empty -m initial
  if [ -n "$2" ]; then
    BRAG_CONFIG="$WORK/$2.toml" brag hooks install "${@:3}" "$WORK/$1" >/dev/null
  fi
}
make_repo none ""
make_repo up up
make_repo all up --all-hooks
make_repo down down
make_repo shims down
for mode in up all down shims; do
  echo "hooks in $mode:" $(cd "$WORK/$mode/.git/hooks" && ls | grep -v '\.sample$')
done

"$BRAGD" --config "$WORK/up.toml" 2>"$WORK/bragd.log" &
BRAGD_PID=$!
for _ in $(seq 100); do
  grep -q "listening on" "$WORK/bragd.log" 2>/dev/null && break
  sleep 0.05
done
BRAG_CONFIG="$WORK/up.toml" brag repos add "$WORK/up" >/dev/null
BRAG_CONFIG="$WORK/up.toml" brag repos add "$WORK/all" >/dev/null

commit_ms() {  # REPO CONFIG: one commit, its wall time in µs
  local start end path=$PATH
  [ "$1" = shims ] && path=$NO_BRAG_PATH
  start=$(date +%s%N)
  PATH=$path BRAG_CONFIG="$WORK/$2.toml" git -C "$WORK/$1" commit -q --allow-empty \
    -m "Work $RANDOM" -m "Impact: p95 3.4s -> 18ms"
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
}

NO_BRAG_PATH=$(echo "$PATH" | tr ':' '\n' | grep -vx "$WORK/bin" | paste -sd:)
MODES="none up all down shims"
config_of() { case $1 in all) echo up ;; *) echo "$1" ;; esac; }
for mode in $MODES; do : > "$WORK/$mode.times"; done
for _ in $(seq 3); do  # warm-up
  for mode in $MODES; do commit_ms "$mode" "$(config_of "$mode")" >/dev/null; done
done
for _ in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    commit_ms "$mode" "$(config_of "$mode")" >> "$WORK/$mode.times"
  done
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
none=$(median "$WORK/none.times")
up=$(median "$WORK/up.times")
all=$(median "$WORK/all.times")
down=$(median "$WORK/down.times")
shims=$(median "$WORK/shims.times")
notes() { BRAG_CONFIG="$WORK/$1.toml" brag log --kind note --repo "$WORK/$2" --json | wc -l; }
notes_up=$(notes up up)
notes_all=$(notes up all)
notes_down=$(notes down down)
awk -v n="$none" -v u="$up" -v a="$all" -v d="$down" -v s="$shims" -v r="$ROUNDS" \
    -v nu="$notes_up" -v na="$notes_all" -v nd="$notes_down" 'BEGIN {
  printf "rounds: %d, one commit per repo per round\n", r
  printf "git commit, no hooks                 median %7.1f ms\n", n / 1000
  printf "git commit, hooks, bragd up          median %7.1f ms  (+%.1f ms; target <= 20)\n", u / 1000, (u - n) / 1000
  printf "git commit, all four hooks, bragd up median %7.1f ms  (+%.1f ms; --all-hooks)\n", a / 1000, (a - n) / 1000
  printf "git commit, hooks, bragd down        median %7.1f ms  (+%.1f ms; target <= 50)\n", d / 1000, (d - n) / 1000
  printf "git commit, shims, no brag           median %7.1f ms  (+%.1f ms; git starting the shims)\n", s / 1000, (s - n) / 1000
  printf "notes filed: %d with bragd up, %d with all four hooks, %d with bragd down\n", nu, na, nd
}'
