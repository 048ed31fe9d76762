// bragd: owns the socket, the journal, the repo watchers and the method
// table (DESIGN §2). Everything runs on one io_context thread: sessions,
// inotify, the poll timer and journal writes, so no state here is shared
// across threads.
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
#include "git/reflog.h"
#include "git/repo.h"
#include "journal/journal.h"
#include "methods/read_worker.h"
#include "protocol/message.h"
#include "server/line_handler.h"
#include "server/send_budget.h"
#include "server/socket_guard.h"
#include "watch/ref_scan.h"
#include "watch/ref_watcher.h"

namespace brag {

class Session;

struct DaemonOptions {
  std::string config_path;  // --config; "" = BRAG_CONFIG or the default
  bool verbose = false;
};

class Daemon : public LineHandler {
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

  // Called by sessions (io thread). Returns the reply line, or none when
  // the reply comes later through session.DeliverReply: a method that lets
  // the loop serve others meanwhile (the ReadWorker's, `rescan` of every
  // repo).
  std::optional<std::string> HandleLine(const std::string& line, Session& session) override;
  void Forget(Session* session) override;

 private:
  struct WatchedRepo {
    RepoRecord record;
    std::optional<git::Repo> git;
    std::filesystem::path common_dir;
    std::string watching = "none";  // "inotify" | "poll" | "none"
    // Local branch tips already read for unfiled Impact: trailers in this
    // run (FileUnfiledTrailers): an unchanged tip is not walked again.
    std::set<std::string> trailer_tips;
    // How far the HEAD reflog was read for incidents born and closed between
    // scans, and the branch HEAD was on there; whether the first scan of this
    // run (which also reads the hooks' commit records) is done.
    uint64_t reflog_offset = 0;
    std::string reflog_branch;
    bool incidents_caught_up = false;
  };
  // Where CatchUpIncidents leaves a repo's reading once its events are recorded.
  struct ReflogMark {
    uint64_t offset = 0;
    std::string branch;
  };
  using Handler = Result<nlohmann::json> (Daemon::*)(const nlohmann::json& params,
                                                     Session& session);
  // Where a request's answer goes when it comes after HandleLine returned.
  struct LateReply {
    nlohmann::json id;
    std::weak_ptr<Session> session;
  };
  using LateHandler = void (Daemon::*)(const nlohmann::json& params, LateReply reply);
  struct ScanPass;

