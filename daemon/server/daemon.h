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
#include "protocol/message.h"
#include "server/digest_timer.h"
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

class Daemon {
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

  // The Listener's LineHandler (io thread). Returns the reply line, or none
  // when the reply comes later through session.DeliverReply: a method that
  // lets the loop serve others meanwhile (the ReadWorker's, `rescan` of
  // every repo).
  std::optional<std::string> HandleLine(const std::string& line, Session& session);

 private:
  using Handler = Result<nlohmann::json> (Daemon::*)(const nlohmann::json& params,
                                                     Session& session);
  // Where a request's answer goes when it comes after HandleLine returned.
  struct LateReply {
    nlohmann::json id;
    std::weak_ptr<Session> session;
  };
  using LateHandler = void (Daemon::*)(const nlohmann::json& params, LateReply reply);
  Status LoadConfiguration(std::vector<std::string>* warnings);
  void ApplyIdentities();
  void Answer(const LateReply& reply, const Result<nlohmann::json>& result);
  // Re-reads the config; a broken one is refused and the old one kept.
  Status Reload();

  // Methods of docs/protocol.md that need more than the journal.
  Result<nlohmann::json> Hello(const nlohmann::json& params, Session& session);
  Result<nlohmann::json> StatusMethod(const nlohmann::json& params, Session& session);
  Result<nlohmann::json> Subscribe(const nlohmann::json& params, Session& session);
  void Rescan(const nlohmann::json& params, LateReply reply);
  // A ReadWorker method, answered on read_worker_ with a copy of the config.
  void ReadOffLoop(const std::string& method, const nlohmann::json& params,
                   LateReply reply);
  // "nudge" {repo}: a hook says this repo's refs just changed; it is scanned
  // right after the reply (repos not watched are ignored).
  Result<nlohmann::json> Nudge(const nlohmann::json& params, Session& session);
  // "commit.record", "commit.rewrite" (methods/commit_methods.h), then a
  // scan of that repo: a commit on a mainline or an incident
  // branch is seen at once, even where no filesystem event comes.
  Result<nlohmann::json> HookCommit(const nlohmann::json& params, Session& session);
  Result<nlohmann::json> HookRewrite(const nlohmann::json& params, Session& session);
  Result<nlohmann::json> ReposAdd(const nlohmann::json& params, Session& session);
  Result<nlohmann::json> ReposRemove(const nlohmann::json& params, Session& session);
  Result<nlohmann::json> ReposList(const nlohmann::json& params, Session& session);
  Result<nlohmann::json> ReloadMethod(const nlohmann::json& params, Session& session);

  boost::asio::io_context& io_;
  DaemonOptions options_;
  Config config_;
  std::vector<std::string> identities_;
  std::filesystem::path socket_path_;
  std::optional<SocketLock> lock_;
  std::unique_ptr<Journal> journal_;
  RefWatcher watcher_;
  std::map<std::string, Handler> methods_;
  std::map<std::string, LateHandler> late_methods_;
  std::vector<std::string> last_reload_warnings_;
  std::optional<ReadWorker> read_worker_;
  Listener listener_;
  Notifier notifier_;
  // Made by Start, once the journal is open.
  std::unique_ptr<RepoRegistry> repos_;
  std::unique_ptr<ScanScheduler> scans_;
  std::unique_ptr<DigestTimer> digest_;
  std::chrono::steady_clock::time_point started_;
  int exit_code_ = kExitOk;
};

}  // namespace brag
