#!/usr/bin/env bash
# The PRs DESIGN §5 says are EMAIL's in a repo's history, computed with the
# git CLI alone: an expectation written apart from brag's code (daemon/detect/)
# to measure `brag scan` against. Prints one line per PR, oldest first:
#   <commit> <forge> <number>     (number 0: a local merge with none)
# and on stderr how many commits and PRs (anyone's) it read.
#
# Usage: expected_prs.sh REPO EMAIL [REF]     (REF: default main)
# EMAIL "*" lists everyone's PRs.
# Settings, as brag's defaults unless set:
#   MAINLINES="main master trunk develop"  REMOTES="origin upstream"
#   LONG_LIVED="dev development next stable* release* *maint* *.x [0-9]*.*[0-9] v[0-9]*"  (set but empty: none)
#   COAUTHOR=prompt|ignore
set -euo pipefail

repo=${1:?usage: expected_prs.sh REPO EMAIL [REF]}
email=${2:?usage: expected_prs.sh REPO EMAIL [REF]}
ref=${3:-main}
read -r -a mainlines <<<"${MAINLINES:-main master trunk develop}"
read -r -a remotes <<<"${REMOTES:-origin upstream}"
set -f  # the globs below stay patterns
read -r -a long_lived <<<"${LONG_LIVED-dev development next stable* release* *maint* *.x [0-9]*.*[0-9] v[0-9]*}"
coauthor=${COAUTHOR:-prompt}
email=${email,,}

is_mainline() {
  local m
  for m in "${mainlines[@]}"; do [[ $1 == "$m" ]] && return 0; done
  return 1
}

# A long_lived glob matches (bash patterns: '*' matches '/' too, as fnmatch
# without FNM_PATHNAME).
matches_glob() {
  local g
  for g in "${long_lived[@]}"; do
    # shellcheck disable=SC2053  # the glob is meant as a pattern
    [[ $1 == $g ]] && return 0
  done
  return 1
}

