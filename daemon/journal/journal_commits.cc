// Commits recorded by the hooks, their Impact: notes, how those notes follow
// a rewrite, and how they meet the PR that lands them (journal_commits.h,
// commit_notes.h).
#include "journal/journal_commits.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "core/bounded_text.h"
#include "journal/commit_notes.h"
#include "journal/identity.h"
#include "journal/journal.h"
#include "journal/journal_write.h"
#include "journal/rows.h"
#include "journal/sqlite.h"

namespace brag {
namespace {

// The free (not yet taken by a PR) trailer notes of one commit.
constexpr std::string_view kFreeTrailerNotes =
    "FROM notes n WHERE n.source = 'hook' AND n.repo = ? AND n.commit_oid = ?"
    " AND n.event_id IS NULL AND n.removed = 0";

Result<std::vector<Note>> ReadNotes(sql::Statement& stmt) {
  std::vector<Note> notes;
  for (;;) {
    Result<bool> more = stmt.Step();
    if (!more) return more.error();
    if (!*more) return notes;
    sql::Row row = stmt.row();
    notes.push_back(rows::ReadNote(row));
  }
}

Result<std::vector<Note>> FreeTrailerNotes(const sql::Database& db, const std::string& repo,
                                        const std::string& oid) {
  Result<sql::Statement> stmt = db.Prepare("SELECT " + std::string(rows::kNoteColumns) +
                                           " " + std::string(kFreeTrailerNotes) +
                                           " ORDER BY n.id");
  if (!stmt) return stmt.error();
  stmt->BindAll(repo, oid);
  return ReadNotes(*stmt);
}

Status DeleteNote(const sql::Database& db, int64_t id) {
  for (const char* sql : {"DELETE FROM event_commit_notes WHERE note_id = ?",
                          "DELETE FROM notes WHERE id = ?"}) {
    Result<sql::Statement> stmt = db.Prepare(sql);
    if (!stmt) return stmt.error();
    if (Status s = stmt->BindAll(id).Run(); !s) return s;
  }
  return {};
}

Status UpsertCommit(const sql::Database& db, const CommitRecord& c, int64_t now) {
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO commits (repo, oid, branch, subject, author, commit_time, files,"
      " insertions, deletions, paths, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (repo, oid) DO UPDATE SET branch = excluded.branch,"
      " subject = excluded.subject, author = excluded.author,"
      " commit_time = excluded.commit_time, files = excluded.files,"
      " insertions = excluded.insertions, deletions = excluded.deletions,"
      " paths = excluded.paths");
  if (!stmt) return stmt.error();
  return stmt
      ->BindAll(c.repo, c.oid, c.branch, CapUtf8(c.subject, Journal::kMaxTitleBytes),
                c.author, c.time, c.diffstat.files, c.diffstat.insertions,
                c.diffstat.deletions, rows::JoinLines(c.paths, Journal::kMaxPaths), now)
      .Run();
}

Result<int64_t> InsertTrailerNote(const sql::Database& db, const std::string& repo,
                               const std::string& oid, const std::string& text,
                               int64_t now) {
  Result<identity::Stamp> stamp = identity::NewStamp(db);
  if (!stamp) return stamp.error();
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO notes (text, created, source, repo, commit_oid, uuid, lamport) "
      "VALUES (?, ?, 'hook', ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  if (Status s = stmt->BindAll(text, now, repo, oid, stamp->uuid, stamp->lamport).Run();
      !s) {
    return s.error();
  }
  return db.LastInsertId();
}

// One rewritten commit's row: merged into the new one when it exists (a
// squash), else renamed.
Status MoveCommitRow(const sql::Database& db, const std::string& repo,
                     const std::string& from, const std::string& to) {
  Result<sql::Statement> exists =
      db.Prepare("SELECT count(*) FROM commits WHERE repo = ? AND oid = ?");
  if (!exists) return exists.error();
  Result<bool> row = exists->BindAll(repo, to).Step();
  if (!row) return row.error();
  bool merge = exists->row().Int() > 0;
  Result<sql::Statement> stmt =
      db.Prepare(merge ? "DELETE FROM commits WHERE repo = ? AND oid = ?"
                       : "UPDATE commits SET oid = ? WHERE repo = ? AND oid = ?");
  if (!stmt) return stmt.error();
  return merge ? stmt->BindAll(repo, from).Run() : stmt->BindAll(to, repo, from).Run();
}

// Where the new commit carries trailer notes of its own (`has_own`: git ran
// post-commit for it first), they are the truth: the old commit's free
// trailer notes go. Otherwise every note of the old commit moves (a squash
// gathers them all). Returns the notes moved.
Result<int> MoveNotes(const sql::Database& db, const std::string& repo,
                      const std::string& from, const std::string& to, bool has_own) {
  if (has_own) {
    Result<std::vector<Note>> old = FreeTrailerNotes(db, repo, from);
    if (!old) return old.error();
    for (const Note& n : *old) {
      if (Status s = DeleteNote(db, n.id); !s) return s.error();
    }
  }
  // One change of each note moved (their commit), at one clock.
  Result<int64_t> lamport = identity::Tick(db);
  if (!lamport) return lamport.error();
  Result<sql::Statement> stmt = db.Prepare(
      "UPDATE notes SET commit_oid = ?, lamport = ? WHERE repo = ? AND commit_oid = ?");
  if (!stmt) return stmt.error();
  if (Status s = stmt->BindAll(to, *lamport, repo, from).Run(); !s) return s.error();
  return db.Changes();
}

// Binds `items` as a JSON array for `IN (SELECT value FROM json_each(?))`.
std::string JsonArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ",";
    out += "\"";
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) continue;  // oids and subjects
      out += c;
    }
    out += "\"";
  }
  return out + "]";
}

}  // namespace

