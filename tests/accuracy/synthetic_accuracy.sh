#!/usr/bin/env bash
# Accuracy on a history built here with the git CLI, in the shapes of
# DESIGN §5 that Flask's history lacks (docs/accuracy.md): GitLab, Bitbucket
# Cloud and Server, Azure DevOps, Gerrit, Phabricator, local merges of pr/N
# branches, sync merges, Merge tag, a custom release merge, co-author-only
# PRs, other people's PRs and a .mailmap. The expectation is the hand table
# written next to each commit (`mine FORGE N`, or `not_mine` with why). Both
# `brag scan` and expected_prs.sh are compared with it, under
# coauthor = "prompt" and "ignore".
#
# Usage: synthetic_accuracy.sh BRAG-BINARY
set -euo pipefail

brag=${1:?usage: synthetic_accuracy.sh BRAG-BINARY}
here=$(cd "$(dirname "$0")" && pwd)
me=me@example.com
mate=mate@example.com

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
expected=$tmp/expected-prompt.txt   # the hand table, coauthor = "prompt"
expected_ignore=$tmp/expected-ignore.txt
expected_all_topics=$tmp/expected-all-topics.txt  # long_lived = [] for this repo
: >"$expected"
: >"$expected_ignore"
: >"$expected_all_topics"

export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
git init -q -b main "$repo"
git -C "$repo" config user.name Tester
git -C "$repo" config commit.gpgsign false
git -C "$repo" config tag.gpgsign false
tick=1700000000

