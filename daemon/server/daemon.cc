#include "server/daemon.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#ifdef BRAG_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "config/digest_schedule.h"
#include "core/bounded_text.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/timeutil.h"
#include "git/reflog.h"
#include "git/repo.h"
#include "methods/commit_methods.h"
#include "methods/digest_method.h"
#include "methods/journal_methods.h"
#include "methods/spool_drain.h"
#include "methods/unfiled_trailers.h"
#include "protocol/json_records.h"
#include "server/session.h"
#include "watch/discovery.h"
#include "watch/fs_events.h"
#include "watch/incident_scan.h"

extern char** environ;

namespace brag {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

// What all sessions together may hold for their clients (SendBudget), and
// how long one with bytes queued may go without reading while that is
// passed before it is cut off.
constexpr size_t kSendBudgetBytes = 64 * 1024 * 1024;
constexpr std::chrono::seconds kStallGrace{2};
// Retries of a failing accept: from the first to the longest delay.
constexpr std::chrono::milliseconds kAcceptFirstDelay{20};
constexpr std::chrono::milliseconds kAcceptMaxDelay{1000};

void SdNotify(const char* state) {
#ifdef BRAG_HAVE_SYSTEMD
  sd_notify(0, state);
#else
  (void)state;
#endif
}

// One log line per prompt, of bounded length whatever the repo put in it.
std::string Describe(const Prompt& p) {
  constexpr size_t kMaxLoggedTitleBytes = 200;
  constexpr size_t kMaxLoggedNameBytes = 100;
  std::string what = p.event.pr > 0 ? "PR #" + std::to_string(p.event.pr)
                                    : std::string("merge");
  return "prompt " + std::to_string(p.id) + ": " +
         CapUtf8(p.repo_name, kMaxLoggedNameBytes) + " " + what + " \"" +
         CapUtf8(p.event.title, kMaxLoggedTitleBytes) + "\" (" +
         CapUtf8(p.event.forge, kMaxLoggedNameBytes) + ")";
}

}  // namespace

Daemon::Daemon(asio::io_context& io, DaemonOptions options)
    : io_(io),
      options_(std::move(options)),
      send_budget_(
          kSendBudgetBytes, [this] { ArmStallCheck(); }, [this] { ResumeSessions(); }),
      stall_timer_(io),
      acceptor_(io),
      accept_timer_(io),
      signals_(io, SIGINT, SIGTERM, SIGHUP),
      inotify_(io),
      poll_timer_(io),
      discovery_timer_(io),
      settle_timer_(io),
      digest_timer_(io),
      record_retry_timer_(io),
      started_(std::chrono::steady_clock::now()) {
  methods_ = {
      {"hello", &Daemon::Hello},
      {"status", &Daemon::StatusMethod},
      {"subscribe", &Daemon::Subscribe},
      {"nudge", &Daemon::Nudge},
      {"commit.record", &Daemon::HookCommit},
      {"commit.rewrite", &Daemon::HookRewrite},
      {"repos.add", &Daemon::ReposAdd},
      {"repos.remove", &Daemon::ReposRemove},
      {"repos.list", &Daemon::ReposList},
      {"reload", &Daemon::ReloadMethod},
  };
  late_methods_ = {
      {"rescan", &Daemon::Rescan},
  };
}

Daemon::~Daemon() = default;

Status Daemon::LoadConfiguration(std::vector<std::string>* warnings) {
  Result<Config> config = LoadConfig(options_.config_path, warnings);
  if (!config) return config.error();
  config_ = std::move(*config);
  LogLevel level = LogLevel::kInfo;
  if (options_.verbose) level = LogLevel::kDebug;
  else ParseLogLevel(config_.log_level, &level);
  SetLogLevel(level);
  ApplyIdentities();
  return {};
}

void Daemon::ApplyIdentities() {
  identities_ = config_.identity_emails;
  if (identities_.empty()) {
    if (auto email = git::GlobalUserEmail()) identities_.push_back(*email);
  }
  if (identities_.empty()) {
    LogWarn(
        "no identity: set [identity] emails in the config or `git config --global "
        "user.email`; no merge can be recognised as yours");
  }
}

int Daemon::Start() {
  git::EnsureInit();
  std::vector<std::string> warnings;
  if (Status s = LoadConfiguration(&warnings); !s) {
    LogError(s.error().message);
    return kExitConfig;
  }
  for (const std::string& w : warnings) LogWarn(w);

  socket_path_ = SocketPath(config_);
  if (Status s = PrepareSocketDir(socket_path_); !s) {
    LogError(s.error().message);
    return kExitFailure;
  }
  Result<SocketLock> lock = SocketLock::Acquire(socket_path_);
  if (!lock) {
    LogError(lock.error().message);
    return kExitFailure;
  }
  lock_.emplace(std::move(*lock));

  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(JournalPath(config_), Journal::Mode::kReadWrite);
  if (!journal) {
    LogError(journal.error().message);
    return kExitFailure;
  }
  journal_ = std::move(*journal);
  read_worker_.emplace(journal_->path());
  FileSpooledHooks(/*at_start=*/true);  // commits made while bragd was away

  if (Status s = watcher_.Init(); !s) {
    LogWarn(s.error().message + "; polling every repo");
  } else {
    inotify_.assign(::dup(watcher_.fd()));
  }

  Result<int> fd = ListenUnix(socket_path_);
  if (!fd) {
    LogError(fd.error().message);
    return kExitFailure;
  }
  acceptor_.assign(asio::local::stream_protocol(), *fd);

  RegisterConfiguredRepos();
  LoadReposFromJournal();
  if (inotify_.is_open()) {
    Status s = watcher_.WatchRoots(config_.scan_roots, config_.scan_depth);
    if (!s) LogWarn("scan roots: " + s.error().message + "; rediscovering on each poll");
  }

  Accept();
  WaitSignals();
  if (inotify_.is_open()) WaitInotify();
  ArmPollTimer();
  // Ready once every repo has its baseline; clients are served meanwhile.
  ScanEach(AllRepoIds(), false, false, [this](std::vector<Prompt>) {
    WriteDueDigest();
    ArmDigestTimer();
    LogInfo("listening on " + socket_path_.string() + " (journal " +
            journal_->path().string() + ", " + std::to_string(repos_.size()) +
            " repos)");
    SdNotify("READY=1");
  });
  return kExitOk;
}

