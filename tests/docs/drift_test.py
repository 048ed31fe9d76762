#!/usr/bin/env python3
"""The man page brag(1) and the shell completions against `brag --help`.

Walks `brag --help` and `brag PATH --help` (CLI11's "Subcommands:",
"Options:" and "Positionals:" sections) for every command path and its
options, then checks, both ways:
  - docs/man/brag.1.scd: a "## PATH" heading under COMMANDS for every
    command path, and under it a line starting with "*-" for each of its
    options (--help is documented once, under OPTIONS, with brag's own);
    each positional as a "_NAME_" line; nothing brag does not have.
  - docs/man/bragd.1.scd: OPTIONS are exactly `bragd --help`'s; brag.1's
    EXIT STATUS lists exactly the codes of `brag --help`'s "Exit codes:".
  - docs/man/brag.toml.5.scd: every table and key of config/brag.toml.
  - each page goes through scdoc and `groff -ww` without a warning.
  - packaging/completions/{brag.bash,_brag,brag.fish}: the table of each
    (bash: [PATH]='OPTS', zsh: 'PATH' 'OPTS', fish: 'PATH|OPTS') has every
    command path and exactly its options, an option ending in "=" exactly
    when brag's takes a value.
Then runs each completion for real: bash (with and without bash-completion),
fish (`complete -C`) and zsh (its function with compadd and _describe
stubbed), for every command's options, a fixed value set, and prompt ids,
note ids and repo names from a journal the real bragd made, read with bragd
running and stopped; with brag missing nothing is printed.

Usage: drift_test.py --brag BRAG --bragd BRAGD --source SOURCE_DIR
"""
import argparse
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

# Commands being added on other branches (issue 16): documented and
# completed already, allowed to be missing from this brag's --help until
# those branches are merged. The integrator empties this set after merging.
PENDING_MERGE = {"start", "stop", "reload", "doctor", "setup"}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run(cmd, env=None, timeout=30, input=None, check=True):
    p = subprocess.run(cmd, env=env, timeout=timeout, input=input,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (cmd, p.returncode, p.stderr))
    return p


# ---- brag --help --------------------------------------------------------

def parse_help(text):
    """-> (subcommands, {option: takes_value}, [positional names])"""
    subs, opts, pos = [], {}, []
    section = None
    for line in text.splitlines():
        if re.match(r"^\S.*:$", line):
            section = line[:-1]
            continue
        if not line.strip():
            section = None
            continue
        m = re.match(r"^  (\S.*)$", line)
        if not m:
            continue
        spec = re.split(r"\s{2,}", m.group(1).strip())[0].split(" ")
        if section == "Subcommands":
            subs.append(spec[0])
        elif section == "Options" and spec[0].startswith("-"):
            takes = len(spec) > 1 and spec[1] not in ("Excludes:", "Needs:")
            for name in spec[0].split(","):
                opts[name] = takes
        elif section == "Positionals":
            pos.append(spec[0])
    return subs, opts, pos


def walk_brag(brag, env):
    """-> {path: (opts, positionals)}, path like "brag repos add"."""
    tree = {}

    def visit(words):
        p = run([brag] + words + ["--help"], env=env)
        subs, opts, pos = parse_help(p.stdout)
        path = " ".join(["brag"] + words)
        if not opts:
            fail("%s --help lists no options (help format changed?)" % path)
        tree[path] = (opts, pos)
        for s in subs:
            visit(words + [s])

    visit([])
    if len(tree) < 10:
        fail("only %d command paths found in brag --help" % len(tree))
    return tree


def allowed_extra(path):
    words = path.split(" ")
    return len(words) > 1 and words[1] in PENDING_MERGE


# ---- the man page -------------------------------------------------------

OPT_RE = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][-A-Za-z0-9]*)")


def man_options(lines):
    opts = set()
    for line in lines:
        if line.startswith("*-"):
            opts.update(OPT_RE.findall(line.replace("*", "")))
    return opts


def man_sections(path):
    sections = {}
    name = None
    for line in open(path).read().splitlines():
        m = re.match(r"^# (.+)$", line)
        if m:
            name = m.group(1)
            sections[name] = []
        elif name:
            sections[name].append(line)
    return sections


