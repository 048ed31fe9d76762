// The journal's watched repos, their ref state, and recording scans
// (journal_repos.h).
#include "journal/journal_repos.h"

#include <utility>

#include "core/bounded_text.h"
#include "journal/commit_notes.h"
#include "journal/identity.h"
#include "journal/journal.h"
#include "journal/journal_write.h"
#include "journal/rows.h"
#include "journal/sqlite.h"

namespace brag {
namespace {

Error BadRequest(const std::string& message) {
  return MakeError("bad_request", message);
}

bool IsRepoSource(const std::string& source) {
  return source == "config" || source == "added" || source == "scan";
}

struct StoredRepo {
  RepoRecord record;
  bool removed = false;
};

Result<std::optional<StoredRepo>> RepoByPath(const sql::Database& db,
                                             const std::string& path) {
  Result<sql::Statement> stmt = db.Prepare("SELECT " + std::string(rows::kRepoColumns) +
                                           ", r.removed FROM repos r WHERE r.path = ?");
  if (!stmt) return stmt.error();
  stmt->BindAll(path);
  Result<bool> found = stmt->Step();
  if (!found) return found.error();
  if (!*found) return std::optional<StoredRepo>();
  sql::Row row = stmt->row();
  StoredRepo repo{rows::ReadRepo(row)};
  repo.removed = row.Int() != 0;
  return std::optional<StoredRepo>(std::move(repo));
}

Status InsertRepo(const sql::Database& db, const std::string& path,
                  const std::string& name, const std::string& source, int64_t now) {
  Result<sql::Statement> stmt =
      db.Prepare("INSERT INTO repos (path, name, source, added) VALUES (?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  return stmt->BindAll(path, name, source, now).Run();
}

// A removed repo added again keeps its id, so the events it had are known.
Status ReviveRepo(const sql::Database& db, int64_t id, const std::string& name,
                  const std::string& source, int64_t now) {
  Result<sql::Statement> stmt = db.Prepare(
      "UPDATE repos SET removed = 0, name = ?, source = ?, added = ?,"
      " state = 'unknown', error = '' WHERE id = ?");
  if (!stmt) return stmt.error();
  return stmt->BindAll(name, source, now, id).Run();
}

Status UpgradeSource(const sql::Database& db, const RepoRecord& repo,
                     const std::string& name, const std::string& source) {
  Result<sql::Statement> stmt =
      db.Prepare("UPDATE repos SET source = ?, name = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  return stmt->BindAll(source, name.empty() ? repo.name : name, repo.id).Run();
}

Status CheckRepoWatched(const sql::Database& db, int64_t repo_id) {
  Result<sql::Statement> stmt =
      db.Prepare("SELECT 1 FROM repos WHERE id = ? AND removed = 0");
  if (!stmt) return stmt.error();
  Result<bool> found = stmt->BindAll(repo_id).Step();
  if (!found) return found.error();
  if (!*found) {
    return MakeError("not_found", "no repo with id " + std::to_string(repo_id));
  }
  return {};
}

// The repo matching a path, else a unique name; removed repos never.
Result<std::optional<RepoRecord>> LookupRepo(const sql::Database& db,
                                             const std::string& path_or_name) {
  Result<sql::Statement> stmt =
      db.Prepare("SELECT " + std::string(rows::kRepoColumns) +
                 " FROM repos r WHERE r.removed = 0 AND (r.path = ?1 OR r.name = ?1)"
                 " ORDER BY r.path = ?1 DESC, r.id LIMIT 2");
  if (!stmt) return stmt.error();
  stmt->BindAll(path_or_name);
  std::vector<RepoRecord> found;
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) break;
    sql::Row row = stmt->row();
    found.push_back(rows::ReadRepo(row));
  }
  if (found.empty()) return std::optional<RepoRecord>();
  if (found.size() > 1 && found[0].path != path_or_name) {
    return MakeError("conflict", "\"" + path_or_name + "\" names several repos (" +
                                     found[0].path + ", " + found[1].path +
                                     "); give its path");
  }
  return std::optional<RepoRecord>(std::move(found[0]));
}

Status ForgetScans(const sql::Database& db, int64_t repo_id) {
  for (const char* sql : {"DELETE FROM ref_state WHERE repo_id = ?",
                          "DELETE FROM baselines WHERE repo_id = ?"}) {
    Result<sql::Statement> stmt = db.Prepare(sql);
    if (!stmt) return stmt.error();
    if (Status s = stmt->BindAll(repo_id).Run(); !s) return s;
  }
  return {};
}

Status ReplaceRefState(const sql::Database& db, int64_t repo_id, const RefState& refs) {
  Result<sql::Statement> clear = db.Prepare("DELETE FROM ref_state WHERE repo_id = ?");
  if (!clear) return clear.error();
  if (Status s = clear->BindAll(repo_id).Run(); !s) return s;
  Result<sql::Statement> insert =
      db.Prepare("INSERT INTO ref_state (repo_id, refname, oid) VALUES (?, ?, ?)");
  if (!insert) return insert.error();
  for (const auto& [refname, oid] : refs) {
    if (Status s = insert->BindAll(repo_id, refname, oid).Run(); !s) return s;
    insert->Reset();
  }
  return {};
}

Status MarkBaseline(const sql::Database& db, int64_t repo_id, int64_t now) {
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO baselines (repo_id, at) VALUES (?, ?)"
      " ON CONFLICT (repo_id) DO NOTHING");
  if (!stmt) return stmt.error();
  return stmt->BindAll(repo_id, now).Run();
}

// The id of the event if it is new, nullopt if (repo, kind, key) is known.
Result<std::optional<int64_t>> InsertEvent(const sql::Database& db, int64_t repo_id,
                                           const Event& e, int64_t now) {
  if (e.key.empty()) {
    return BadRequest("an event needs a key (got \"\" for a " +
                      std::string(ToString(e.kind)) + " event)");
  }
  // A PR number names one PR of a repo on its forge: the same PR seen again
  // under another commit (a rewritten or force-pushed mainline, a rebase of
  // history) is not news.
  if (e.kind == EventKind::kPrMerged && e.pr > 0) {
    Result<sql::Statement> known = db.Prepare(
        "SELECT 1 FROM events WHERE repo_id = ? AND kind = 'pr_merged'"
        " AND forge = ? AND pr = ? LIMIT 1");
    if (!known) return known.error();
    known->BindAll(repo_id, e.forge, e.pr);
    Result<bool> found = known->Step();
    if (!found) return found.error();
    if (*found) return std::optional<int64_t>();
  }
  // A known event leaves its stamp unused: a gap in the clock, harmless.
  Result<identity::Stamp> stamp = identity::NewStamp(db);
  if (!stamp) return stamp.error();
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO events (kind, repo_id, key, commit_oid, forge, pr, title,"
      " branch, authors, commit_time, files, insertions, deletions, paths,"
      " created, opened, commit_count, merged, uuid, lamport)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (repo_id, kind, key) DO NOTHING");
  if (!stmt) return stmt.error();
  stmt->BindAll(ToString(e.kind), repo_id, e.key, e.commit, e.forge, e.pr,
                CapUtf8(e.title, Journal::kMaxTitleBytes), e.branch,
                rows::JoinLines(e.authors, Journal::kMaxAuthors), e.commit_time,
                e.diffstat.files, e.diffstat.insertions, e.diffstat.deletions,
                rows::JoinLines(e.paths, Journal::kMaxPaths), now, e.opened,
                e.commit_count, e.merged ? 1 : 0, stamp->uuid, stamp->lamport);
  if (Status s = stmt->Run(); !s) return s.error();
  if (db.Changes() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(db.LastInsertId());
}

Result<int64_t> InsertPrompt(const sql::Database& db, int64_t event_id, int64_t now) {
  Result<identity::Stamp> stamp = identity::NewStamp(db);
  if (!stamp) return stamp.error();
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO prompts (event_id, state, created, uuid, lamport)"
      " VALUES (?, 'pending', ?, ?, ?)");
  if (!stmt) return stmt.error();
  if (Status s = stmt->BindAll(event_id, now, stamp->uuid, stamp->lamport).Run(); !s) {
    return s.error();
  }
  return db.LastInsertId();
}

}  // namespace

