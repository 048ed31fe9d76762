// The repos bragd watches: those of [[repo]], those found under [scan]
// roots, those added with `repos.add`, as the journal lists them. For each
// it owns the open git handle, how its refs are followed (inotify or
// polling, through the RefWatcher it is given) and its state, which it
// writes to the journal as it changes. It looks for new clones under the
// roots when told something appeared there (ArmDiscovery) and hands the
// ones it finds to `on_found`. io thread only.
#pragma once

#include <boost/asio.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>  // Boost 1.74's awaitable.hpp misses it.
#include <vector>

#include "config/config.h"
#include "core/result.h"
#include "git/repo.h"
#include "journal/journal.h"
#include "watch/ref_watcher.h"

namespace brag {

// How a repo's refs are followed.
enum class WatchMode { kNone, kInotify, kPoll };
// Its word in docs/protocol.md (`status`, `repos.list`).
std::string_view WatchModeName(WatchMode mode);

struct WatchedRepo {
  RepoRecord record;  // record.state is current; Mark keeps the journal's in step
  std::optional<git::Repo> git;
  std::filesystem::path common_dir;
  WatchMode watching = WatchMode::kNone;
  // ScanScheduler's, per run: the local branch tips already read for
  // unfiled Impact: trailers (an unchanged tip is not walked again); how far
  // the HEAD reflog was read for incidents born and closed between scans,
  // and the branch HEAD was on there; whether the first scan of this run
  // (which also reads the hooks' commit records) is done.
  std::set<std::string> trailer_tips;
  uint64_t reflog_offset = 0;
  std::string reflog_branch;
  bool incidents_caught_up = false;
  // git's user.email in this repo, read once when the repo is opened (not
  // at every scan); "" when unset.
  std::string git_email;
  // PRs merged since bragd started by git_email when it is no identity
  // (DetectRules::unclaimed_email): told in `status`, once per repo.
  int unclaimed_prs = 0;
};

class RepoRegistry {
 public:
  // Runs with the ids of repos discovery found, new to this run, so that
  // they get their baseline.
  using FoundCallback = std::function<void(const std::vector<int64_t>& ids)>;

  // `config`, `journal` and `watcher` must outlive the registry; a reload
  // changes `config` in place and calls Rewatch. Without inotify (the
  // watcher's Init failed) every repo is polled.
  RepoRegistry(boost::asio::io_context& io, const Config& config, Journal& journal,
               RefWatcher& watcher, FoundCallback on_found);

  // Adds the [[repo]] entries and the repos found under [scan] roots;
  // returns the ids of repos not watched before (the caller scans them for
  // their baseline). A [[repo]] that cannot be opened (unreadable, not yet
  // cloned) is kept with state error and polled, so that it is taken up
  // when it opens.
  std::vector<int64_t> RegisterConfigured();
  // Watches every repo the journal lists that is not watched yet.
  void LoadFromJournal();
  // Watches the folders under the scan roots for new clones; does nothing
  // without inotify.
  Status WatchRoots();
  // Looks for new clones under the roots 300 ms from now (a clone writes its
  // git dir over a while); calls after that do nothing until it has looked.
  void ArmDiscovery();
  // Registers what is new under the roots, hands it to `on_found`, then
  // re-watches the roots.
  void Rediscover();
  // After a reload: every repo is watched again ([detect] watch may have
  // changed), new repos are discovered and the roots re-watched.
  void Rewatch();

  // `repos.add`: opens `path` and records it (source "config", "added" or
  // "scan"); `is_new` says whether it was not watched before.
  Result<RepoRecord> Add(const std::string& path, const std::string& name,
                         const std::string& source, bool* is_new = nullptr);
  // `repos.remove`, once the journal's row is gone: stops watching the
  // repo (by path or name), if it is watched.
  void Forget(const std::string& path_or_name);
  // By id, path (with "~" or not, canonical or not) or name; null if none.
  WatchedRepo* Get(int64_t id);
  WatchedRepo* Find(const std::string& path_or_name);
  // A repo as a hook names it (its work tree, a linked worktree, a git
  // folder), or null when it is not watched.
  WatchedRepo* FindByHookPath(const std::string& path);
  std::vector<int64_t> AllIds() const;

  // Opens the repo if it is not, and follows it by inotify where it can,
  // by polling otherwise.
  void Watch(WatchedRepo& repo);
  // The repo went away or lost its branches: its watches are dropped and it
  // is polled until it is back.
  void Unwatch(WatchedRepo& repo);
  // Sets the repo's state, logging and recording a change.
  void Mark(WatchedRepo& repo, RepoState state, const std::string& error);

  // A repo as `status` and `repos.list` show it; all of them.
  nlohmann::json StatusJson(const WatchedRepo& repo) const;
  nlohmann::json StatusJson() const;

 private:
  Result<RepoRecord> TrackUnopened(const std::string& path, const std::string& name,
                                   const std::string& error, bool* is_new);
  bool inotify() const { return watcher_.fd() >= 0; }

  const Config& config_;
  Journal& journal_;
  RefWatcher& watcher_;
  FoundCallback on_found_;
  std::map<int64_t, WatchedRepo> repos_;
  std::set<std::string> discovery_failures_;  // logged once each
  boost::asio::steady_timer discovery_timer_;
  bool discovery_armed_ = false;
};

}  // namespace brag