int Daemon::Run() {
  io_.run();
  return exit_code_;
}

void Daemon::Shutdown() {
  SdNotify("STOPPING=1");
  LogInfo("shutting down");
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_timer_.cancel();
  stall_timer_.cancel();
  // We still hold the lock, so the socket file is ours to remove.
  std::error_code ec;
  std::filesystem::remove(socket_path_, ec);
  for (auto& [ptr, weak] : std::map<Session*, std::weak_ptr<Session>>(sessions_)) {
    if (auto s = weak.lock()) s->Stop();
  }
  io_.stop();
}

// --- repos -----------------------------------------------------------------

std::vector<int64_t> Daemon::RegisterConfiguredRepos() {
  std::vector<int64_t> added;
  auto add = [&](const std::string& path, const std::string& name,
                 const std::string& source, const std::string& what) {
    bool is_new = false;
    Result<RepoRecord> r = AddRepo(path, name, source, &is_new);
    if (!r && source == "config") {
      // The user named it: keep it in `status` as an error until it opens.
      r = TrackUnopenedRepo(path, name, r.error().message, &is_new);
    }
    if (!r) {
      // A broken repo under a root would otherwise be logged at every poll.
      if (discovery_failures_.insert(path).second) {
        LogWarn(what + path + ": " + r.error().message);
      }
      return;
    }
    discovery_failures_.erase(path);
    if (is_new) added.push_back(r->id);
  };
  for (const RepoConfig& rc : config_.repos) add(rc.path, rc.name, "config", "[[repo]] ");
  for (const auto& found : DiscoverRepos(config_.scan_roots, config_.scan_depth)) {
    add(found.string(), "", "scan", "scan: ");
  }
  return added;
}

void Daemon::Rediscover() {
  std::vector<Prompt> made;
  std::vector<int64_t> added = RegisterConfiguredRepos();
  for (int64_t id : added) {
    LogInfo("found " + repos_.at(id).record.path + " under a scan root");
    Result<std::vector<Prompt>> r = ScanRepo(id);
    if (r) made.insert(made.end(), r->begin(), r->end());
  }
  // New plain folders are watched as their events arrive; a folder that
  // became a repository leaves the roots' watches here.
  if (inotify_.is_open() && !added.empty()) {
    Status s = watcher_.WatchRoots(config_.scan_roots, config_.scan_depth);
    if (!s) LogDebug("scan roots: " + s.error().message);
  }
  Publish(made);
}

void Daemon::ArmDiscovery() {
  if (discovery_armed_) return;
  discovery_armed_ = true;
  // A clone writes its git dir over a while: look once things settle.
  discovery_timer_.expires_after(std::chrono::milliseconds(300));
  discovery_timer_.async_wait([this](boost::system::error_code ec) {
    discovery_armed_ = false;
    if (!ec) Rediscover();
  });
}

void Daemon::LoadReposFromJournal() {
  Result<std::vector<RepoRecord>> rows = journal_->ListRepos();
  if (!rows) {
    LogError(rows.error().message);
    return;
  }
  for (RepoRecord& row : *rows) {
    if (repos_.count(row.id)) continue;
    WatchedRepo& repo = repos_[row.id];
    repo.record = std::move(row);
    WatchRepo(repo);
  }
}

Result<RepoRecord> Daemon::AddRepo(const std::string& path, const std::string& name,
                                   const std::string& source, bool* is_new) {
  Result<git::Repo> git = git::Repo::Open(ExpandHome(path));
  if (!git) return git.error();
  std::string display = git->DisplayPath().string();
  Result<RepoRecord> row = journal_->AddRepo(display, name, source, UnixNow());
  if (!row) return row.error();
  auto [it, inserted] = repos_.try_emplace(row->id);
  if (is_new) *is_new = inserted;
  WatchedRepo& repo = it->second;
  repo.record = *row;
  if (inserted || !repo.git) {
    repo.git.emplace(std::move(*git));
    WatchRepo(repo);
  }
  return *row;
}

Result<RepoRecord> Daemon::TrackUnopenedRepo(const std::string& path,
                                             const std::string& name,
                                             const std::string& error, bool* is_new) {
  std::error_code ec;
  std::filesystem::path where = std::filesystem::weakly_canonical(ExpandHome(path), ec);
  if (ec) where = ExpandHome(path);
  Result<RepoRecord> row = journal_->AddRepo(where.string(), name, "config", UnixNow());
  if (!row) return row.error();
  auto [it, inserted] = repos_.try_emplace(row->id);
  if (is_new) *is_new = inserted;
  WatchedRepo& repo = it->second;
  repo.record = *row;
  repo.watching = "poll";
  MarkRepo(repo, "error", error);
  return repo.record;
}

