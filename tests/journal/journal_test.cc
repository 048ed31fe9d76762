// Opening the journal: creation, migration, refusal of files that are not
// ours or are too new, read-only mode, and several handles on one file.
#include "journal/journal.h"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <thread>

#include "journal/journal_fixture.h"
#include "journal/schema.h"
#include "support/schema_rewind.h"
#include "support/temp_dir.h"

namespace brag::test {
namespace {

namespace fs = std::filesystem;

// Overwrites bytes of a file in place, e.g. fields of SQLite's header.
void PatchBytes(const fs::path& path, std::streamoff offset, const std::string& bytes) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(f.good());
  f.seekp(offset);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f.good());
}

unsigned Mode(const fs::path& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::set<std::string> FilesIn(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

// A journal with one repo and one note, closed so its WAL is checkpointed
// into the main file.
void MakeJournal(const fs::path& path) {
  std::unique_ptr<Journal> journal = OpenJournal(path);
  REQUIRE(journal->repos().AddRepo("/code/api", "", "added", 100).has_value());
  REQUIRE(journal->prompts().AddNote(ManualNote("kept"), 100).has_value());
}

// Column `column` of every row `sql` gives on the file at `path`, read-only,
// one line per row.
std::string QueryColumn(const fs::path& path, const std::string& sql, int column) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::string lines;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    lines += reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
    lines += '\n';
  }
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  return lines;
}

// PRAGMA page_size of the database at `path`.
int PageSize(const fs::path& path) { return std::stoi(QueryColumn(path, "PRAGMA page_size", 0)); }

// The query plan of `sql` on the file at `path`, one line per step.
std::string QueryPlan(const fs::path& path, const std::string& sql) {
  return QueryColumn(path, "EXPLAIN QUERY PLAN " + sql, 3);
}

TEST_CASE("integrity_check finds nothing in a sound journal and fails on a broken page") {
  TempDir dir;
  fs::path path = dir.path() / "journal.db";
  MakeJournal(path);
  {
    std::unique_ptr<Journal> sound = OpenJournal(path, Journal::Mode::kReadOnly);
    Result<std::vector<std::string>> problems = sound->IntegrityProblems();
    REQUIRE_MESSAGE(problems.has_value(), Why(problems));
    CHECK(problems->empty());
  }
  // The repos table's root page, overwritten with a page type SQLite has not.
  int root = std::stoi(
      QueryColumn(path, "SELECT rootpage FROM sqlite_master WHERE name = 'repos'", 0));
  PatchBytes(path, static_cast<std::streamoff>(root - 1) * PageSize(path),
             std::string(8, '\x7f'));
  std::unique_ptr<Journal> broken = OpenJournal(path, Journal::Mode::kReadOnly);
  Result<std::vector<std::string>> problems = broken->IntegrityProblems();
  // SQLite cannot walk that tree at all: an error, never "no problem".
  REQUIRE_FALSE(problems.has_value());
  CHECK(problems.error().code == "journal");
  CHECK(problems.error().message == path.string() + ": database disk image is malformed");
}

TEST_CASE("a journal made with SQLite's default 4 KiB pages keeps them, and works") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    CHECK(sqlite3_exec(raw, "PRAGMA page_size = 4096; PRAGMA user_version = 0", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  REQUIRE(PageSize(path) == 4096);
  MakeJournal(path);
  CHECK(PageSize(path) == 4096);
  std::unique_ptr<Journal> journal = OpenJournal(path, Journal::Mode::kReadOnly);
  Result<std::vector<LogEntry>> log = journal->history().Log({});
  REQUIRE(log.has_value());
  CHECK(log->size() == 1);
}

TEST_CASE("a new journal is created with private folders at the current schema") {
  TempDir dir("journal");
  fs::path path = dir / "data/brag/journal.db";
  {
    std::unique_ptr<Journal> journal = OpenJournal(path);
    CHECK(journal->path() == path);
    Result<int> version = journal->SchemaVersion();
    REQUIRE(version.has_value());
    CHECK(*version == Journal::kSchemaVersion);
    CHECK(Journal::kSchemaVersion == 7);
  }
  CHECK(PageSize(path) == schema::kPageSize);
  CHECK(Mode(dir / "data") == 0700);
  CHECK(Mode(dir / "data/brag") == 0700);
  CHECK(Mode(path) == 0600);
}

TEST_CASE("a journal is kept in WAL mode") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  MakeJournal(path);
  std::string header = ReadFile(path);
  REQUIRE(header.size() >= 100);
  // Bytes 18 and 19 of the header are the read/write format: 2 means WAL.
  CHECK(header[18] == 2);
  CHECK(header[19] == 2);
}