def check_exit_codes(page, sections, help_text):
    """The EXIT STATUS items ("*69*" lines) are the codes --help names."""
    m = re.search(r"Exit codes:(.*?)(\n\n|$)", help_text, re.S)
    if not m:
        fail("%s: --help names no exit codes (\"Exit codes: ...\")" % page)
        return
    want = set(re.findall(r"\b(\d+) ", m.group(1)))
    got = {l.strip("*") for l in sections.get("EXIT STATUS", []) if re.match(r"^\*\d+\*$", l)}
    if want != got:
        fail("%s EXIT STATUS lists %s, --help says %s" % (page, sorted(got), sorted(want)))


def check_bragd_man(path, bragd, env):
    """bragd(1)'s OPTIONS are exactly `bragd --help`'s."""
    sections = man_sections(path)
    for need in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SIGNALS", "EXIT STATUS",
                 "FILES", "ENVIRONMENT", "SEE ALSO"):
        if need not in sections:
            fail("bragd.1.scd has no %s section" % need)
    _, opts, _ = parse_help(run([bragd, "--help"], env=env).stdout)
    got = man_options(sections.get("OPTIONS", []))
    for o in sorted(set(opts) - got):
        fail("bragd.1.scd OPTIONS: bragd's option %s is not documented" % o)
    for o in sorted(got - set(opts)):
        fail("bragd.1.scd OPTIONS: %s is not an option of bragd" % o)


def check_toml_man(toml_path, man_path):
    """brag.toml(5) has a "# [TABLE]" section for every table of
    config/brag.toml (commented-out ones too) and a "*KEY* = TYPE" line
    there for each of its keys, and no table or key the file lacks."""
    want, table = {}, None
    for line in open(toml_path).read().splitlines():
        m = re.match(r"^#?\s*(\[\[?[a-z_.]+\]\]?)\s*$", line)
        if m:
            table = m.group(1)
            want.setdefault(table, set())
            continue
        m = re.match(r"^#?\s*([a-z_]+) = \S", line)
        if m and table:
            want[table].add(m.group(1))
    got = {}
    for name, lines in man_sections(man_path).items():
        if name.startswith("["):
            got[name] = {m.group(1) for l in lines
                         for m in [re.match(r"^\*([a-z\\_]+)\* = _", l)] if m}
            got[name] = {k.replace("\\_", "_") for k in got[name]}
    if len(want) < 8:
        fail("config/brag.toml: only %d tables found" % len(want))
    for t in sorted(set(want) | set(got)):
        if t not in got:
            fail("brag.toml.5.scd: table %s of config/brag.toml is not documented" % t)
        elif t not in want:
            fail("brag.toml.5.scd documents %s, which config/brag.toml lacks" % t)
        else:
            for k in sorted(want[t] - got[t]):
                fail("brag.toml.5.scd: key %s of %s is not documented" % (k, t))
            for k in sorted(got[t] - want[t]):
                fail("brag.toml.5.scd documents %s in %s, which config/brag.toml lacks"
                     % (k, t))


def check_renders(man_dir):
    """Each page goes through scdoc and groff without a warning."""
    for page in ("brag.1", "bragd.1", "brag.toml.5"):
        with open(os.path.join(man_dir, page + ".scd")) as f:
            p = subprocess.run(["scdoc"], stdin=f, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=30)
        if p.returncode != 0 or p.stderr:
            fail("scdoc %s.scd: %s" % (page, p.stderr.strip()))
            continue
        g = run(["groff", "-ww", "-z", "-man", "-Tutf8"], input=p.stdout, check=False,
                env=dict(os.environ, MANWIDTH="80"))
        if g.returncode != 0 or g.stderr:
            fail("groff -ww %s: %s" % (page, g.stderr.strip()))