void Daemon::WatchRepo(WatchedRepo& repo) {
  if (!repo.git) {
    Result<git::Repo> git = git::Repo::Open(repo.record.path);
    if (!git) {
      MarkRepo(repo, "error", git.error().message);
      repo.watching = "poll";
      return;
    }
    repo.git.emplace(std::move(*git));
  }
  repo.common_dir = repo.git->CommonDir();
  if (!inotify_.is_open() || config_.watch_mode == "poll") {
    repo.watching = "poll";
    return;
  }
  if (std::optional<std::string_view> name =
          FilesystemWithoutEventsAt(repo.common_dir)) {
    LogInfo(repo.record.path + ": on " + std::string(*name) +
            ", no filesystem events; polling it every " +
            std::to_string(config_.poll_interval.count() / 1000) + "s");
    repo.watching = "poll";
    return;
  }
  Status s = watcher_.Watch(repo.record.id, repo.common_dir);
  if (s) {
    repo.watching = "inotify";
    return;
  }
  LogWarn(repo.record.path + ": " + s.error().message + "; polling it every " +
          std::to_string(config_.poll_interval.count() / 1000) + "s");
  repo.watching = "poll";
}

void Daemon::MarkRepo(WatchedRepo& repo, const std::string& state,
                      const std::string& error) {
  if (repo.record.state == state && repo.record.error == error) return;
  if (state == "error") LogError(repo.record.path + ": " + error);
  else if (repo.record.state == "error") LogInfo(repo.record.path + ": readable again");
  repo.record.state = state;
  repo.record.error = error;
  if (Status s = journal_->SetRepoState(repo.record.id, state, error); !s) {
    LogError(s.error().message);
  }
}

DetectRules Daemon::RulesFor(const WatchedRepo& repo) const {
  DetectRules rules;
  rules.mainlines = config_.mainline;
  rules.long_lived = config_.long_lived;
  for (const RepoConfig& rc : config_.repos) {
    bool named = ExpandHome(rc.path) == repo.record.path || rc.name == repo.record.name;
    if (!named) continue;
    if (!rc.mainline.empty()) rules.mainlines = rc.mainline;
    if (rc.long_lived) rules.long_lived = *rc.long_lived;
  }
  rules.coauthor = config_.coauthor == "ignore" ? detect::CoauthorRule::kIgnore
                                                : detect::CoauthorRule::kPrompt;
  rules.remotes = config_.remotes;
  rules.identities = identities_;
  rules.incident_globs = config_.incident_branches;
  return rules;
}

Result<std::vector<Prompt>> Daemon::ScanRepo(int64_t repo_id, bool settle) {
  auto it = repos_.find(repo_id);
  if (it == repos_.end()) return MakeError("not_found", "no such repo");
  WatchedRepo& repo = it->second;
  std::error_code ec;
  if (repo.git && !std::filesystem::exists(repo.common_dir / "HEAD", ec)) {
    // Deleted or moved away: an open handle would just see no refs and the
    // stored state would be lost. Keep the state, say so, and poll for it.
    repo.git.reset();
    watcher_.Unwatch(repo_id);
    repo.watching = "poll";
  }
  if (!repo.git) {
    WatchRepo(repo);
    if (!repo.git) return MakeError("git", repo.record.error);
  }
  Result<RefState> previous = journal_->LoadRefState(repo_id);
  if (!previous) return previous.error();
  Result<bool> has_baseline = journal_->HasBaseline(repo_id);
  if (!has_baseline) return has_baseline.error();
  DetectRules rules = RulesFor(repo);
  Result<ScanOutcome> outcome = ScanRefs(*repo.git, *previous, *has_baseline, rules);
  if (!outcome) {
    // The handle may be stale (repo moved, packs rewritten): reopen next time.
    repo.git.reset();
    std::error_code ec;
    if (!std::filesystem::exists(repo.common_dir, ec)) {
      watcher_.Unwatch(repo_id);
      repo.watching = "poll";
    }
    MarkRepo(repo, "error", outcome.error().message);
    return outcome.error();
  }
  if (!previous->empty() && outcome->refs.empty()) {
    // Every branch brag followed is gone at once: the repo is being deleted
    // or emptied under us. Recording that would make the refs it gets back
    // a new baseline (and their merges history); keep the old state, say
    // so, and poll until it has branches again.
    repo.git.reset();
    watcher_.Unwatch(repo_id);
    repo.watching = "poll";
    MarkRepo(repo, "error", "no branch brag follows is left (deleted or emptied?)");
    return MakeError("git", repo.record.error);
  }
  MarkRepo(repo, "ok", "");
  // What HEAD did since the last scan: amends whose post-rewrite may not
  // have been spooled, and incident branches that came and went.
  Result<git::ReflogChunk> reflog =
      git::ReadReflog(repo.common_dir / "logs" / "HEAD", repo.reflog_offset);
  if (!reflog) {
    LogWarn(repo.record.path + ": " + reflog.error().message);
    reflog = git::ReflogChunk{{}, repo.reflog_offset};
  }
  FileTrailers(repo, *reflog);
  if (settle && std::any_of(outcome->events.begin(), outcome->events.end(),
                            [](const Event& e) {
                              return e.kind == EventKind::kIncidentClosed && !e.merged;
                            })) {
    ArmSettle(repo_id);
    return std::vector<Prompt>{};
  }
  ReflogMark mark{repo.reflog_offset, repo.reflog_branch};
  bool caught_up = true;
  if (*has_baseline) {
    Result<std::vector<Event>> missed =
        CatchUpIncidents(repo, *reflog, *previous, outcome->refs, rules, &mark);
    if (!missed) {
      LogWarn(repo.record.path + ": incidents closed between scans: " +
              missed.error().message + "; trying again at the next scan");
      mark = {repo.reflog_offset, repo.reflog_branch};
      caught_up = false;
    } else {
      for (Event& e : *missed) outcome->events.push_back(std::move(e));
    }
  }
  auto keep_mark = [&repo, &mark, &has_baseline, caught_up] {
    if (!*has_baseline) return;
    repo.reflog_offset = mark.offset;
    repo.reflog_branch = mark.branch;
    repo.incidents_caught_up = repo.incidents_caught_up || caught_up;
  };
  if (*has_baseline && outcome->events.empty() && outcome->refs == *previous) {
    keep_mark();
    ScanRecorded(repo_id, {});  // nothing moved: no write, no fsync
    return std::vector<Prompt>{};
  }
  if (outcome->baseline) {
    LogInfo(repo.record.path + ": baseline set at " +
            std::to_string(outcome->refs.size()) + " mainline refs");
  }
  Result<std::vector<Prompt>> recorded =
      journal_->RecordScan(repo_id, outcome->refs, outcome->events, UnixNow());
  if (recorded) keep_mark();
  ScanRecorded(repo_id, recorded ? Status() : Status(recorded.error()));
  return recorded;
}

