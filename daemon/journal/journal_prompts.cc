// The journal's prompts and notes (journal_prompts.h).
#include "journal/journal_prompts.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <tuple>

#include "journal/commit_notes.h"
#include "journal/identity.h"
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

// Names the answer, so that a user who wants another one knows what to fix.
Error AlreadyAnswered(const Prompt& prompt) {
  std::string message = "prompt " + std::to_string(prompt.id) + " is already answered";
  if (prompt.note_id) message += " by note " + std::to_string(*prompt.note_id);
  return MakeError("conflict", message);
}

Error NoNote(int64_t id) {
  return MakeError("not_found", "no note with id " + std::to_string(id));
}

// When note `id` was removed (0: it is live); "not_found" when no such row.
Result<int64_t> RemovedAt(const sql::Database& db, int64_t id) {
  Result<sql::Statement> stmt = db.Prepare("SELECT removed FROM notes WHERE id = ?");
  if (!stmt) return stmt.error();
  Result<bool> found = stmt->BindAll(id).Step();
  if (!found) return found.error();
  if (!*found) return NoNote(id);
  return stmt->row().Int();
}

Result<Note> LoadNote(const sql::Database& db, int64_t id) {
  Result<sql::Statement> stmt = db.Prepare("SELECT " + std::string(rows::kNoteColumns) +
                                           " FROM notes n WHERE n.id = ?");
  if (!stmt) return stmt.error();
  Result<bool> found = stmt->BindAll(id).Step();
  if (!found) return found.error();
  if (!*found) return NoNote(id);
  sql::Row row = stmt->row();
  return rows::ReadNote(row);
}

// A note not removed: "not_found" for a tombstone as for a missing row.
Result<Note> LiveNote(const sql::Database& db, int64_t id) {
  Result<int64_t> removed = RemovedAt(db, id);
  if (!removed) return removed.error();
  if (*removed != 0) {
    return MakeError("not_found", "note " + std::to_string(id) + " was removed");
  }
  return LoadNote(db, id);
}

Result<int64_t> InsertNote(const sql::Database& db, const NewNote& note,
                           std::optional<int64_t> prompt_id,
                           std::optional<int64_t> event_id, int64_t now) {
  Result<identity::Stamp> stamp = identity::NewStamp(db);
  if (!stamp) return stamp.error();
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO notes (text, created, source, repo, commit_oid, tags,"
      " prompt_id, event_id, uuid, lamport) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->BindAll(note.text, now, note.source, note.repo, note.commit,
                rows::JoinLines(note.tags), prompt_id, event_id, stamp->uuid,
                stamp->lamport);
  if (Status s = stmt->Run(); !s) return s.error();
  return db.LastInsertId();
}

Status MarkAnswered(const sql::Database& db, int64_t prompt_id, int64_t note_id,
                    int64_t now) {
  Result<int64_t> lamport = identity::Tick(db);
  if (!lamport) return lamport.error();
  Result<sql::Statement> stmt = db.Prepare(
      "UPDATE prompts SET state = 'answered', answered = ?, note_id = ?, lamport = ?"
      " WHERE id = ?");
  if (!stmt) return stmt.error();
  return stmt->BindAll(now, note_id, *lamport, prompt_id).Run();
}

Status UpdateState(const sql::Database& db, int64_t prompt_id, PromptState state,
                   int64_t snoozed_until) {
  Result<int64_t> lamport = identity::Tick(db);
  if (!lamport) return lamport.error();
  Result<sql::Statement> stmt = db.Prepare(
      "UPDATE prompts SET state = ?, snoozed_until = ?, lamport = ? WHERE id = ?");
  if (!stmt) return stmt.error();
  return stmt->BindAll(ToString(state), snoozed_until, *lamport, prompt_id).Run();
}

}  // namespace

sql::Database& JournalPrompts::db() const { return *journal_.db_; }

Result<Prompt> JournalPrompts::GetPrompt(int64_t id) {
  Result<sql::Statement> stmt = db().Prepare(rows::PromptSelect() + "WHERE p.id = ?");
  if (!stmt) return stmt.error();
  Result<bool> found = stmt->BindAll(id).Step();
  if (!found) return found.error();
  if (!*found) return NoPrompt(id);
  sql::Row row = stmt->row();
  Prompt prompt = rows::ReadPrompt(row);
  if (Status s = FillCommitNotes(db(), &prompt); !s) return s.error();
  return prompt;
}