TEST_CASE("an empty file is migrated to the current schema") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  WriteFile(path, "");
  std::unique_ptr<Journal> journal = OpenJournal(path);
  Result<int> version = journal->SchemaVersion();
  REQUIRE(version.has_value());
  CHECK(*version == Journal::kSchemaVersion);
  CHECK(journal->repos().AddRepo("/code/api", "", "added", 1).has_value());
}

TEST_CASE("a reopened journal keeps its data") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  int64_t prompt_id = 0;
  {
    std::unique_ptr<Journal> journal = OpenJournal(path);
    Result<RepoRecord> repo = journal->repos().AddRepo("/code/api", "", "added", 10);
    REQUIRE(repo.has_value());
    Result<std::vector<Prompt>> made = journal->repos().RecordScan(
        repo->id, {{"refs/heads/main", "abc"}}, {PrMerged("c1", 7, 50)}, 60);
    REQUIRE(made.has_value());
    REQUIRE(made->size() == 1);
    prompt_id = made->front().id;
    REQUIRE(
        journal->prompts().AddNote(ManualNote("wrote the runbook"), 70).has_value());
  }
  for (Journal::Mode mode : {Journal::Mode::kReadWrite, Journal::Mode::kReadOnly}) {
    std::unique_ptr<Journal> journal = OpenJournal(path, mode);
    Result<std::optional<RepoRecord>> repo = journal->repos().FindRepo("api");
    REQUIRE(repo.has_value());
    REQUIRE(repo->has_value());
    Result<RefState> refs = journal->repos().LoadRefState((*repo)->id);
    REQUIRE(refs.has_value());
    CHECK(*refs == RefState{{"refs/heads/main", "abc"}});
    Result<std::vector<Prompt>> pending = journal->prompts().Pending(100);
    REQUIRE(pending.has_value());
    REQUIRE(pending->size() == 1);
    CHECK(pending->front().id == prompt_id);
    Result<std::vector<LogEntry>> log = journal->history().Log({});
    REQUIRE(log.has_value());
    CHECK(log->size() == 2);
  }
}

TEST_CASE("a journal from a newer version is refused untouched") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  MakeJournal(path);
  PatchBytes(path, 60, std::string("\0\0\0\10", 4));  // user_version = 8
  SUBCASE("in WAL mode") {}
  SUBCASE("with a rollback journal") { PatchBytes(path, 18, "\1\1"); }
  std::string before = ReadFile(path);
  std::set<std::string> files = FilesIn(dir.path());

  for (Journal::Mode mode : {Journal::Mode::kReadWrite, Journal::Mode::kReadOnly}) {
    Result<std::unique_ptr<Journal>> journal = Journal::Open(path, mode);
    REQUIRE_FALSE(journal.has_value());
    CHECK(journal.error().code == "journal_too_new");
    CHECK(journal.error().message ==
          path.string() +
              ": journal schema version 8 is newer than this brag understands (7); "
              "upgrade brag");
  }
  CHECK(ReadFile(path) == before);
  CHECK(FilesIn(dir.path()) == files);
}

TEST_CASE("a file that is not a database is refused untouched") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  std::string garbage;
  for (int i = 0; i < 200; ++i)
    garbage += "this is not a database, line " + std::to_string(i) + "\n";
  WriteFile(path, garbage);

  for (Journal::Mode mode : {Journal::Mode::kReadWrite, Journal::Mode::kReadOnly}) {
    Result<std::unique_ptr<Journal>> journal = Journal::Open(path, mode);
    REQUIRE_FALSE(journal.has_value());
    CHECK(journal.error().code == "journal");
    CHECK(journal.error().message.find(path.string()) == 0);
    CHECK(journal.error().message.find("not a database") != std::string::npos);
  }
  CHECK(ReadFile(path) == garbage);
  CHECK(FilesIn(dir.path()) == std::set<std::string>{"journal.db"});
}

TEST_CASE("a damaged database is refused untouched") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  // SQLite's magic, then a header with no valid page size and noise.
  std::string damaged = std::string("SQLite format 3\0", 16) + std::string(84, '\0');
  for (int i = 0; i < 4000; ++i) damaged += static_cast<char>('a' + i % 26);
  WriteFile(path, damaged);

  for (Journal::Mode mode : {Journal::Mode::kReadWrite, Journal::Mode::kReadOnly}) {
    Result<std::unique_ptr<Journal>> journal = Journal::Open(path, mode);
    REQUIRE_FALSE(journal.has_value());
    CHECK(journal.error().code == "journal");
    CHECK(journal.error().message.find(path.string() + ": ") == 0);
  }
  CHECK(ReadFile(path) == damaged);
  CHECK(FilesIn(dir.path()) == std::set<std::string>{"journal.db"});
}