def check_man(path, tree, help_text):
    sections = man_sections(path)
    for need in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS",
                 "FILES", "ENVIRONMENT", "EXAMPLES", "SEE ALSO"):
        if need not in sections:
            fail("brag.1.scd has no %s section" % need)
    check_exit_codes("brag.1.scd", sections, help_text)
    root_opts = set(tree["brag"][0])
    got = man_options(sections.get("OPTIONS", []))
    for o in sorted(root_opts - got):
        fail("brag.1.scd OPTIONS: brag's option %s is not documented" % o)
    for o in sorted(got - root_opts):
        fail("brag.1.scd OPTIONS: %s is not an option of brag" % o)

    blocks = {}
    current = None
    for line in sections.get("COMMANDS", []):
        m = re.match(r"^## (.+)$", line)
        if m:
            current = "brag " + m.group(1).strip()
            if current in blocks:
                fail("brag.1.scd: command %s documented twice" % current)
            blocks[current] = []
        elif current:
            blocks[current].append(line)
    for path, (opts, pos) in tree.items():
        if path == "brag":
            continue
        if path not in blocks:
            fail("brag.1.scd: command '%s' is not documented (## %s)" % (path, path[5:]))
            continue
        want = set(opts) - {"-h", "--help"}
        got = man_options(blocks[path])
        for o in sorted(want - got):
            fail("brag.1.scd: option %s of '%s' is not documented" % (o, path))
        for o in sorted(got - want):
            fail("brag.1.scd: '%s' documents %s, which it does not have" % (path, o))
        terms = {l.strip("_") for l in blocks[path] if re.match(r"^_[A-Z]+_$", l)}
        for p in pos:
            if p not in terms:
                fail("brag.1.scd: positional %s of '%s' is not documented (_%s_)"
                     % (p, path, p))
    for path in sorted(set(blocks) - set(tree)):
        if not allowed_extra(path):
            fail("brag.1.scd documents '%s', which brag does not have" % path)
    return blocks


# ---- the completion tables ---------------------------------------------

def table_lines(text, start_re, end_re):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(start_re, line):
            out = []
            for l in lines[i + 1:]:
                if re.match(end_re, l):
                    return out
                out.append(l)
    raise RuntimeError("table %s not found" % start_re)


def parse_bash(text):
    table = {}
    for l in table_lines(text, r"^declare -gA _brag_opts=\($", r"^\)$"):
        m = re.match(r"^\s*\[([^\]]+)\]='([^']*)'\s*$", l)
        if not m:
            raise RuntimeError("brag.bash: unexpected line in _brag_opts: " + l)
        table[m.group(1)] = m.group(2).split()
    return table


def parse_zsh(text):
    table = {}
    for l in table_lines(text, r"^_brag_opts=\($", r"^\)$"):
        m = re.match(r"^\s*'([^']+)' '([^']*)'\s*$", l)
        if not m:
            raise RuntimeError("_brag: unexpected line in _brag_opts: " + l)
        table[m.group(1)] = m.group(2).split()
    return table


def parse_fish(text):
    table = {}
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("set -g __brag_opts"))
    for l in lines[start + 1:]:
        m = re.match(r"^\s*'(brag[^|']*)\|([^']*)'( \\)?$", l)
        if not m:
            raise RuntimeError("brag.fish: unexpected line in __brag_opts: " + l)
        table[m.group(1)] = m.group(2).split()
        if not m.group(3):
            break
    return table


def check_table(name, table, tree):
    for path, (opts, _) in tree.items():
        if path not in table:
            fail("%s: command '%s' is not completed" % (name, path))
            continue
        got = {o.rstrip("="): o.endswith("=") for o in table[path]}
        for o, takes in opts.items():
            if o not in got:
                fail("%s: option %s of '%s' is not completed" % (name, o, path))
            elif got[o] != takes:
                fail("%s: '%s' %s %s a value in brag but %s in the table"
                     % (name, path, o, "takes" if takes else "takes no",
                        "'%s='" % o if got[o] else "'%s'" % o))
        for o in sorted(set(got) - set(opts)):
            fail("%s: '%s' completes %s, which it does not have" % (name, path, o))
    for path in sorted(set(table) - set(tree)):
        if not allowed_extra(path):
            fail("%s completes '%s', which brag does not have" % (name, path))


# ---- running the completions -------------------------------------------

BASH_DRIVER = r'''
[ -n "$WITH_BASH_COMPLETION" ] && . /usr/share/bash-completion/bash_completion
. "$COMPLETION"
while IFS= read -r line; do
  read -ra COMP_WORDS <<<"$line"
  [[ $line == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$line COMP_POINT=${#line}
  COMPREPLY=()
  _brag
  printf '%s\t' "${COMPREPLY[@]}"
  printf '\n'
done
'''

ZSH_DRIVER = r'''
compadd() { while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; print -rl -- "$@" }
_describe() { local -a a; a=("${(@P)${@[-1]}}"); print -rl -- ${a%%:*} }
_files() { print -r -- '<files>' }
_directories() { print -r -- '<directories>' }
_message() { }
compset() { }
compdef() { }
autoload -U is-at-least
source "$COMPLETION"
while IFS= read -r line; do
  words=(${(s: :)line})
  [[ $line == *' ' ]] && words+=('')
  CURRENT=$#words
  # What zsh itself does: keep the candidates that start with the word.
  _brag 2>&1 | while IFS= read -r c; do
    [[ $c == ${words[CURRENT]}* ]] && print -rn -- "$c"$'\t'
  done
  print
done
'''