Result<std::vector<Event>> Daemon::CatchUpIncidents(WatchedRepo& repo,
                                                    const git::ReflogChunk& reflog,
                                                    const RefState& previous,
                                                    const RefState& current,
                                                    const DetectRules& rules,
                                                    ReflogMark* mark) {
  static constexpr int64_t kLookBack = 30 * 24 * 3600;
  static constexpr int kRecordedCommits = 2000;
  if (rules.incident_globs.empty()) return std::vector<Event>{};
  int64_t now = UnixNow();
  int64_t since = std::max(now - kLookBack, repo.record.added);
  mark->offset = reflog.end;
  mark->branch = repo.reflog_branch;
  std::vector<IncidentSighting> sightings =
      ReflogSightings(reflog.entries, since, rules, &mark->branch);
  if (!repo.incidents_caught_up) {
    // What the hooks recorded (filed from the spool as bragd started): the
    // reflog may be off, or expired.
    Result<std::vector<CommitRecord>> commits =
        journal_->Commits(repo.record.path, kRecordedCommits);
    if (!commits) return commits.error();
    for (const CommitRecord& c : *commits) {  // newest first: the first is the tip
      if (c.time < since || !IsIncidentBranch(c.branch, rules.incident_globs)) continue;
      bool seen = std::any_of(sightings.begin(), sightings.end(),
                              [&](const IncidentSighting& s) { return s.name == c.branch; });
      if (!seen) sightings.push_back({c.branch, c.oid, ""});
    }
  }
  if (sightings.empty()) return std::vector<Event>{};
  Result<std::vector<Event>> missed =
      MissedIncidents(*repo.git, sightings, previous, current, rules, now);
  if (missed && !missed->empty()) {
    LogInfo(repo.record.path + ": " + std::to_string(missed->size()) +
            " incident(s) closed between scans found in the reflog or the hooks' records");
  }
  return missed;
}

void Daemon::FileTrailers(WatchedRepo& repo, const git::ReflogChunk& reflog) {
  static constexpr int64_t kLookBack = 30 * 24 * 3600;
  static constexpr size_t kMaxTipsKept = 10000;
  FileSpooledHooks();  // what the hooks did spool is filed first, with its branch
  TrailerScan scan;
  scan.identities = identities_;
  scan.now = UnixNow();
  scan.since = std::max(scan.now - kLookBack, repo.record.added);
  for (const git::ReflogEntry& e : reflog.entries) {
    if (e.time >= scan.since && e.message.starts_with("commit (amend):")) {
      scan.rewrites.emplace_back(e.old_oid, e.new_oid);
    }
  }
  if (repo.trailer_tips.size() > kMaxTipsKept) repo.trailer_tips.clear();
  Result<int> filed = FileUnfiledTrailers(*journal_, *repo.git, scan, &repo.trailer_tips);
  if (!filed) {
    LogWarn(repo.record.path + ": unfiled Impact: trailers: " + filed.error().message +
            "; trying again at the next scan");
  } else if (*filed > 0) {
    LogInfo(repo.record.path + ": filed " + std::to_string(*filed) +
            " Impact: trailer(s) no hook had filed");
  }
}

void Daemon::ScanRecorded(int64_t repo_id, const Status& recorded) {
  if (recorded) {
    if (unrecorded_.erase(repo_id) && unrecorded_.empty()) {
      LogInfo("journal: writing again; what waited is recorded");
      journal_error_.clear();
      record_retry_delay_ = std::chrono::milliseconds(1000);
    }
    return;
  }
  if (journal_error_.empty()) {
    LogError("journal: cannot record what moved in " + repos_.at(repo_id).record.path +
             " (" + recorded.error().message + "); nothing is lost, retrying");
  }
  journal_error_ = recorded.error().message;
  unrecorded_.insert(repo_id);
  ArmRecordRetry();
}

void Daemon::ArmRecordRetry() {
  static constexpr std::chrono::milliseconds kMaxDelay{30000};
  if (record_retry_armed_) return;
  record_retry_armed_ = true;
  record_retry_timer_.expires_after(record_retry_delay_);
  record_retry_delay_ = std::min(record_retry_delay_ * 2, kMaxDelay);
  record_retry_timer_.async_wait([this](boost::system::error_code ec) {
    record_retry_armed_ = false;
    if (ec) return;  // shutting down
    std::vector<Prompt> made;
    for (int64_t id : std::set<int64_t>(unrecorded_)) {
      if (!repos_.count(id)) {
        unrecorded_.erase(id);
        continue;
      }
      Result<std::vector<Prompt>> r = ScanRepo(id);
      if (r) made.insert(made.end(), r->begin(), r->end());
    }
    Publish(made);
  });
}

