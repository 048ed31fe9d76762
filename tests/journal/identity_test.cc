// Records with identity (schema 7, DESIGN §12): every event, prompt and note
// has a UUID and a Lamport clock, the journal a machine UUID and a counter.
// Read past brag, from the file, as a sync would read them.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/uuid.h"
#include "journal/journal.h"
#include "journal/journal_fixture.h"
#include "support/schema_rewind.h"

namespace brag::test {
namespace {

namespace fs = std::filesystem;

// The rows of one query over the file, each column as text ("" for NULL).
std::vector<std::vector<std::string>> Raw(const fs::path& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) ==
          SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE_MESSAGE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK,
                  sqlite3_errmsg(raw));
  std::vector<std::vector<std::string>> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string>& row = rows.emplace_back();
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  return rows;
}

int64_t RawInt(const fs::path& path, const std::string& sql) {
  std::vector<std::vector<std::string>> rows = Raw(path, sql);
  REQUIRE(rows.size() == 1);
  return std::stoll(rows[0][0]);
}

// Runs `sql` on the file past brag; whether SQLite accepted it.
bool RawExec(const fs::path& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  bool ok = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(raw);
  return ok;
}

struct Stamp {
  std::string uuid;
  int64_t lamport = 0;
  bool operator==(const Stamp& o) const {
    return std::tie(uuid, lamport) == std::tie(o.uuid, o.lamport);
  }
};

// Each row's identity: (table, id) -> stamp.
using Stamps = std::map<std::pair<std::string, int64_t>, Stamp>;

constexpr const char* kTables[] = {"events", "prompts", "notes"};

Stamps AllStamps(const fs::path& path) {
  Stamps out;
  for (const char* table : kTables) {
    for (const auto& row : Raw(path, std::string("SELECT id, uuid, lamport FROM ") +
                                         table + " ORDER BY id")) {
      out[{table, std::stoll(row[0])}] = Stamp{row[1], std::stoll(row[2])};
    }
  }
  return out;
}

Stamp StampOf(const fs::path& path, const std::string& table, int64_t id) {
  std::vector<std::vector<std::string>> rows = Raw(
      path, "SELECT uuid, lamport FROM " + table + " WHERE id = " + std::to_string(id));
  REQUIRE(rows.size() == 1);
  return Stamp{rows[0][0], std::stoll(rows[0][1])};
}

int64_t Counter(const fs::path& path) {
  return RawInt(path, "SELECT lamport FROM machine");
}

int64_t MaxClock(const fs::path& path) {
  return RawInt(path,
                "SELECT max(l) FROM (SELECT max(lamport) AS l FROM events UNION ALL"
                " SELECT max(lamport) FROM prompts UNION ALL SELECT max(lamport) FROM notes)");
}

// Every row has a well-formed UUID no other row has; the counter is at
// least the highest clock given (a write may take a clock it ends up not
// using: a gap, never a repeat).
void CheckIdentities(const fs::path& path) {
  Stamps stamps = AllStamps(path);
  std::set<std::string> uuids;
  for (const auto& [row, stamp] : stamps) {
    INFO(row.first << " " << row.second << " " << stamp.uuid);
    CHECK(IsUuid(stamp.uuid));
    CHECK(stamp.lamport > 0);
    uuids.insert(stamp.uuid);
  }
  CHECK(uuids.size() == stamps.size());
  CHECK(Counter(path) >= MaxClock(path));
}

CommitRecord Commit(const std::string& oid, const std::string& branch, int64_t time) {
  CommitRecord c;
  c.repo = "/code/api";
  c.oid = oid;
  c.branch = branch;
  c.subject = "commit " + oid;
  c.author = "me@example.com";
  c.time = time;
  return c;
}

