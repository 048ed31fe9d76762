#include "e2e/bragd_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace brag::test {

namespace fs = std::filesystem;

World::World() : dir_("e2e") {
  fs::create_directories(repos());
  WriteConfig();
}

void World::WriteConfig(const std::string& extra) const {
  WriteFile(config(), "[journal]\npath = \"" + journal().string() +
                          "\"\n[daemon]\nsocket = \"" + socket().string() +
                          "\"\nnotify = false\n" + extra);
}

CommandResult World::Brag(const std::string& args, const std::string& input) const {
  std::string cmd = "BRAG_CONFIG=" + ShellQuote(config().string()) + " " BRAG_BIN " " +
                    args;
  if (!input.empty()) {
    fs::path in = root() / "stdin.txt";
    WriteFile(in, input);
    cmd += " < " + ShellQuote(in.string());
  } else {
    cmd += " < /dev/null";
  }
  return RunCommand(cmd);
}

BragdProcess::BragdProcess(const World& world, const std::string& extra_args,
                           const std::string& prefix)
    : world_(world) {
  static int counter = 0;
  log_ = world.root() / ("bragd-" + std::to_string(++counter) + ".log");
  std::string cmd = "exec " + prefix + " " BRAGD_BIN " --config " +
                    ShellQuote(world.config().string()) + " " + extra_args +
                    " </dev/null 2>" + ShellQuote(log_.string());
  pid_ = fork();
  if (pid_ == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

BragdProcess::~BragdProcess() {
  if (pid_ > 0 && exit_code_ < 0) {
    kill(pid_, SIGKILL);
    int status;
    waitpid(pid_, &status, 0);
  }
}

std::string BragdProcess::Log() const { return ReadFile(log_); }

static int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

bool BragdProcess::WaitReady(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Log().find("listening on") != std::string::npos) return true;
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = DecodeStatus(status);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

int BragdProcess::WaitExit(int timeout_ms) {
  if (exit_code_ >= 0) return exit_code_;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = DecodeStatus(status);
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

int BragdProcess::Stop(int signo) {
  if (exit_code_ >= 0) return exit_code_;
  kill(pid_, signo);
  return WaitExit();
}

protocol::Client BragdProcess::Connect() const {
  Result<protocol::Client> c = protocol::Client::Connect(world_.socket());
  if (!c) throw std::runtime_error("cannot connect: " + c.error().message);
  return std::move(*c);
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    start = nl + 1;
  }
  return out;
}

nlohmann::json WaitPrompt(protocol::Client& client, int timeout_ms) {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    Result<nlohmann::json> ev =
        client.NextEvent(std::max<int>(0, static_cast<int>(left.count())));
    if (!ev) return nullptr;
    // A prompt closed meanwhile (answered, snoozed, dismissed) is not a new one.
    if ((*ev)["event"] == "prompt_closed") continue;
    if ((*ev)["event"] != "prompt") return nullptr;
    return (*ev)["data"];
  }
}

}  // namespace brag::test
