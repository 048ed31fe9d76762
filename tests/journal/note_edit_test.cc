// Correcting notes: EditNote replaces a note's text, RemoveNote leaves a
// tombstone that every read of notes skips (DESIGN §11, §12).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "journal/journal.h"
#include "journal/journal_fixture.h"
#include "support/schema_rewind.h"

namespace brag::test {
namespace {

// The notes' texts the digest's read gives for all time, in its order.
std::vector<std::string> DigestNoteTexts(Journal& journal) {
  std::vector<std::string> texts;
  Status read =
      journal.history().ForEachDigestRow(0, 1'000'000, [&](const DigestRow& row) {
        if (row.note_id != 0) texts.emplace_back(row.note_text);
      });
  REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error().message));
  return texts;
}

std::vector<std::string> LogNoteTexts(const std::vector<LogEntry>& log) {
  std::vector<std::string> texts;
  for (const LogEntry& e : log) {
    if (e.note) texts.push_back(e.note->text);
  }
  return texts;
}

// One integer of the journal file read past brag, as a sync would see it.
int64_t RawInt(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) ==
          SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  return value;
}

struct NoteFixture : JournalFixture {
  RepoRecord api = AddRepo("/code/api");
  Prompt prompt = Scan(api.id, {PrMerged("c1", 1, 50)}, 100).at(0);
};

TEST_CASE_FIXTURE(NoteFixture, "editing a note replaces its text and keeps the rest") {
  NewNote input = ManualNote("wrote the runbok", "/code/api");
  input.tags = {"docs"};
  Note note = AddNote(input, 200);
  Result<EditedNote> edited =
      journal->prompts().EditNote(note.id, "  wrote the runbook\n", 300);
  REQUIRE_MESSAGE(edited.has_value(), Why(edited));
  CHECK(edited->changed);
  CHECK(edited->note.id == note.id);
  CHECK(edited->note.text == "wrote the runbook");
  CHECK(edited->note.created == 200);
  CHECK(edited->note.edited == 300);
  CHECK(edited->note.tags == std::vector<std::string>{"docs"});
  CHECK(LogNoteTexts(Log()) == std::vector<std::string>{"wrote the runbook"});
  CHECK(DigestNoteTexts(*journal) == std::vector<std::string>{"wrote the runbook"});
}

TEST_CASE_FIXTURE(NoteFixture,
                  "editing a prompt's answer shows the new text on its event") {
  Note answer = Answer(prompt.id, "q", 150);
  REQUIRE(journal->prompts().EditNote(answer.id, "p95 3.4s -> 18ms", 160).has_value());
  std::vector<LogEntry> log = Log();
  REQUIRE(log.size() == 1);
  REQUIRE(log[0].note.has_value());
  CHECK(log[0].note->text == "p95 3.4s -> 18ms");
  CHECK(log[0].prompt->state == PromptState::kAnswered);
  CHECK(DigestNoteTexts(*journal) == std::vector<std::string>{"p95 3.4s -> 18ms"});
}

TEST_CASE_FIXTURE(NoteFixture,
                  "the same text changes nothing, and blank text is refused") {
  Note note = AddNote(ManualNote("ran the drill"), 200);
  Result<EditedNote> same = journal->prompts().EditNote(note.id, "ran the drill ", 300);
  REQUIRE(same.has_value());
  CHECK_FALSE(same->changed);
  CHECK(same->note.edited == 0);
  Result<EditedNote> blank = journal->prompts().EditNote(note.id, " \n", 300);
  REQUIRE_FALSE(blank.has_value());
  CHECK(blank.error().code == "bad_request");
  Result<EditedNote> missing = journal->prompts().EditNote(999, "text", 300);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == "not_found");
  CHECK(LogNoteTexts(Log()) == std::vector<std::string>{"ran the drill"});
}

