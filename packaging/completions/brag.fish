# fish completion for brag(1).
#
# tests/docs/drift_test.py checks the table __brag_opts below against
# `brag --help`: one 'PATH|OPTIONS' string per line, PATH a command path
# ('brag repos add'), OPTIONS every option of that command; an option ending
# in "=" takes a value. Keep this form.
#
# Prompt ids, note ids and repo names come from `brag pending --json`,
# `brag log --json` and `brag repos list --json` (which read the journal when
# bragd is down); nothing is printed when brag or its journal is missing.

set -g __brag_opts \
    'brag|-c= --config= -h --help --version' \
    'brag status|-h --help --json' \
    'brag pending|-h --help --all --count --json' \
    'brag prompt|-h --help --once' \
    'brag answer|-h --help' \
    'brag snooze|-h --help --all --repo= --before= --json' \
    'brag dismiss|-h --help --all --repo= --before= --json' \
    'brag note|-h --help --repo= --commit= --tag=' \
    'brag edit|-h --help --json' \
    'brag rm|-h --help --json' \
    'brag log|-h --help --since= --until= --repo= --kind= --limit= --json' \
    'brag repos|-h --help' \
    'brag repos add|-h --help --name=' \
    'brag repos rm|-h --help' \
    'brag repos list|-h --help --json' \
    'brag scan|-h --help --branch= --since= --until= --author= --all-authors --json --record' \
    'brag hooks|-h --help' \
    'brag hooks install|-h --help --all --all-hooks' \
    'brag hooks uninstall|-h --help --all' \
    'brag hooks status|-h --help --all --json' \
    'brag hook|-h --help' \
    'brag digest|-h --help --week= --since= --until= --format= -o= --output=' \
    'brag review|-h --help --since= --until= -o= --output=' \
    'brag start|-h --help' \
    'brag stop|-h --help' \
    'brag reload|-h --help --json' \
    'brag doctor|-h --help --json' \
    'brag setup|-h --help --yes --email= --root= --no-hooks --no-autostart --backfill=' \
    'brag help|-h --help'

# What each command does, shown beside it.
set -g __brag_descs \
    'brag status|Show bragd, its paths, the pending count and every watched repo' \
    'brag pending|List the prompts waiting for an impact note' \
    'brag prompt|Ask for a note on each pending prompt, then on new ones' \
    'brag answer|File the impact note for a prompt' \
    'brag snooze|Put prompts off (default: one day)' \
    'brag dismiss|Drop prompts without a note' \
    'brag note|File a note of your own' \
    "brag edit|Replace a note's text" \
    'brag rm|Remove a note' \
    'brag log|List the journal, newest first' \
    'brag repos|Manage the watched repositories' \
    'brag repos add|Watch a repository' \
    'brag repos rm|Stop watching a repository' \
    'brag repos list|List the watched repositories' \
    "brag scan|List your PRs already in a repo's history" \
    "brag hooks|Manage brag's git hooks in your repos" \
    "brag hooks install|Install brag's git hooks" \
    "brag hooks uninstall|Remove brag's git hooks" \
    "brag hooks status|Show which of brag's git hooks are installed" \
    "brag hook|Called by brag's git hooks, not by you" \
    "brag digest|The week's wins by category" \
    'brag review|Draft your self-assessment' \
    'brag start|Start bragd' \
    'brag stop|Stop bragd' \
    'brag reload|Make bragd read its config again' \
    'brag doctor|Check the installation' \
    'brag setup|The first run: identity, repos, hooks, autostart, backfill' \
    'brag help|Show how to use brag, or a command'

# Option values from a fixed set, by 'COMMAND PATH OPTION'.
set -g __brag_values \
    'brag log --kind|pr_merged incident_closed note' \
    'brag digest --format|md markdown html json' \
    'brag setup --backfill|0 30d 90d 180d 365d'

# What an option's value is, where it can be completed: file, dir, repo.
set -g __brag_optarg '-c|file' '--config|file' '-o|file' '--output|file' \
    '--repo|repo' '--root|dir'

# What a command's positionals are (a trailing 1: only the first one).
set -g __brag_args 'brag answer|prompt1' 'brag snooze|prompt' 'brag dismiss|prompt' \
    'brag edit|note1' 'brag rm|note1' 'brag repos rm|repo1' 'brag repos add|dir1' \
    'brag scan|dir1' 'brag hooks install|dir' 'brag hooks uninstall|dir' \
    'brag hooks status|dir' 'brag help|command' 'brag hook|hook1'

# __brag_lookup TABLE KEY: the value of KEY in a list of 'KEY|VALUE' strings;
# false when there is none.
function __brag_lookup
    for entry in $$argv[1]
        set -l kv (string split -m1 '|' -- $entry)
        if test "$kv[1]" = "$argv[2]"
            echo $kv[2]
            return 0
        end
    end
    return 1