void Daemon::ArmSettle(int64_t repo_id) {
  bool armed = !settling_.empty();
  settling_.insert(repo_id);
  if (armed) return;
  settle_timer_.expires_after(std::chrono::milliseconds(250));
  settle_timer_.async_wait([this](boost::system::error_code ec) {
    std::set<int64_t> ids;
    ids.swap(settling_);
    if (ec) return;
    std::vector<Prompt> made;
    for (int64_t id : ids) {
      Result<std::vector<Prompt>> r = ScanRepo(id);
      if (r) made.insert(made.end(), r->begin(), r->end());
    }
    Publish(made);
  });
}

struct Daemon::ScanPass {
  std::vector<int64_t> ids;
  size_t next = 0;
  bool settle = false;
  bool rewatch = false;
  std::vector<Prompt> made;
  std::function<void(std::vector<Prompt>)> done;
};

void Daemon::ScanEach(std::vector<int64_t> ids, bool settle, bool rewatch,
                      std::function<void(std::vector<Prompt>)> done) {
  auto pass = std::make_shared<ScanPass>();
  pass->ids = std::move(ids);
  pass->settle = settle;
  pass->rewatch = rewatch;
  pass->done = std::move(done);
  ScanNext(std::move(pass));
}

void Daemon::ScanNext(std::shared_ptr<ScanPass> pass) {
  if (pass->next == pass->ids.size()) {
    if (pass->done) pass->done(std::move(pass->made));
    return;
  }
  int64_t id = pass->ids[pass->next++];
  if (auto it = repos_.find(id); it != repos_.end()) {
    if (pass->rewatch && it->second.watching != "inotify") WatchRepo(it->second);
    Result<std::vector<Prompt>> r = ScanRepo(id, pass->settle);
    if (r) {
      Publish(*r);
      pass->made.insert(pass->made.end(), r->begin(), r->end());
    }
  }
  asio::post(io_, [this, pass] { ScanNext(pass); });
}

std::vector<int64_t> Daemon::AllRepoIds() const {
  std::vector<int64_t> ids;
  for (const auto& [id, repo] : repos_) ids.push_back(id);
  return ids;
}

Daemon::WatchedRepo* Daemon::FindHookRepo(const std::string& path) {
  if (WatchedRepo* repo = FindRepo(path)) return repo;
  git::EnsureInit();
  Result<git::Repo> opened = git::Repo::Open(path);
  return opened ? FindRepo(opened->DisplayPath().string()) : nullptr;
}

bool Daemon::ScanSoon(const std::string& path) {
  if (path.empty()) return false;
  WatchedRepo* repo = FindHookRepo(path);
  if (!repo) return false;  // not watched: nothing to look at
  int64_t id = repo->record.id;
  asio::post(io_, [this, id] {
    if (!repos_.count(id)) return;
    Result<std::vector<Prompt>> made = ScanRepo(id, true);
    if (made) Publish(*made);
  });
  return true;
}

void Daemon::FileSpooledHooks(bool at_start) {
  std::filesystem::path journal_path = JournalPath(config_);
  if (!spool::HasRecords(spool::SpoolPath(journal_path))) return;
  Result<spool::DrainReport> r = DrainHookSpool(*journal_, journal_path, UnixNow());
  if (!r) {
    LogWarn("hook spool: " + r.error().message + "; kept for the next try");
    return;
  }
  if (r->done > 0) {
    std::string filed = "hook spool: filed " + std::to_string(r->done) + " record(s)";
    if (at_start) LogInfo(filed + " made while bragd was away");
    else LogDebug(filed);
  }
  if (r->rejected > 0) {
    LogWarn("hook spool: " + std::to_string(r->rejected) + " record(s) could not be filed; see " +
            spool::RejectedPath(journal_path).string());
  }
}

Daemon::WatchedRepo* Daemon::FindRepo(const std::string& path_or_name) {
  std::string expanded = ExpandHome(path_or_name).string();
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(expanded, ec);
  for (auto& [id, repo] : repos_) {
    if (repo.record.path == path_or_name || repo.record.name == path_or_name ||
        repo.record.path == expanded || (!ec && repo.record.path == canonical.string())) {
      return &repo;
    }
  }
  return nullptr;
}

// --- prompts ---------------------------------------------------------------

void Daemon::Publish(const std::vector<Prompt>& prompts) {
  for (const Prompt& p : prompts) {
    LogInfo(Describe(p));
    std::string line = protocol::EventLine("prompt", PromptJson(p));
    // A copy: a subscriber cut off here leaves sessions_.
    for (auto& [ptr, weak] : std::map<Session*, std::weak_ptr<Session>>(sessions_)) {
      auto s = weak.lock();
      if (s && s->subscribed()) s->PushEvent(line);
    }
    Notify(p);
  }
}

void Daemon::Notify(const Prompt& prompt) {
  // A desktop notification only where a session bus exists; never block.
  if (!config_.notify || !std::getenv("DBUS_SESSION_BUS_ADDRESS")) return;
  std::string summary = "brag: " + prompt.repo_name + " " +
                        (prompt.event.pr > 0 ? "#" + std::to_string(prompt.event.pr)
                                             : std::string("merge")) +
                        " landed";
  std::string body = prompt.event.title + "\nWhat was the impact? brag prompt";
  const char* argv[] = {"notify-send", "--app-name=brag", summary.c_str(),
                        body.c_str(), nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, "notify-send", nullptr, nullptr,
                   const_cast<char* const*>(argv), environ) == 0) {
    // Reaped by the SIGCHLD-ignoring disposition set in main.
    (void)pid;
  }
}

