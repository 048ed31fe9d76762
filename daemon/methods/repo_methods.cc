// The watched repos: repos.add, repos.remove, repos.list. bragd watches and
// unwatches them (DaemonServices); without it the journal's rows are
// changed alone, and bragd takes them up when it starts.
#include <filesystem>
#include <system_error>

#include "git/repo.h"
#include "methods/registry.h"
#include "protocol/json_records.h"

namespace brag {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The folder a repo path names, checked the way bragd checks it, so that a
// repo added while bragd is down is one it can watch when it starts.
Result<fs::path> RepoDisplayPath(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return MakeError("not_found", path + ": no such file or directory");
  }
  git::EnsureInit();
  Result<git::Repo> repo = git::Repo::Open(path);
  if (!repo) {
    if (repo.error().code == "not_found") {
      return MakeError("not_found", path + " is not a git repository");
    }
    return repo.error();
  }
  return repo->DisplayPath();
}

// The journal's key for a repo the user names: a watched repo's path or
// name as stored, else the canonical form of an existing path.
Result<std::string> RepoKey(Journal& journal, const std::string& repo) {
  Result<std::optional<RepoRecord>> found = journal.repos().FindRepo(repo);
  if (!found) return FromJournal(found.error());
  if (*found) return (*found)->path;
  std::error_code ec;
  fs::path canonical = fs::canonical(repo, ec);
  return ec ? repo : canonical.string();
}

Result<json> ReposAdd(const MethodCall& c) {
  Result<std::string> path = c.params.String("path", "a repository's path (a string)");
  if (!path) return path.error();
  Result<std::optional<std::string>> name = c.params.OptionalString("name", "a string");
  if (!name) return name.error();
  if (c.context.daemon) {
    Result<json> repo = c.context.daemon->StartWatching(*path, name->value_or(""));
    if (!repo) return repo.error();
    return json{{"repo", *repo}};
  }
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<fs::path> display = RepoDisplayPath(*path);
  if (!display) return display.error();
  // bragd sets the baseline when it next starts: history is not prompted.
  Result<RepoRecord> row = (*journal)->repos().AddRepo(
      display->string(), name->value_or(""), "added", c.context.now);
  if (!row) return FromJournal(row.error());
  return json{{"repo", RepoJson(*row)}};
}

Result<json> ReposRemove(const MethodCall& c) {
  Result<std::string> repo = c.params.String("repo", "a repo path or name (a string)");
  if (!repo) return repo.error();
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<std::string> key = RepoKey(**journal, *repo);
  if (!key) return key.error();
  Result<bool> removed = (*journal)->repos().RemoveRepo(*key);
  if (!removed) return FromJournal(removed.error());
  if (!*removed) return MakeError("not_found", "no watched repo \"" + *repo + "\"");
  if (c.context.daemon) c.context.daemon->StopWatching(*key);
  return json{{"removed", true}};
}

Result<json> ReposList(const MethodCall& c) {
  if (c.context.daemon) return json{{"repos", c.context.daemon->WatchedRepos()}};
  json repos = json::array();
  if (!c.context.journal) return json{{"repos", repos}};
  Result<std::vector<RepoRecord>> rows = c.context.journal->repos().ListRepos();
  if (!rows) return FromJournal(rows.error());
  for (const RepoRecord& r : *rows) repos.push_back(RepoJson(r));
  return json{{"repos", repos}};
}

}  // namespace

void AddRepoMethods(std::vector<MethodSpec>& methods) {
  methods.push_back({.name = "repos.add", .run = &ReposAdd});
  methods.push_back({.name = "repos.remove", .run = &ReposRemove});
  methods.push_back({.name = "repos.list", .run = &ReposList});
}

}  // namespace brag
