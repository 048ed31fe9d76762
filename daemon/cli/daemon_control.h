// Starting and stopping bragd without a service manager (`brag start`,
// `brag stop`, and `brag setup` where there is no systemd), and what brag
// says about how bragd gets started (`brag status`, `brag doctor`). bragd
// is asked over its socket whether it runs; the process is found by the pid
// its `status` gives.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/result.h"

namespace brag::cli {

// How long start and stop wait for bragd by default.
inline constexpr std::chrono::milliseconds kBragdDeadline{10000};

// What StartBragd found or did.
struct StartOutcome {
  int64_t pid = 0;               // bragd's, as its status says
  std::filesystem::path log;     // where its stdout and stderr go
  bool already_running = false;  // it answered before anything was started
};

// What StopBragd found or did.
struct StopOutcome {
  int64_t pid = 0;  // 0 when bragd was not running
  bool was_running = false;
  // bragd said it had its socket from systemd: systemd listens on, and
  // starts it again at the next connection.
  bool socket_activated = false;
};

// Where `brag start` appends bragd's output:
// $XDG_STATE_HOME/brag/bragd.log, else ~/.local/state/brag/bragd.log.
std::filesystem::path BragdLogPath();

// The bragd to run: beside this program (the build tree), else
// ../../bin/bragd from it (/usr/libexec/brag/brag-cli finds /usr/bin/bragd),
// else the first on $PATH. Code "not_found" when there is none.
Result<std::filesystem::path> FindBragd();

// bragd's `status` over the socket of `config`: its result, or the error of
// the connection ("unreachable" when nothing answers, "untrusted").
Result<nlohmann::json> AskStatus(const Config& config, int timeout_ms = 2000);

// Starts bragd in the background unless it answers already: detached (its
// own session, stdin /dev/null, stdout and stderr appended to BragdLogPath(),
// created 0600 in a 0700 folder), with `--config config_path` when that is
// not empty; then waits up to `deadline` until it answers `status` on the
// socket of `config`. Errors: code "bragd_exited" when it exits first (the
// message's first line says with which code, the following lines are the
// last lines it logged); "timeout" at the deadline; "not_found" without a
// bragd; "untrusted" when the socket is somebody else's.
Result<StartOutcome> StartBragd(const Config& config, const std::string& config_path,
                                std::chrono::milliseconds deadline = kBragdDeadline);

// Stops the bragd answering on the socket of `config` (SIGTERM to the pid
// its status gives) and waits up to `deadline` until that process is gone.
// Nothing to do (was_running false) when nothing answers. Errors: "timeout"
// when it outlives the deadline, "untrusted", or the signal's failure.
Result<StopOutcome> StopBragd(const Config& config,
                              std::chrono::milliseconds deadline = kBragdDeadline);

// Whether process `pid` is gone (no such process, or a zombie nobody has
// reaped yet).
bool ProcessGone(int64_t pid);

// The systemd user manager of this session answers ($XDG_RUNTIME_DIR/
// systemd/private exists).
bool UserManagerRuns();
// The folder of an installed bragd.socket user unit (/usr/lib/systemd/user,
// /etc/systemd/user, ~/.config/systemd/user, ...), or nullopt.
std::optional<std::filesystem::path> UserUnitDir();
// How to start bragd here, as a command to type: "systemctl --user start
// bragd.socket" where the unit is installed and a user manager runs, else
// "brag start".
std::string StartCommand();

// What a program run by RunProgram did.
struct ProgramRun {
  int code = -1;    // its exit code; -1 when it could not run or was killed
  std::string out;  // its stdout, without trailing newlines and spaces
};

// Runs `argv` (found on $PATH) with stdin and stderr on /dev/null; its exit
// code and stdout, or code -1 when it cannot run or outlives `timeout_ms`
// (then it is killed). For systemctl, which may wait on a stuck bus.
ProgramRun RunProgram(const std::vector<std::string>& argv, int timeout_ms);

// `path` with $HOME shown as "~" ("~/.local/state/brag/bragd.log").
std::string TildePath(const std::filesystem::path& path);

}  // namespace brag::cli
