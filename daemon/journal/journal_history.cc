// The log: events with their prompt and note, and free notes, in one SQL
// query so that filters and the limit run in SQLite over indexes
// (events_time, notes_free), not over every row in memory.
#include "journal/journal_history.h"

#include <string_view>

#include "journal/journal.h"
#include "journal/rows.h"
#include "journal/sqlite.h"

namespace brag {
namespace {

std::string Nulls(int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += i ? ", NULL" : "NULL";
  return out;
}

// Each arm yields: kind, time, entry_id, arm (1 events, 0 notes), repo,
// repo_name, event columns,
// prompt columns, note columns. The filters use named parameters.
std::string EventArm(const LogQuery& q) {
  std::string sql =
      "SELECT e.kind AS kind, e.commit_time AS time, e.id AS entry_id, 1 AS arm,"
      " r.path, r.name, " +
      std::string(rows::kEventColumns) + ", " + std::string(rows::kPromptOwnColumns) +
      ", " + std::string(rows::kNoteColumns) +
      " FROM events e JOIN repos r ON r.id = e.repo_id"
      " LEFT JOIN prompts p ON p.event_id = e.id"
      " LEFT JOIN notes n ON n.id = p.note_id AND n.removed = 0 WHERE 1";
  if (q.since) sql += " AND e.commit_time >= :since";
  if (q.until) sql += " AND e.commit_time < :until";
  if (q.repo) sql += " AND (r.path = :repo OR r.name = :repo)";
  if (q.kind) sql += " AND e.kind = :kind";
  if (q.after) {
    sql += " AND (e.commit_time < :at OR (e.commit_time = :at AND"
           " (e.id < :aid OR (e.id = :aid AND 1 < :aarm))))";
  }
  return sql;
}

std::string NoteArm(const LogQuery& q) {
  std::string sql =
      "SELECT 'note' AS kind, n.created AS time, n.id AS entry_id, 0 AS arm, n.repo,"
      " COALESCE(r.name, ''), " +
      Nulls(rows::kEventColumnCount) + ", " + Nulls(rows::kPromptOwnColumnCount) +
      ", " + std::string(rows::kNoteColumns) +
      " FROM notes n LEFT JOIN repos r ON r.path = n.repo"
      " WHERE n.event_id IS NULL AND n.removed = 0";
  if (q.since) sql += " AND n.created >= :since";
  if (q.until) sql += " AND n.created < :until";
  if (q.repo) sql += " AND (n.repo = :repo OR r.name = :repo)";
  if (q.after) {
    sql += " AND (n.created < :at OR (n.created = :at AND"
           " (n.id < :aid OR (n.id = :aid AND 0 < :aarm))))";
  }
  return sql;
}

std::string LogSql(const LogQuery& q) {
  bool events = !q.kind || *q.kind != "note";
  bool notes = !q.kind || *q.kind == "note";
  std::string sql;
  if (events) sql = EventArm(q);
  if (events && notes) sql += " UNION ALL ";
  if (notes) sql += NoteArm(q);
  return sql + " ORDER BY time DESC, entry_id DESC, arm DESC LIMIT :limit";
}

LogEntry ReadEntry(sql::Row& row) {
  LogEntry entry;
  entry.kind = row.Text();
  entry.time = row.Int();
  row.Skip(2);  // entry_id, arm
  entry.repo = row.Text();
  entry.repo_name = row.Text();
  if (entry.repo_name.empty()) entry.repo_name = rows::RepoNameFromPath(entry.repo);
  if (row.NextIsNull()) {
    row.Skip(rows::kEventColumnCount);
  } else {
    entry.event = rows::ReadEvent(row);
  }
  if (row.NextIsNull()) {
    row.Skip(rows::kPromptOwnColumnCount);
  } else {
    Prompt prompt = rows::ReadPromptOwn(row);
    prompt.repo = entry.repo;
    prompt.repo_name = entry.repo_name;
    if (entry.event) prompt.event = *entry.event;
    entry.prompt = std::move(prompt);
  }
  if (!row.NextIsNull()) entry.note = rows::ReadNote(row);
  return entry;
}

}  // namespace

sql::Database& JournalHistory::db() const { return *journal_.db_; }

Result<std::vector<LogEntry>> JournalHistory::Log(const LogQuery& query) {
  Result<sql::Statement> stmt = db().Prepare(LogSql(query));
  if (!stmt) return stmt.error();
  if (query.since) stmt->Bind(":since", *query.since);
  if (query.until) stmt->Bind(":until", *query.until);
  if (query.repo) stmt->Bind(":repo", *query.repo);
  if (query.kind) stmt->Bind(":kind", *query.kind);
  if (query.after) {
    stmt->Bind(":at", query.after->time);
    stmt->Bind(":aid", query.after->id);
    stmt->Bind(":aarm", int64_t{query.after->event ? 1 : 0});
  }
  stmt->Bind(":limit", query.limit > 0 ? int64_t{query.limit} : int64_t{-1});
  std::vector<LogEntry> entries;
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) return entries;
    sql::Row row = stmt->row();
    entries.push_back(ReadEntry(row));
  }
}

}  // namespace brag
