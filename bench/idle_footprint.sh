#!/usr/bin/env bash
# Idle footprint (DESIGN §10: no CPU between events beyond the poll fallback;
# RSS <= 20 MB with 100 repos). Starts the built bragd on N fresh repos found
# under a scan root, lets it settle, and reports its RSS and the CPU ticks it
# used over an idle window.
#   bench/idle_footprint.sh [BUILD_DIR=build] [N=100] [IDLE_SECONDS=30]
set -euo pipefail
BUILD=${1:-build}; N=${2:-100}; IDLE=${3:-30}
BRAGD=$(cd "$BUILD/daemon" && pwd)/bragd
ROOT=$(mktemp -d /tmp/brag-idle-XXXXXX)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$ROOT"' EXIT
export HOME=$ROOT/home XDG_RUNTIME_DIR=$ROOT/run GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$ROOT/code" && chmod 700 "$XDG_RUNTIME_DIR"
git config --global user.email me@example.com
for i in $(seq 1 "$N"); do
  git init -q -b main "$ROOT/code/r$i"
  git -C "$ROOT/code/r$i" commit -q --allow-empty -m init
done
printf '[scan]\nroots = ["%s"]\n[daemon]\nnotify = false\n' "$ROOT/code" > "$ROOT/c.toml"
"$BRAGD" --config "$ROOT/c.toml" 2>"$ROOT/log" &
PID=$!
for _ in $(seq 1 200); do grep -q "listening on" "$ROOT/log" && break; sleep 0.05; done
grep -q "listening on" "$ROOT/log" || { echo "bragd did not start" >&2; exit 1; }
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
before=$(ticks); sleep "$IDLE"; after=$(ticks)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
echo "repos: $N  rss: $((rss / 1024)) MiB ($rss kB)  cpu ticks while idle ${IDLE}s: $((after - before)) (1 tick = 10 ms)"