// --- the weekly digest ----------------------------------------------------------

void Daemon::WriteDueDigest() {
  Result<DigestSchedule> schedule = ParseDigestSchedule(config_.digest_schedule);
  if (!schedule) return;  // refused when the config was loaded
  int64_t due = PreviousRun(*schedule, UnixNow());
  digest::IsoWeek week = digest::IsoWeekOf(due);
  std::filesystem::path dir = DigestDir(config_);
  std::filesystem::path file = dir / (digest::FormatIsoWeek(week) + ".md");
  std::error_code ec;
  auto written = std::filesystem::last_write_time(file, ec);
  if (!ec) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::file_clock::to_sys(written).time_since_epoch());
    if (seconds.count() >= due) return;  // this run's digest is there
  }
  std::vector<std::string> formats{"markdown"};
  if (config_.digest_format != "markdown" && config_.digest_format != "md") {
    formats.push_back(config_.digest_format);
  }
  Result<std::vector<std::filesystem::path>> files =
      WriteWeeklyDigest(*journal_, config_, week, formats, dir);
  if (!files) {
    LogError("digest: " + files.error().message);
    return;
  }
  LogInfo("wrote the digest of " + digest::FormatIsoWeek(week) + " to " + file.string());
  if (!config_.notify || !std::getenv("DBUS_SESSION_BUS_ADDRESS")) return;
  std::string summary = "brag: your digest of " + digest::FormatIsoWeek(week);
  std::string body = file.string();
  const char* argv[] = {"notify-send", "--app-name=brag", summary.c_str(), body.c_str(),
                        nullptr};
  pid_t pid;
  (void)posix_spawnp(&pid, "notify-send", nullptr, nullptr,
                     const_cast<char* const*>(argv), environ);
}

void Daemon::ArmDigestTimer() {
  Result<DigestSchedule> schedule = ParseDigestSchedule(config_.digest_schedule);
  if (!schedule) return;
  int64_t now = UnixNow();
  // At most an hour at a time: a suspended laptop or a clock change is
  // caught up within the hour.
  int64_t wait = std::clamp<int64_t>(NextRun(*schedule, now) - now, 1, 3600);
  digest_timer_.expires_after(std::chrono::seconds(wait));
  digest_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    WriteDueDigest();
    ArmDigestTimer();
  });
}

// --- event loop ------------------------------------------------------------

void Daemon::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec,
                                asio::local::stream_protocol::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      PauseAccepting(ec);
      return;
    }
    if (accept_delay_.count() > 0) {
      LogInfo("accepting connections again (" + std::to_string(sessions_.size() + 1) +
              " open)");
      accept_delay_ = std::chrono::milliseconds(0);
    }
    auto session = std::make_shared<Session>(std::move(socket), *this, send_budget_);
    sessions_[session.get()] = session;
    session->Start();
    Accept();
  });
}

void Daemon::PauseAccepting(const boost::system::error_code& ec) {
  // The connection stays in the listen queue, so accepting again at once
  // would spin; it waits there until a descriptor is free.
  if (accept_delay_.count() == 0) {
    bool out_of_fds = ec == asio::error::no_descriptors ||
                      ec == boost::system::errc::too_many_files_open_in_system;
    LogError("accept: " + ec.message() + " (" + std::to_string(sessions_.size()) +
             " connections open); " +
             (out_of_fds ? "new clients wait until a connection closes"
                         : "new clients wait, retrying"));
    accept_delay_ = kAcceptFirstDelay;
  } else {
    accept_delay_ = std::min(accept_delay_ * 2, kAcceptMaxDelay);
  }
  accept_waiting_ = true;
  accept_timer_.expires_after(accept_delay_);
  accept_timer_.async_wait([this](boost::system::error_code timer_ec) {
    if (timer_ec || !accept_waiting_) return;
    accept_waiting_ = false;
    Accept();
  });
}

void Daemon::Forget(Session* session) {
  sessions_.erase(session);
  // Its descriptor is free: take the next client now.
  if (accept_waiting_ && acceptor_.is_open()) {
    accept_waiting_ = false;
    accept_timer_.cancel();
    asio::post(io_, [this] { Accept(); });
  }
}

void Daemon::ArmStallCheck() {
  if (stall_check_armed_) return;
  stall_check_armed_ = true;
  auto since = std::chrono::steady_clock::now();
  stall_timer_.expires_after(kStallGrace);
  stall_timer_.async_wait([this, since](boost::system::error_code ec) {
    stall_check_armed_ = false;
    if (!ec) DropStalledClients(since);
  });
}

void Daemon::DropStalledClients(std::chrono::steady_clock::time_point since) {
  if (!send_budget_.exceeded()) return;
  size_t held = send_budget_.queued();
  int dropped = 0;
  for (auto& [ptr, weak] : std::map<Session*, std::weak_ptr<Session>>(sessions_)) {
    auto s = weak.lock();
    if (s && s->queued_bytes() > 0 && s->last_progress() < since) {
      s->Stop();
      ++dropped;
    }
  }
  if (dropped > 0) {
    LogWarn("holding " + std::to_string(held >> 20) +
            " MiB of unread replies, over the " +
            std::to_string(kSendBudgetBytes >> 20) + " MiB budget: dropped " +
            std::to_string(dropped) + " client(s) that read nothing for " +
            std::to_string(kStallGrace.count()) + "s");
  }
  if (send_budget_.exceeded()) ArmStallCheck();
}

