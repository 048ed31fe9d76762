#include "cli/backfill.h"

#include <algorithm>
#include <memory>

#include "core/paths.h"
#include "git/repo.h"
#include "journal/journal.h"

namespace brag::cli {

namespace {

// [[repo]] mainline for this repo if the config names it, else [detect]'s.
std::vector<std::string> MainlinesFor(const Config& config, const std::string& path) {
  for (const RepoConfig& rc : config.repos) {
    if (!rc.mainline.empty() && ExpandHome(rc.path) == path) return rc.mainline;
  }
  return config.mainline;
}

// [[repo]] long_lived for this repo if the config gives it, else [detect]'s.
std::vector<std::string> LongLivedFor(const Config& config, const std::string& path) {
  for (const RepoConfig& rc : config.repos) {
    if (rc.long_lived && ExpandHome(rc.path) == path) return *rc.long_lived;
  }
  return config.long_lived;
}

}  // namespace

HistoryQuery QueryForRepo(const Config& config, const std::string& repo_path) {
  HistoryQuery query;
  query.mainlines = MainlinesFor(config, repo_path);
  query.remotes = config.remotes;
  query.incident_globs = config.incident_branches;
  query.long_lived = LongLivedFor(config, repo_path);
  query.coauthor = config.coauthor == "ignore" ? detect::CoauthorRule::kIgnore
                                               : detect::CoauthorRule::kPrompt;
  return query;
}

size_t Backfill::prs() const {
  size_t n = 0;
  for (const RepoFinds& r : repos) n += r.events.size();
  return n;
}

Backfill FindBackfill(const Config& config, const std::vector<std::filesystem::path>& repos,
                      const std::vector<std::string>& identities, int64_t since,
                      const std::function<void(size_t, size_t)>& progress) {
  git::EnsureInit();
  Backfill found;
  for (size_t i = 0; i < repos.size(); ++i) {
    Result<git::Repo> repo = git::Repo::Open(repos[i]);
    Result<HistoryScan> scan = MakeError("git", "");
    if (repo) {
      HistoryQuery query = QueryForRepo(config, repo->DisplayPath().string());
      query.identities = identities;
      query.since = since;
      scan = ScanHistory(*repo, query, {});
    }
    if (!repo || !scan) {
      // A repo with no mainline yet (a fresh clone of nothing) has no PRs.
      const Error& e = repo ? scan.error() : repo.error();
      if (e.code != "not_found") found.unreadable.push_back(repos[i].string() + ": " + e.message);
    } else if (!scan->events.empty()) {
      if (Status s = AddDiffstats(*repo, &scan->events); !s) {
        found.unreadable.push_back(repos[i].string() + ": " + s.error().message);
      } else {
        found.repos.push_back({repo->DisplayPath(), std::move(scan->events)});
      }
    }
    if (progress) progress(i + 1, repos.size());
  }
  return found;
}

Result<BackfillRecorded> RecordBackfill(const Config& config, const Backfill& backfill,
                                        int64_t now) {
  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(JournalPath(config), Journal::Mode::kReadWrite);
  if (!journal) return journal.error();
  struct Item {
    int64_t repo_id;
    const Event* event;
  };
  std::vector<Item> items;
  for (const RepoFinds& r : backfill.repos) {
    Result<RepoRecord> row = (*journal)->repos().AddRepo(r.repo.string(), "", "scan", now);
    if (!row && row.error().code == "removed") continue;
    if (!row) return row.error();
    for (const Event& e : r.events) items.push_back({row->id, &e});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.event->commit_time > b.event->commit_time;
  });
  BackfillRecorded recorded;
  for (const Item& item : items) {
    Result<std::vector<Prompt>> made =
        (*journal)->repos().RecordEvents(item.repo_id, {*item.event}, now);
    if (!made) return made.error();
    made->empty() ? ++recorded.already_known : ++recorded.recorded;
  }
  return recorded;
}

}  // namespace brag::cli