TEST_CASE_FIXTURE(
    NoteFixture,
    "a removed note stays as a tombstone and is left out of log and digest") {
  Note kept = AddNote(ManualNote("kept"), 200);
  Note gone = AddNote(ManualNote("gone"), 210);
  Result<RemovedNote> removed = journal->prompts().RemoveNote(gone.id, 400);
  REQUIRE_MESSAGE(removed.has_value(), Why(removed));
  CHECK(removed->note.text == "gone");
  CHECK_FALSE(removed->reopened.has_value());
  CHECK(LogNoteTexts(Log()) == std::vector<std::string>{"kept"});
  CHECK(LogNoteTexts(Log(KindQuery("note"))) == std::vector<std::string>{"kept"});
  CHECK(DigestNoteTexts(*journal) == std::vector<std::string>{"kept"});
  // The row is still there, marked with when it was removed.
  CHECK(RawInt(db_path, "SELECT removed FROM notes WHERE id = " +
                            std::to_string(gone.id)) == 400);
  CHECK(RawInt(db_path,
               "SELECT removed FROM notes WHERE id = " + std::to_string(kept.id)) == 0);
  CHECK(RawInt(db_path, "SELECT count(*) FROM notes") == 2);

  Result<RemovedNote> again = journal->prompts().RemoveNote(gone.id, 500);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == "conflict");
  Result<EditedNote> edit = journal->prompts().EditNote(gone.id, "back", 500);
  REQUIRE_FALSE(edit.has_value());
  CHECK(edit.error().code == "not_found");
  Result<RemovedNote> missing = journal->prompts().RemoveNote(999, 500);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == "not_found");
}

TEST_CASE_FIXTURE(NoteFixture,
                  "removing a prompt's answer makes the prompt pending again") {
  Note answer = Answer(prompt.id, "q", 150);
  CHECK(Pending(1000).empty());
  Result<RemovedNote> removed = journal->prompts().RemoveNote(answer.id, 160);
  REQUIRE_MESSAGE(removed.has_value(), Why(removed));
  REQUIRE(removed->reopened.has_value());
  CHECK(removed->reopened->id == prompt.id);
  CHECK(removed->reopened->state == PromptState::kPending);
  CHECK(journal->prompts().GetPrompt(prompt.id)->state == PromptState::kPending);
  REQUIRE(Pending(1000).size() == 1);
  CHECK(journal->prompts().PendingCount(1000).value() == 1);
  std::vector<LogEntry> log = Log();
  REQUIRE(log.size() == 1);
  CHECK_FALSE(log[0].note.has_value());
  CHECK(DigestNoteTexts(*journal).empty());

  // Answered again, with a new note; the tombstone stays as it was.
  Note again = Answer(prompt.id, "p95 3.4s -> 18ms", 170);
  CHECK(again.id != answer.id);
  CHECK(LogNoteTexts(Log()) == std::vector<std::string>{"p95 3.4s -> 18ms"});
  CHECK(RawInt(db_path, "SELECT removed FROM notes WHERE id = " +
                            std::to_string(answer.id)) == 160);
}

TEST_CASE(
    "removing an accepted answer offers its commit notes again, and a removed commit "
    "note is not offered") {
  TempDir dir("journal");
  std::unique_ptr<Journal> j = OpenJournal(dir / "journal.db");
  Result<RepoRecord> repo = j->repos().AddRepo("/code/api", "", "added", 1);
  REQUIRE(repo.has_value());
  CommitRecord a{"/code/api",      "a1", "feature", "Add the index",
                 "me@example.com", 10,   {},        {}};
  CommitRecord b{"/code/api",      "b1", "feature", "Tune the pool",
                 "me@example.com", 11,   {},        {}};
  Result<std::optional<Note>> first =
      j->commits().RecordCommit(a, "p95 3.4s -> 18ms", 10);
  REQUIRE(first.has_value());
  REQUIRE(first->has_value());
  REQUIRE(j->commits().RecordCommit(b, "pool waits gone", 11).has_value());
  // The trailer note of b1 was a mistake.
  Result<std::vector<LogEntry>> log = j->history().Log(KindQuery("note"));
  REQUIRE(log.has_value());
  REQUIRE(log->size() == 2);
  int64_t pool_note = log->front().note->id;
  REQUIRE(j->prompts().RemoveNote(pool_note, 12).has_value());

  Event pr = PrMerged("m1", 42, 30);
  pr.member_commits = {"a1", "b1", "m1"};
  Result<std::vector<Prompt>> made = j->repos().RecordScan(repo->id, {}, {pr}, 30);
  REQUIRE(made.has_value());
  REQUIRE(made->size() == 1);
  REQUIRE((*made)[0].commit_notes.size() == 1);
  CHECK((*made)[0].commit_notes[0].text == "p95 3.4s -> 18ms");
  Result<Note> accepted = j->prompts().AcceptCommitNotes((*made)[0].id, 40);
  REQUIRE(accepted.has_value());
  CHECK(accepted->text == "p95 3.4s -> 18ms");

  Result<RemovedNote> removed = j->prompts().RemoveNote(accepted->id, 50);
  REQUIRE(removed.has_value());
  REQUIRE(removed->reopened.has_value());
  REQUIRE(removed->reopened->commit_notes.size() == 1);
  CHECK(removed->reopened->commit_notes[0].id == (*first)->id);
}

