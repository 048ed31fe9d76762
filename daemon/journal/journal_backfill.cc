// Backfilling history (`brag scan --record`): events and their prompts
// without the ref state a detection pass stores. The SQL follows
// RecordScan's in journal.cc; keep the two in step.
#include "journal/journal.h"
#include "journal/rows.h"
#include "journal/sqlite.h"

namespace brag {
namespace {

Status CheckLiveRepo(const sql::Database& db, int64_t repo_id) {
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

// The id of the event if it is new, nullopt if (repo, kind, key) is known.
Result<std::optional<int64_t>> InsertNewEvent(const sql::Database& db, int64_t repo_id,
                                              const Event& e, int64_t now) {
  if (e.kind.empty() || e.key.empty()) {
    return MakeError("bad_request", "an event needs a kind and a key (got \"" + e.kind +
                                        "\", \"" + e.key + "\")");
  }
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO events (kind, repo_id, key, commit_oid, forge, pr, title,"
      " branch, authors, commit_time, files, insertions, deletions, paths,"
      " created, opened, commit_count, merged)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (repo_id, kind, key) DO NOTHING");
  if (!stmt) return stmt.error();
  stmt->BindAll(e.kind, repo_id, e.key, e.commit, e.forge, e.pr, e.title, e.branch,
                rows::JoinLines(e.authors), e.commit_time, e.diffstat.files,
                e.diffstat.insertions, e.diffstat.deletions, rows::JoinLines(e.paths),
                now, e.opened, e.commit_count, e.merged ? 1 : 0);
  if (Status s = stmt->Run(); !s) return s.error();
  if (db.Changes() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(db.LastInsertId());
}

Result<int64_t> InsertPendingPrompt(const sql::Database& db, int64_t event_id,
                                    int64_t now) {
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO prompts (event_id, state, created) VALUES (?, 'pending', ?)");
  if (!stmt) return stmt.error();
  if (Status s = stmt->BindAll(event_id, now).Run(); !s) return s.error();
  return db.LastInsertId();
}

}  // namespace

Result<std::vector<Prompt>> Journal::RecordEvents(int64_t repo_id,
                                                  const std::vector<Event>& events,
                                                  int64_t now) {
  return sql::InTransaction(*db_, [&]() -> Result<std::vector<Prompt>> {
    if (Status s = CheckLiveRepo(*db_, repo_id); !s) return s.error();
    std::vector<Prompt> made;
    for (const Event& event : events) {
      Result<std::optional<int64_t>> id = InsertNewEvent(*db_, repo_id, event, now);
      if (!id) return id.error();
      if (!*id) continue;
      Result<int64_t> prompt_id = InsertPendingPrompt(*db_, **id, now);
      if (!prompt_id) return prompt_id.error();
      Result<Prompt> prompt = GetPrompt(*prompt_id);
      if (!prompt) return prompt.error();
      made.push_back(std::move(*prompt));
    }
    return made;
  });
}

}  // namespace brag