  Status LoadConfiguration(std::vector<std::string>* warnings);
  void ApplyIdentities();
  // Adds [[repo]] entries and repos found under [scan] roots; returns the ids
  // of repos not watched before (the caller scans them for their baseline).
  std::vector<int64_t> RegisterConfiguredRepos();
  // A clone may have appeared under a scan root: find it and set its
  // baseline, then re-watch the roots.
  void Rediscover();
  void ArmDiscovery();
  void LoadReposFromJournal();
  Result<RepoRecord> AddRepo(const std::string& path, const std::string& name,
                             const std::string& source, bool* is_new = nullptr);
  // A [[repo]] that cannot be opened (unreadable, not yet cloned): kept in
  // the journal and in `status` with state "error" and polled, so that it is
  // taken up when it opens.
  Result<RepoRecord> TrackUnopenedRepo(const std::string& path, const std::string& name,
                                       const std::string& error, bool* is_new);
  void WatchRepo(WatchedRepo& repo);
  // Detects what moved in one repo and records it. With `settle`, a scan
  // that would close an incident as deleted unmerged records nothing yet and
  // looks again a moment later (ArmSettle): `git branch -m` deletes the old
  // ref before it writes the new one, and a filesystem event can fall in
  // between. Explicit rescans do not settle.
  Result<std::vector<Prompt>> ScanRepo(int64_t repo_id, bool settle = false);
  // Files the user's Impact: trailers in `repo` that no hook filed (its
  // spool could not be written): part of every scan.
  // `reflog` is what HEAD's reflog gained since the last scan: its amends
  // are applied as post-rewrite would have.
  void FileTrailers(WatchedRepo& repo, const git::ReflogChunk& reflog);
  // The user's incidents born and closed since the last scan that no ref
  // state ever held (bragd was down, or they came and went between two
  // scans): from the HEAD reflog appended since the last read and, at the
  // first scan of this run, the commits the hooks recorded on incident
  // branches (`reflog`: what HEAD's reflog gained since the last scan).
  // `mark` is where the reading stops, to keep once recorded.
  Result<std::vector<Event>> CatchUpIncidents(WatchedRepo& repo,
                                              const git::ReflogChunk& reflog,
                                              const RefState& previous,
                                              const RefState& current,
                                              const DetectRules& rules, ReflogMark* mark);
  void ArmSettle(int64_t repo_id);
  // A scan whose events could not be recorded (the journal write failed:
  // disk full, read-only, I/O errors) left the repo's stored ref state
  // where it was, so nothing is lost: the repo is scanned again on a timer
  // (1 s, doubling to 30 s) until the write succeeds. The failure is logged
  // once per episode and shown in `status` meanwhile.
  void ScanRecorded(int64_t repo_id, const Status& recorded);
  void ArmRecordRetry();
  // [digest] schedule: writes the week's digest when its time has come and
  // no file of this run exists yet (so a run missed while bragd was down is
  // made at start, and a restart does not write it twice), then arms
  // digest_timer_ for the next run.
  void WriteDueDigest();
  void ArmDigestTimer();
  // Scans `ids` one repo per turn of the loop, so that clients are served
  // between repos; publishes each repo's prompts as they are made, then
  // hands them all to `done` (may be empty). With `settle`, as ScanRepo;
  // with `rewatch`, a repo not on inotify is watched again first (polls).
  // Repos removed meanwhile are skipped.
  void ScanEach(std::vector<int64_t> ids, bool settle, bool rewatch,
                std::function<void(std::vector<Prompt>)> done);
  void ScanNext(std::shared_ptr<ScanPass> pass);
  std::vector<int64_t> AllRepoIds() const;
  void MarkRepo(WatchedRepo& repo, const std::string& state, const std::string& error);
  DetectRules RulesFor(const WatchedRepo& repo) const;
  void Publish(const std::vector<Prompt>& prompts);
  void Notify(const Prompt& prompt);
  WatchedRepo* FindRepo(const std::string& path_or_name);
  // A repo as a hook names it (its work tree, a linked worktree, a git
  // folder), or null when it is not watched.
  WatchedRepo* FindHookRepo(const std::string& path);
  // Scans repo `path` right after the current reply, if it is watched.
  bool ScanSoon(const std::string& path);
  // Files what the hooks spooled (spool/spool.h): at start, what they wrote
  // while bragd was away; then before each request is answered.
  void FileSpooledHooks(bool at_start = false);
  nlohmann::json RepoStatus(const WatchedRepo& repo) const;

  void Accept();
  // At the open-file limit (EMFILE, ENFILE) or another accept error: stops
  // accepting, says so once, and tries again after a growing delay, or as
  // soon as a session closes.
  void PauseAccepting(const boost::system::error_code& ec);
  // Past the SendBudget: clients that have read nothing for a while are cut
  // off, so that the ones that read are served again.
  void ArmStallCheck();
  void DropStalledClients(std::chrono::steady_clock::time_point since);
  void ResumeSessions();
  void Answer(const LateReply& reply, const Result<nlohmann::json>& result);
  void WaitSignals();
  void WaitInotify();
  void ArmPollTimer();
  // Re-reads the config; a broken one is refused and the old one kept.
  Status Reload();
  void Shutdown();

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
  std::map<int64_t, WatchedRepo> repos_;
  std::map<std::string, Handler> methods_;
  std::map<std::string, LateHandler> late_methods_;
  std::map<Session*, std::weak_ptr<Session>> sessions_;
  std::vector<std::string> last_reload_warnings_;
  std::set<std::string> discovery_failures_;  // logged once each
  bool discovery_armed_ = false;
  std::set<int64_t> settling_;  // repos to scan again when settle_timer_ fires
  std::set<int64_t> unrecorded_;  // repos whose last scan could not be recorded
  std::string journal_error_;     // why, "" while writes work
  std::chrono::milliseconds record_retry_delay_{1000};
  bool record_retry_armed_ = false;

  SendBudget send_budget_;
  boost::asio::steady_timer stall_timer_;
  bool stall_check_armed_ = false;
  std::optional<ReadWorker> read_worker_;

  boost::asio::local::stream_protocol::acceptor acceptor_;
  boost::asio::steady_timer accept_timer_;
  std::chrono::milliseconds accept_delay_{0};  // 0: accepting
  bool accept_waiting_ = false;                // accept_timer_ armed
  boost::asio::signal_set signals_;
  boost::asio::posix::stream_descriptor inotify_;
  boost::asio::steady_timer poll_timer_;
  boost::asio::steady_timer discovery_timer_;
  boost::asio::steady_timer settle_timer_;
  boost::asio::steady_timer digest_timer_;
  boost::asio::steady_timer record_retry_timer_;
  std::chrono::steady_clock::time_point started_;
  int exit_code_ = kExitOk;
};

}  // namespace brag
