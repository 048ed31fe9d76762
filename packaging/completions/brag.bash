# bash completion for brag(1).                                  -*- shell-script -*-
#
# tests/docs/drift_test.py checks the table _brag_opts below against
# `brag --help`: one entry per command path ("brag repos add"), whose value is
# every option of that command; an option ending in "=" takes a value. Keep
# one entry per line, in this form.
#
# Prompt ids, note ids and repo names come from `brag pending --json`,
# `brag log --json` and `brag repos list --json` (which read the journal when
# bragd is down); nothing is printed when brag or its journal is missing.

declare -gA _brag_opts=(
  [brag]='-c= --config= -h --help --version'
  [brag status]='-h --help --json'
  [brag pending]='-h --help --all --count --json'
  [brag prompt]='-h --help --once'
  [brag answer]='-h --help'
  [brag snooze]='-h --help --all --repo= --before= --json'
  [brag dismiss]='-h --help --all --repo= --before= --json'
  [brag note]='-h --help --repo= --commit= --tag='
  [brag edit]='-h --help --json'
  [brag rm]='-h --help --json'
  [brag log]='-h --help --since= --until= --repo= --kind= --limit= --json'
  [brag repos]='-h --help'
  [brag repos add]='-h --help --name='
  [brag repos rm]='-h --help'
  [brag repos list]='-h --help --json'
  [brag scan]='-h --help --branch= --since= --until= --author= --all-authors --json --record'
  [brag hooks]='-h --help'
  [brag hooks install]='-h --help --all --all-hooks'
  [brag hooks uninstall]='-h --help --all'
  [brag hooks status]='-h --help --all --json'
  [brag hook]='-h --help'
  [brag digest]='-h --help --week= --since= --until= --format= -o= --output='
  [brag review]='-h --help --since= --until= -o= --output='
  [brag start]='-h --help'
  [brag stop]='-h --help'
  [brag reload]='-h --help --json'
  [brag doctor]='-h --help --json'
  [brag setup]='-h --help --yes --email= --root= --no-hooks --no-autostart --backfill='
  [brag help]='-h --help'
)

# Option values from a fixed set, by "COMMAND PATH OPTION".
declare -gA _brag_values=(
  [brag log --kind]='pr_merged incident_closed note'
  [brag digest --format]='md markdown html json'
  [brag setup --backfill]='0 30d 90d 180d 365d'
)

# What an option's value is, where it can be completed: file, dir, repo.
declare -gA _brag_optarg=(
  [-c]=file [--config]=file [-o]=file [--output]=file [--repo]=repo [--root]=dir
)

# What a command's positionals are: prompt ids, note ids, repo names, paths,
# commands (help), git hook names (hook). A trailing 1: only the first one
# (what follows is free text).
declare -gA _brag_args=(
  [brag answer]=prompt1 [brag snooze]=prompt [brag dismiss]=prompt
  [brag edit]=note1 [brag rm]=note1 [brag repos rm]=repo1 [brag repos add]=dir1
  [brag scan]=dir1 [brag hooks install]=dir [brag hooks uninstall]=dir
  [brag hooks status]=dir [brag help]=command [brag hook]=hook1
)

# _brag_json_field MODE: reads brag's JSON Lines on stdin and prints, per line,
# a value and a description separated by a tab: MODE "pending" the prompt's
# id, "notes" a note's id, "repos" a repo's name. Only the object's own keys
# count (not those of nested objects); awk is enough, as every key and string
# of brag's output is on one line.
_brag_json_field() {
  awk -v mode="$1" '
  {
    delete f; depth = 0; instr = 0; tok = ""; key = ""; n = length($0)
    for (i = 1; i <= n; i++) {
      c = substr($0, i, 1)
      if (instr) {
        if (c == "\\") { tok = tok c substr($0, i + 1, 1); i++; continue }
        if (c == "\"") { instr = 0; if (depth == 1 && key != "") { f[key] = tok; key = "" } else if (depth == 1) last = tok; continue }
        tok = tok c; continue
      }
      if (c == "\"") { instr = 1; tok = ""; continue }
      if (c == "{" || c == "[") { depth++; key = ""; continue }
      if (c == "}" || c == "]") { depth--; continue }
      if (depth != 1) continue
      if (c == ":") { key = last; last = ""; continue }
      if (c == ",") { key = ""; continue }
      if (key != "" && c ~ /[-0-9a-z.]/) {
        v = ""
        while (i <= n && substr($0, i, 1) ~ /[-0-9a-z.+E]/) { v = v substr($0, i, 1); i++ }
        i--; f[key] = v; key = ""
      }
    }
    if (mode == "pending" && f["id"] ~ /^[0-9]+$/)
      print f["id"] "\t" f["repo_name"] " " f["title"]
    else if (mode == "notes" && f["kind"] == "note" && f["id"] ~ /^[0-9]+$/)
      print f["id"] "\t" f["text"]
    else if (mode == "notes" && f["note_id"] ~ /^[0-9]+$/)
      print f["note_id"] "\t" f["title"]
    else if (mode == "repos" && f["name"] != "")
      print f["name"] "\t" f["path"]
  }'
}