sql::Database& JournalRepos::db() const { return *journal_.db_; }

Result<RepoRecord> JournalRepos::AddRepo(const std::string& path,
                                         const std::string& name,
                                         const std::string& source, int64_t now) {
  if (path.empty()) return BadRequest("a repo needs a path");
  if (!IsRepoSource(source)) {
    return BadRequest("unknown repo source \"" + source + "\" (config, added, scan)");
  }
  std::string given_name = name.empty() ? rows::RepoNameFromPath(path) : name;
  return journal_.Write([&]() -> Result<RepoRecord> {
    Result<std::optional<StoredRepo>> existing = RepoByPath(db(), path);
    if (!existing) return existing.error();
    Status s;
    if (!*existing) {
      s = InsertRepo(db(), path, given_name, source, now);
    } else if ((*existing)->removed && source == "scan") {
      // Removed by the user: finding it under a root again brings nothing back.
      return MakeError("removed", path + " was removed from brag (brag repos add " +
                                      "watches it again)");
    } else if ((*existing)->removed) {
      s = ReviveRepo(db(), (*existing)->record.id, given_name, source, now);
    } else if ((*existing)->record.source == "scan" && source != "scan") {
      s = UpgradeSource(db(), (*existing)->record, name, source);
    }
    if (!s) return s.error();
    Result<std::optional<StoredRepo>> stored = RepoByPath(db(), path);
    if (!stored) return stored.error();
    return (*stored)->record;
  });
}

