// The shims' text. Each literal is hooks/NAME byte for byte: edit the file
// there, then paste it here (tests/hooks/shims_test.cc compares them).
#include "hooks/shims.h"

#include <array>

namespace brag::hooks {
namespace {

constexpr std::string_view kPostCommit = R"shim(#!/bin/sh
# brag-hook-shim v2
# Put here by `brag hooks install`; `brag hooks uninstall` puts back what was
# here before. Runs that hook (now post-commit.brag-orig) with git's arguments,
# then `brag hook post-commit` if brag is on PATH; exits with the former's
# status, whatever brag does. brag's stdout is dropped, stdin left alone.
brag_status=0
if [ -x "$0.brag-orig" ]; then "$0.brag-orig" "$@"; brag_status=$?; fi
if command -v brag >/dev/null 2>&1; then brag hook post-commit "$@" >/dev/null; fi
exit $brag_status
)shim";

constexpr std::string_view kPostMerge = R"shim(#!/bin/sh
# brag-hook-shim v2
# Put here by `brag hooks install`; `brag hooks uninstall` puts back what was
# here before. Runs that hook (now post-merge.brag-orig) with git's arguments,
# then `brag hook post-merge` if brag is on PATH; exits with the former's
# status, whatever brag does. stdin and stdout are left to brag, which asks
# about what just landed only when both are a terminal, and is silent else.
brag_status=0
if [ -x "$0.brag-orig" ]; then "$0.brag-orig" "$@"; brag_status=$?; fi
if command -v brag >/dev/null 2>&1; then brag hook post-merge "$@"; fi
exit $brag_status
)shim";

constexpr std::string_view kPostRewrite = R"shim(#!/bin/sh
# brag-hook-shim v2
# Put here by `brag hooks install`; `brag hooks uninstall` puts back what was
# here before. Runs that hook (now post-rewrite.brag-orig) with git's arguments
# and input, then `brag hook post-rewrite` with the same if brag is on PATH;
# exits with the former's status, whatever brag does. brag's stdout is dropped.
brag_call=
if command -v brag >/dev/null 2>&1; then brag_call=1; fi
if [ ! -x "$0.brag-orig" ]; then
  if [ -n "$brag_call" ]; then brag hook post-rewrite "$@" >/dev/null; fi
  exit 0
fi
if [ -z "$brag_call" ]; then exec "$0.brag-orig" "$@"; fi
# Both take the input: read it once. $(...) strips its final newline, each
# here-document puts it back (git ends every line with one).
brag_input=$(cat)
brag_feed() {
  if [ -z "$brag_input" ]; then "$@" </dev/null; return; fi
  "$@" <<EOF
$brag_input
EOF
}
brag_feed "$0.brag-orig" "$@"
brag_status=$?
brag_feed brag hook post-rewrite "$@" >/dev/null
exit $brag_status
)shim";

constexpr std::string_view kReferenceTransaction = R"shim(#!/bin/sh
# brag-hook-shim v2
# Put here by `brag hooks install`; `brag hooks uninstall` puts back what was
# here before. Runs that hook (now reference-transaction.brag-orig) with git's
# arguments and input and exits with its status (at "prepared" it may still
# abort the transaction). Once the transaction is committed, also runs
# `brag hook reference-transaction committed` with the same input if brag is
# on PATH, whatever it does; not when the transaction moved HEAD and no
# remote-tracking branch, as the command that did that (commit, merge,
# rebase) tells brag through its own hook, and a commit stays fast.
# brag's stdout is dropped.
brag_call=
if [ "$1" = committed ] && command -v brag >/dev/null 2>&1; then brag_call=1; fi
if [ -z "$brag_call" ]; then
  if [ -x "$0.brag-orig" ]; then exec "$0.brag-orig" "$@"; fi
  exit 0
fi
# Read once, for both, with the shell's own read (no process started).
brag_nl='
'
brag_input=
while IFS= read -r brag_line || [ -n "$brag_line" ]; do
  brag_input="$brag_input$brag_line$brag_nl"
done
case "$brag_input" in
  *" refs/remotes/"*) ;;
  *" HEAD$brag_nl"*) brag_call= ;;
esac
# A here-document ends what it feeds with a newline: drop the last one.
brag_input=${brag_input%"$brag_nl"}
brag_feed() {
  if [ -z "$brag_input" ]; then "$@" </dev/null; return; fi
  "$@" <<EOF
$brag_input
EOF
}
brag_status=0
if [ -x "$0.brag-orig" ]; then brag_feed "$0.brag-orig" "$@"; brag_status=$?; fi
if [ -n "$brag_call" ]; then brag_feed brag hook reference-transaction "$@" >/dev/null; fi
exit $brag_status
)shim";

constexpr std::array<Shim, 4> kShims{{
    {"post-commit", kPostCommit},
    {"post-merge", kPostMerge},
    {"post-rewrite", kPostRewrite},
    {"reference-transaction", kReferenceTransaction, /*stands_in_for_events=*/true},
}};

}  // namespace

std::span<const Shim> Shims() { return kShims; }

bool StandsInForEvents(std::string_view name) {
  for (const Shim& shim : kShims) {
    if (shim.name == name) return shim.stands_in_for_events;
  }
  return false;
}

bool IsShim(std::string_view head) {
  size_t start = 0;
  while (start < head.size()) {
    size_t end = head.find('\n', start);
    std::string_view line = head.substr(start, end - start);
    if (line.starts_with(kShimMarkerPrefix)) return true;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return false;
}

}  // namespace brag::hooks
