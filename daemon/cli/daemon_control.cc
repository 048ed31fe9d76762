#include "cli/daemon_control.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>
#include <thread>

#include "core/paths.h"
#include "protocol/client.h"

extern char** environ;

namespace brag::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Between two looks at bragd while waiting for it: short against a start
// (tens of ms), long against the cost of a look (one connect).
constexpr std::chrono::milliseconds kLookEvery{20};
constexpr size_t kTailLines = 10;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

Error Errno(const std::string& what) {
  return MakeError("io", what + ": " + std::strerror(errno));
}

// Creates `dir` and its missing parents, each 0700 (XDG state is private).
Status MakePrivateDirs(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return {};
  if (dir.has_parent_path() && dir.parent_path() != dir) {
    if (Status s = MakePrivateDirs(dir.parent_path()); !s) return s;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Errno("cannot create " + dir.string());
  return {};
}

// Opens the log for appending, 0600, creating it and its folder.
Result<int> OpenLog(const fs::path& log) {
  if (Status s = MakePrivateDirs(log.parent_path()); !s) return s.error();
  int fd =
      ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Errno("cannot open " + log.string());
  // An older log made with a wider mode: bragd's lines name repos and paths.
  (void)::fchmod(fd, 0600);
  return fd;
}

int64_t FileSize(const fs::path& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

// The last lines written to `log` from byte `from` on.
std::vector<std::string> LogTail(const fs::path& log, int64_t from) {
  std::ifstream in(log, std::ios::binary);
  in.seekg(from);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > kTailLines) lines.erase(lines.begin());
  }
  return lines;
}

std::string ExitText(int status) {
  if (WIFEXITED(status)) return "with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "on signal " + std::to_string(WTERMSIG(status));
  return "";
}

// In the child: becomes bragd, detached from the terminal and session of
// brag. Only async-signal-safe calls until exec.
[[noreturn]] void ExecDetached(char* const* argv, int log_fd) {
  ::setsid();
  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd < 0 || ::dup2(null_fd, STDIN_FILENO) < 0 ||
      ::dup2(log_fd, STDOUT_FILENO) < 0 || ::dup2(log_fd, STDERR_FILENO) < 0) {
    ::_exit(127);
  }
  // Nothing else of brag's (a pipe of whoever ran `brag start`) stays open
  // in bragd.
  ::close_range(3, ~0U, 0);
  ::execv(argv[0], argv);
  const char msg[] = "brag start: cannot run bragd\n";
  ssize_t ignored = ::write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)ignored;
  ::_exit(127);
}

int64_t PidOf(const json& status) {
  const json& pid = status.is_object() ? status.value("pid", json()) : json();
  return pid.is_number_integer() ? pid.get<int64_t>() : 0;
}

bool SocketActivated(const json& status) {
  const json& flag =
      status.is_object() ? status.value("socket_activated", json()) : json();
  return flag.is_boolean() && flag.get<bool>();
}

}  // namespace

fs::path BragdLogPath() { return DefaultStateDir() / "bragd.log"; }

Result<fs::path> FindBragd() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path dir = self.parent_path();
    for (const fs::path& p :
         {dir / "bragd", dir.parent_path().parent_path() / "bin" / "bragd"}) {
      if (::access(p.c_str(), X_OK) == 0) return p;
    }
  }
  std::string path = Env("PATH");
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    if (colon == std::string::npos) colon = path.size();
    std::string dir = path.substr(start, colon - start);
    fs::path p = fs::path(dir.empty() ? "." : dir) / "bragd";
    if (::access(p.c_str(), X_OK) == 0) return fs::absolute(p, ec);
    start = colon + 1;
  }
  return MakeError("not_found",
                   "bragd is not beside " +
                       (self.empty() ? std::string("brag") : self.string()) +
                       ", in ../../bin/ from it, nor on $PATH");
}

Result<json> AskStatus(const Config& config, int timeout_ms) {
  Result<protocol::Client> client = protocol::Client::Connect(SocketPath(config));
  if (!client) return client.error();
  return client->Call("status", json::object(), timeout_ms);
}