sql::Database& JournalCommits::db() const { return *journal_.db_; }

Result<std::optional<Note>> JournalCommits::RecordCommit(const CommitRecord& commit,
                                                         const std::string& impact,
                                                         int64_t now) {
  if (commit.repo.empty() || commit.oid.empty()) {
    return MakeError("bad_request", "a commit needs a repo and an oid");
  }
  return journal_.Write([&]() -> Result<std::optional<Note>> {
    if (Status s = UpsertCommit(db(), commit, now); !s) return s.error();
    if (impact.empty()) return std::optional<Note>();
    Result<std::vector<Note>> existing = FreeTrailerNotes(db(), commit.repo, commit.oid);
    if (!existing) return existing.error();
    // The user's word wins over the trailer: a note they edited is kept as
    // they wrote it, and one they removed is not filed again.
    Result<sql::Statement> removed = db().Prepare(
        "SELECT 1 FROM notes WHERE source = 'hook' AND removed != 0 AND event_id IS "
        "NULL"
        " AND repo = ? AND commit_oid = ? LIMIT 1");
    if (!removed) return removed.error();
    Result<bool> was_removed = removed->BindAll(commit.repo, commit.oid).Step();
    if (!was_removed) return was_removed.error();
    if (existing->empty() && *was_removed) return std::optional<Note>();
    int64_t id = 0;
    for (const Note& n : *existing) {
      if ((n.text == impact || n.edited != 0) && id == 0) {
        id = n.id;
      } else if (Status s = DeleteNote(db(), n.id); !s) {
        return s.error();
      }
    }
    if (id == 0) {
      Result<int64_t> inserted = InsertTrailerNote(db(), commit.repo, commit.oid, impact, now);
      if (!inserted) return inserted.error();
      id = *inserted;
    }
    Result<sql::Statement> stmt = db().Prepare(
        "SELECT " + std::string(rows::kNoteColumns) + " FROM notes n WHERE n.id = ?");
    if (!stmt) return stmt.error();
    stmt->BindAll(id);
    Result<std::vector<Note>> notes = ReadNotes(*stmt);
    if (!notes) return notes.error();
    if (notes->empty()) return MakeError("journal", "the commit note vanished");
    return std::optional<Note>(std::move(notes->front()));
  });
}

