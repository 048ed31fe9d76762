// When repos are scanned, and what a scan does besides detection: follows
// the RefWatcher's inotify descriptor and polls the repos without events;
// scans one repo per turn of the loop so that clients are served between
// repos; lets a scan that looks like a rename settle; rescans what the
// journal could not record on a backing-off timer; files the hooks' spool
// and the Impact: trailers no hook filed, and catches up incidents born and
// closed between scans. Publishes every prompt made through the Notifier.
// io thread only.
#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>  // Boost 1.74's awaitable.hpp misses it.
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "journal/journal.h"
#include "server/notifier.h"
#include "server/repo_registry.h"
#include "watch/ref_watcher.h"

namespace brag {

class ScanScheduler {
 public:
  using Done = std::function<void(std::vector<Prompt> made)>;

  // Everything given must outlive the scheduler; `config` and `identities`
  // may change in place on a reload, which then calls RestartPolling.
  ScanScheduler(boost::asio::io_context& io, const Config& config,
                const std::vector<std::string>& identities, Journal& journal,
                RefWatcher& watcher, RepoRegistry& repos, Notifier& notifier);

  // Follows inotify when the watcher runs, and starts the poll timer.
  void Start();
  // [detect] poll_interval may have changed: the next poll is a full
  // interval from now.
  void RestartPolling();

  // Scans `ids` one repo per turn of the loop; publishes each repo's
  // prompts as they are made, then hands them all to `done` (may be
  // empty). With `settle`, as Scan; with `rewatch`, a repo not on inotify
  // is watched again first (polls). Repos removed meanwhile are skipped.
  void ScanEach(std::vector<int64_t> ids, bool settle, bool rewatch, Done done);
  // `rescan` of everything: registers the configured and journal's repos
  // first (new ones get their baseline), then as ScanEach.
  void RescanAll(Done done);
  // Scans the repo a hook names right after the current reply; false when
  // it is not watched.
  bool ScanSoon(const std::string& path);
  // Scans the repos now, in order, and publishes what they made.
  void ScanNow(const std::vector<int64_t>& ids);
  // Scans one repo now, publishes its prompts and returns them (`rescan`,
  // `repos.add`).
  Result<std::vector<Prompt>> Scan(int64_t repo_id);
  // Files what the hooks spooled (spool/spool.h): at start, what they wrote
  // while bragd was away; then before each request is answered.
  void FileSpool(bool at_start = false);

  // Why the journal refuses the latest scans ("" while writes work), and
  // how many repos wait for it.
  const std::string& journal_error() const { return journal_error_; }
  size_t unrecorded_count() const { return unrecorded_.size(); }

 private:
  struct ScanPass;

  // Detects what moved in one repo and records it. With `settle`, a scan
  // that would close an incident as deleted unmerged records nothing yet and
  // looks again a moment later (ArmSettle): `git branch -m` deletes the old
  // ref before it writes the new one, and a filesystem event can fall in
  // between. Explicit rescans do not settle.
  Result<std::vector<Prompt>> ScanRepo(int64_t repo_id, bool settle);
  void ScanNext(std::shared_ptr<ScanPass> pass);
  void ArmSettle(int64_t repo_id);
  // A scan whose events could not be recorded (the journal write failed:
  // disk full, read-only, I/O errors) left the repo's stored ref state
  // where it was, so nothing is lost: the repo is scanned again on a timer
  // (1 s, doubling to 30 s) until the write succeeds. The failure is logged
  // once per episode and shown in `status` meanwhile.
  void ScanRecorded(int64_t repo_id, const Status& recorded);
  void ArmRecordRetry();
  void WaitInotify();
  void ArmPollTimer();

  boost::asio::io_context& io_;
  const Config& config_;
  const std::vector<std::string>& identities_;
  Journal& journal_;
  RefWatcher& watcher_;
  RepoRegistry& repos_;
  Notifier& notifier_;
  boost::asio::posix::stream_descriptor inotify_;
  boost::asio::steady_timer poll_timer_;
  boost::asio::steady_timer settle_timer_;
  std::set<int64_t> settling_;    // repos to scan again when settle_timer_ fires
  std::set<int64_t> unrecorded_;  // repos whose last scan could not be recorded
  std::string journal_error_;     // why, "" while writes work
  boost::asio::steady_timer record_retry_timer_;
  std::chrono::milliseconds record_retry_delay_{1000};
  bool record_retry_armed_ = false;
};

}  // namespace brag
