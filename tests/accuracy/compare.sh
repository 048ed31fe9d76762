#!/usr/bin/env bash
# Compares the PRs a list gives (`brag scan --json`'s) with an expectation, both as
# lines "<commit> <forge> <number>": precision, recall, and every PR number
# (and forge) equal. Prints the figures and each disagreement; exits 1 when
# precision or recall is below MIN (default 0.99) or a number differs.
#
# Usage: compare.sh NAME LISTED-LINES EXPECTED-LINES [MIN]
set -euo pipefail

name=$1 got=$2 want=$3 min=${4:-0.99}
awk -v name="$name" -v min="$min" '
  FNR == NR { want[$1] = $2 " " $3; nwant++; next }
  { got[$1] = $2 " " $3; ngot++ }
  END {
    tp = 0; wrong = 0
    for (c in got) {
      if (c in want) {
        tp++
        if (got[c] != want[c]) {
          wrong++
          printf "%s: number differs at %s: listed %s, expected %s\n", name, c, got[c], want[c]
        }
      } else {
        printf "%s: listed %s (%s), not expected\n", name, c, got[c]
      }
    }
    for (c in want) {
      if (!(c in got)) printf "%s: expected %s (%s), not listed\n", name, c, want[c]
    }
    precision = ngot ? tp / ngot : (nwant ? 0 : 1)
    recall = nwant ? tp / nwant : 1
    printf "%s: listed %d PRs, expected %d, both %d; precision %.4f, recall %.4f, numbers differing %d\n",
           name, ngot, nwant, tp, precision, recall, wrong
    exit (precision < min || recall < min || wrong > 0) ? 1 : 0
  }' "$want" "$got"