TEST_CASE("another program's database is refused untouched") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  MakeJournal(path);
  PatchBytes(path, 60, std::string("\0\0\0\0", 4));  // tables, user_version 0
  std::string before = ReadFile(path);

  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(path, Journal::Mode::kReadWrite);
  REQUIRE_FALSE(journal.has_value());
  CHECK(journal.error().code == "journal");
  CHECK(journal.error().message.find("not a brag journal") != std::string::npos);
  CHECK(ReadFile(path) == before);
}

TEST_CASE("opening a missing journal read-only is not_found and creates nothing") {
  TempDir dir("journal");
  fs::path path = dir / "sub/journal.db";
  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(path, Journal::Mode::kReadOnly);
  REQUIRE_FALSE(journal.has_value());
  CHECK(journal.error().code == "not_found");
  CHECK(journal.error().message.find(path.string()) != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "sub"));
}

TEST_CASE("a journal opened read-only refuses writes") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  MakeJournal(path);
  std::unique_ptr<Journal> journal = OpenJournal(path, Journal::Mode::kReadOnly);
  Result<Note> note = journal->prompts().AddNote(ManualNote("lost?"), 1);
  REQUIRE_FALSE(note.has_value());
  CHECK(note.error().code == "journal");
  CHECK(note.error().message.find(path.string()) == 0);
  Result<std::vector<LogEntry>> log = journal->history().Log({});
  REQUIRE(log.has_value());
  CHECK(log->size() == 1);
}

TEST_CASE("an old journal opened read-only is refused until migrated") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  WriteFile(path, "");  // a valid database of schema version 0
  Result<std::unique_ptr<Journal>> journal =
      Journal::Open(path, Journal::Mode::kReadOnly);
  REQUIRE_FALSE(journal.has_value());
  CHECK(journal.error().code == "needs_upgrade");
  CHECK(ReadFile(path).empty());
}

TEST_CASE("two handles on one file see each other's writes") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  std::unique_ptr<Journal> daemon = OpenJournal(path);
  std::unique_ptr<Journal> client = OpenJournal(path);

  Result<RepoRecord> repo = daemon->repos().AddRepo("/code/api", "", "added", 10);
  REQUIRE(repo.has_value());
  Result<std::vector<Prompt>> made =
      daemon->repos().RecordScan(repo->id, {}, {PrMerged("c1", 1, 20)}, 30);
  REQUIRE(made.has_value());
  REQUIRE(made->size() == 1);

  Result<Note> answer =
      client->prompts().Answer(made->front().id, "p95 3.4s -> 18ms", 40);
  REQUIRE(answer.has_value());
  REQUIRE(client->prompts().AddNote(ManualNote("mentored Sam"), 50).has_value());

  Result<Prompt> seen = daemon->prompts().GetPrompt(made->front().id);
  REQUIRE(seen.has_value());
  CHECK(seen->state == PromptState::kAnswered);
  CHECK(seen->note_id == answer->id);
  Result<std::vector<LogEntry>> log = daemon->history().Log({});
  REQUIRE(log.has_value());
  CHECK(log->size() == 2);
}

TEST_CASE("two handles writing at the same time lose nothing") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  std::unique_ptr<Journal> a = OpenJournal(path);
  std::unique_ptr<Journal> b = OpenJournal(path);
  constexpr int kEach = 40;
  auto write = [](Journal* journal, std::string who, int* failures) {
    for (int i = 0; i < kEach; ++i) {
      if (!journal->prompts().AddNote(ManualNote(who + std::to_string(i)), i))
        ++*failures;
    }
  };
  int failures_a = 0;
  int failures_b = 0;
  std::thread ta(write, a.get(), "a", &failures_a);
  std::thread tb(write, b.get(), "b", &failures_b);
  ta.join();
  tb.join();
  CHECK(failures_a == 0);
  CHECK(failures_b == 0);
  Result<std::vector<LogEntry>> log = a->history().Log({});
  REQUIRE(log.has_value());
  CHECK(log->size() == 2 * kEach);
}

}  // namespace
}  // namespace brag::test