Result<std::vector<Prompt>> JournalPrompts::Pending(int64_t now, int limit,
                                                    std::optional<PromptCursor> after,
                                                    bool with_snoozed) {
  // Snoozes up to `:until` count: now, or all of them.
  std::string sql = rows::PromptSelect() +
                    "WHERE (p.state = 'pending' OR"
                    " (p.state = 'snoozed' AND p.snoozed_until <= :until))";
  if (after) sql += " AND (e.commit_time < :time OR (e.commit_time = :time AND p.id < :id))";
  Result<sql::Statement> stmt =
      db().Prepare(sql + " ORDER BY e.commit_time DESC, p.id DESC LIMIT :limit");
  if (!stmt) return stmt.error();
  stmt->Bind(":until", with_snoozed ? std::numeric_limits<int64_t>::max() : now);
  if (after) stmt->Bind(":time", after->time).Bind(":id", after->id);
  stmt->Bind(":limit", limit > 0 ? int64_t{limit} : int64_t{-1});
  std::vector<Prompt> prompts;
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) break;
    sql::Row row = stmt->row();
    Prompt& prompt = prompts.emplace_back(rows::ReadPrompt(row));
    // A snooze that has run out is waiting again.
    if (prompt.snoozed_until <= now) prompt.state = PromptState::kPending;
  }
  for (Prompt& prompt : prompts) {
    if (Status s = FillCommitNotes(db(), &prompt); !s) return s.error();
  }
  return prompts;
}

Result<int64_t> JournalPrompts::PendingCount(int64_t now) {
  Result<sql::Statement> stmt =
      db().Prepare("SELECT count(*) FROM prompts p WHERE " + std::string(kDue));
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->BindAll(now).Step();
  if (!row) return row.error();
  return stmt->row().Int();
}

Result<int64_t> JournalPrompts::SnoozedCount(int64_t now) {
  Result<sql::Statement> stmt = db().Prepare(
      "SELECT count(*) FROM prompts WHERE state = 'snoozed' AND snoozed_until > ?");
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->BindAll(now).Step();
  if (!row) return row.error();
  return stmt->row().Int();
}

Result<std::optional<int64_t>> JournalPrompts::NextSnoozeEnd(int64_t now) {
  Result<sql::Statement> stmt = db().Prepare(
      "SELECT min(snoozed_until) FROM prompts WHERE state = 'snoozed' AND snoozed_until > ?");
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->BindAll(now).Step();
  if (!row) return row.error();
  sql::Row r = stmt->row();
  if (r.NextIsNull()) return std::optional<int64_t>();
  return std::optional<int64_t>(r.Int());
}

Result<Note> JournalPrompts::Answer(int64_t prompt_id, const std::string& text,
                                    int64_t now) {
  if (Trim(text).empty()) return MakeError("bad_request", "an answer needs some text");
  return journal_.Write(
      [&]() -> Result<Note> { return AnswerInTransaction(prompt_id, text, now); });
}

Result<Note> JournalPrompts::AnswerInTransaction(int64_t prompt_id,
                                                 const std::string& text, int64_t now) {
  NewNote note;
  note.text = Trim(text);
  note.source = "prompt";
  if (note.text.empty()) return MakeError("bad_request", "an answer needs some text");
  Result<Prompt> prompt = GetPrompt(prompt_id);
  if (!prompt) return prompt.error();
  if (prompt->state == PromptState::kAnswered) return AlreadyAnswered(*prompt);
  note.repo = prompt->repo;
  note.commit = prompt->event.commit;
  Result<int64_t> note_id = InsertNote(db(), note, prompt_id, prompt->event.id, now);
  if (!note_id) return note_id.error();
  if (Status s = MarkAnswered(db(), prompt_id, *note_id, now); !s) return s.error();
  return LoadNote(db(), *note_id);
}

Result<Prompt> JournalPrompts::Snooze(int64_t prompt_id, int64_t until) {
  PromptSelection which;
  which.ids.push_back(prompt_id);
  Result<std::vector<Prompt>> done = SnoozeAll(which, until);
  if (!done) return done.error();
  return done->front();
}

