#!/usr/bin/env bash
# Accuracy on a real history (docs/accuracy.md): `brag scan` on Flask's
# public history for davidism@gmail.com against expected_prs.sh, the rules of
# DESIGN §5 applied with the git CLI alone. Precision and recall must be at
# least 0.99 and every PR number equal.
#
# Usage: flask_accuracy.sh BRAG-BINARY
# The bundle is $BRAG_TESTDATA/pallets-flask.bundle, else
# <repo root>/../shared/testdata/pallets-flask.bundle; without it the test is
# skipped (exit 77, which ctest reports as skipped), saying so.
set -euo pipefail

brag=${1:?usage: flask_accuracy.sh BRAG-BINARY}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
testdata=${BRAG_TESTDATA:-$root/../shared/testdata}
bundle=$testdata/pallets-flask.bundle
email=davidism@gmail.com
if [[ ! -f $bundle ]]; then
  echo "SKIPPED: no $bundle (set BRAG_TESTDATA to the folder holding pallets-flask.bundle)"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s.%N)
git clone -q "$bundle" "$tmp/flask"
git -C "$tmp/flask" checkout -q main

# brag with its built-in defaults: an empty config, no journal touched.
: >"$tmp/config.toml"
scan() {  # scan OUT SCAN-ARGS...: "<commit> <forge> <number>" per PR listed
  local out=$1
  shift
  BRAG_CONFIG=$tmp/config.toml XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp \
    "$brag" scan --json "$@" "$tmp/flask" >"$out.jsonl"
  # One JSON object per line; keys are unique, so the first match is the key
  # (a quote inside a title is escaped and cannot end a value early).
  grep '"kind":"pr_merged"' "$out.jsonl" |
    sed -E 's/.*"commit":"([0-9a-f]+)".*"forge":"([a-z]+)".*"pr":(null|[0-9]+).*/\1 \2 \3/; s/ null$/ 0/' \
      >"$out"
}
scan_start=$(date +%s.%N)
scan "$tmp/brag.txt" --author "$email"
scan_end=$(date +%s.%N)
scan "$tmp/brag-all.txt" --all-authors

"$here/expected_prs.sh" "$tmp/flask" "*" main >"$tmp/expected-all.txt" 2>/dev/null &
everyone=$!
"$here/expected_prs.sh" "$tmp/flask" "$email" main >"$tmp/expected.txt"
wait "$everyone"
end=$(date +%s.%N)

status=0
"$here/compare.sh" "flask, $email" "$tmp/brag.txt" "$tmp/expected.txt" || status=$?
# Everyone's PRs: every first-parent commit's classification, whoever wrote it.
"$here/compare.sh" "flask, everyone's" "$tmp/brag-all.txt" "$tmp/expected-all.txt" ||
  status=$?
for f in brag expected; do
  echo "flask, $email, $f by forge: $(awk '{print $2}' "$tmp/$f.txt" | sort | uniq -c | tr -s ' \n' ' ')"
done
echo "flask, everyone's, expected by forge: $(awk '{print $2}' "$tmp/expected-all.txt" | sort | uniq -c | tr -s ' \n' ' ')"
awk -v a="$start" -v s="$scan_start" -v e="$scan_end" -v z="$end" 'BEGIN {
  printf "flask: brag scan took %.2f s, the whole test %.2f s\n", e - s, z - a }'
exit "$status"