TEST_CASE("a version 6 journal gets a UUID and a clock for every row, in id order, and a "
          "machine UUID, once") {
  TempDir dir("journal");
  fs::path path = dir / "journal.db";
  {
    std::unique_ptr<Journal> j = OpenJournal(path);
    RepoRecord repo = j->repos().AddRepo("/code/api", "", "added", 1).value();
    std::vector<Prompt> made =
        j->repos()
            .RecordScan(repo.id, {},
                        {PrMerged("c1", 1, 10), PrMerged("c2", 2, 11),
                         PrMerged("c3", 3, 12)},
                        20)
            .value();
    REQUIRE(made.size() == 3);
    REQUIRE(j->prompts().Answer(made[0].id, "p95 3.4s -> 18ms", 30).has_value());
    REQUIRE(j->prompts().Dismiss(made[1].id).has_value());
    Note manual = j->prompts().AddNote(ManualNote("ran the drill"), 40).value();
    REQUIRE(j->commits().RecordCommit(Commit("a1", "feature", 45), "errors -40%", 45)
                .has_value());
    Note gone = j->prompts().AddNote(ManualNote("a mistake"), 50).value();
    REQUIRE(j->prompts().EditNote(manual.id, "ran the failover drill", 60).has_value());
    REQUIRE(j->prompts().RemoveNote(gone.id, 70).has_value());
  }
  REQUIRE(RawExec(path, kRewindIdentities));
  REQUIRE(RawInt(path, "PRAGMA user_version") == 6);
  const int64_t rows = RawInt(path,
                              "SELECT (SELECT count(*) FROM events) + (SELECT count(*) "
                              "FROM prompts) + (SELECT count(*) FROM notes)");
  REQUIRE(rows == 3 + 3 + 4);

  std::string machine;
  Stamps migrated;
  {
    std::unique_ptr<Journal> j = OpenJournal(path);
    CHECK(j->SchemaVersion().value() == 7);
    machine = j->MachineId().value();
    CHECK(IsUuid(machine));
    // What was there is all there, the edit and the tombstone included.
    std::set<std::string> texts;
    Result<std::vector<LogEntry>> log = j->history().Log({});
    REQUIRE(log.has_value());
    for (const LogEntry& e : *log) {
      if (e.note) texts.insert(e.note->text);
    }
    CHECK(texts == std::set<std::string>{"errors -40%", "ran the failover drill",
                                         "p95 3.4s -> 18ms"});
  }
  migrated = AllStamps(path);
  CHECK(migrated.size() == static_cast<size_t>(rows));
  CheckIdentities(path);
  // Clocks 1..rows, events then prompts then notes, each table in id order.
  int64_t expected = 0;
  for (const char* table : kTables) {
    for (const auto& [row, stamp] : migrated) {
      if (row.first != table) continue;
      INFO(row.first << " " << row.second);
      CHECK(stamp.lamport == ++expected);
    }
  }
  CHECK(Counter(path) == rows);

  // Opened again (and read-only), nothing moves.
  {
    std::unique_ptr<Journal> j = OpenJournal(path);
    CHECK(j->MachineId().value() == machine);
  }
  {
    std::unique_ptr<Journal> j = OpenJournal(path, Journal::Mode::kReadOnly);
    CHECK(j->MachineId().value() == machine);
  }
  CHECK(AllStamps(path) == migrated);
  CHECK(Counter(path) == rows);
  CHECK(RawInt(path, "SELECT count(*) FROM machine") == 1);
}