Result<std::optional<RepoRecord>> JournalRepos::FindRepo(
    const std::string& path_or_name) {
  return LookupRepo(db(), path_or_name);
}

Result<bool> JournalRepos::RemoveRepo(const std::string& path_or_name) {
  return journal_.Write([&]() -> Result<bool> {
    Result<std::optional<RepoRecord>> repo = LookupRepo(db(), path_or_name);
    if (!repo) return repo.error();
    if (!*repo) return false;
    Result<sql::Statement> stmt =
        db().Prepare("UPDATE repos SET removed = 1 WHERE id = ?");
    if (!stmt) return stmt.error();
    if (Status s = stmt->BindAll((*repo)->id).Run(); !s) return s.error();
    if (Status s = ForgetScans(db(), (*repo)->id); !s) return s.error();
    return true;
  });
}

Result<std::vector<RepoRecord>> JournalRepos::ListRepos() {
  Result<sql::Statement> stmt =
      db().Prepare("SELECT " + std::string(rows::kRepoColumns) +
                   " FROM repos r WHERE r.removed = 0 ORDER BY r.path");
  if (!stmt) return stmt.error();
  std::vector<RepoRecord> repos;
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) return repos;
    sql::Row row = stmt->row();
    repos.push_back(rows::ReadRepo(row));
  }
}

Status JournalRepos::SetRepoState(int64_t repo_id, RepoState state,
                                  const std::string& error) {
  return journal_.Write([&]() -> Status {
    Result<sql::Statement> stmt =
        db().Prepare("UPDATE repos SET state = ?, error = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (Status s = stmt->BindAll(ToString(state), error, repo_id).Run(); !s) return s;
    if (db().Changes() == 0) {
      return MakeError("not_found", "no repo with id " + std::to_string(repo_id));
    }
    return {};
  });
}

Result<RefState> JournalRepos::LoadRefState(int64_t repo_id) {
  Result<sql::Statement> stmt =
      db().Prepare("SELECT refname, oid FROM ref_state WHERE repo_id = ?");
  if (!stmt) return stmt.error();
  stmt->BindAll(repo_id);
  RefState refs;
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) return refs;
    sql::Row row = stmt->row();
    std::string refname = row.Text();
    refs[refname] = row.Text();
  }
}

Result<bool> JournalRepos::HasBaseline(int64_t repo_id) {
  Result<sql::Statement> stmt =
      db().Prepare("SELECT 1 FROM baselines WHERE repo_id = ?");
  if (!stmt) return stmt.error();
  return stmt->BindAll(repo_id).Step();
}

Result<std::vector<Prompt>> JournalRepos::InsertWithPrompts(
    int64_t repo_id, const std::vector<Event>& events, int64_t now) {
  std::vector<Prompt> made;
  for (const Event& event : events) {
    Result<std::optional<int64_t>> id = InsertEvent(db(), repo_id, event, now);
    if (!id) return id.error();
    if (!*id) continue;
    if (Status s = LinkCommitNotes(db(), repo_id, **id, event); !s) return s.error();
    Result<int64_t> prompt_id = InsertPrompt(db(), **id, now);
    if (!prompt_id) return prompt_id.error();
    Result<Prompt> prompt = journal_.prompts().GetPrompt(*prompt_id);
    if (!prompt) return prompt.error();
    made.push_back(std::move(*prompt));
  }
  return made;
}

Result<std::vector<Prompt>> JournalRepos::RecordScan(int64_t repo_id,
                                                     const RefState& refs,
                                                     const std::vector<Event>& events,
                                                     int64_t now) {
  return journal_.Write([&]() -> Result<std::vector<Prompt>> {
    if (Status s = CheckRepoWatched(db(), repo_id); !s) return s.error();
    if (Status s = ReplaceRefState(db(), repo_id, refs); !s) return s.error();
    if (Status s = MarkBaseline(db(), repo_id, now); !s) return s.error();
    return InsertWithPrompts(repo_id, events, now);
  });
}

// A backfill (`brag scan --record`) records like a scan but leaves the ref
// state and baseline to the daemon's own passes.
Result<std::vector<Prompt>> JournalRepos::RecordEvents(int64_t repo_id,
                                                       const std::vector<Event>& events,
                                                       int64_t now) {
  return journal_.Write([&]() -> Result<std::vector<Prompt>> {
    if (Status s = CheckRepoWatched(db(), repo_id); !s) return s.error();
    return InsertWithPrompts(repo_id, events, now);
  });
}

}  // namespace brag
