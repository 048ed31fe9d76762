// bragd (DESIGN §2): owns the config, the journal and the parts of the
// daemon, and wires them: the Listener (socket, sessions, signals), the
// RepoRegistry, the ScanScheduler, the DigestTimer and the Notifier; and
// the method table. Loads the config at Start and on reload. Everything
// runs on one io_context thread: sessions, inotify, the timers and journal
// writes, so no state here is shared across threads.
#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>  // Boost 1.74's awaitable.hpp misses it.
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "journal/journal.h"
#include "methods/read_worker.h"
#include "methods/registry.h"
#include "protocol/message.h"
#include "server/digest_timer.h"
#include "server/snooze_timer.h"
#include "server/listener.h"
#include "server/notifier.h"
#include "server/repo_registry.h"
#include "server/scan_scheduler.h"
#include "server/socket_guard.h"
#include "watch/ref_watcher.h"

namespace brag {

class Session;

struct DaemonOptions {
  std::string config_path;  // --config; "" = BRAG_CONFIG or the default
  bool verbose = false;
};

class Daemon : public DaemonServices {
 public:
  // Exit codes of bragd (sysexits where one fits).
  static constexpr int kExitOk = 0;
  static constexpr int kExitFailure = 1;
  static constexpr int kExitConfig = 78;

  Daemon(boost::asio::io_context& io, DaemonOptions options);
  ~Daemon();

  // Loads the config, takes the socket, opens the journal and starts
  // watching. On failure returns the exit code and has logged why.
  int Start();
  // Serves until SIGTERM or SIGINT; returns the exit code.
  int Run();

  // What the Listener hands each request line to (io thread). Returns the reply line, or none
  // when the reply comes later through session.DeliverReply: a method that
  // lets the loop serve others meanwhile (the ReadWorker's, `rescan` of
  // every repo).
  std::optional<std::string> HandleLine(const std::string& line, Session& session);

 private:
  // Where a request's answer goes when it comes after HandleLine returned.
  struct LateReply {
    nlohmann::json id;
    std::weak_ptr<Session> session;
  };
  Status LoadConfiguration(std::vector<std::string>* warnings);
  void ApplyIdentities();
  void Answer(const LateReply& reply, const Result<nlohmann::json>& result);
  // Re-reads the config; a broken one is refused and the old one kept.
  Status ReloadConfig();
  // A read-only method, answered on read_worker_ with a copy of the config.
  void ReadOffLoop(const std::string& method, const nlohmann::json& params,
                   LateReply reply);

  // DaemonServices: what the methods of methods/registry.h need of bragd.
  nlohmann::json StatusFacts() const override;
  nlohmann::json WatchedRepos() const override;
  Result<nlohmann::json> StartWatching(const std::string& path,
                                       const std::string& name) override;
  void StopWatching(const std::string& path) override;
  bool ScanSoon(const std::string& repo) override;
  void Rescan(const std::optional<std::string>& repo,
              std::function<void(Result<std::vector<Prompt>>)> done) override;
  Result<std::vector<std::string>> Reload() override;
  void PromptClosed(const Prompt& prompt) override;
  void PromptReopened(const Prompt& prompt) override;

  boost::asio::io_context& io_;
  DaemonOptions options_;
  Config config_;
  std::vector<std::string> identities_;
  std::filesystem::path socket_path_;  // the configured one: bragd.lock is beside it
  std::filesystem::path served_socket_;  // where clients connect
  bool socket_activated_ = false;       // served_socket_ came from systemd
  std::optional<SocketLock> lock_;
  std::unique_ptr<Journal> journal_;
  RefWatcher watcher_;
  std::vector<std::string> last_reload_warnings_;
  std::optional<ReadWorker> read_worker_;
  Listener listener_;
  Notifier notifier_;
  // Made by Start, once the journal is open.
  std::unique_ptr<RepoRegistry> repos_;
  std::unique_ptr<ScanScheduler> scans_;
  std::unique_ptr<DigestTimer> digest_;
  std::unique_ptr<SnoozeTimer> snoozes_;
  std::chrono::steady_clock::time_point started_;
  int exit_code_ = kExitOk;
};

}  // namespace brag
