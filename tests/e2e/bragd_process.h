// End-to-end test helpers: a world of temp folders with its own config,
// journal and socket; the real bragd process started and stopped in it; the
// real brag binary run against it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/client.h"
#include "support/temp_dir.h"

namespace brag::test {

// Folders and files of one test: root/config.toml, root/journal.db,
// root/sock/bragd.sock, root/repos/.
class World {
 public:
  World();
  const std::filesystem::path& root() const { return dir_.path(); }
  std::filesystem::path config() const { return root() / "config.toml"; }
  std::filesystem::path journal() const { return root() / "journal.db"; }
  std::filesystem::path socket() const { return root() / "sock" / "bragd.sock"; }
  std::filesystem::path repos() const { return root() / "repos"; }
  // Rewrites config.toml: journal and socket paths, then `extra` TOML.
  void WriteConfig(const std::string& extra = "") const;
  // Runs the real brag with this world's config; stdin from `input`.
  CommandResult Brag(const std::string& args, const std::string& input = "") const;

 private:
  TempDir dir_;
};

// The real bragd, started on a World's config, stderr captured to a file.
class BragdProcess {
 public:
  // `prefix` is shell text run before bragd's path (a wrapper that execs
  // it, such as setpriv).
  explicit BragdProcess(const World& world, const std::string& extra_args = "",
                        const std::string& prefix = "");
  ~BragdProcess();
  BragdProcess(const BragdProcess&) = delete;
  BragdProcess& operator=(const BragdProcess&) = delete;

  // Waits (deadline) for the "listening on" line; false if bragd exited or
  // the deadline passed.
  bool WaitReady(int timeout_ms = 10000);
  // Waits for bragd to exit by itself; its exit code, or -1 at the deadline.
  int WaitExit(int timeout_ms = 10000);
  // Sends `signo` and waits for the exit; returns the exit code.
  int Stop(int signo = 15);
  std::string Log() const;
  pid_t pid() const { return pid_; }

  // A client connected to the world's socket (REQUIRE-fails if none).
  protocol::Client Connect() const;

 private:
  const World& world_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// Parses JSON Lines output (`brag ... --json`): one object per non-empty line.
std::vector<nlohmann::json> JsonLines(const std::string& text);

// Waits up to `timeout_ms` for a pushed "prompt" event, past any
// "prompt_closed" ones; its data, or null.
nlohmann::json WaitPrompt(protocol::Client& client, int timeout_ms = 5000);

}  // namespace brag::test
