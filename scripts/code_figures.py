#!/usr/bin/env python3
"""Figures of the code's shape, for review notes (issue 14): lines per folder
of daemon/, the length of function bodies (p50, p90, max) and the member
functions of the largest classes. A rough reader of this project's own
style (clang-format Google: definitions start at column 0 and end with a
"}" at column 0; classes are declared at column 0), not a C++ parser.

  scripts/code_figures.py [ROOT]     # ROOT: a checkout, default "."
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
daemon = os.path.join(root, "daemon")


def sources(folder):
    for name in sorted(os.listdir(folder)):
        if name.endswith((".h", ".cc")):
            yield os.path.join(folder, name)


def lines_of(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().split("\n")


print("lines per folder (.h + .cc)")
total = 0
for entry in sorted(os.listdir(daemon)):
    folder = os.path.join(daemon, entry)
    if not os.path.isdir(folder):
        continue
    n = sum(len(lines_of(p)) - 1 for p in sources(folder))
    total += n
    print(f"  {entry + '/':12} {n:6}")
print(f"  {'total':12} {total:6}")

# Function bodies: a line at column 0 that ends a signature with "{" (not a
# namespace, class, struct, enum or initialiser), to the next "}" at column 0.
lengths = []
signature_end = re.compile(r"^[A-Za-z~].*\)\s*(const)?\s*(noexcept)?\s*(override)?\s*\{$|^\s*:.*\{$|^[A-Za-z].*\)\s*->\s*.*\{$")
not_function = re.compile(r"^(namespace|class|struct|enum|union|extern|static_assert|TEST_CASE)\b|=\s*\{$")
for dirpath, _, files in os.walk(daemon):
    for name in files:
        if not name.endswith(".cc"):
            continue
        text = lines_of(os.path.join(dirpath, name))
        start = None
        for i, line in enumerate(text):
            if start is None:
                if line.endswith("{") and signature_end.match(line) and not not_function.match(line):
                    start = i
            elif line.startswith("}"):
                lengths.append(i - start - 1)
                start = None
lengths.sort()


def pct(p):
    return lengths[min(len(lengths) - 1, int(p * len(lengths)))]


print(f"function bodies: {len(lengths)}, lines p50 {pct(0.5)}, p90 {pct(0.9)}, max {lengths[-1]}")

# Member functions per class: declarations in a class body at column 0.
counts = []
decl = re.compile(r"^\s+(virtual\s+|static\s+|explicit\s+|inline\s+)*[\w:<>,\s\*&~]*?\b(~?\w+)\s*\([^;]*\)?[^;]*(;|\{)")
for dirpath, _, files in os.walk(daemon):
    for name in files:
        if not name.endswith(".h"):
            continue
        text = lines_of(os.path.join(dirpath, name))
        cls = None
        depth = 0
        for line in text:
            m = re.match(r"^class (\w+)[^;]*\{", line)
            if cls is None and m:
                cls, n, depth = m.group(1), 0, 1
                continue
            if cls is None:
                continue
            stripped = line.strip()
            if depth == 1 and not stripped.startswith("//") and "(" in stripped \
                    and not stripped.startswith(("using ", "friend ", "static constexpr", "#")) \
                    and re.match(r"^[\w:<>,\s\*&~\[\]]+\(", stripped) \
                    and not re.match(r"^(return|if|for|while)\b", stripped) \
                    and "operator=" not in stripped and "= delete" not in stripped:
                # a member initialiser line "  Foo bar_{x};" has "(" only in calls: skip those ending in "_;"
                if not re.search(r"_\s*(\{|;|=)", stripped.split("(")[0]):
                    n += 1
            depth += line.count("{") - line.count("}")
            if depth <= 0:
                counts.append((n, cls, os.path.relpath(os.path.join(dirpath, name), root)))
                cls = None
counts.sort(reverse=True)
print("member functions of the largest classes")
for n, cls, where in counts[:8]:
    print(f"  {n:3} {cls} ({where})")