# _brag_query MODE [-c FILE]: the values of MODE from the running brag.
_brag_query() {
  local mode=$1; shift
  command -v brag >/dev/null 2>&1 || return 0
  local -a run=(brag "$@")
  command -v timeout >/dev/null 2>&1 && run=(timeout 3 brag "$@")
  case $mode in
    pending) "${run[@]}" pending --json ;;
    notes) "${run[@]}" log --json --limit 200 ;;
    repos) "${run[@]}" repos list --json ;;
  esac 2>/dev/null </dev/null | _brag_json_field "$mode" 2>/dev/null
}

_brag() {
  local cur words cword
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n =: cur words cword
  else
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${COMP_WORDS[COMP_CWORD]}
  fi
  COMPREPLY=()

  # Walk the words before the cursor: the command path, the positionals
  # given, and whether the last word is an option waiting for its value.
  local path=brag i w opt= npos=0 dashdash=0 config=()
  for ((i = 1; i < cword; i++)); do
    w=${words[i]}
    if [[ -n $opt ]]; then
      [[ $w == = ]] && continue  # bash alone splits --opt=value at '='
      [[ $opt == -c || $opt == --config ]] && config=(-c "$w")
      opt=
      continue
    fi
    [[ $path == "brag hook" ]] && { ((npos++)); continue; }
    if ((dashdash)) || [[ $w != -* ]]; then
      if ((npos == 0)) && [[ -n ${_brag_opts[$path $w]+set} ]]; then
        path="$path $w"
      else
        ((npos++))
      fi
      continue
    fi
    [[ $w == -- ]] && { dashdash=1; continue; }
    [[ $w == *=* ]] && continue
    if [[ " ${_brag_opts[$path]} ${_brag_opts[brag]} " == *" $w= "* ]]; then
      opt=$w
    fi
  done

  local -a cands=()
  local kind value prefix=
  [[ -n $opt && $cur == = ]] && cur=
  if [[ -z $opt && $cur == --*=* && $dashdash == 0 ]]; then
    opt=${cur%%=*}
    cur=${cur#*=}
    # Where '=' breaks words (the default), readline replaces only the value.
    [[ $COMP_WORDBREAKS == *=* ]] || prefix=$opt=
  fi
  if [[ -n $opt ]]; then
    value=${_brag_values[$path $opt]}
    kind=${_brag_optarg[$opt]}
    if [[ -n $value ]]; then
      cands=($value)
    elif [[ $kind == repo ]]; then
      mapfile -t cands < <(_brag_query repos "${config[@]}" | cut -f1)
    elif [[ $kind == file || $kind == dir ]]; then
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -"${kind:0:1}" -- "$cur")
      [[ -n $prefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
      return 0
    else
      return 0  # free text
    fi
  elif [[ $cur == -* && $dashdash == 0 && $path != "brag hook" ]]; then
    local o
    for o in ${_brag_opts[$path]}; do cands+=("${o%=}"); done
    [[ $path != brag ]] && cands+=(-c --config)
  else
    local k sub=0
    if ((npos == 0)); then
      for k in "${!_brag_opts[@]}"; do
        if [[ $k == "$path "* && ${k#"$path "} != *" "* ]]; then
          cands+=("${k#"$path "}")
          sub=1
        fi
      done
    fi
    if ((!sub)); then
      kind=${_brag_args[$path]}
      [[ $kind == *1 ]] && ((npos > 0)) && return 0
      case ${kind%1} in
        prompt) mapfile -t cands < <(_brag_query pending "${config[@]}" | cut -f1) ;;
        note) mapfile -t cands < <(_brag_query notes "${config[@]}" | cut -f1) ;;
        repo) mapfile -t cands < <(_brag_query repos "${config[@]}" | cut -f1) ;;
        dir)
          compopt -o filenames 2>/dev/null
          mapfile -t COMPREPLY < <(compgen -d -- "$cur")
          return 0
          ;;
        command)
          local node=brag
          for ((i = cword - npos; i < cword; i++)); do node="$node ${words[i]}"; done
          for k in "${!_brag_opts[@]}"; do
            [[ $k == "$node "* && ${k#"$node "} != *" "* ]] && cands+=("${k#"$node "}")
          done
          ;;
        hook) cands=(post-commit post-merge post-rewrite reference-transaction) ;;
      esac
    fi
  fi
  mapfile -t COMPREPLY < <(compgen -W "${cands[*]}" -- "$cur")
  [[ -n $prefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
  return 0
}

complete -F _brag brag