end

# __brag_children PATH: the subcommands of PATH, with their descriptions.
function __brag_children
    for entry in $__brag_opts
        set -l key (string split -m1 '|' -- $entry)[1]
        set -l rest (string replace -- "$argv[1] " '' $key)
        if test "$rest" != "$key"; and not string match -q -- '* *' $rest
            printf '%s\t%s\n' $rest (__brag_lookup __brag_descs $key)
        end
    end
end

# __brag_json_field MODE: brag's JSON Lines on stdin -> "VALUE<TAB>DESCRIPTION"
# per line: MODE "pending" a prompt's id, "notes" a note's id, "repos" a
# repo's name. Only the object's own keys count, not nested objects'.
function __brag_json_field
    awk -v mode="$argv[1]" '
    {
      delete f; depth = 0; instr = 0; tok = ""; key = ""; n = length($0)
      for (i = 1; i <= n; i++) {
        c = substr($0, i, 1)
        if (instr) {
          if (c == "\\\\") { tok = tok c substr($0, i + 1, 1); i++; continue }
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
end

# __brag_query MODE [-c FILE]: the values of MODE from brag.
function __brag_query
    set -l mode $argv[1]
    command -q brag; or return 0
    set -l run brag $argv[2..-1]
    command -q timeout; and set run timeout 3 $run
    switch $mode
        case pending
            $run pending --json 2>/dev/null </dev/null | __brag_json_field $mode 2>/dev/null
        case notes
            $run log --json --limit 200 2>/dev/null </dev/null | __brag_json_field $mode 2>/dev/null
        case repos
            $run repos list --json 2>/dev/null </dev/null | __brag_json_field $mode 2>/dev/null
    end
end

function __brag_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l path brag
    set -l opt
    set -l npos 0
    set -l dashdash 0
    set -l config
    set -l root_opts (__brag_lookup __brag_opts brag)
    for w in $words[2..-1]
        if test -n "$opt"
            contains -- $opt -c --config; and set config -c $w
            set opt
            continue
        end
        if test "$path" = 'brag hook'
            set npos (math $npos + 1)
            continue
        end
        if test $dashdash = 1; or not string match -q -- '-*' $w
            if test $npos = 0; and __brag_lookup __brag_opts "$path $w" >/dev/null
                set path "$path $w"
            else
                set npos (math $npos + 1)
            end
            continue
        end
        if test "$w" = --
            set dashdash 1
            continue
        end
        string match -q -- '*=*' $w; and continue
        set -l here (string split ' ' -- (__brag_lookup __brag_opts $path) $root_opts)
        contains -- "$w=" $here; and set opt $w
    end

    set -l prefix
    if test -z "$opt"; and test $dashdash = 0; and string match -q -- '--*=*' $cur
        set opt (string split -m1 = -- $cur)[1]
        set prefix "$opt="
        set cur (string split -m1 = -- $cur)[2]
    end
    if test -n "$opt"
        set -l value (__brag_lookup __brag_values "$path $opt")
        set -l kind (__brag_lookup __brag_optarg $opt)
        if test -n "$value"
            printf "$prefix%s\n" (string split ' ' -- $value)
        else if test "$kind" = repo
            __brag_query repos $config | string replace -r -- '^' "$prefix"
        else if test "$kind" = file
            __fish_complete_path $cur | string replace -r -- '^' "$prefix"
        else if test "$kind" = dir
            __fish_complete_directories $cur | string replace -r -- '^' "$prefix"
        end
        return 0
    end
    if string match -q -- '-*' $cur; and test $dashdash = 0; and test "$path" != 'brag hook'
        for o in (string split ' ' -- (__brag_lookup __brag_opts $path))
            string trim -r -c = -- $o
        end
        test "$path" != brag; and printf '%s\n' -c --config
        return 0
    end
    if test $npos = 0
        set -l children (__brag_children $path)
        if test (count $children) -gt 0
            printf '%s\n' $children
            return 0
        end
    end
    set -l kind (__brag_lookup __brag_args $path)
    if string match -q -- '*1' $kind; and test $npos -gt 0
        return 0
    end
    switch (string trim -r -c 1 -- "$kind")
        case prompt
            __brag_query pending $config
        case note
            __brag_query notes $config
        case repo
            __brag_query repos $config
        case dir
            __fish_complete_directories $cur
        case command
            set -l node brag
            test $npos -gt 0; and set node brag $words[(math (count $words) - $npos + 1)..-1]
            __brag_children (string join ' ' -- $node)
        case hook
            printf '%s\n' post-commit post-merge post-rewrite reference-transaction
    end
end

complete -c brag -e
complete -c brag -f -a '(__brag_complete)'
