#include "server/repo_registry.h"

#include <algorithm>

#include "core/log.h"
#include "core/paths.h"
#include "core/timeutil.h"
#include "protocol/json_records.h"
#include "watch/discovery.h"
#include "watch/fs_events.h"

namespace brag {

std::string_view WatchModeName(WatchMode mode) {
  switch (mode) {
    case WatchMode::kInotify: return "inotify";
    case WatchMode::kPoll: return "poll";
    case WatchMode::kNone: break;
  }
  return "none";
}

RepoRegistry::RepoRegistry(boost::asio::io_context& io, const Config& config,
                           Journal& journal, RefWatcher& watcher, FoundCallback on_found)
    : config_(config),
      journal_(journal),
      watcher_(watcher),
      on_found_(std::move(on_found)),
      discovery_timer_(io) {}

std::vector<int64_t> RepoRegistry::RegisterConfigured() {
  std::vector<int64_t> added;
  auto add = [&](const std::string& path, const std::string& name,
                 const std::string& source, const std::string& what) {
    bool is_new = false;
    Result<RepoRecord> r = Add(path, name, source, &is_new);
    if (!r && source == "config") {
      // The user named it: keep it in `status` as an error until it opens.
      r = TrackUnopened(path, name, r.error().message, &is_new);
    }
    if (!r && r.error().code == "removed") return;  // the user's `repos rm` stands
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
    if (!IsExcluded(config_, found)) add(found.string(), "", "scan", "scan: ");
  }
  return added;
}

void RepoRegistry::LoadFromJournal() {
  Result<std::vector<RepoRecord>> rows = journal_.repos().ListRepos();
  if (!rows) {
    LogError(rows.error().message);
    return;
  }
  for (RepoRecord& row : *rows) {
    if (repos_.count(row.id)) continue;
    WatchedRepo& repo = repos_[row.id];
    repo.record = std::move(row);
    Watch(repo);
  }
}

Status RepoRegistry::WatchRoots() {
  if (!inotify()) return {};
  return watcher_.WatchRoots(config_.scan_roots, config_.scan_depth);
}

void RepoRegistry::ArmDiscovery() {
  if (discovery_armed_) return;
  discovery_armed_ = true;
  discovery_timer_.expires_after(std::chrono::milliseconds(300));
  discovery_timer_.async_wait([this](boost::system::error_code ec) {
    discovery_armed_ = false;
    if (!ec) Rediscover();
  });
}

void RepoRegistry::Rediscover() {
  std::vector<int64_t> added = RegisterConfigured();
  for (int64_t id : added) {
    LogInfo("found " + repos_.at(id).record.path + " under a scan root");
  }
  if (on_found_) on_found_(added);
  // New plain folders are watched as their events arrive; a folder that
  // became a repository leaves the roots' watches here.
  if (!added.empty()) {
    Status s = WatchRoots();
    if (!s) LogDebug("scan roots: " + s.error().message);
  }
}

void RepoRegistry::Rewatch() {
  for (auto& [id, repo] : repos_) {
    watcher_.Unwatch(id);
    Watch(repo);
  }
  Rediscover();
  Status s = WatchRoots();  // the roots themselves may have changed
  if (!s) LogWarn("scan roots: " + s.error().message);
}

Result<RepoRecord> RepoRegistry::Add(const std::string& path, const std::string& name,
                                     const std::string& source, bool* is_new) {
  Result<git::Repo> git = git::Repo::Open(ExpandHome(path));
  if (!git) return git.error();
  std::string display = git->DisplayPath().string();
  Result<RepoRecord> row = journal_.repos().AddRepo(display, name, source, UnixNow());
  if (!row) return row.error();
  auto [it, inserted] = repos_.try_emplace(row->id);
  if (is_new) *is_new = inserted;
  WatchedRepo& repo = it->second;
  repo.record = *row;
  if (inserted || !repo.git) {
    repo.git.emplace(std::move(*git));
    Watch(repo);
  }
  return *row;
}

Result<RepoRecord> RepoRegistry::TrackUnopened(const std::string& path,
                                               const std::string& name,
                                               const std::string& error, bool* is_new) {
  std::error_code ec;
  std::filesystem::path where = std::filesystem::weakly_canonical(ExpandHome(path), ec);
  if (ec) where = ExpandHome(path);
  Result<RepoRecord> row =
      journal_.repos().AddRepo(where.string(), name, "config", UnixNow());
  if (!row) return row.error();
  auto [it, inserted] = repos_.try_emplace(row->id);
  if (is_new) *is_new = inserted;
  WatchedRepo& repo = it->second;
  repo.record = *row;
  repo.watching = WatchMode::kPoll;
  Mark(repo, RepoState::kError, error);
  return repo.record;
}

void RepoRegistry::Forget(const std::string& path_or_name) {
  WatchedRepo* repo = Find(path_or_name);
  if (!repo) return;
  int64_t id = repo->record.id;
  watcher_.Unwatch(id);
  repos_.erase(id);
}

WatchedRepo* RepoRegistry::Get(int64_t id) {
  auto it = repos_.find(id);
  return it == repos_.end() ? nullptr : &it->second;
}

WatchedRepo* RepoRegistry::Find(const std::string& path_or_name) {
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

WatchedRepo* RepoRegistry::FindByHookPath(const std::string& path) {
  if (WatchedRepo* repo = Find(path)) return repo;
  git::EnsureInit();
  Result<git::Repo> opened = git::Repo::Open(path);
  return opened ? Find(opened->DisplayPath().string()) : nullptr;
}

std::vector<int64_t> RepoRegistry::AllIds() const {
  std::vector<int64_t> ids;
  for (const auto& [id, repo] : repos_) ids.push_back(id);
  return ids;
}

void RepoRegistry::Watch(WatchedRepo& repo) {
  if (!repo.git) {
    Result<git::Repo> git = git::Repo::Open(repo.record.path);
    if (!git) {
      Mark(repo, RepoState::kError, git.error().message);
      repo.watching = WatchMode::kPoll;
      return;
    }
    repo.git.emplace(std::move(*git));
  }
  repo.common_dir = repo.git->CommonDir();
  Result<std::optional<std::string>> email = repo.git->ConfigString("user.email");
  repo.git_email = email && *email ? **email : std::string();
  if (!inotify() || config_.watch == Config::Watch::kPoll) {
    repo.watching = WatchMode::kPoll;
    return;
  }
  if (std::optional<std::string_view> name =
          FilesystemWithoutEventsAt(repo.common_dir)) {
    LogInfo(repo.record.path + ": on " + std::string(*name) +
            ", no filesystem events; polling it every " +
            std::to_string(config_.poll_interval.count() / 1000) + "s");
    repo.watching = WatchMode::kPoll;
    return;
  }
  Status s = watcher_.Watch(repo.record.id, repo.common_dir);
  if (s) {
    repo.watching = WatchMode::kInotify;
    return;
  }
  LogWarn(repo.record.path + ": " + s.error().message + "; polling it every " +
          std::to_string(config_.poll_interval.count() / 1000) + "s");
  repo.watching = WatchMode::kPoll;
}

void RepoRegistry::Unwatch(WatchedRepo& repo) {
  watcher_.Unwatch(repo.record.id);
  repo.watching = WatchMode::kPoll;
}

void RepoRegistry::Mark(WatchedRepo& repo, RepoState state, const std::string& error) {
  if (repo.record.state == state && repo.record.error == error) return;
  if (state == RepoState::kError) LogError(repo.record.path + ": " + error);
  else if (repo.record.state == RepoState::kError) LogInfo(repo.record.path + ": readable again");
  repo.record.state = state;
  repo.record.error = error;
  if (Status s = journal_.repos().SetRepoState(repo.record.id, state, error); !s) {
    LogError(s.error().message);
  }
}

nlohmann::json RepoRegistry::StatusJson(const WatchedRepo& repo) const {
  nlohmann::json j = RepoJson(repo.record);
  j["watching"] = WatchModeName(repo.watching);
  if (repo.unclaimed_prs > 0) {
    j["unclaimed"] = {{"email", repo.git_email}, {"prs", repo.unclaimed_prs}};
  }
  return j;
}

nlohmann::json RepoRegistry::StatusJson() const {
  // By path, as the journal lists them with bragd down.
  std::vector<const WatchedRepo*> by_path;
  for (const auto& [id, repo] : repos_) by_path.push_back(&repo);
  std::sort(by_path.begin(), by_path.end(), [](const WatchedRepo* a, const WatchedRepo* b) {
    return a->record.path < b->record.path;
  });
  nlohmann::json repos = nlohmann::json::array();
  for (const WatchedRepo* repo : by_path) repos.push_back(StatusJson(*repo));
  return repos;
}

}  // namespace brag