void Daemon::ResumeSessions() {
  for (auto& [ptr, weak] : sessions_) {
    if (auto s = weak.lock()) s->Resume();
  }
}

void Daemon::WaitSignals() {
  signals_.async_wait([this](boost::system::error_code ec, int signo) {
    if (ec) return;
    if (signo == SIGHUP) {
      Status ignored = Reload();  // logged inside
      (void)ignored;
      WaitSignals();
      return;
    }
    Shutdown();
  });
}

void Daemon::WaitInotify() {
  inotify_.async_wait(asio::posix::stream_descriptor::wait_read,
                      [this](boost::system::error_code ec) {
                        if (ec) return;
                        RefWatcher::Changes changes = watcher_.Drain();
                        if (changes.overflow) {
                          LogWarn("inotify queue overflowed; rescanning every repo");
                          ScanEach(AllRepoIds(), false, false, nullptr);
                        } else {
                          ScanEach(std::vector<int64_t>(changes.repos.begin(),
                                                        changes.repos.end()),
                                   true, false, nullptr);
                        }
                        if (changes.roots) ArmDiscovery();
                        WaitInotify();
                      });
}

void Daemon::ArmPollTimer() {
  poll_timer_.expires_after(config_.poll_interval);
  poll_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    // Only repos without working filesystem events are polled: an idle
    // daemon with inotify spends nothing here.
    std::vector<int64_t> due;
    for (const auto& [id, repo] : repos_) {
      if (repo.watching != "inotify" || repo.record.state == "error") due.push_back(id);
    }
    ScanEach(std::move(due), true, true, [this](std::vector<Prompt>) {
      Rediscover();  // clones under roots that no event announced
      ArmPollTimer();
    });
  });
}

Status Daemon::Reload() {
  SdNotify("RELOADING=1");
  std::vector<std::string> warnings;
  // LoadConfiguration replaces config_ only on success.
  if (Status s = LoadConfiguration(&warnings); !s) {
    LogError("reload refused, keeping the running configuration: " + s.error().message);
    SdNotify("READY=1");
    return s;
  }
  for (const std::string& w : warnings) LogWarn(w);
  last_reload_warnings_ = warnings;
  if (SocketPath(config_) != socket_path_) {
    LogWarn("the socket path changed; it takes effect at the next start");
  }
  for (auto& [id, repo] : repos_) {  // [detect] watch may have changed
    watcher_.Unwatch(id);
    WatchRepo(repo);
  }
  Rediscover();
  if (inotify_.is_open()) {  // the roots themselves may have changed
    Status s = watcher_.WatchRoots(config_.scan_roots, config_.scan_depth);
    if (!s) LogWarn("scan roots: " + s.error().message);
  }
  poll_timer_.cancel();
  ArmPollTimer();
  digest_timer_.cancel();  // the schedule may have changed
  ArmDigestTimer();
  LogInfo("configuration reloaded");
  SdNotify("READY=1");
  return {};
}

// --- protocol --------------------------------------------------------------

std::optional<std::string> Daemon::HandleLine(const std::string& line,
                                              Session& session) {
  json id;
  Result<protocol::Request> req = protocol::ParseRequest(line, &id);
  if (!req) return protocol::ErrorLine(id, req.error().code, req.error().message);
  // Reads, too, come from the journal file opened next time (a write
  // follows it by itself; a refusal is logged once, inside).
  (void)journal_->Follow();
  // What the hooks spooled is filed before any answer, so that `brag log`
  // right after a commit sees its note.
  FileSpooledHooks();
  LateReply late{req->id, session.weak_from_this()};
  if (auto m = late_methods_.find(req->method); m != late_methods_.end()) {
    (this->*(m->second))(req->params, std::move(late));
    return std::nullopt;
  }
  if (ReadWorker::Handles(req->method)) {
    ReadOffLoop(req->method, req->params, std::move(late));
    return std::nullopt;
  }
  Result<json> result = MakeError("internal", "unhandled");
  if (auto m = methods_.find(req->method); m != methods_.end()) {
    result = (this->*(m->second))(req->params, session);
  } else if (IsJournalMethod(req->method)) {
    result = CallJournalMethod(*journal_, req->method, req->params, UnixNow());
  } else {
    result = MakeError("unknown_method", "no method \"" + req->method +
                                             "\" (see docs/protocol.md)");
  }
  if (!result) {
    return protocol::ErrorLine(req->id, result.error().code, result.error().message);
  }
  return protocol::ReplyLine(req->id, *result);
}

// Builds the reply line: on the read worker too, so the loop only sends it.
static std::string LineFor(const json& id, const Result<json>& result) {
  return result ? protocol::ReplyLine(id, *result)
                : protocol::ErrorLine(id, result.error().code, result.error().message);
}

void Daemon::Answer(const LateReply& reply, const Result<json>& result) {
  if (std::shared_ptr<Session> session = reply.session.lock()) {
    session->DeliverReply(LineFor(reply.id, result));
  }  // else the client went away meanwhile
}

void Daemon::ReadOffLoop(const std::string& method, const json& params,
                         LateReply reply) {
  asio::io_context& io = io_;
  auto on_worker = [&io, reply = std::move(reply)](Result<json> result) {
    auto deliver = [session = reply.session,
                    line = LineFor(reply.id, result)]() mutable {
      if (auto s = session.lock()) s->DeliverReply(std::move(line));
    };
    asio::post(io, std::move(deliver));
  };
  read_worker_->Submit(method, params, UnixNow(), config_, std::move(on_worker));
}

