#include "cli/polish.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace brag::cli {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// SIGPIPE ignored while it lives: a command that does not read its stdin
// must give EPIPE on our write, not kill brag.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_);
  }
  ~IgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

Error PolishError(const std::string& what) { return MakeError("polish", what); }

// Feeds `input` and collects stdout until the child closes it or the
// deadline passes; false at the deadline.
bool Exchange(int to_child, int from_child, const std::string& input, std::string* output,
              Clock::time_point deadline, Fd* stdin_fd) {
  size_t sent = 0;
  if (input.empty()) stdin_fd->Close();
  for (;;) {
    pollfd fds[2] = {{from_child, POLLIN, 0}, {stdin_fd->get(), POLLOUT, 0}};
    nfds_t n = stdin_fd->get() >= 0 ? 2 : 1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    int rc = ::poll(fds, n, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return rc == 0 ? false : true;
    if (n == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = ::write(to_child, input.data() + sent, input.size() - sent);
      if (w > 0) sent += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN && errno != EINTR) sent = input.size();  // EPIPE
      if (sent == input.size()) stdin_fd->Close();
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[65536];
      ssize_t r = ::read(from_child, buf, sizeof buf);
      if (r == 0) return true;
      if (r > 0) output->append(buf, static_cast<size_t>(r));
      if (r < 0 && errno != EAGAIN && errno != EINTR) return true;
    }
  }
}

}  // namespace

Result<std::string> RunPolishCommand(const std::string& command, const std::string& input,
                                     std::chrono::milliseconds timeout) {
  IgnoreSigpipe ignore_sigpipe;
  int in_pipe[2];
  int out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return PolishError(std::strerror(errno));
  Fd in_read(in_pipe[0]), in_write(in_pipe[1]);
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return PolishError(std::strerror(errno));
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  pid_t pid = ::fork();
  if (pid < 0) return PolishError(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(in_read.get(), STDIN_FILENO);
    ::dup2(out_write.get(), STDOUT_FILENO);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here: no race with the child's own call
  in_read.Close();
  out_write.Close();
  ::fcntl(in_write.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(out_read.get(), F_SETFL, O_NONBLOCK);
  std::string output;
  bool finished = Exchange(in_write.get(), out_read.get(), input, &output,
                           Clock::now() + timeout, &in_write);
  if (!finished) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  in_write.Close();
  out_read.Close();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!finished) {
    return PolishError("`" + command + "` ran longer than " +
                       std::to_string(timeout.count()) + " ms");
  }
  if (WIFSIGNALED(status))
    return PolishError("`" + command + "` was killed by signal " +
                       std::to_string(WTERMSIG(status)));
  if (WEXITSTATUS(status) != 0)
    return PolishError("`" + command + "` exited with status " +
                       std::to_string(WEXITSTATUS(status)));
  if (output.find_first_not_of(" \t\r\n") == std::string::npos)
    return PolishError("`" + command + "` printed nothing");
  return output;
}

}  // namespace brag::cli