# Functions set REPLY rather than print: no subshell per commit.
drop_remote() {
  local r
  REPLY=$1
  for r in "${remotes[@]}"; do
    if [[ $1 == "$r"/?* ]]; then
      REPLY=${1#"$r"/}
      return
    fi
  done
}

# The number of a branch named pr/N, pull/N, pr-N or N; empty otherwise.
branch_number() {
  REPLY=""
  if [[ $1 =~ ^(pr/|pull/|pr-)?([0-9]+)$ ]] && ((10#${BASH_REMATCH[2]} > 0)); then
    REPLY=$((10#${BASH_REMATCH[2]}))
  fi
}

# The value of the last line "KEY: value" of the message's last paragraph
# (its trailer block), KEY in any case.
last_trailer() {  # last_trailer KEY MESSAGE
  local key=${1,,} line
  local last=${2%$'\n'}
  REPLY=""
  [[ ${last,,} == *"$key":* ]] || return 0
  last=${last##*$'\n\n'}
  while IFS= read -r line; do
    if [[ ${line,,} == "$key":* ]]; then
      REPLY=${line#*:}
      REPLY=${REPLY# }
    fi
  done <<<"$last"
}

# Sets forge, number, branch, merge (1/0) for a commit, or forge="" when it
# is no PR. Arguments: parent count, subject, body.
classify() {
  local np=$1 s=$2 body=$3
  forge="" number=0 branch="" merge=0
  ((np == 1 || np == 2)) || return 0
  local re line n src
  # GitHub merge.
  re='^Merge pull request #([0-9]+) from ([^ ]+)'
  if ((np == 2)) && [[ $s =~ $re ]]; then
    number=${BASH_REMATCH[1]}
    src=${BASH_REMATCH[2]}
    branch=${src#*/}
    forge=github merge=1
    return 0
  fi
  # GitLab: the "See merge request" line.
  n=""
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}
    if [[ -z $n && $line =~ ^See\ merge\ request\ .*!([0-9]+)[[:space:]/]*$ ]]; then
      n=${BASH_REMATCH[1]}
    elif [[ -z $n && $line =~ ^See\ merge\ request\ .*/-/merge_requests/([0-9]+)[[:space:]/]*$ ]]; then
      n=${BASH_REMATCH[1]}
    fi
  done <<<"$body"
  if [[ -n $n ]]; then
    number=$n forge=gitlab
    if ((np == 2)); then
      merge=1
      re="^Merge branch '([^']+)'( into '([^']+)')?"
      if [[ $s =~ $re ]]; then
        branch=${BASH_REMATCH[1]}
        if is_mainline "$branch" && [[ $branch != "${BASH_REMATCH[3]}" ]]; then
          forge=""
        fi
      fi
    fi
    return 0
  fi
  # Bitbucket Cloud.
  re='^Merged in (.+) \(pull request #([0-9]+)\)$'
  if [[ $s =~ $re ]]; then
    branch=${BASH_REMATCH[1]} number=${BASH_REMATCH[2]} forge=bitbucket
    ((np == 2)) && merge=1
    return 0
  fi
  # Bitbucket Server, both forms.
  re='^Merge pull request #([0-9]+) in [^ ]+ from (.+) to [^ ]+$'
  if [[ $s =~ $re ]]; then
    number=${BASH_REMATCH[1]} branch=${BASH_REMATCH[2]##*:} forge=bitbucket
    ((np == 2)) && merge=1
    return 0
  fi
  re='^Pull request #([0-9]+):'
  if [[ $s =~ $re ]]; then
    n=${BASH_REMATCH[1]}
    re='^Merge in [^ ]+ from (.+) to [^ ]+$'
    while IFS= read -r line; do
      if [[ -z $forge && $line =~ $re ]]; then
        number=$n branch=${BASH_REMATCH[1]##*:} forge=bitbucket
        ((np == 2)) && merge=1
      fi
    done <<<"$body"
    [[ -n $forge ]] && return 0
  fi
  # Azure DevOps.
  re='^Merged PR ([0-9]+):'
  if [[ $s =~ $re ]]; then
    number=${BASH_REMATCH[1]} forge=azure
    ((np == 2)) && merge=1
    return 0
  fi
  if ((np == 1)); then
    # Gerrit.
    local url
    last_trailer reviewed-on "$body"
    url=$REPLY
    re='/\+/([0-9]+)'
    if [[ -n $url && $url =~ $re ]]; then
      number=${BASH_REMATCH[1]} forge=gerrit
      return 0
    fi
    # Phabricator.
    last_trailer "differential revision" "$body"
    url=$REPLY
    re='(^|/)D([0-9]+)/?$'
    if [[ -n $url && $url =~ $re ]]; then
      number=${BASH_REMATCH[2]} forge=phabricator
      return 0
    fi
  fi
  # GitHub squash (one parent) or merge titled by the PR (two).
  re='^(.*[^ ].*) \(#([0-9]+)\)$'
  if [[ $s =~ $re ]]; then
    number=${BASH_REMATCH[2]} forge=github
    ((np == 2)) && merge=1
    return 0
  fi
  ((np == 2)) || return 0
  # Local: git's own subject, of a topic branch.
  re="^Merge (remote-tracking branch|remote branch|branch) '([^']+)'( of [^ ]+)?( into ('([^']+)'|([^ ]+)))?( \(PR #([0-9]+)\))?$"
  [[ $s =~ $re ]] || return 0
  local kind=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
  local target=${BASH_REMATCH[6]}${BASH_REMATCH[7]} pr=${BASH_REMATCH[9]}
  if [[ $kind != branch && $name == */* ]]; then
    name=${name#*/}
  else
    drop_remote "$name"
    name=$REPLY
  fi
  is_mainline "$name" && return 0
  matches_glob "$name" && return 0
  drop_remote "$target"
  [[ -n $target && $REPLY == "$name" ]] && return 0
  forge=local merge=1 branch=$name
  branch_number "$name"
  number=${REPLY:-${pr:-0}}
  return 0
}

# Whether EMAIL wrote (or co-wrote) the commits git log ARGS lists: sets
# `who` to "author", "coauthor" or "". Emails after the repo's .mailmap; a
# co-author is the email of a Co-authored-by: trailer as git reads trailers.
# One git process per merge: used with RANGES=git.
involvement() {  # involvement GIT-LOG-ARGS...
  local line
  who=""
  while IFS= read -r line; do
    line=${line,,}
    if [[ $line == "a "* ]]; then
      [[ ${line:2} == "$email" ]] && who=author
    elif [[ $line =~ \<([^>]*)\> ]]; then
      [[ ${BASH_REMATCH[1]} == "$email" && -z $who ]] && who=coauthor
    fi
  done < <(git -C "$repo" log --use-mailmap \
    --format='A %aE%n%(trailers:key=Co-authored-by,valueonly)' "$@")
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Pass 1: classify each first-parent commit. The PRs, anyone's, go to
# $tmp/prs as "<commit> <forge> <number> <merge 0/1> <P1> <P2>".
commits=0
prs=0
while IFS= read -r -d $'\x1e' record; do
  record=${record#$'\n'}
  [[ -z $record ]] && continue
  commits=$((commits + 1))
  sha=${record%%$'\x1f'*}
  rest=${record#*$'\x1f'}
  parents=${rest%%$'\x1f'*}
  message=${rest#*$'\x1f'}
  read -r -a parent <<<"$parents"
  subject=${message%%$'\n'*}
  body=""
  [[ $message == *$'\n'* ]] && body=${message#*$'\n'}
  classify "${#parent[@]}" "$subject" "$body"
  [[ -z $forge ]] && continue
  # A forge merge of a long-lived branch is a sync (a fork's mainline name
  # after owner/ is not: contributors open PRs from it).
  if ((merge)) && [[ $forge != local && -n $branch ]]; then
    drop_remote "$branch"
    matches_glob "$REPLY" && continue
  fi
  prs=$((prs + 1))
  echo "$sha $forge $number $merge ${parent[0]:--} ${parent[1]:--}"
done < <(git -C "$repo" log --first-parent --reverse --format='%H%x1f%P%x1f%B%x1e' "$ref") \
  >"$tmp/prs"
echo "expected_prs: $commits first-parent commits, $prs PRs (anyone's)" >&2

# Pass 2: whose. A squash is its author's and its co-authors'; a merge is
# the authors' and co-authors' of the commits in P1..P2.
if [[ $email == "*" ]]; then
  cut -d' ' -f1-3 "$tmp/prs"
  exit 0
fi
if [[ ${RANGES:-awk} == git ]]; then
  # git computes each P1..P2 (slow: a process per PR).
  while read -r sha forge number merge p1 p2; do
    if ((merge)); then
      involvement "$p1..$p2"
    else
      involvement --no-walk "$sha"
    fi
    [[ -z $who || ($who == coauthor && $coauthor == ignore) ]] && continue
    echo "$sha $forge $number"
  done <"$tmp/prs"
  exit 0
fi
# One git log of every commit (after .mailmap: a = EMAIL authored it, c =
# only co-authored it) and one of the first-parent chain, oldest first; awk
# then takes each chain commit's P1..P2 as what its second parent reaches
# that the chain did not reach before (P1's ancestors are exactly what the
# chain up to P1 reached, with their own second parents).
git -C "$repo" log --use-mailmap \
  --format='%H %P%x1f%aE%x1f%(trailers:key=Co-authored-by,valueonly,separator=%x1d)' \
  "$ref" >"$tmp/all"
git -C "$repo" rev-list --first-parent --reverse "$ref" >"$tmp/chain"
awk -v email="$email" -v coauthor="$coauthor" '
  FILENAME == ARGV[1] {
    split($0, f, "\x1f")
    n = split(f[1], ids, " ")
    sha = ids[1]
    parents[sha] = ""
    for (i = 2; i <= n; i++) parents[sha] = parents[sha] (i > 2 ? " " : "") ids[i]
    inv[sha] = ""
    if (tolower(f[2]) == email) inv[sha] = "a"
    else if (index(tolower(f[3]), "<" email ">") > 0) inv[sha] = "c"
    next
  }
  FILENAME == ARGV[2] { pr[$1] = $0; next }
  {
    c = $1
    range_who = ""
    reached[c] = 1
    n = split(parents[c], ps, " ")
    for (i = 2; i <= n; i++) {
      # Everything parent i reaches that the chain had not: P1..Pi.
      who = ""
      top = 0
      if (!(ps[i] in reached)) { reached[ps[i]] = 1; stack[++top] = ps[i] }
      while (top > 0) {
        at = stack[top--]
        if (inv[at] == "a") who = "a"
        else if (inv[at] == "c" && who == "") who = "c"
        m = split(parents[at], qs, " ")
        for (j = 1; j <= m; j++) {
          if (!(qs[j] in reached)) { reached[qs[j]] = 1; stack[++top] = qs[j] }
        }
      }
      if (i == 2) range_who = who
    }
    if (!(c in pr)) next
    split(pr[c], p, " ")
    w = p[4] == 1 ? range_who : inv[c]
    if (w == "a" || (w == "c" && coauthor != "ignore")) print p[1], p[2], p[3]
  }' "$tmp/all" "$tmp/prs" "$tmp/chain"