TEST_CASE("a version 5 journal is migrated to version 6 keeping every note") {
  TempDir dir("journal");
  std::filesystem::path path = dir / "journal.db";
  {
    std::unique_ptr<Journal> journal = OpenJournal(path);
    Result<RepoRecord> repo = journal->repos().AddRepo("/code/api", "", "added", 1);
    REQUIRE(repo.has_value());
    Result<std::vector<Prompt>> made =
        journal->repos().RecordScan(repo->id, {}, {PrMerged("c1", 4, 10)}, 20);
    REQUIRE(made.has_value());
    REQUIRE(
        journal->prompts().Answer(made->at(0).id, "p95 3.4s -> 18ms", 30).has_value());
    REQUIRE(journal->prompts().AddNote(ManualNote("ran the drill"), 40).has_value());
  }
  {  // as schema version 5 left it: no edited or removed columns
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    for (const char* sql :
         {kRewindIdentities, "ALTER TABLE notes DROP COLUMN edited",
          "ALTER TABLE notes DROP COLUMN removed", "PRAGMA user_version = 5"}) {
      CHECK(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    sqlite3_close(raw);
  }
  std::unique_ptr<Journal> journal = OpenJournal(path);
  CHECK(journal->SchemaVersion().value() == Journal::kSchemaVersion);
  Result<std::vector<LogEntry>> log = journal->history().Log({});
  REQUIRE(log.has_value());
  CHECK(LogNoteTexts(*log) ==
        std::vector<std::string>{"ran the drill", "p95 3.4s -> 18ms"});
  CHECK(DigestNoteTexts(*journal) ==
        std::vector<std::string>{"p95 3.4s -> 18ms", "ran the drill"});
  CHECK(RawInt(path, "SELECT count(*) FROM notes WHERE edited = 0 AND removed = 0") ==
        2);
}

}  // namespace
}  // namespace brag::test

namespace brag::test {
namespace {

TEST_CASE(
    "a hook recording a commit again keeps the user's edit and does not bring back a "
    "removed note") {
  TempDir dir("journal");
  std::unique_ptr<Journal> j = OpenJournal(dir / "journal.db");
  CommitRecord a{"/code/api", "a1", "main", "Fix", "me@example.com", 10, {}, {}};
  CommitRecord b{"/code/api", "b1", "main", "Tune", "me@example.com", 11, {}, {}};
  Result<std::optional<Note>> first = j->commits().RecordCommit(a, "errors -40%", 10);
  REQUIRE(first.has_value());
  REQUIRE(first->has_value());
  Result<std::optional<Note>> second =
      j->commits().RecordCommit(b, "pool waits gone", 11);
  REQUIRE(second.has_value());
  REQUIRE(second->has_value());
  REQUIRE(j->prompts()
              .EditNote((*first)->id, "5xx errors -40% on checkout", 12)
              .has_value());
  REQUIRE(j->prompts().RemoveNote((*second)->id, 12).has_value());

  Result<std::optional<Note>> again = j->commits().RecordCommit(a, "errors -40%", 13);
  REQUIRE(again.has_value());
  REQUIRE(again->has_value());
  CHECK((*again)->id == (*first)->id);
  CHECK((*again)->text == "5xx errors -40% on checkout");
  Result<std::optional<Note>> gone =
      j->commits().RecordCommit(b, "pool waits gone", 13);
  REQUIRE(gone.has_value());
  CHECK_FALSE(gone->has_value());
  Result<std::vector<LogEntry>> log = j->history().Log(KindQuery("note"));
  REQUIRE(log.has_value());
  REQUIRE(log->size() == 1);
  CHECK(log->front().note->text == "5xx errors -40% on checkout");
}

}  // namespace
}  // namespace brag::test