TEST_CASE("a UUID is unique and required, past brag too") {
  JournalFixture f;
  RepoRecord repo = f.AddRepo("/code/api");
  std::vector<Prompt> made = f.Scan(repo.id, {PrMerged("c1", 1, 10)});
  REQUIRE(made.size() == 1);
  Note note = f.AddNote(ManualNote("ran the drill"), 20);
  std::string taken = StampOf(f.db_path, "notes", note.id).uuid;
  CHECK_FALSE(RawExec(f.db_path,
                      "INSERT INTO notes (text, created, source, uuid, lamport) VALUES"
                      " ('copy', 1, 'manual', '" + taken + "', 99)"));
  CHECK_FALSE(RawExec(f.db_path,
                      "INSERT INTO notes (text, created, source, lamport) VALUES"
                      " ('no uuid', 1, 'manual', 99)"));
  CHECK_FALSE(RawExec(f.db_path, "UPDATE events SET uuid = NULL"));
  CHECK_FALSE(RawExec(f.db_path, "UPDATE prompts SET uuid = NULL"));
  CHECK(RawInt(f.db_path, "SELECT count(*) FROM notes") == 1);
  CHECK(RawExec(f.db_path,
                "INSERT INTO notes (text, created, source, uuid, lamport) VALUES"
                " ('its own', 1, 'manual', '" + NewUuid().value() + "', 99)"));
}

TEST_CASE("each new journal has a machine UUID of its own, and a counter at 0") {
  TempDir dir("journal");
  std::string a = OpenJournal(dir / "a.db")->MachineId().value();
  std::string b = OpenJournal(dir / "b.db")->MachineId().value();
  CHECK(IsUuid(a));
  CHECK(IsUuid(b));
  CHECK(a != b);
  CHECK(Counter(dir / "a.db") == 0);
}

// Each write below must give what it makes a new UUID and what it changes a
// clock above every clock before it.
struct StampFixture : JournalFixture {
  RepoRecord api = AddRepo("/code/api");
  int64_t before = 0;

  // The clock before a write.
  void Mark() { before = Counter(db_path); }
  // A row made by the write since Mark().
  Stamp Made(const std::string& table, int64_t id) {
    Stamp s = StampOf(db_path, table, id);
    INFO(table << " " << id);
    CHECK(IsUuid(s.uuid));
    CHECK(s.lamport > before);
    return s;
  }
  // A row changed by the write since Mark(): same UUID as `was`, a new clock.
  void Changed(const std::string& table, int64_t id, const Stamp& was) {
    Stamp s = StampOf(db_path, table, id);
    INFO(table << " " << id);
    CHECK(s.uuid == was.uuid);
    CHECK(s.lamport > before);
    CHECK(s.lamport > was.lamport);
  }
};