FISH_DRIVER = r'''
source $COMPLETION
while read -l line
  set -l found (complete -C "$line" | string split -f1 \t)
  echo (string join \t -- $found)
end
'''


def run_shell(shell, completion, lines, env, extra_env=None):
    """Completes each of `lines` (the command line up to the cursor) in
    `shell`; -> [(set of candidates, stderr)] per line."""
    e = dict(env)
    e["COMPLETION"] = completion
    if extra_env:
        e.update(extra_env)
    if shell == "bash":
        cmd = ["bash", "--norc", "--noprofile", "-c", BASH_DRIVER]
    elif shell == "zsh":
        cmd = ["zsh", "-f", "-c", ZSH_DRIVER]
    else:
        cmd = ["fish", "--no-config", "-c", FISH_DRIVER]
    p = run(cmd, env=e, input="".join(l + "\n" for l in lines), timeout=120, check=False)
    out = p.stdout.split("\n")
    if p.returncode != 0 or len(out) < len(lines):
        fail("%s completion run failed (exit %d): %s" % (shell, p.returncode, p.stderr))
        return [(set(), p.stderr)] * len(lines)
    return [({w for w in out[i].split("\t") if w}, p.stderr) for i in range(len(lines))]


def check_runs(tree, completions, env, ids):
    """Every command's options, a fixed value set, subcommands, and the
    journal's ids and repo names (`ids`: prompt id, note id, repo name)."""
    cases = []
    for path, (opts, _) in sorted(tree.items()):
        if path == "brag hook":
            continue  # every word after `hook` is git's
        want = set(opts) | {"-c", "--config"}
        if path == "brag":
            want = set(opts)
        cases.append((path + " -", {o for o in want if o.startswith("-")}, "exact"))
    cases += [
        ("brag rep", {"repos"}, "exact"),
        ("brag repos ", {"add", "rm", "list"}, "exact"),
        ("brag hooks ", {"install", "uninstall", "status"}, "exact"),
        ("brag log --kind ", {"pr_merged", "incident_closed", "note"}, "exact"),
        ("brag digest --format ", {"md", "markdown", "html", "json"}, "exact"),
        ("brag answer %s " % ids["prompt"], set(), "exact"),
        ("brag answer ", {ids["prompt"]}, "exact"),
        ("brag dismiss ", {ids["prompt"]}, "exact"),
        ("brag snooze %s " % ids["prompt"], {ids["prompt"]}, "exact"),
        ("brag -c %s answer " % env["BRAG_CONFIG"], {ids["prompt"]}, "exact"),
        ("brag edit ", ids["note"], "exact"),
        ("brag rm ", ids["note"], "exact"),
        ("brag repos rm ", {ids["repo"]}, "exact"),
        ("brag log --repo ", {ids["repo"]}, "exact"),
    ]
    lines = [c[0] for c in cases]
    for shell, completion, extra in completions:
        label = shell + (" (%s)" % extra if extra else "")
        extra_env = {"WITH_BASH_COMPLETION": "1"} if extra else None
        results = run_shell(shell, completion, lines, env, extra_env)
        for (line, want, how), (got, err) in zip(cases, results):
            if shell == "fish":
                got = {g for g in got if g}
            ok = got == want if how == "exact" else want <= got
            if not ok:
                fail("%s: completing '%s' gave %s, expected %s%s"
                     % (label, line, sorted(got), "" if how == "exact" else "at least ",
                        sorted(want)))
        if results and results[0][1].strip():
            fail("%s: completion printed on stderr: %s" % (label, results[0][1]))


BASH_EQUALS = r'''
[ -n "$WITH_BASH_COMPLETION" ] && . /usr/share/bash-completion/bash_completion
. "$COMPLETION"
# As bash splits "brag log --kind=no": '=' is in COMP_WORDBREAKS, and
# readline replaces only the word after it.
COMP_LINE='brag log --kind=no' COMP_POINT=18 COMP_WORDS=(brag log --kind = no) COMP_CWORD=4
_brag; printf '%s\t' "${COMPREPLY[@]}"; printf '\n'
COMP_LINE='brag digest --format=' COMP_POINT=21 COMP_WORDS=(brag digest --format =) COMP_CWORD=3
_brag; printf '%s\t' "${COMPREPLY[@]}"; printf '\n'
'''


