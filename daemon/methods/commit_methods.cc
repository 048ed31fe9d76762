#include "methods/commit_methods.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detect/impact_trailer.h"
#include "git/repo.h"
#include "protocol/json_records.h"

namespace brag {
namespace {

using nlohmann::json;

Error BadParam(const std::string& method, const std::string& name,
               const std::string& what) {
  return MakeError("bad_request", method + ": \"" + name + "\" must be " + what);
}

// A string parameter; "" when absent and not `required`.
Result<std::string> Text(const json& params, const std::string& method,
                         const std::string& name, bool required = false) {
  auto it = params.find(name);
  if (it == params.end() || it->is_null()) {
    if (required) return BadParam(method, name, "given (a string)");
    return std::string();
  }
  if (!it->is_string()) return BadParam(method, name, "a string");
  return it->get<std::string>();
}

Result<int64_t> Number(const json& params, const std::string& method,
                       const std::string& name) {
  auto it = params.find(name);
  if (it == params.end() || it->is_null()) return int64_t{0};
  if (!it->is_number_integer()) return BadParam(method, name, "an integer");
  return it->get<int64_t>();
}

Result<CommitRecord> ReadCommit(const json& params) {
  const std::string m = "commit.record";
  CommitRecord c;
  for (auto [name, field] : {std::pair{"repo", &c.repo}, {"oid", &c.oid}}) {
    Result<std::string> v = Text(params, m, name, true);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  for (auto [name, field] :
       {std::pair{"branch", &c.branch}, {"subject", &c.subject}, {"author", &c.author}}) {
    Result<std::string> v = Text(params, m, name);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  Result<int64_t> time = Number(params, m, "time");
  if (!time) return time.error();
  c.time = *time;
  if (auto d = params.find("diffstat"); d != params.end() && !d->is_null()) {
    if (!d->is_object()) return BadParam(m, "diffstat", "an object");
    for (auto [name, field] : {std::pair{"files", &c.diffstat.files},
                               {"insertions", &c.diffstat.insertions},
                               {"deletions", &c.diffstat.deletions}}) {
      Result<int64_t> v = Number(*d, m, std::string("diffstat.") + name);
      if (d->contains(name)) v = Number(*d, m, name);
      if (!v) return v.error();
      *field = static_cast<int>(*v);
    }
  }
  if (auto p = params.find("paths"); p != params.end() && !p->is_null()) {
    if (!p->is_array()) return BadParam(m, "paths", "an array of strings");
    for (const json& path : *p) {
      if (!path.is_string()) return BadParam(m, "paths", "an array of strings");
      c.paths.push_back(path.get<std::string>());
    }
  }
  return c;
}

// The repo as the journal names it (libgit2's display path: the main work
// tree for a linked worktree, the folder of a bare repo), or nullopt when it
// cannot be opened (it may be gone by the time a spooled record is filed).
std::optional<git::Repo> OpenRepo(const json& params) {
  auto r = params.find("repo");
  if (r == params.end() || !r->is_string() || r->get<std::string>().empty()) {
    return std::nullopt;
  }
  git::EnsureInit();
  Result<git::Repo> repo = git::Repo::Open(r->get<std::string>());
  if (!repo) return std::nullopt;
  return std::move(*repo);
}

// What the hook did not read itself, read from the repo: the commit (HEAD
// when no oid was given), its subject, author, time and Impact: lines, the
// branch, the diffstat and paths. The quick hook reads no diff; a spooled
// record is completed when it is filed, while the commit is still there.
Result<json> Complete(json params) {
  std::optional<git::Repo> repo = OpenRepo(params);
  if (!repo) return params;  // filed with what the hook read
  params["repo"] = repo->DisplayPath().string();
  if (!params.contains("oid")) {
    Result<std::string> head = repo->ResolveCommit("HEAD");
    if (!head) return MakeError("bad_request", "commit.record: " + head.error().message);
    params["oid"] = *head;
    if (!params.contains("branch")) {
      Result<std::string> branch = repo->HeadBranch();
      params["branch"] = branch ? *branch : "";
    }
  }
  if (!params["oid"].is_string()) return params;  // ReadCommit says what is wrong
  std::string oid = params["oid"].get<std::string>();
  if (!params.contains("subject") || !params.contains("impact")) {
    Result<git::CommitData> commit = repo->Commit(oid);
    if (commit) {
      detect::MessageSummary summary = detect::SummarizeMessage(commit->message);
      params["subject"] = summary.subject;
      params["author"] = commit->author_email;
      params["time"] = commit->commit_time;
      params["impact"] = summary.impact;
    }
  }
  if (!params.contains("diffstat")) {
    auto diff = repo->DiffAgainstFirstParent(oid);
    if (diff) {
      params["diffstat"] = {{"files", diff->first.files},
                            {"insertions", diff->first.insertions},
                            {"deletions", diff->first.deletions}};
      params["paths"] = diff->second;
    }
  }
  return params;
}

}  // namespace

Result<json> RecordCommitMethod(Journal& journal, const json& given, int64_t now) {
  if (!given.is_object()) return MakeError("bad_request", "params must be an object");
  Result<json> completed = Complete(given);
  if (!completed) return completed.error();
  const json& params = *completed;
  Result<CommitRecord> commit = ReadCommit(params);
  if (!commit) return commit.error();
  Result<std::string> impact = Text(params, "commit.record", "impact");
  if (!impact) return impact.error();
  Result<std::optional<Note>> note = journal.RecordCommit(*commit, *impact, now);
  if (!note) return note.error();
  return json{{"commit", commit->oid}, {"note", *note ? NoteJson(**note) : json(nullptr)}};
}

Result<json> RewriteCommitsMethod(Journal& journal, const json& params, int64_t) {
  const std::string m = "commit.rewrite";
  if (!params.is_object()) return MakeError("bad_request", "params must be an object");
  Result<std::string> repo = Text(params, m, "repo", true);
  if (!repo) return repo.error();
  if (std::optional<git::Repo> opened = OpenRepo(params)) {
    *repo = opened->DisplayPath().string();  // as commit.record filed it
  }
  auto list = params.find("moves");
  if (list == params.end() || !list->is_array()) {
    return BadParam(m, "moves", "an array of [old, new] oid pairs");
  }
  std::vector<std::pair<std::string, std::string>> moves;
  for (const json& pair : *list) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() ||
        !pair[1].is_string()) {
      return BadParam(m, "moves", "an array of [old, new] oid pairs");
    }
    moves.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  Result<int> moved = journal.RewriteCommits(*repo, moves);
  if (!moved) return moved.error();
  return json{{"moved", *moved}};
}

}  // namespace brag