Result<StartOutcome> StartBragd(const Config& config, const std::string& config_path,
                                std::chrono::milliseconds deadline) {
  fs::path log = BragdLogPath();
  Result<json> status = AskStatus(config);
  if (status) return StartOutcome{PidOf(*status), log, true};
  if (status.error().code == "untrusted") return status.error();

  Result<fs::path> bragd = FindBragd();
  if (!bragd) return bragd.error();
  std::vector<std::string> argv{bragd->string()};
  if (!config_path.empty()) {
    std::error_code ec;
    fs::path absolute = fs::absolute(config_path, ec);
    argv.insert(argv.end(), {"--config", ec ? config_path : absolute.string()});
  }
  Result<int> log_fd = OpenLog(log);
  if (!log_fd) return log_fd.error();
  int64_t log_start = FileSize(log);

  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(*log_fd);
    return Errno("cannot start bragd");
  }
  if (pid == 0) ExecDetached(args.data(), *log_fd);
  ::close(*log_fd);

  Clock::time_point until = Clock::now() + deadline;
  for (;;) {
    int wait_status = 0;
    if (::waitpid(pid, &wait_status, WNOHANG) == pid) {
      std::string message =
          "bragd exited " + ExitText(wait_status) + " before answering";
      for (const std::string& line : LogTail(log, log_start)) message += "\n" + line;
      return MakeError("bragd_exited", message);
    }
    status = AskStatus(config);
    if (status) return StartOutcome{PidOf(*status), log, false};
    if (status.error().code == "untrusted") return status.error();
    if (Clock::now() >= until) {
      return MakeError("timeout", "bragd (pid " + std::to_string(pid) +
                                      ") did not answer within " +
                                      std::to_string(deadline.count() / 1000) +
                                      " s; see " + TildePath(log));
    }
    std::this_thread::sleep_for(kLookEvery);
  }
}

bool ProcessGone(int64_t pid) {
  if (pid <= 0) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!stat || !std::getline(stat, text))
    return ::kill(static_cast<pid_t>(pid), 0) != 0;
  // "PID (COMM) STATE ...": COMM may hold spaces and parentheses.
  size_t close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() &&
         (text[close + 2] == 'Z' || text[close + 2] == 'X');
}

Result<StopOutcome> StopBragd(const Config& config,
                              std::chrono::milliseconds deadline) {
  Result<json> status = AskStatus(config);
  if (!status) {
    if (status.error().code == "unreachable") return StopOutcome{};
    return status.error();
  }
  StopOutcome outcome{PidOf(*status), true, SocketActivated(*status)};
  if (outcome.pid <= 0) return MakeError("protocol", "bragd's status gave no pid");
  if (::kill(static_cast<pid_t>(outcome.pid), SIGTERM) != 0) {
    if (errno == ESRCH) return outcome;
    return Errno("cannot stop bragd (pid " + std::to_string(outcome.pid) + ")");
  }
  Clock::time_point until = Clock::now() + deadline;
  while (!ProcessGone(outcome.pid)) {
    if (Clock::now() >= until) {
      return MakeError("timeout", "bragd (pid " + std::to_string(outcome.pid) +
                                      ") did not stop within " +
                                      std::to_string(deadline.count() / 1000) + " s");
    }
    std::this_thread::sleep_for(kLookEvery);
  }
  return outcome;
}

bool UserManagerRuns() {
  std::string runtime = Env("XDG_RUNTIME_DIR");
  if (runtime.empty()) return false;
  std::error_code ec;
  return fs::exists(fs::path(runtime) / "systemd" / "private", ec);
}

std::optional<fs::path> UserUnitDir() {
  std::string config = Env("XDG_CONFIG_HOME");
  fs::path user =
      config.empty() || config[0] != '/' ? ExpandHome("~/.config") : fs::path(config);
  for (const fs::path& dir :
       {user / "systemd" / "user", fs::path("/etc/systemd/user"),
        fs::path("/usr/local/lib/systemd/user"), fs::path("/usr/lib/systemd/user"),
        fs::path("/lib/systemd/user")}) {
    std::error_code ec;
    if (fs::exists(dir / "bragd.socket", ec)) return dir;
  }
  return std::nullopt;
}

std::string StartCommand() {
  if (UserManagerRuns() && UserUnitDir()) return "systemctl --user start bragd.socket";
  return "brag start";
}

std::string TildePath(const fs::path& path) {
  std::string home = Env("HOME");
  while (home.size() > 1 && home.back() == '/') home.pop_back();
  std::string text = path.string();
  if (home.size() > 1 && text.starts_with(home) &&
      (text.size() == home.size() || text[home.size()] == '/')) {
    return "~" + text.substr(home.size());
  }
  return text;
}

ProgramRun RunProgram(const std::vector<std::string>& argv, int timeout_ms) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  std::vector<std::string> copy = argv;
  for (std::string& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  ProgramRun run;
  if (rc != 0) {
    ::close(pipe_fds[0]);
    return run;
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      timed_out = true;
      break;
    }
    char buf[512];
    ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
    if (n <= 0) break;
    run.out.append(buf, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!timed_out && WIFEXITED(status)) run.code = WEXITSTATUS(status);
  while (!run.out.empty() && (run.out.back() == '\n' || run.out.back() == ' '))
    run.out.pop_back();
  return run;
}

}  // namespace brag::cli