def check_bash_equals(completion, env):
    """--opt=VALUE in bash, with and without bash-completion."""
    for extra in ("", "1"):
        e = dict(env, COMPLETION=completion, WITH_BASH_COMPLETION=extra)
        p = run(["bash", "--norc", "--noprofile", "-c", BASH_EQUALS], env=e, check=False)
        lines = [set(filter(None, l.split("\t"))) for l in p.stdout.split("\n")[:2]]
        want = [{"note"}, {"md", "markdown", "html", "json"}]
        if lines != want or p.stderr:
            fail("bash%s: --kind=no / --format= completed %s, expected %s (stderr %r)"
                 % (" (bash-completion)" if extra else "", lines, want, p.stderr))


def check_quiet(completions, env):
    """With brag not on PATH, and with no journal: no candidates, no error."""
    for what in ("brag missing", "no journal"):
        e = dict(env)
        if what == "brag missing":
            e["PATH"] = "/usr/bin:/bin"
            if shutil.which("brag", path=e["PATH"]):
                print("drift_test: brag is installed in /usr/bin: not checking "
                      "completion without brag")
                continue
        else:
            e["XDG_DATA_HOME"] = os.path.join(env["HOME"], "empty-data")
            e["BRAG_SOCKET"] = os.path.join(env["HOME"], "no-such.sock")
            e.pop("BRAG_CONFIG", None)
        lines = ["brag answer ", "brag edit ", "brag repos rm "]
        for shell, completion, extra in completions:
            extra_env = {"WITH_BASH_COMPLETION": "1"} if extra else None
            for line, (got, err) in zip(lines, run_shell(shell, completion, lines, e,
                                                         extra_env)):
                if got or err.strip():
                    fail("%s (%s): completing '%s' gave %s, stderr %r"
                         % (shell, what, line, sorted(got), err))


# ---- a journal made by the real bragd ------------------------------------