Result<Prompt> JournalPrompts::Dismiss(int64_t prompt_id) {
  PromptSelection which;
  which.ids.push_back(prompt_id);
  Result<std::vector<Prompt>> done = DismissAll(which);
  if (!done) return done.error();
  return done->front();
}

Result<std::vector<int64_t>> JournalPrompts::Select(const PromptSelection& which) {
  std::vector<int64_t> ids;
  if (!which.ids.empty()) {
    for (int64_t id : which.ids) {
      Result<Prompt> prompt = GetPrompt(id);
      if (!prompt) return prompt.error();
      if (prompt->state == PromptState::kAnswered) return AlreadyAnswered(*prompt);
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    return ids;
  }
  std::string sql =
      "SELECT p.id FROM prompts p JOIN events e ON e.id = p.event_id"
      " JOIN repos r ON r.id = e.repo_id WHERE p.state IN ('pending', 'snoozed')";
  if (!which.repo.empty()) sql += " AND (r.path = :repo OR r.name = :repo)";
  if (which.before) sql += " AND e.commit_time < :before";
  Result<sql::Statement> stmt = db().Prepare(sql);
  if (!stmt) return stmt.error();
  stmt->Bind(":repo", which.repo).Bind(":before", which.before.value_or(0));
  for (;;) {
    Result<bool> more = stmt->Step();
    if (!more) return more.error();
    if (!*more) break;
    ids.push_back(stmt->row().Int());
  }
  return ids;
}

Result<std::vector<Prompt>> JournalPrompts::SetStates(const PromptSelection& which,
                                                      PromptState state, int64_t until) {
  return journal_.Write([&]() -> Result<std::vector<Prompt>> {
    Result<std::vector<int64_t>> ids = Select(which);
    if (!ids) return ids.error();
    std::vector<Prompt> done;
    for (int64_t id : *ids) {
      if (Status s = UpdateState(db(), id, state, until); !s) return s.error();
      Result<Prompt> prompt = GetPrompt(id);
      if (!prompt) return prompt.error();
      done.push_back(std::move(*prompt));
    }
    std::sort(done.begin(), done.end(), [](const Prompt& a, const Prompt& b) {
      return std::tie(a.event.commit_time, a.id) > std::tie(b.event.commit_time, b.id);
    });
    return done;
  });
}

Result<std::vector<Prompt>> JournalPrompts::DismissAll(const PromptSelection& which) {
  return SetStates(which, PromptState::kDismissed, 0);
}

Result<std::vector<Prompt>> JournalPrompts::SnoozeAll(const PromptSelection& which,
                                                      int64_t until) {
  return SetStates(which, PromptState::kSnoozed, until);
}

Result<Note> JournalPrompts::AddNote(const NewNote& note, int64_t now) {
  NewNote clean = note;
  clean.text = Trim(note.text);
  if (clean.text.empty()) return MakeError("bad_request", "a note needs some text");
  if (!IsNoteSource(clean.source)) {
    return MakeError("bad_request", "unknown note source \"" + clean.source +
                                        "\" (manual, hook, prompt)");
  }
  return journal_.Write([&]() -> Result<Note> {
    Result<int64_t> id = InsertNote(db(), clean, std::nullopt, std::nullopt, now);
    if (!id) return id.error();
    return LoadNote(db(), *id);
  });
}

Result<Note> JournalPrompts::GetNote(int64_t id) { return LiveNote(db(), id); }

Result<EditedNote> JournalPrompts::EditNote(int64_t id, const std::string& text,
                                            int64_t now) {
  std::string clean = Trim(text);
  if (clean.empty()) return MakeError("bad_request", "a note needs some text");
  return journal_.Write([&]() -> Result<EditedNote> {
    Result<Note> note = LiveNote(db(), id);
    if (!note) return note.error();
    if (note->text == clean) return EditedNote{std::move(*note), false};
    Result<int64_t> lamport = identity::Tick(db());
    if (!lamport) return lamport.error();
    Result<sql::Statement> stmt =
        db().Prepare("UPDATE notes SET text = ?, edited = ?, lamport = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (Status s = stmt->BindAll(clean, now, *lamport, id).Run(); !s) return s.error();
    Result<Note> edited = LoadNote(db(), id);
    if (!edited) return edited.error();
    return EditedNote{std::move(*edited), true};
  });
}

Result<RemovedNote> JournalPrompts::RemoveNote(int64_t id, int64_t now) {
  return journal_.Write([&]() -> Result<RemovedNote> {
    Result<int64_t> removed = RemovedAt(db(), id);
    if (!removed) return removed.error();
    if (*removed != 0) {
      return MakeError("conflict",
                       "note " + std::to_string(id) + " is removed already");
    }
    Result<Note> note = LoadNote(db(), id);
    if (!note) return note.error();
    Result<int64_t> lamport = identity::Tick(db());
    if (!lamport) return lamport.error();
    Result<sql::Statement> stmt =
        db().Prepare("UPDATE notes SET removed = ?, lamport = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (Status s = stmt->BindAll(now, *lamport, id).Run(); !s) return s.error();
    RemovedNote out{*note, std::nullopt};
    Result<sql::Statement> answered =
        db().Prepare("SELECT id FROM prompts WHERE note_id = ? AND state = 'answered'");
    if (!answered) return answered.error();
    Result<bool> found = answered->BindAll(id).Step();
    if (!found) return found.error();
    if (!*found) return out;
    int64_t prompt_id = answered->row().Int();
    // Back as it was before the answer: pending, and the trailer notes the
    // answer took (AcceptCommitNotes) free to be offered again; each a
    // change of its own.
    for (const char* sql :
         {"UPDATE prompts SET state = 'pending', note_id = NULL, answered = 0,"
          " snoozed_until = 0, lamport = ?2 WHERE id = ?1",
          "UPDATE notes SET event_id = NULL, lamport = ?2 WHERE source = 'hook'"
          " AND removed = 0 AND event_id = (SELECT event_id FROM prompts WHERE id = ?1)"
          " AND id IN (SELECT l.note_id FROM event_commit_notes l JOIN prompts p"
          " ON p.event_id = l.event_id WHERE p.id = ?1)"}) {
      Result<int64_t> lamport = identity::Tick(db());
      if (!lamport) return lamport.error();
      Result<sql::Statement> reopen = db().Prepare(sql);
      if (!reopen) return reopen.error();
      if (Status s = reopen->BindAll(prompt_id, *lamport).Run(); !s) return s.error();
    }
    Result<Prompt> prompt = GetPrompt(prompt_id);
    if (!prompt) return prompt.error();
    out.reopened = std::move(*prompt);
    return out;
  });
}

Result<Note> JournalPrompts::AcceptCommitNotes(int64_t prompt_id, int64_t now) {
  return journal_.Write([&]() -> Result<Note> {
    Result<Prompt> prompt = GetPrompt(prompt_id);
    if (!prompt) return prompt.error();
    // Answered elsewhere first: its commit notes were cleared by that, and
    // "nothing to accept" would hide the real reason.
    if (prompt->state == PromptState::kAnswered) return AlreadyAnswered(*prompt);
    if (prompt->commit_notes.empty()) {
      return MakeError("bad_request", "prompt " + std::to_string(prompt_id) +
                                          " has no commit notes to accept");
    }
    std::string text;
    for (const Note& n : prompt->commit_notes) {
      if (text.find(n.text) != std::string::npos) continue;  // said once
      text += (text.empty() ? "" : "; ") + n.text;
    }
    Result<Note> note = AnswerInTransaction(prompt_id, text, now);
    if (!note) return note.error();
    // Taken: the PR's note now says it, so they are no free notes any more.
    Result<sql::Statement> take =
        db().Prepare("UPDATE notes SET event_id = ?, lamport = ? WHERE id = ?");
    if (!take) return take.error();
    for (const Note& n : prompt->commit_notes) {
      Result<int64_t> lamport = identity::Tick(db());
      if (!lamport) return lamport.error();
      take->Reset();
      if (Status s = take->BindAll(prompt->event.id, *lamport, n.id).Run(); !s) {
        return s.error();
      }
    }
    return note;
  });
}

}  // namespace brag
