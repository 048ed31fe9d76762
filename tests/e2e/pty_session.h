// A program run on a pseudo-terminal, as a person at a terminal would run
// it: what it shows is read with deadlines, keys are typed into it.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace brag::test {

class PtySession {
 public:
  // Runs `command` with /bin/sh -c on a new pseudo-terminal (80x24,
  // TERM=xterm), with the test's environment.
  explicit PtySession(const std::string& command);
  ~PtySession();  // kills the program if it still runs
  PtySession(const PtySession&) = delete;
  PtySession& operator=(const PtySession&) = delete;

  // Writes `keys` as typed ("\r" is Enter, "\x04" Ctrl-D, "\x1b[D" Left).
  void Type(std::string_view keys);
  // Waits until `text` shows after what earlier waits found; false at the
  // deadline or when the program exited without showing it.
  bool WaitFor(const std::string& text, int timeout_ms = 10000);
  // Waits until the program reads keys one by one (the terminal is out of
  // canonical mode, as libedit sets it while it reads a line): keys typed
  // before that would go through the kernel's line editing instead.
  bool WaitForRawMode(int timeout_ms = 10000);
  // Waits for the program to exit; its exit code, or -1 at the deadline.
  int WaitExit(int timeout_ms = 10000);
  // Everything shown so far.
  const std::string& output() const { return out_; }

 private:
  // Reads what the program wrote within `timeout_ms`; false at its end.
  bool ReadSome(int timeout_ms);

  int master_ = -1;
  pid_t pid_ = -1;
  std::string out_;
  size_t seen_ = 0;
  bool ended_ = false;
  int exit_code_ = -1;
};

}  // namespace brag::test
