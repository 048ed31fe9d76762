#include "e2e/pty_session.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <termios.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>

namespace brag::test {

PtySession::PtySession(const std::string& command) {
  winsize size{};
  size.ws_row = 24;
  size.ws_col = 80;
  pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ == 0) {
    ::setenv("TERM", "xterm", 1);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
}

PtySession::~PtySession() {
  if (pid_ > 0 && exit_code_ < 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (master_ >= 0) ::close(master_);
}

void PtySession::Type(std::string_view keys) {
  while (!keys.empty()) {
    ssize_t n = ::write(master_, keys.data(), keys.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    keys.remove_prefix(static_cast<size_t>(n));
  }
}

bool PtySession::ReadSome(int timeout_ms) {
  if (ended_) return false;
  pollfd p{master_, POLLIN, 0};
  int n = ::poll(&p, 1, timeout_ms);
  if (n <= 0) return true;
  char chunk[4096];
  ssize_t got = ::read(master_, chunk, sizeof chunk);
  if (got <= 0) {  // EIO once the program and its children closed the terminal
    ended_ = true;
    return false;
  }
  out_.append(chunk, static_cast<size_t>(got));
  return true;
}

bool PtySession::WaitFor(const std::string& text, int timeout_ms) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (size_t at = out_.find(text, seen_); at != std::string::npos) {
      seen_ = at + text.size();
      return true;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (!ReadSome(static_cast<int>(left.count()))) return false;
  }
}

bool PtySession::WaitForRawMode(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    termios mode{};
    if (::tcgetattr(master_, &mode) == 0 && !(mode.c_lflag & ICANON)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // Nothing tells the master side that the mode changed: look again after
    // whatever the program writes next, or a few milliseconds.
    if (!ReadSome(5)) return false;
  }
}

int PtySession::WaitExit(int timeout_ms) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (exit_code_ < 0) {
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return -1;
    // Keep reading, so that a program blocked on a full terminal goes on;
    // after its end, wait on the process itself in short steps.
    if (!ReadSome(static_cast<int>(std::min<int64_t>(left.count(), 50)))) {
      pollfd none{-1, 0, 0};
      ::poll(&none, 0, 10);
    }
  }
  while (ReadSome(0) && !ended_) {
    pollfd p{master_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) break;
  }
  return exit_code_;
}

}  // namespace brag::test
