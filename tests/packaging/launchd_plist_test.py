#!/usr/bin/env python3
"""The macOS LaunchAgent of packaging/launchd/ parses as a plist and holds
what bragd needs: its label, the program, started at load, restarted only
after a failing exit, and its log file (an absolute path: launchd expands
no "~")."""
import plistlib
import sys

path = sys.argv[1]
with open(path, "rb") as f:
    plist = plistlib.load(f)

failures = []


def expect(what, ok):
    if not ok:
        failures.append(what)


expect("Label is dev.brag.bragd", plist.get("Label") == "dev.brag.bragd")
expect("ProgramArguments is [/usr/local/bin/bragd]",
       plist.get("ProgramArguments") == ["/usr/local/bin/bragd"])
expect("RunAtLoad is true", plist.get("RunAtLoad") is True)
expect("KeepAlive is {SuccessfulExit: false}",
       plist.get("KeepAlive") == {"SuccessfulExit": False})
log = plist.get("StandardErrorPath", "")
expect("StandardErrorPath ends in Library/Logs/brag/bragd.log",
       log.endswith("/Library/Logs/brag/bragd.log"))
expect("StandardErrorPath is absolute (launchd does not expand ~)",
       log.startswith("/") and "~" not in log and "$" not in log)

if failures:
    for f in failures:
        print(f"{path}: expected {f}", file=sys.stderr)
    sys.exit(1)
print(f"{path}: ok ({', '.join(sorted(plist))})")