# g EMAIL ARGS...: git in the repo as author and committer EMAIL, one second
# after the last call (so the order of commits is the order written).
g() {
  local who=$1
  shift
  tick=$((tick + 60))
  GIT_AUTHOR_EMAIL=$who GIT_COMMITTER_EMAIL=$who GIT_AUTHOR_NAME=${who%@*} \
    GIT_COMMITTER_NAME=${who%@*} GIT_AUTHOR_DATE="@$tick +0000" \
    GIT_COMMITTER_DATE="@$tick +0000" git -C "$repo" "$@"
}
# commit EMAIL MESSAGE: a commit of a new file on the current branch.
n=0
commit() {
  n=$((n + 1))
  echo "$n" >"$repo/f$n.txt"
  g "$1" add "f$n.txt"
  g "$1" commit -q -m "$2"
}
# topic BRANCH EMAIL [MESSAGE]: BRANCH off main with one commit, main checked out.
topic() {
  g "$2" checkout -q -b "$1" main
  commit "$2" "${3:-work on $1}"
  g "$2" checkout -q main
}
# merge EMAIL SUBJECT [BODY] BRANCH: a --no-ff merge with that message.
merge() {
  local who=$1 subject=$2
  shift 2
  if (($# == 2)); then
    g "$who" merge -q --no-ff -m "$subject" -m "$1" "$2"
  else
    g "$who" merge -q --no-ff -m "$subject" "$1"
  fi
}
# The hand table: what the commit just made is.
mine() {  # mine FORGE NUMBER [coauthor]
  local line
  line="$(git -C "$repo" rev-parse HEAD) $1 $2"
  echo "$line" >>"$expected"
  echo "$line" >>"$expected_all_topics"
  [[ ${3:-} == coauthor ]] || echo "$line" >>"$expected_ignore"
}
not_mine() { :; }  # not_mine WHY: documents a row that must not be listed
# A sync by the default long_lived globs, mine when the repo has none.
sync_of_mine() {  # sync_of_mine FORGE NUMBER WHY
  echo "$(git -C "$repo" rev-parse HEAD) $1 $2" >>"$expected_all_topics"
}

commit $me "initial"

# GitHub.
topic gh-feature $me
merge $mate "Merge pull request #1 from me/gh-feature" "Add the feature" gh-feature
mine github 1
g $me checkout -q -b master-fork main
commit $me "Fix from my fork's master"
g $me checkout -q main
merge $mate "Merge pull request #2 from me/master" "Fix from a fork" master-fork
mine github 2
commit $me "Cache the catalogue (#3)"
mine github 3
topic pyproject $me
merge $mate "Switch to pyproject.toml (#4)" pyproject
mine github 4
topic maint-port $me
merge $mate "Merge pull request #5 from o/2.2.x" "Forward port" maint-port
sync_of_mine github 5 "GitHub merge of a long-lived branch (2.2.x): a sync"
commit $mate "Their squash (#6)"
not_mine "someone else's squash"
topic their-branch $mate
merge $mate "Merge pull request #7 from mate/their-branch" "Theirs" their-branch
not_mine "someone else's merge"

# GitLab.
topic feature/login $me
merge $mate "Merge branch 'feature/login' into 'main'" \
  $'Speed up login\n\nSee merge request group/project!12' feature/login
mine gitlab 12
topic release-1.2 $me
merge $mate "Merge branch 'release-1.2' into 'main'" \
  $'Release 1.2\n\nSee merge request group/project!13' release-1.2
sync_of_mine gitlab 13 "GitLab merge of a release branch: a sync"
commit $me $'Tidy the login form\n\nSee merge request group/project!14'
mine gitlab 14
topic mate-mr $mate
merge $mate "Merge branch 'mate-mr' into 'main'" \
  $'Their MR\n\nSee merge request https://gitlab.example.com/g/p/-/merge_requests/15' mate-mr
not_mine "someone else's MR"

# Bitbucket Cloud and Server.
topic feature/cache $me
merge $mate "Merged in feature/cache (pull request #21)" "Cache the catalogue" feature/cache
mine bitbucket 21
commit $me $'Merged in fix/typo (pull request #22)\n\nFix a typo'
mine bitbucket 22
topic feature/x $me
merge $mate "Merge pull request #23 in PROJ/repo from feature/x to main" \
  "* commit 'abc':" feature/x
mine bitbucket 23
topic feature/retries $me
merge $mate "Pull request #24: Add retries" \
  "Merge in PROJ/repo from feature/retries to main" feature/retries
mine bitbucket 24
topic release/2.0 $me
merge $mate "Merged in release/2.0 (pull request #25)" "Release 2.0" release/2.0
sync_of_mine bitbucket 25 "Bitbucket merge of a release branch: a sync"

# Azure DevOps.
commit $me "Merged PR 31: Add the orders index"
mine azure 31
g $mate checkout -q -b pair-azure main
commit $mate $'Speed up search\n\nCo-authored-by: Me <me@example.com>'
g $mate checkout -q main
merge $mate "Merged PR 32: Speed up search" pair-azure
mine azure 32 coauthor

# Gerrit and Phabricator.
commit $me $'Add composite index\n\nChange-Id: I0123456789abcdef\nReviewed-on: https://review.example.com/c/project/+/4567'
mine gerrit 4567
commit $me $'Drop the old cache\n\nSummary: gone.\n\nDifferential Revision: https://phab.example.com/D123'
mine phabricator 123
commit $mate $'Their change\n\nReviewed-on: https://review.example.com/c/project/+/4568'
not_mine "someone else's Gerrit change"

# Local merges: numbers from the branch or the subject.
topic pr/41 $me
g $me merge -q --no-ff --no-edit pr/41
mine local 41
topic pull/42 $me
g $me merge -q --no-ff --no-edit pull/42
mine local 42
topic pr-43 $me
g $me merge -q --no-ff --no-edit pr-43
mine local 43
topic 44 $me
g $me merge -q --no-ff --no-edit 44
mine local 44
topic pr-45-src $me
g $me update-ref refs/remotes/origin/pr/45 pr-45-src
g $me merge -q --no-ff --no-edit origin/pr/45
mine local 45
topic fix-login $me
merge $me "Merge branch 'fix-login' (PR #46)" fix-login
mine local 46
topic cleanup $me
g $me merge -q --no-ff --no-edit cleanup
mine local 0
topic mate-topic $mate
g $mate merge -q --no-ff --no-edit mate-topic
not_mine "someone else's local merge"

# Sync merges, tags, custom messages: never PRs, whoever wrote them.
topic 2.2.x $me
g $me merge -q --no-ff --no-edit 2.2.x
sync_of_mine local 0 "Merge branch '2.2.x'"
topic stable-src $me
g $me update-ref refs/remotes/origin/stable stable-src
g $me merge -q --no-ff --no-edit origin/stable
sync_of_mine local 0 "Merge remote-tracking branch 'origin/stable'"
topic development $me
g $me merge -q --no-ff --no-edit development
sync_of_mine local 0 "Merge branch 'development'"
topic 0.10-maintenance $me
g $me merge -q --no-ff --no-edit 0.10-maintenance
sync_of_mine local 0 "Merge branch '0.10-maintenance'"
topic rel $me
g $me tag -a v1.0 -m "Version 1.0" rel
g $me merge -q --no-ff --no-edit v1.0
not_mine "Merge tag 'v1.0'"
topic release-3 $me
merge $me "Release 3.0" release-3
not_mine "a release merge with a custom message"

# Co-author only.
commit $mate $'Pair on retries (#51)\n\nCo-authored-by: Me <me@example.com>'
mine github 51 coauthor
g $mate checkout -q -b pairing main
commit $mate $'Pair on it\n\nCo-authored-by: Me <ME@example.com>'
g $mate checkout -q main
merge $mate "Merge pull request #52 from mate/pairing" "Pairing" pairing
mine github 52 coauthor

# .mailmap: an old address of mine.
printf 'Me <me@example.com> <old@example.com>\n' >"$repo/.mailmap"
g $me add .mailmap
g $me commit -q -m "Add a mailmap"
commit old@example.com "Fix the header (#81)"
mine github 81

scan() {  # scan CONFIG-TEXT OUT
  printf '%s\n' "$1" >"$tmp/config.toml"
  BRAG_CONFIG=$tmp/config.toml XDG_CONFIG_HOME=$tmp XDG_DATA_HOME=$tmp \
    "$brag" scan --json --author "$me" "$repo" | grep '"kind":"pr_merged"' |
    sed -E 's/.*"commit":"([0-9a-f]+)".*"forge":"([a-z]+)".*"pr":(null|[0-9]+).*/\1 \2 \3/; s/ null$/ 0/' \
      >"$2"
}

status=0
scan '[detect]
coauthor = "prompt"' "$tmp/brag-prompt.txt"
scan '[detect]
coauthor = "ignore"' "$tmp/brag-ignore.txt"
# [[repo]] long_lived replaces the defaults for this repo: the syncs of
# maintenance, release, stable and development branches become PRs; merges
# of mainlines, tags and custom messages still do not.
scan "[[repo]]
path = \"$repo\"
long_lived = []" "$tmp/brag-all-topics.txt"
"$here/compare.sh" "synthetic brag (coauthor=prompt)" "$tmp/brag-prompt.txt" "$expected" 1 ||
  status=1
"$here/compare.sh" "synthetic brag (coauthor=ignore)" "$tmp/brag-ignore.txt" \
  "$expected_ignore" 1 || status=1
"$here/compare.sh" "synthetic brag ([[repo]] long_lived = [])" "$tmp/brag-all-topics.txt" \
  "$expected_all_topics" 1 || status=1
# The git-CLI expectation used for Flask must agree with the hand table too.
"$here/expected_prs.sh" "$repo" "$me" main >"$tmp/script-prompt.txt"
COAUTHOR=ignore "$here/expected_prs.sh" "$repo" "$me" main >"$tmp/script-ignore.txt"
"$here/compare.sh" "synthetic expected_prs.sh (coauthor=prompt)" "$tmp/script-prompt.txt" \
  "$expected" 1 || status=1
"$here/compare.sh" "synthetic expected_prs.sh (coauthor=ignore)" "$tmp/script-ignore.txt" \
  "$expected_ignore" 1 || status=1
LONG_LIVED="" "$here/expected_prs.sh" "$repo" "$me" main >"$tmp/script-all-topics.txt"
"$here/compare.sh" "synthetic expected_prs.sh (LONG_LIVED=\"\")" "$tmp/script-all-topics.txt" \
  "$expected_all_topics" 1 || status=1
exit "$status"
