// Prompts and notes.
#include <string_view>

#include "journal/journal.h"
#include "journal/journal_write.h"
#include "journal/rows.h"
#include "journal/sqlite.h"

namespace brag {
namespace {

// A prompt waiting for an answer now (the one parameter: now).
constexpr std::string_view kDue =
    "(p.state = 'pending' OR (p.state = 'snoozed' AND p.snoozed_until <= ?))";

// `text` without surrounding whitespace (a terminal's newline, a stray space).
std::string Trim(const std::string& text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) return std::string();
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

bool IsNoteSource(const std::string& source) {
  return source == "manual" || source == "hook" || source == "prompt";
}

Error NoPrompt(int64_t id) {
  return MakeError("not_found", "no prompt with id " + std::to_string(id));
}

Error AlreadyAnswered(int64_t id) {
  return MakeError("conflict", "prompt " + std::to_string(id) + " is already answered");
}

Result<Note> LoadNote(const sql::Database& db, int64_t id) {
  Result<sql::Statement> stmt = db.Prepare("SELECT " + std::string(rows::kNoteColumns) +
                                           " FROM notes n WHERE n.id = ?");
  if (!stmt) return stmt.error();
  Result<bool> found = stmt->BindAll(id).Step();
  if (!found) return found.error();
  if (!*found) return MakeError("not_found", "no note with id " + std::to_string(id));
  sql::Row row = stmt->row();
  return rows::ReadNote(row);
}

Result<int64_t> InsertNote(const sql::Database& db, const NewNote& note,
                           std::optional<int64_t> prompt_id,
                           std::optional<int64_t> event_id, int64_t now) {
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO notes (text, created, source, repo, commit_oid, tags,"
      " prompt_id, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->BindAll(note.text, now, note.source, note.repo, note.commit,
                rows::JoinLines(note.tags), prompt_id, event_id);
  if (Status s = stmt->Run(); !s) return s.error();
  return db.LastInsertId();
}

Status MarkAnswered(const sql::Database& db, int64_t prompt_id, int64_t note_id,
                    int64_t now) {
  Result<sql::Statement> stmt = db.Prepare(
      "UPDATE prompts SET state = 'answered', answered = ?, note_id = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  return stmt->BindAll(now, note_id, prompt_id).Run();
}

Status UpdateState(const sql::Database& db, int64_t prompt_id, PromptState state,
                   int64_t snoozed_until) {
  Result<sql::Statement> stmt =
      db.Prepare("UPDATE prompts SET state = ?, snoozed_until = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  return stmt->BindAll(ToString(state), snoozed_until, prompt_id).Run();
}

}  // namespace

Result<Prompt> Journal::GetPrompt(int64_t id) {
  Result<sql::Statement> stmt = db_->Prepare(rows::PromptSelect() + "WHERE p.id = ?");
  if (!stmt) return stmt.error();
  Result<bool> found = stmt->BindAll(id).Step();
  if (!found) return found.error();
  if (!*found) return NoPrompt(id);
  sql::Row row = stmt->row();
  Prompt prompt = rows::ReadPrompt(row);
  if (Status s = FillCommitNotes(&prompt); !s) return s.error();
  return prompt;
}

Result<std::vector<Prompt>> Journal::Pending(int64_t now, int limit,
                                             std::optional<PromptCursor> after) {
  std::string sql = rows::PromptSelect() + "WHERE " + std::string(kDue);
  if (after) sql += " AND (p.created > ? OR (p.created = ? AND p.id > ?))";
  Result<sql::Statement> stmt = db_->Prepare(sql + " ORDER BY p.created, p.id LIMIT ?");
  if (!stmt) return stmt.error();
  if (after) {
    stmt->BindAll(now, after->created, after->created, after->id,
                  limit > 0 ? int64_t{limit} : int64_t{-1});
  } else {
    stmt->BindAll(now, limit > 0 ? int64_t{limit} : int64_t{-1});
  }
  std::vector<Prompt> prompts;
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) break;
    sql::Row row = stmt->row();
    prompts.push_back(rows::ReadPrompt(row));
    prompts.back().state = PromptState::kPending;  // a snooze that has run out
  }
  for (Prompt& prompt : prompts) {
    if (Status s = FillCommitNotes(&prompt); !s) return s.error();
  }
  return prompts;
}

Result<int64_t> Journal::PendingCount(int64_t now) {
  Result<sql::Statement> stmt =
      db_->Prepare("SELECT count(*) FROM prompts p WHERE " + std::string(kDue));
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->BindAll(now).Step();
  if (!row) return row.error();
  return stmt->row().Int();
}

Result<Note> Journal::Answer(int64_t prompt_id, const std::string& text, int64_t now) {
  if (Trim(text).empty()) return MakeError("bad_request", "an answer needs some text");
  return Write(
      [&]() -> Result<Note> { return AnswerInTransaction(prompt_id, text, now); });
}

Result<Note> Journal::AnswerInTransaction(int64_t prompt_id, const std::string& text,
                                          int64_t now) {
  NewNote note;
  note.text = Trim(text);
  note.source = "prompt";
  if (note.text.empty()) return MakeError("bad_request", "an answer needs some text");
  Result<Prompt> prompt = GetPrompt(prompt_id);
  if (!prompt) return prompt.error();
  if (prompt->state == PromptState::kAnswered) return AlreadyAnswered(prompt_id);
  note.repo = prompt->repo;
  note.commit = prompt->event.commit;
  Result<int64_t> note_id = InsertNote(*db_, note, prompt_id, prompt->event.id, now);
  if (!note_id) return note_id.error();
  if (Status s = MarkAnswered(*db_, prompt_id, *note_id, now); !s) return s.error();
  return LoadNote(*db_, *note_id);
}

Result<Prompt> Journal::Snooze(int64_t prompt_id, int64_t until) {
  return Write([&]() -> Result<Prompt> {
    Result<Prompt> prompt = GetPrompt(prompt_id);
    if (!prompt) return prompt.error();
    if (prompt->state == PromptState::kAnswered) return AlreadyAnswered(prompt_id);
    if (Status s = UpdateState(*db_, prompt_id, PromptState::kSnoozed, until); !s) return s.error();
    return GetPrompt(prompt_id);
  });
}

Result<Prompt> Journal::Dismiss(int64_t prompt_id) {
  return Write([&]() -> Result<Prompt> {
    Result<Prompt> prompt = GetPrompt(prompt_id);
    if (!prompt) return prompt.error();
    if (prompt->state == PromptState::kAnswered) return AlreadyAnswered(prompt_id);
    if (Status s = UpdateState(*db_, prompt_id, PromptState::kDismissed, 0); !s) return s.error();
    return GetPrompt(prompt_id);
  });
}

Result<Note> Journal::AddNote(const NewNote& note, int64_t now) {
  NewNote clean = note;
  clean.text = Trim(note.text);
  if (clean.text.empty()) return MakeError("bad_request", "a note needs some text");
  if (!IsNoteSource(clean.source)) {
    return MakeError("bad_request", "unknown note source \"" + clean.source +
                                        "\" (manual, hook, prompt)");
  }
  return Write([&]() -> Result<Note> {
    Result<int64_t> id = InsertNote(*db_, clean, std::nullopt, std::nullopt, now);
    if (!id) return id.error();
    return LoadNote(*db_, *id);
  });
}

}  // namespace brag
