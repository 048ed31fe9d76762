#include "methods/commit_methods.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detect/impact_trailer.h"
#include "git/repo.h"
#include "methods/params.h"
#include "methods/registry.h"
#include "protocol/json_records.h"

namespace brag {
namespace {

using nlohmann::json;

constexpr const char* kText = "a string";
constexpr const char* kMoves = "an array of [old, new] oid pairs";

// An optional string parameter, "" when not given.
Result<std::string> Text(const ParamReader& p, const char* name) {
  Result<std::optional<std::string>> v = p.OptionalString(name, kText);
  if (!v) return v.error();
  return v->value_or("");
}

Result<CommitRecord> ReadCommit(const ParamReader& p) {
  CommitRecord c;
  for (auto [name, field] : {std::pair{"repo", &c.repo}, {"oid", &c.oid}}) {
    Result<std::string> v = p.String(name, kText);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  for (auto [name, field] :
       {std::pair{"branch", &c.branch}, {"subject", &c.subject}, {"author", &c.author}}) {
    Result<std::string> v = Text(p, name);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  Result<std::optional<int64_t>> time = p.OptionalInt("time", "unix seconds (an integer)");
  if (!time) return time.error();
  c.time = time->value_or(0);
  if (const json* d = p.Find("diffstat")) {
    if (!d->is_object()) return p.Wrong("diffstat", "an object");
    ParamReader diffstat(p.method(), *d);
    for (auto [name, field] : {std::pair{"files", &c.diffstat.files},
                               {"insertions", &c.diffstat.insertions},
                               {"deletions", &c.diffstat.deletions}}) {
      Result<std::optional<int64_t>> v = diffstat.OptionalInt(name, "an integer");
      if (!v) return v.error();
      *field = static_cast<int>(v->value_or(0));
    }
  }
  Result<std::vector<std::string>> paths = p.Strings("paths", "an array of strings");
  if (!paths) return paths.error();
  c.paths = std::move(*paths);
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
  const std::string method = "commit.record";
  if (Status s = ParamReader(method, given).CheckObject(); !s) return s.error();
  Result<json> completed = Complete(given.is_object() ? given : json::object());
  if (!completed) return completed.error();
  ParamReader p(method, *completed);
  Result<CommitRecord> commit = ReadCommit(p);
  if (!commit) return commit.error();
  Result<std::string> impact = Text(p, "impact");
  if (!impact) return impact.error();
  Result<std::optional<Note>> note =
      journal.commits().RecordCommit(*commit, *impact, now);
  if (!note) return FromJournal(note.error());
  return json{{"commit", commit->oid}, {"note", *note ? NoteJson(**note) : json(nullptr)}};
}

Result<json> RewriteCommitsMethod(Journal& journal, const json& params, int64_t) {
  const std::string method = "commit.rewrite";
  ParamReader p(method, params);
  if (Status s = p.CheckObject(); !s) return s.error();
  Result<std::string> repo = p.String("repo", kText);
  if (!repo) return repo.error();
  if (std::optional<git::Repo> opened = OpenRepo(params)) {
    *repo = opened->DisplayPath().string();  // as commit.record filed it
  }
  const json* list = p.Find("moves");
  if (!list) return p.Missing("moves", kMoves);
  if (!list->is_array()) return p.Wrong("moves", kMoves);
  std::vector<std::pair<std::string, std::string>> moves;
  for (const json& pair : *list) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() ||
        !pair[1].is_string()) {
      return p.Wrong("moves", kMoves);
    }
    moves.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  Result<int> moved = journal.commits().RewriteCommits(*repo, moves);
  if (!moved) return FromJournal(moved.error());
  return json{{"moved", *moved}};
}

namespace {

// Once filed, bragd scans the hook's repo at once: a commit on a mainline
// or an incident branch is seen even where no filesystem event comes.
void ScanRepoOfCommit(const MethodCall& c) {
  if (!c.context.daemon) return;
  if (const json* repo = c.params.Find("repo"); repo && repo->is_string()) {
    c.context.daemon->ScanSoon(repo->get<std::string>());
  }
}

Result<json> RecordCommit(const MethodCall& c) {
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<json> done = RecordCommitMethod(**journal, c.params.raw(), c.context.now);
  if (done) ScanRepoOfCommit(c);
  return done;
}

Result<json> RewriteCommits(const MethodCall& c) {
  Result<Journal*> journal = c.journal();
  if (!journal) return journal.error();
  Result<json> done = RewriteCommitsMethod(**journal, c.params.raw(), c.context.now);
  if (done) ScanRepoOfCommit(c);
  return done;
}

}  // namespace

void AddCommitMethods(std::vector<MethodSpec>& methods) {
  methods.push_back({.name = "commit.record", .run = &RecordCommit});
  methods.push_back({.name = "commit.rewrite", .run = &RewriteCommits});
}

}  // namespace brag
