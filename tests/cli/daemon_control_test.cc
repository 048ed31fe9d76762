// The parts of daemon_control.h that need no bragd: paths shown with "~",
// a process that is gone, the start command where no systemd runs, and
// StopBragd with nothing to stop.
#include "cli/daemon_control.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace brag::cli {
namespace {

namespace fs = std::filesystem;
using test::ScopedEnv;
using test::TempDir;

TEST_CASE("paths under HOME are shown with ~, others as they are") {
  ScopedEnv home("HOME", "/home/me/");
  CHECK(TildePath("/home/me/.local/state/brag/bragd.log") ==
        "~/.local/state/brag/bragd.log");
  CHECK(TildePath("/home/me") == "~");
  CHECK(TildePath("/home/meg/x") == "/home/meg/x");
  CHECK(TildePath("/srv/brag.log") == "/srv/brag.log");
}

TEST_CASE("bragd's log goes to XDG_STATE_HOME, else ~/.local/state") {
  ScopedEnv home("HOME", "/home/me");
  {
    ScopedEnv state("XDG_STATE_HOME", "/var/state");
    CHECK(BragdLogPath() == fs::path("/var/state/brag/bragd.log"));
  }
  ScopedEnv unset("XDG_STATE_HOME", nullptr);
  CHECK(BragdLogPath() == fs::path("/home/me/.local/state/brag/bragd.log"));
}

TEST_CASE("a running process is not gone; an exited one is, reaped or not") {
  CHECK_FALSE(ProcessGone(::getpid()));
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(child > 0);
  // Not reaped yet: a zombie, which counts as gone once it is one.
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT) == 0);
  CHECK(ProcessGone(child));
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(ProcessGone(child));
}

TEST_CASE("without a systemd user manager, bragd is started with brag start") {
  TempDir runtime("run");
  ScopedEnv env("XDG_RUNTIME_DIR", runtime.path().c_str());
  CHECK_FALSE(UserManagerRuns());
  CHECK(StartCommand() == "brag start");
  fs::create_directories(runtime.path() / "systemd");
  test::WriteFile(runtime.path() / "systemd" / "private", "");
  CHECK(UserManagerRuns());
  // A unit in the user's own folder, with a manager: systemctl starts it.
  TempDir config("cfg");
  ScopedEnv xdg("XDG_CONFIG_HOME", config.path().c_str());
  bool system_unit = UserUnitDir().has_value();
  test::WriteFile(config.path() / "systemd" / "user" / "bragd.socket", "[Socket]\n");
  REQUIRE(UserUnitDir().has_value());
  if (!system_unit) CHECK(*UserUnitDir() == config.path() / "systemd" / "user");
  CHECK(StartCommand() == "systemctl --user start bragd.socket");
}

TEST_CASE("stopping bragd where nothing answers has nothing to do") {
  TempDir dir("sock");
  ScopedEnv socket("BRAG_SOCKET", (dir.path() / "bragd.sock").c_str());
  Result<StopOutcome> stopped = StopBragd(Config{});
  REQUIRE(stopped.has_value());
  CHECK_FALSE(stopped->was_running);
  CHECK(stopped->pid == 0);
}

}  // namespace
}  // namespace brag::cli