def start_bragd(bragd, env, log_path, seconds=30):
    """Starts bragd and waits, up to `seconds`, for its "listening on" line
    (logged once every repo has its baseline); its log goes on to log_path."""
    daemon = subprocess.Popen([bragd], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    log = open(log_path, "wb")
    deadline = time.monotonic() + seconds
    buf = b""
    while b"listening on" not in buf:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([daemon.stderr], [], [], max(left, 0))
        chunk = os.read(daemon.stderr.fileno(), 4096) if ready else b""
        if not chunk:
            daemon.kill()
            daemon.wait()
            raise RuntimeError("bragd did not start listening: %s" % buf.decode())
        buf += chunk
        log.write(chunk)

    def drain():
        for chunk in iter(lambda: os.read(daemon.stderr.fileno(), 4096), b""):
            log.write(chunk)
        log.close()

    threading.Thread(target=drain, daemon=True).start()
    return daemon


def make_journal(brag, bragd, env, root):
    """A repo with a merged PR of the user's, recorded as a prompt by the
    running bragd (`brag scan --record`), and a note. -> (ids, bragd)."""
    repo = os.path.join(root, "payments")
    genv = dict(env, GIT_AUTHOR_NAME="Me", GIT_AUTHOR_EMAIL="me@example.com",
                GIT_COMMITTER_NAME="Me", GIT_COMMITTER_EMAIL="me@example.com")

    def git(*args):
        run(["git", "-C", repo] + list(args), env=genv)

    os.makedirs(repo)
    git("init", "-q", "-b", "main")
    git("commit", "-q", "--allow-empty", "-m", "init")
    git("checkout", "-q", "-b", "orders-index")
    with open(os.path.join(repo, "schema.sql"), "w") as f:
        f.write("create index orders_customer on orders(customer);\n")
    git("add", "schema.sql")
    git("commit", "-q", "-m", "Add composite index on orders")
    git("checkout", "-q", "main")
    git("merge", "-q", "--no-ff", "orders-index",
        "-m", "Merge pull request #481 from me/orders-index")

    daemon = start_bragd(bragd, env, os.path.join(root, "bragd.log"))
    try:
        run([brag, "repos", "add", repo], env=env)
        run([brag, "scan", repo, "--record"], env=env)
        # More notes than prompts, so that note ids and prompt ids differ.
        for text in ("Ran the Q3 failover drill", "Mentored two new hires",
                     "Wrote the on-call guide"):
            run([brag, "note", text, "--repo", "payments"], env=env)

        m = re.search(r'"id":(\d+)', run([brag, "pending", "--json"], env=env).stdout)
        if not m:
            raise RuntimeError("brag scan --record made no pending prompt")
        prompt = m.group(1)
        notes = run([brag, "log", "--kind", "note", "--json"], env=env).stdout
        note = set(re.findall(r'^\{.*?"id":(\d+)', notes, re.M))
        if len(note) != 3:
            raise RuntimeError("expected 3 notes in brag log, got %s" % notes)
    except Exception:
        stop(daemon)
        raise
    return {"prompt": prompt, "note": note, "repo": "payments"}, daemon


def stop(daemon):
    daemon.send_signal(signal.SIGTERM)
    try:
        daemon.wait(timeout=30)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait()
        fail("bragd did not stop on SIGTERM within 30s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--brag", required=True)
    ap.add_argument("--bragd", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    brag = os.path.abspath(args.brag)
    comp_dir = os.path.join(args.source, "packaging", "completions")

    for tool in ("bash", "zsh", "fish", "git", "awk", "scdoc", "groff"):
        if not shutil.which(tool):
            print("drift_test: %s is missing (scripts/dev.sh test installs it)" % tool,
                  file=sys.stderr)
            return 1
    if not os.path.exists("/usr/share/bash-completion/bash_completion"):
        print("drift_test: bash-completion is missing (scripts/dev.sh test installs it)",
              file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(prefix="brag-drift-") as root:
        home = os.path.join(root, "home")
        os.makedirs(os.path.join(home, "run"), mode=0o700)
        config = os.path.join(home, "config.toml")
        with open(config, "w") as f:
            f.write('[identity]\nemails = ["me@example.com"]\n[daemon]\nnotify = false\n')
        env = {
            "PATH": os.path.dirname(brag) + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home, "LANG": "C.UTF-8", "TERM": "dumb",
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_DATA_HOME": os.path.join(home, ".local/share"),
            "XDG_STATE_HOME": os.path.join(home, ".local/state"),
            "XDG_RUNTIME_DIR": os.path.join(home, "run"),
            "BRAG_CONFIG": config,
            "BRAG_SOCKET": os.path.join(home, "run", "bragd.sock"),
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]

        tree = walk_brag(brag, env)
        print("drift_test: %d command paths in brag --help" % len(tree))
        check_man(os.path.join(args.source, "docs", "man", "brag.1.scd"), tree,
                  run([brag, "--help"], env=env).stdout)
        check_renders(os.path.join(args.source, "docs", "man"))
        check_toml_man(os.path.join(args.source, "config", "brag.toml"),
                       os.path.join(args.source, "docs", "man", "brag.toml.5.scd"))
        check_bragd_man(os.path.join(args.source, "docs", "man", "bragd.1.scd"),
                        os.path.abspath(args.bragd), env)
        bash = os.path.join(comp_dir, "brag.bash")
        zsh = os.path.join(comp_dir, "_brag")
        fish = os.path.join(comp_dir, "brag.fish")
        check_table("brag.bash", parse_bash(open(bash).read()), tree)
        check_table("_brag", parse_zsh(open(zsh).read()), tree)
        check_table("brag.fish", parse_fish(open(fish).read()), tree)
        for cmd in (["bash", "-n", bash], ["zsh", "-n", zsh], ["fish", "-n", fish]):
            p = run(cmd, check=False)
            if p.returncode != 0:
                fail("%s: %s" % (" ".join(cmd), p.stderr))

        completions = [("bash", bash, ""), ("bash", bash, "bash-completion"),
                       ("zsh", zsh, ""), ("fish", fish, "")]
        ids, daemon = make_journal(brag, args.bragd, env, root)
        try:
            check_runs(tree, completions, env, ids)  # bragd running
        finally:
            stop(daemon)
        check_runs(tree, completions, env, ids)  # bragd down: from the journal
        check_quiet(completions, env)
        check_bash_equals(bash, env)

    if failures:
        print("drift_test: %d problems" % len(failures), file=sys.stderr)
        return 1
    print("drift_test: man page and completions match brag --help")
    return 0


if __name__ == "__main__":
    sys.exit(main())