TEST_CASE_FIXTURE(StampFixture, "every write that makes or changes a record stamps it") {
  SUBCASE("a scan's events and prompts") {
    Mark();
    std::vector<Prompt> made = Scan(api.id, {PrMerged("c1", 1, 10), PrMerged("c2", 2, 11)});
    REQUIRE(made.size() == 2);
    for (const Prompt& p : made) {
      Made("events", p.event.id);
      Made("prompts", p.id);
    }
    // A known event seen again makes nothing and changes nothing.
    Stamps was = AllStamps(db_path);
    CHECK(Scan(api.id, {PrMerged("c1", 1, 10)}).empty());
    CHECK(AllStamps(db_path) == was);
  }
  SUBCASE("a backfill's events and prompts") {
    Mark();
    Result<std::vector<Prompt>> made =
        journal->repos().RecordEvents(api.id, {IncidentClosed("incident/db", 10)}, 20);
    REQUIRE(made.has_value());
    REQUIRE(made->size() == 1);
    Made("events", made->at(0).event.id);
    Made("prompts", made->at(0).id);
  }
  SUBCASE("an answer, a snooze, a dismissal") {
    std::vector<Prompt> made =
        Scan(api.id, {PrMerged("c1", 1, 10), PrMerged("c2", 2, 11), PrMerged("c3", 3, 12)});
    REQUIRE(made.size() == 3);
    Stamp p0 = StampOf(db_path, "prompts", made[0].id);
    Mark();
    Note answer = Answer(made[0].id, "p95 3.4s -> 18ms", 30);
    Made("notes", answer.id);
    Changed("prompts", made[0].id, p0);

    Stamp p1 = StampOf(db_path, "prompts", made[1].id);
    Mark();
    REQUIRE(journal->prompts().Snooze(made[1].id, 5000).has_value());
    Changed("prompts", made[1].id, p1);

    Stamp p2 = StampOf(db_path, "prompts", made[2].id);
    Mark();
    REQUIRE(journal->prompts().Dismiss(made[2].id).has_value());
    Changed("prompts", made[2].id, p2);

    // Bulk: one selection, each prompt a change of its own.
    p1 = StampOf(db_path, "prompts", made[1].id);
    p2 = StampOf(db_path, "prompts", made[2].id);
    Mark();
    PromptSelection all;
    REQUIRE(journal->prompts().DismissAll(all).has_value());
    Changed("prompts", made[1].id, p1);
    CHECK(StampOf(db_path, "prompts", made[2].id) == p2);  // dismissed already
  }
  SUBCASE("an edit, and a removal that reopens its prompt") {
    std::vector<Prompt> made = Scan(api.id, {PrMerged("c1", 1, 10)});
    Note answer = Answer(made.at(0).id, "p95 3.4s -> 18ms", 30);
    Stamp note = StampOf(db_path, "notes", answer.id);
    Mark();
    REQUIRE(journal->prompts().EditNote(answer.id, "p95 3.4s -> 17ms", 40).has_value());
    Changed("notes", answer.id, note);

    // The same text again is no change.
    note = StampOf(db_path, "notes", answer.id);
    REQUIRE(journal->prompts().EditNote(answer.id, "p95 3.4s -> 17ms", 41).has_value());
    CHECK(StampOf(db_path, "notes", answer.id) == note);

    Stamp prompt = StampOf(db_path, "prompts", made[0].id);
    Mark();
    Result<RemovedNote> removed = journal->prompts().RemoveNote(answer.id, 50);
    REQUIRE(removed.has_value());
    REQUIRE(removed->reopened.has_value());
    Changed("notes", answer.id, note);
    Changed("prompts", made[0].id, prompt);
  }
  SUBCASE("a manual note, trailer notes, their acceptance, a rewrite, a reopening") {
    Mark();
    Note manual = AddNote(ManualNote("ran the drill"), 20);
    Made("notes", manual.id);

    Mark();
    Result<std::optional<Note>> trailer =
        journal->commits().RecordCommit(Commit("a1", "feature", 21), "errors -40%", 21);
    REQUIRE(trailer.has_value());
    REQUIRE(trailer->has_value());
    Made("notes", (*trailer)->id);

    // git commit --amend: a1 became a2, its note follows.
    Stamp moving = StampOf(db_path, "notes", (*trailer)->id);
    Mark();
    REQUIRE(journal->commits().RecordCommit(Commit("a2", "feature", 22), "", 22).has_value());
    REQUIRE(journal->commits().RewriteCommits("/code/api", {{"a1", "a2"}}).value() == 1);
    Changed("notes", (*trailer)->id, moving);

    Event pr = PrMerged("m1", 42, 30);
    pr.member_commits = {"a2", "m1"};
    std::vector<Prompt> made = Scan(api.id, {pr}, 30);
    REQUIRE(made.size() == 1);
    REQUIRE(made[0].commit_notes.size() == 1);
    Stamp taken = StampOf(db_path, "notes", (*trailer)->id);
    Stamp prompt = StampOf(db_path, "prompts", made[0].id);
    Mark();
    Result<Note> accepted = journal->prompts().AcceptCommitNotes(made[0].id, 40);
    REQUIRE(accepted.has_value());
    Made("notes", accepted->id);
    Changed("notes", (*trailer)->id, taken);
    Changed("prompts", made[0].id, prompt);

    // Removing the answer frees the trailer note again: a change of it too.
    taken = StampOf(db_path, "notes", (*trailer)->id);
    Mark();
    REQUIRE(journal->prompts().RemoveNote(accepted->id, 50).has_value());
    Changed("notes", (*trailer)->id, taken);
  }
  CheckIdentities(db_path);
}

}  // namespace
}  // namespace brag::test