Result<int> JournalCommits::RewriteCommits(
    const std::string& repo, const std::vector<std::pair<std::string, std::string>>& moves) {
  return journal_.Write([&]() -> Result<int> {
    // Which new commits had trailer notes of their own before any moved in.
    std::set<std::string> has_own;
    for (const auto& [from, to] : moves) {
      Result<std::vector<Note>> own = FreeTrailerNotes(db(), repo, to);
      if (!own) return own.error();
      if (!own->empty()) has_own.insert(to);
    }
    int moved = 0;
    for (const auto& [from, to] : moves) {
      if (from.empty() || to.empty() || from == to) continue;
      Result<int> notes = MoveNotes(db(), repo, from, to, has_own.count(to) != 0);
      if (!notes) return notes.error();
      moved += *notes;
      if (Status s = MoveCommitRow(db(), repo, from, to); !s) return s.error();
    }
    return moved;
  });
}

Result<std::set<std::string>> JournalCommits::KnownCommits(
    const std::string& repo, const std::vector<std::string>& oids) {
  std::set<std::string> known;
  if (oids.empty()) return known;
  Result<sql::Statement> stmt = db().Prepare(
      "SELECT oid FROM commits WHERE repo = ?1 AND oid IN (SELECT value FROM json_each(?2))");
  if (!stmt) return stmt.error();
  stmt->BindAll(repo, JsonArray(oids));
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) return known;
    known.insert(stmt->row().Text());
  }
}

Result<std::vector<CommitRecord>> JournalCommits::Commits(const std::string& repo,
                                                          int limit) {
  Result<sql::Statement> stmt = db().Prepare(
      "SELECT repo, oid, branch, subject, author, commit_time, files, insertions,"
      " deletions, paths FROM commits WHERE repo = ? ORDER BY commit_time DESC, id DESC"
      " LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->BindAll(repo, limit > 0 ? int64_t{limit} : int64_t{-1});
  std::vector<CommitRecord> out;
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) return out;
    sql::Row row = stmt->row();
    CommitRecord c;
    c.repo = row.Text();
    c.oid = row.Text();
    c.branch = row.Text();
    c.subject = row.Text();
    c.author = row.Text();
    c.time = row.Int();
    c.diffstat.files = static_cast<int>(row.Int());
    c.diffstat.insertions = static_cast<int>(row.Int());
    c.diffstat.deletions = static_cast<int>(row.Int());
    c.paths = rows::SplitLines(row.Text());
    out.push_back(std::move(c));
  }
}

Status LinkCommitNotes(const sql::Database& db, int64_t repo_id, int64_t event_id,
                       const Event& event) {
  // A PR's commits: those of P1..P2 by oid; commits made on its source
  // branch; commits whose subject it names (a squash keeps their subjects).
  std::vector<std::string> subjects = event.member_subjects;
  if (!event.title.empty()) subjects.push_back(event.title);
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT OR IGNORE INTO event_commit_notes (event_id, note_id)"
      " SELECT ?1, n.id FROM notes n JOIN repos r ON r.id = ?2"
      " WHERE n.source = 'hook' AND n.event_id IS NULL AND n.removed = 0"
      " AND n.repo = r.path"
      " AND (n.commit_oid IN (SELECT value FROM json_each(?3))"
      "   OR n.commit_oid IN (SELECT c.oid FROM commits c WHERE c.repo = r.path AND ("
      "        (?4 != '' AND c.branch = ?4)"
      "        OR c.subject IN (SELECT value FROM json_each(?5)))))");
  if (!stmt) return stmt.error();
  return stmt
      ->BindAll(event_id, repo_id, JsonArray(event.member_commits), event.branch,
                JsonArray(subjects))
      .Run();
}

Status FillCommitNotes(const sql::Database& db, Prompt* prompt) {
  prompt->commit_notes.clear();
  if (prompt->state == PromptState::kAnswered) return {};
  Result<sql::Statement> stmt =
      db.Prepare("SELECT " + std::string(rows::kNoteColumns) +
                 " FROM event_commit_notes l JOIN notes n ON n.id = l.note_id"
                 " WHERE l.event_id = ? AND n.event_id IS NULL AND n.removed = 0"
                 " ORDER BY n.created, n.id");
  if (!stmt) return stmt.error();
  stmt->BindAll(prompt->event.id);
  Result<std::vector<Note>> notes = ReadNotes(*stmt);
  if (!notes) return notes.error();
  prompt->commit_notes = std::move(*notes);
  return {};
}

}  // namespace brag
