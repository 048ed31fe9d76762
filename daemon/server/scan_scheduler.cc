#include "server/scan_scheduler.h"

#include <unistd.h>

#include <algorithm>

#include "core/log.h"
#include "core/paths.h"
#include "core/timeutil.h"
#include "detect/forge_marker.h"
#include "git/reflog.h"
#include "methods/spool_drain.h"
#include "methods/unfiled_trailers.h"
#include "watch/incident_scan.h"
#include "watch/ref_scan.h"

namespace brag {

namespace asio = boost::asio;

namespace {

constexpr int64_t kLookBack = 30 * 24 * 3600;

DetectRules RulesFor(const Config& config, const std::vector<std::string>& identities,
                     const WatchedRepo& repo) {
  DetectRules rules;
  rules.mainlines = config.mainline;
  rules.long_lived = config.long_lived;
  for (const RepoConfig& rc : config.repos) {
    bool named = ExpandHome(rc.path) == repo.record.path || rc.name == repo.record.name;
    if (!named) continue;
    if (!rc.mainline.empty()) rules.mainlines = rc.mainline;
    if (rc.long_lived) rules.long_lived = *rc.long_lived;
  }
  rules.coauthor = config.coauthor == "ignore" ? detect::CoauthorRule::kIgnore
                                               : detect::CoauthorRule::kPrompt;
  rules.remotes = config.remotes;
  rules.identities = identities;
  rules.incident_globs = config.incident_branches;
  return rules;
}

// Files the user's Impact: trailers in `repo` that no hook filed (its
// spool could not be written): part of every scan. `reflog` is what HEAD's
// reflog gained since the last scan: its amends are applied as post-rewrite
// would have.
void FileTrailers(Journal& journal, const std::vector<std::string>& identities,
                  WatchedRepo& repo, const git::ReflogChunk& reflog) {
  static constexpr size_t kMaxTipsKept = 10000;
  TrailerScan scan;
  scan.identities = identities;
  scan.now = UnixNow();
  scan.since = std::max(scan.now - kLookBack, repo.record.added);
  for (const git::ReflogEntry& e : reflog.entries) {
    if (e.time >= scan.since && e.message.starts_with("commit (amend):")) {
      scan.rewrites.emplace_back(e.old_oid, e.new_oid);
    }
  }
  if (repo.trailer_tips.size() > kMaxTipsKept) repo.trailer_tips.clear();
  Result<int> filed = FileUnfiledTrailers(journal, *repo.git, scan, &repo.trailer_tips);
  if (!filed) {
    LogWarn(repo.record.path + ": unfiled Impact: trailers: " + filed.error().message +
            "; trying again at the next scan");
  } else if (*filed > 0) {
    LogInfo(repo.record.path + ": filed " + std::to_string(*filed) +
            " Impact: trailer(s) no hook had filed");
  }
}

// Where CatchUpIncidents leaves a repo's reading once its events are recorded.
struct ReflogMark {
  uint64_t offset = 0;
  std::string branch;
};

// The user's incidents born and closed since the last scan that no ref
// state ever held (bragd was down, or they came and went between two
// scans): from the HEAD reflog appended since the last read and, at the
// first scan of this run, the commits the hooks recorded on incident
// branches (`reflog`: what HEAD's reflog gained since the last scan).
// `mark` is where the reading stops, to keep once recorded.
Result<std::vector<Event>> CatchUpIncidents(Journal& journal, WatchedRepo& repo,
                                            const git::ReflogChunk& reflog,
                                            const RefState& previous,
                                            const RefState& current,
                                            const DetectRules& rules, ReflogMark* mark) {
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
        journal.commits().Commits(repo.record.path, kRecordedCommits);
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

}  // namespace

ScanScheduler::ScanScheduler(asio::io_context& io, const Config& config,
                             const std::vector<std::string>& identities, Journal& journal,
                             RefWatcher& watcher, RepoRegistry& repos, Notifier& notifier)
    : io_(io),
      config_(config),
      identities_(identities),
      journal_(journal),
      watcher_(watcher),
      repos_(repos),
      notifier_(notifier),
      inotify_(io),
      poll_timer_(io),
      settle_timer_(io),
      record_retry_timer_(io) {}

void ScanScheduler::Start() {
  if (watcher_.fd() >= 0) {
    inotify_.assign(::dup(watcher_.fd()));
    WaitInotify();
  }
  ArmPollTimer();
}

void ScanScheduler::RestartPolling() {
  poll_timer_.cancel();
  ArmPollTimer();
}

Result<std::vector<Prompt>> ScanScheduler::ScanRepo(int64_t repo_id, bool settle) {
  WatchedRepo* found = repos_.Get(repo_id);
  if (!found) return MakeError("not_found", "no such repo");
  WatchedRepo& repo = *found;
  std::error_code ec;
  if (repo.git && !std::filesystem::exists(repo.common_dir / "HEAD", ec)) {
    // Deleted or moved away: an open handle would just see no refs and the
    // stored state would be lost. Keep the state, say so, and poll for it.
    repo.git.reset();
    repos_.Unwatch(repo);
  }
  if (!repo.git) {
    repos_.Watch(repo);
    if (!repo.git) return MakeError("git", repo.record.error);
  }
  Result<RefState> previous = journal_.repos().LoadRefState(repo_id);
  if (!previous) return previous.error();
  Result<bool> has_baseline = journal_.repos().HasBaseline(repo_id);
  if (!has_baseline) return has_baseline.error();
  DetectRules rules = RulesFor(config_, identities_, repo);
  if (!repo.git_email.empty() && !detect::IsIdentity(repo.git_email, identities_)) {
    rules.unclaimed_email = repo.git_email;
  }
  Result<ScanOutcome> outcome = ScanRefs(*repo.git, *previous, *has_baseline, rules);
  if (!outcome) {
    // The handle may be stale (repo moved, packs rewritten): reopen next time.
    repo.git.reset();
    std::error_code ec;
    if (!std::filesystem::exists(repo.common_dir, ec)) repos_.Unwatch(repo);
    repos_.Mark(repo, RepoState::kError, outcome.error().message);
    return outcome.error();
  }
  if (!previous->empty() && outcome->refs.empty()) {
    // Every branch brag followed is gone at once: the repo is being deleted
    // or emptied under us. Recording that would make the refs it gets back
    // a new baseline (and their merges history); keep the old state, say
    // so, and poll until it has branches again.
    repo.git.reset();
    repos_.Unwatch(repo);
    repos_.Mark(repo, RepoState::kError,
                "no branch brag follows is left (deleted or emptied?)");
    return MakeError("git", repo.record.error);
  }
  repos_.Mark(repo, RepoState::kOk, "");
  if (outcome->unclaimed_prs > 0) {
    if (repo.unclaimed_prs == 0) {
      LogWarn(repo.record.path + ": a PR by " + rules.unclaimed_email +
              " (git's user.email here) is not counted as yours: add it to [identity] "
              "emails");
    }
    repo.unclaimed_prs += outcome->unclaimed_prs;
  }
  // What HEAD did since the last scan: amends whose post-rewrite may not
  // have been spooled, and incident branches that came and went.
  Result<git::ReflogChunk> reflog =
      git::ReadReflog(repo.common_dir / "logs" / "HEAD", repo.reflog_offset);
  if (!reflog) {
    LogWarn(repo.record.path + ": " + reflog.error().message);
    reflog = git::ReflogChunk{{}, repo.reflog_offset};
  }
  FileSpool();  // what the hooks did spool is filed first, with its branch
  FileTrailers(journal_, identities_, repo, *reflog);
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
    Result<std::vector<Event>> missed = CatchUpIncidents(
        journal_, repo, *reflog, *previous, outcome->refs, rules, &mark);
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
      journal_.repos().RecordScan(repo_id, outcome->refs, outcome->events, UnixNow());
  if (recorded) keep_mark();
  ScanRecorded(repo_id, recorded ? Status() : Status(recorded.error()));
  return recorded;
}

void ScanScheduler::ScanRecorded(int64_t repo_id, const Status& recorded) {
  if (recorded) {
    if (unrecorded_.erase(repo_id) && unrecorded_.empty()) {
      LogInfo("journal: writing again; what waited is recorded");
      journal_error_.clear();
      record_retry_delay_ = std::chrono::milliseconds(1000);
    }
    return;
  }
  if (journal_error_.empty()) {
    LogError("journal: cannot record what moved in " + repos_.Get(repo_id)->record.path +
             " (" + recorded.error().message + "); nothing is lost, retrying");
  }
  journal_error_ = recorded.error().message;
  unrecorded_.insert(repo_id);
  ArmRecordRetry();
}

void ScanScheduler::ArmRecordRetry() {
  static constexpr std::chrono::milliseconds kMaxDelay{30000};
  if (record_retry_armed_) return;
  record_retry_armed_ = true;
  record_retry_timer_.expires_after(record_retry_delay_);
  record_retry_delay_ = std::min(record_retry_delay_ * 2, kMaxDelay);
  record_retry_timer_.async_wait([this](boost::system::error_code ec) {
    record_retry_armed_ = false;
    if (ec) return;  // shutting down
    std::vector<int64_t> ids;
    for (int64_t id : std::set<int64_t>(unrecorded_)) {
      if (repos_.Get(id)) ids.push_back(id);
      else unrecorded_.erase(id);
    }
    ScanNow(ids);
  });
}

void ScanScheduler::ArmSettle(int64_t repo_id) {
  bool armed = !settling_.empty();
  settling_.insert(repo_id);
  if (armed) return;
  settle_timer_.expires_after(std::chrono::milliseconds(250));
  settle_timer_.async_wait([this](boost::system::error_code ec) {
    std::set<int64_t> ids;
    ids.swap(settling_);
    if (ec) return;
    ScanNow(std::vector<int64_t>(ids.begin(), ids.end()));
  });
}

Result<std::vector<Prompt>> ScanScheduler::Scan(int64_t repo_id) {
  Result<std::vector<Prompt>> made = ScanRepo(repo_id, false);
  if (made) notifier_.Publish(*made);
  return made;
}

void ScanScheduler::ScanNow(const std::vector<int64_t>& ids) {
  std::vector<Prompt> made;
  for (int64_t id : ids) {
    Result<std::vector<Prompt>> r = ScanRepo(id, false);
    if (r) made.insert(made.end(), r->begin(), r->end());
  }
  notifier_.Publish(made);
}

struct ScanScheduler::ScanPass {
  std::vector<int64_t> ids;
  size_t next = 0;
  bool settle = false;
  bool rewatch = false;
  std::vector<Prompt> made;
  Done done;
};

void ScanScheduler::ScanEach(std::vector<int64_t> ids, bool settle, bool rewatch,
                             Done done) {
  auto pass = std::make_shared<ScanPass>();
  pass->ids = std::move(ids);
  pass->settle = settle;
  pass->rewatch = rewatch;
  pass->done = std::move(done);
  ScanNext(std::move(pass));
}

void ScanScheduler::RescanAll(Done done) {
  repos_.RegisterConfigured();  // ScanEach below sets the new ones' baselines
  repos_.LoadFromJournal();
  ScanEach(repos_.AllIds(), false, false, std::move(done));
}

void ScanScheduler::ScanNext(std::shared_ptr<ScanPass> pass) {
  if (pass->next == pass->ids.size()) {
    if (pass->done) pass->done(std::move(pass->made));
    return;
  }
  int64_t id = pass->ids[pass->next++];
  if (WatchedRepo* repo = repos_.Get(id)) {
    if (pass->rewatch && repo->watching != WatchMode::kInotify) repos_.Watch(*repo);
    Result<std::vector<Prompt>> r = ScanRepo(id, pass->settle);
    if (r) {
      notifier_.Publish(*r);
      pass->made.insert(pass->made.end(), r->begin(), r->end());
    }
  }
  asio::post(io_, [this, pass] { ScanNext(pass); });
}

bool ScanScheduler::ScanSoon(const std::string& path) {
  if (path.empty()) return false;
  WatchedRepo* repo = repos_.FindByHookPath(path);
  if (!repo) return false;  // not watched: nothing to look at
  int64_t id = repo->record.id;
  asio::post(io_, [this, id] {
    if (!repos_.Get(id)) return;
    Result<std::vector<Prompt>> made = ScanRepo(id, true);  // settles, unlike Scan
    if (made) notifier_.Publish(*made);
  });
  return true;
}

void ScanScheduler::FileSpool(bool at_start) {
  std::filesystem::path journal_path = JournalPath(config_);
  if (!spool::HasRecords(spool::SpoolPath(journal_path))) return;
  Result<spool::DrainReport> r = DrainHookSpool(journal_, journal_path, UnixNow());
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
    LogWarn("hook spool: " + std::to_string(r->rejected) +
            " record(s) could not be filed; see " +
            spool::RejectedPath(journal_path).string());
  }
}

void ScanScheduler::WaitInotify() {
  inotify_.async_wait(asio::posix::stream_descriptor::wait_read,
                      [this](boost::system::error_code ec) {
                        if (ec) return;
                        RefWatcher::Changes changes = watcher_.Drain();
                        if (changes.overflow) {
                          LogWarn("inotify queue overflowed; rescanning every repo");
                          ScanEach(repos_.AllIds(), false, false, nullptr);
                        } else {
                          ScanEach(std::vector<int64_t>(changes.repos.begin(),
                                                        changes.repos.end()),
                                   true, false, nullptr);
                        }
                        if (changes.roots) repos_.ArmDiscovery();
                        WaitInotify();
                      });
}

void ScanScheduler::ArmPollTimer() {
  poll_timer_.expires_after(config_.poll_interval);
  poll_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    // Only repos without working filesystem events are polled: an idle
    // daemon with inotify spends nothing here.
    std::vector<int64_t> due;
    for (int64_t id : repos_.AllIds()) {
      const WatchedRepo& repo = *repos_.Get(id);
      if (repo.watching != WatchMode::kInotify || repo.record.state == RepoState::kError) {
        due.push_back(id);
      }
    }
    ScanEach(std::move(due), true, true, [this](std::vector<Prompt>) {
      repos_.Rediscover();  // clones under roots that no event announced
      ArmPollTimer();
    });
  });
}

}  // namespace brag