namespace brag::test {

TEST_CASE("a version 1 journal is migrated to the current version and keeps its events") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  int64_t repo_id = 0;
  {
    std::unique_ptr<Journal> journal = OpenJournal(path);
    Result<RepoRecord> repo = journal->repos().AddRepo("/code/api", "", "added", 1);
    REQUIRE(repo.has_value());
    repo_id = repo->id;
    REQUIRE(journal->repos()
                .RecordScan(repo_id, {}, {PrMerged("c1", 4, 10)}, 20)
                .has_value());
  }
  // Turn it back into what version 1 wrote: no incident columns.
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    for (const char* sql :
         {kRewindIdentities, "DROP TABLE event_commit_notes", "DROP TABLE commits",
          "DROP INDEX notes_commit", "ALTER TABLE events DROP COLUMN opened",
          "ALTER TABLE events DROP COLUMN commit_count",
          "ALTER TABLE events DROP COLUMN merged",
          "ALTER TABLE notes DROP COLUMN edited",
          "ALTER TABLE notes DROP COLUMN removed", "PRAGMA user_version = 1"}) {
      CHECK(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    sqlite3_close(raw);
  }
  std::unique_ptr<Journal> journal = OpenJournal(path);
  CHECK(journal->SchemaVersion().value() == Journal::kSchemaVersion);
  std::vector<Prompt> pending = journal->prompts().Pending(30).value();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].event.pr == 4);
  CHECK(pending[0].event.commit_count == 0);
  Event incident = IncidentClosed("incident/db", 40);
  incident.opened = 30;
  incident.commit_count = 3;
  incident.merged = true;
  REQUIRE(journal->repos().RecordScan(repo_id, {}, {incident}, 50).has_value());
  pending = journal->prompts().Pending(60).value();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].event.opened == 30);  // the incident closed at 40, after PR #4
  CHECK(pending[0].event.commit_count == 3);
  CHECK(pending[0].event.merged);
}

TEST_CASE("a version 3 journal gets the PR number index when opened") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  MakeJournal(path);
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    for (const char* sql :
         {kRewindIdentities, "DROP INDEX events_pr", "ALTER TABLE notes DROP COLUMN edited",
          "ALTER TABLE notes DROP COLUMN removed", "PRAGMA user_version = 3"}) {
      CHECK(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    sqlite3_close(raw);
  }
  const std::string lookup =
      "SELECT 1 FROM events WHERE repo_id = 1 AND kind = 'pr_merged' AND forge = 'github'"
      " AND pr = 7";
  CHECK(QueryPlan(path, lookup).find("events_pr") == std::string::npos);
  std::unique_ptr<Journal> journal = OpenJournal(path);
  CHECK(journal->SchemaVersion().value() == Journal::kSchemaVersion);
  CHECK(QueryPlan(path, lookup).find("USING INDEX events_pr") != std::string::npos);
  CHECK(journal->repos().ListRepos().value().size() == 1);
}

TEST_CASE("the digest's queries walk their indexes in order and sort nothing") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  MakeJournal(path);
  const std::pair<const char*, const char*> queries[] = {
      {JournalHistory::kDigestEventsSql, "USING INDEX events_time"},
      {JournalHistory::kDigestFreeNotesSql, "USING INDEX notes_free"}};
  for (const auto& [sql, index] : queries) {
    std::string plan = QueryPlan(path, sql);
    INFO(plan);
    CHECK(plan.find(index) != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);
  }
}

TEST_CASE("a version 4 journal gets the digest's index order when opened, keeping its rows") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  MakeJournal(path);
  {  // as schema version 4 left it: ids ascending in both indexes
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    for (const char* sql :
         {kRewindIdentities, "DROP INDEX events_time",
          "CREATE INDEX events_time ON events(commit_time, id)",
          "DROP INDEX notes_free",
          "CREATE INDEX notes_free ON notes(created, id) WHERE event_id IS NULL",
          "ALTER TABLE notes DROP COLUMN edited",
          "ALTER TABLE notes DROP COLUMN removed", "PRAGMA user_version = 4"}) {
      CHECK(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    sqlite3_close(raw);
  }
  // The queries as versions before 6 ran them: without the tombstone
  // filter (a version 4 file has no notes.removed to filter on).
  auto before_tombstones = [](std::string sql) {
    const std::string filter = " AND n.removed = 0";
    for (size_t at; (at = sql.find(filter)) != std::string::npos;)
      sql.erase(at, filter.size());
    return sql;
  };
  CHECK(QueryPlan(path, before_tombstones(JournalHistory::kDigestEventsSql))
            .find("TEMP B-TREE") != std::string::npos);
  CHECK(QueryPlan(path, before_tombstones(JournalHistory::kDigestFreeNotesSql))
            .find("TEMP B-TREE") != std::string::npos);
  std::unique_ptr<Journal> journal = OpenJournal(path);
  CHECK(journal->SchemaVersion().value() == Journal::kSchemaVersion);
  CHECK(QueryPlan(path, JournalHistory::kDigestEventsSql).find("TEMP B-TREE") ==
        std::string::npos);
  CHECK(QueryPlan(path, JournalHistory::kDigestFreeNotesSql).find("TEMP B-TREE") ==
        std::string::npos);
  Result<std::vector<LogEntry>> log = journal->history().Log({});
  REQUIRE(log.has_value());
  REQUIRE(log->size() == 1);
  CHECK(log->front().note->text == "kept");
}

}  // namespace brag::test