Result<json> Daemon::Hello(const json&, Session&) {
  return json{{"name", "bragd"},
              {"version", BRAG_VERSION},
              {"protocol", protocol::kVersion},
              {"pid", ::getpid()}};
}

json Daemon::RepoStatus(const WatchedRepo& repo) const {
  json j = RepoJson(repo.record);
  j["watching"] = repo.watching;
  return j;
}

Result<json> Daemon::StatusMethod(const json&, Session&) {
  Result<int64_t> pending = journal_->PendingCount(UnixNow());
  if (!pending) return pending.error();
  json repos = json::array();
  for (const auto& [id, repo] : repos_) repos.push_back(RepoStatus(repo));
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - started_);
  return json{{"running", true},
              {"version", BRAG_VERSION},
              {"pid", ::getpid()},
              {"uptime_s", uptime.count()},
              {"socket", socket_path_.string()},
              {"journal", journal_->path().string()},
              {"config", config_.source.empty() ? json(nullptr)
                                                : json(config_.source.string())},
              {"identities", identities_},
              {"pending", *pending},
              {"journal_error", journal_error_.empty() ? json(nullptr)
                                                       : json(journal_error_)},
              {"unrecorded_repos", unrecorded_.size()},
              {"repos", repos}};
}

Result<json> Daemon::Subscribe(const json&, Session& session) {
  session.set_subscribed(true);
  return json{{"subscribed", true}};
}

Result<json> Daemon::Nudge(const json& params, Session&) {
  auto r = params.find("repo");
  if (r == params.end() || !r->is_string()) {
    return MakeError("bad_request", "\"repo\" must be a string");
  }
  // Scanned after this reply: the hook that sent it must not wait for it.
  return json{{"queued", ScanSoon(r->get<std::string>())}};
}

// The "repo" of a hook's request, "" when there is none.
static std::string RepoParam(const json& params) {
  if (!params.is_object()) return "";
  auto r = params.find("repo");
  return r != params.end() && r->is_string() ? r->get<std::string>() : "";
}

Result<json> Daemon::HookCommit(const json& params, Session&) {
  Result<json> done = RecordCommitMethod(*journal_, params, UnixNow());
  if (done) ScanSoon(RepoParam(params));
  return done;
}

Result<json> Daemon::HookRewrite(const json& params, Session&) {
  Result<json> done = RewriteCommitsMethod(*journal_, params, UnixNow());
  if (done) ScanSoon(RepoParam(params));
  return done;
}

static json PromptsMade(const std::vector<Prompt>& made) {
  json prompts = json::array();
  for (const Prompt& p : made) prompts.push_back(PromptJson(p));
  return json{{"prompts", prompts}};
}

void Daemon::Rescan(const json& params, LateReply reply) {
  if (auto r = params.find("repo"); r != params.end() && !r->is_null()) {
    if (!r->is_string()) {
      return Answer(reply, MakeError("bad_request", "\"repo\" must be a string"));
    }
    WatchedRepo* repo = FindRepo(r->get<std::string>());
    if (!repo) {
      return Answer(reply, MakeError("not_found", "no watched repo \"" +
                                                      r->get<std::string>() + "\""));
    }
    Result<std::vector<Prompt>> scanned = ScanRepo(repo->record.id);
    if (!scanned) return Answer(reply, scanned.error());
    Publish(*scanned);
    return Answer(reply, PromptsMade(*scanned));
  }
  RegisterConfiguredRepos();  // ScanEach below sets the new ones' baselines
  LoadReposFromJournal();
  ScanEach(AllRepoIds(), false, false, [this, reply](std::vector<Prompt> made) {
    Answer(reply, PromptsMade(made));
  });
}

Result<json> Daemon::ReposAdd(const json& params, Session&) {
  auto path = params.find("path");
  if (path == params.end() || !path->is_string()) {
    return MakeError("bad_request", "repos.add needs a string \"path\"");
  }
  std::string name = params.value("name", json("")).is_string()
                         ? params.value("name", std::string())
                         : std::string();
  Result<RepoRecord> row = AddRepo(path->get<std::string>(), name, "added");
  if (!row) return row.error();
  Result<std::vector<Prompt>> scanned = ScanRepo(row->id);  // sets the baseline
  if (scanned) Publish(*scanned);
  return json{{"repo", RepoStatus(repos_.at(row->id))}};
}

Result<json> Daemon::ReposRemove(const json& params, Session&) {
  auto r = params.find("repo");
  if (r == params.end() || !r->is_string()) {
    return MakeError("bad_request", "repos.remove needs a string \"repo\"");
  }
  WatchedRepo* repo = FindRepo(r->get<std::string>());
  std::string key = repo ? repo->record.path : r->get<std::string>();
  Result<bool> removed = journal_->RemoveRepo(key);
  if (!removed) return removed.error();
  if (!*removed) return MakeError("not_found", "no watched repo \"" + key + "\"");
  if (repo) {
    int64_t id = repo->record.id;
    watcher_.Unwatch(id);
    repos_.erase(id);
  }
  return json{{"removed", true}};
}

Result<json> Daemon::ReposList(const json&, Session&) {
  json repos = json::array();
  for (const auto& [id, repo] : repos_) repos.push_back(RepoStatus(repo));
  return json{{"repos", repos}};
}

Result<json> Daemon::ReloadMethod(const json&, Session&) {
  if (Status s = Reload(); !s) return MakeError("config", s.error().message);
  return json{{"reloaded", true}, {"warnings", last_reload_warnings_}};
}

}  // namespace brag
