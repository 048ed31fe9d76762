#include "journal/schema.h"

#include <array>
#include <cstring>
#include <fstream>
#include <string>

#include "core/log.h"
#include "core/uuid.h"
#include "journal/journal.h"

namespace brag::schema {
namespace {

// kMigrations[v] takes a journal from user_version v to v + 1. Append only:
// a released step is never edited, since journals out there already ran it.
//
// Repos are never deleted, only marked removed: events keep pointing at
// their repo (history outlives watching), and re-adding a path revives the
// same id so events already recorded are not recorded again.
constexpr std::array<const char*, 7> kMigrations = {
    // 0 -> 1
    R"sql(
CREATE TABLE repos (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  path TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'unknown',
  error TEXT NOT NULL DEFAULT '',
  added INTEGER NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX repos_name ON repos(name);

CREATE TABLE ref_state (
  repo_id INTEGER NOT NULL REFERENCES repos(id),
  refname TEXT NOT NULL,
  oid TEXT NOT NULL,
  PRIMARY KEY (repo_id, refname)
) WITHOUT ROWID;

CREATE TABLE baselines (
  repo_id INTEGER PRIMARY KEY REFERENCES repos(id),
  at INTEGER NOT NULL
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  repo_id INTEGER NOT NULL REFERENCES repos(id),
  key TEXT NOT NULL,
  commit_oid TEXT NOT NULL DEFAULT '',
  forge TEXT NOT NULL DEFAULT '',
  pr INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  branch TEXT NOT NULL DEFAULT '',
  authors TEXT NOT NULL DEFAULT '',
  commit_time INTEGER NOT NULL DEFAULT 0,
  files INTEGER NOT NULL DEFAULT 0,
  insertions INTEGER NOT NULL DEFAULT 0,
  deletions INTEGER NOT NULL DEFAULT 0,
  paths TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  UNIQUE (repo_id, kind, key)
);
CREATE INDEX events_time ON events(commit_time, id);

CREATE TABLE prompts (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL UNIQUE REFERENCES events(id),
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'answered', 'snoozed', 'dismissed')),
  created INTEGER NOT NULL,
  snoozed_until INTEGER NOT NULL DEFAULT 0,
  answered INTEGER NOT NULL DEFAULT 0,
  note_id INTEGER REFERENCES notes(id)
);
CREATE INDEX prompts_state ON prompts(state, created, id);

CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL,
  created INTEGER NOT NULL,
  source TEXT NOT NULL,
  repo TEXT NOT NULL DEFAULT '',
  commit_oid TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  prompt_id INTEGER REFERENCES prompts(id),
  event_id INTEGER REFERENCES events(id)
);
CREATE INDEX notes_free ON notes(created, id) WHERE event_id IS NULL;
CREATE INDEX notes_event ON notes(event_id) WHERE event_id IS NOT NULL;
)sql",
    // 1 -> 2: incident branches (open-to-close, commit count, merged or not).
    R"sql(
ALTER TABLE events ADD COLUMN opened INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN commit_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
)sql",
    // 2 -> 3: commits recorded by the post-commit hook, and which of their
    // notes belong to a PR that landed later.
    R"sql(
CREATE TABLE commits (
  id INTEGER PRIMARY KEY,
  repo TEXT NOT NULL,
  oid TEXT NOT NULL,
  branch TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  commit_time INTEGER NOT NULL DEFAULT 0,
  files INTEGER NOT NULL DEFAULT 0,
  insertions INTEGER NOT NULL DEFAULT 0,
  deletions INTEGER NOT NULL DEFAULT 0,
  paths TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  UNIQUE (repo, oid)
);
CREATE INDEX commits_branch ON commits(repo, branch);
CREATE INDEX notes_commit ON notes(repo, commit_oid) WHERE commit_oid != '';
CREATE TABLE event_commit_notes (
  event_id INTEGER NOT NULL REFERENCES events(id),
  note_id INTEGER NOT NULL REFERENCES notes(id),
  PRIMARY KEY (event_id, note_id)
) WITHOUT ROWID;
CREATE INDEX event_commit_notes_note ON event_commit_notes(note_id);
)sql",
    // 3 -> 4: a PR number is looked up before each merged PR is recorded (the
    // same PR under another commit is not news); without an index, recording
    // a long history of numbered PRs is quadratic.
    R"sql(
CREATE INDEX IF NOT EXISTS events_pr ON events(repo_id, forge, pr);
)sql",
    // 4 -> 5: the digest reads a window oldest first, the latest recorded
    // first among equal times. With the ids ascending in the index, SQLite
    // sorted every run of equal times through a temporary B-tree, a third of
    // the read over 100k notes; in the index's own order it only walks it.
    R"sql(
DROP INDEX IF EXISTS events_time;
CREATE INDEX events_time ON events(commit_time, id DESC);
DROP INDEX IF EXISTS notes_free;
CREATE INDEX notes_free ON notes(created, id DESC) WHERE event_id IS NULL;
)sql",
    // 5 -> 6: notes can be corrected. `edited` is when the text was last
    // replaced; `removed` marks a tombstone: the row stays (a later sync
    // carries the removal to other machines) and every read leaves it out.
    // Unix seconds, 0 = never.
    R"sql(
ALTER TABLE notes ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notes ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
)sql",
    // 6 -> 7: records with identity, for a sync between machines (DESIGN
    // §12; journal/identity.h). Every event, prompt and note gets a UUID and
    // a Lamport clock (of its creation for an event; of its latest change
    // for a prompt or a note), and the journal a machine UUID and a Lamport
    // counter. FillIdentities gives the rows already there theirs, then
    // kIdentityConstraints makes the UUIDs unique and required (SQLite adds
    // no NOT NULL column without a default to a table with rows).
    R"sql(
ALTER TABLE events ADD COLUMN uuid TEXT;
ALTER TABLE events ADD COLUMN lamport INTEGER NOT NULL DEFAULT 0;
ALTER TABLE prompts ADD COLUMN uuid TEXT;
ALTER TABLE prompts ADD COLUMN lamport INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notes ADD COLUMN uuid TEXT;
ALTER TABLE notes ADD COLUMN lamport INTEGER NOT NULL DEFAULT 0;
CREATE TABLE machine (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  uuid TEXT NOT NULL,
  lamport INTEGER NOT NULL
);
)sql",
};

// After migration 6 -> 7 has added the columns and FillIdentities has filled
// them: a UUID is unique, and no row is made or changed without one.
constexpr const char* kIdentityConstraints = R"sql(
CREATE UNIQUE INDEX events_uuid ON events(uuid);
CREATE UNIQUE INDEX prompts_uuid ON prompts(uuid);
CREATE UNIQUE INDEX notes_uuid ON notes(uuid);
CREATE TRIGGER events_uuid_insert BEFORE INSERT ON events WHEN NEW.uuid IS NULL
BEGIN SELECT RAISE(ABORT, 'events.uuid is required'); END;
CREATE TRIGGER events_uuid_update BEFORE UPDATE OF uuid ON events WHEN NEW.uuid IS NULL
BEGIN SELECT RAISE(ABORT, 'events.uuid is required'); END;
CREATE TRIGGER prompts_uuid_insert BEFORE INSERT ON prompts WHEN NEW.uuid IS NULL
BEGIN SELECT RAISE(ABORT, 'prompts.uuid is required'); END;
CREATE TRIGGER prompts_uuid_update BEFORE UPDATE OF uuid ON prompts WHEN NEW.uuid IS NULL
BEGIN SELECT RAISE(ABORT, 'prompts.uuid is required'); END;
CREATE TRIGGER notes_uuid_insert BEFORE INSERT ON notes WHEN NEW.uuid IS NULL
BEGIN SELECT RAISE(ABORT, 'notes.uuid is required'); END;
CREATE TRIGGER notes_uuid_update BEFORE UPDATE OF uuid ON notes WHEN NEW.uuid IS NULL
BEGIN SELECT RAISE(ABORT, 'notes.uuid is required'); END;
)sql";

// Migration 6 -> 7's data: a random UUID for each row, and clocks 1, 2, ...
// in the order of the ids (events, then prompts, then notes), so that the
// order of what happened before is kept; then the machine's UUID and the
// counter at the last clock given. Written once, like the SQL steps.
Status FillIdentities(const sql::Database& db) {
  int64_t lamport = 0;
  for (const char* table : {"events", "prompts", "notes"}) {
    Result<sql::Statement> ids =
        db.Prepare(std::string("SELECT id FROM ") + table + " ORDER BY id");
    if (!ids) return ids.error();
    Result<sql::Statement> set = db.Prepare(std::string("UPDATE ") + table +
                                            " SET uuid = ?, lamport = ? WHERE id = ?");
    if (!set) return set.error();
    for (;;) {
      Result<bool> more = ids->Step();
      if (!more) return more.error();
      if (!*more) break;
      int64_t id = ids->row().Int();
      Result<std::string> uuid = NewUuid();
      if (!uuid) return uuid.error();
      set->Reset();
      if (Status s = set->BindAll(*uuid, ++lamport, id).Run(); !s) return s;
    }
  }
  Result<std::string> machine = NewUuid();
  if (!machine) return machine.error();
  Result<sql::Statement> insert =
      db.Prepare("INSERT INTO machine (id, uuid, lamport) VALUES (1, ?, ?)");
  if (!insert) return insert.error();
  if (Status s = insert->BindAll(*machine, lamport).Run(); !s) return s;
  return db.Exec(kIdentityConstraints);
}

// What a migration does besides its SQL, run right after it: index v of
// kMigrations, null where the SQL is all.
using MigrationFill = Status (*)(const sql::Database&);
constexpr std::array<MigrationFill, kMigrations.size()> kFills = {
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, FillIdentities};

static_assert(kMigrations.size() == Journal::kSchemaVersion,
              "each schema version needs its migration");

}  // namespace

int LatestVersion() { return static_cast<int>(kMigrations.size()); }

Result<int> ReadVersion(const sql::Database& db) {
  Result<int64_t> version = db.QueryInt("PRAGMA user_version");
  if (!version) return version.error();
  return static_cast<int>(*version);
}

Error TooNew(const std::filesystem::path& path, int version) {
  return MakeError("journal_too_new", path.string() + ": journal schema version " +
                                          std::to_string(version) +
                                          " is newer than this brag understands (" +
                                          std::to_string(LatestVersion()) +
                                          "); upgrade brag");
}

Result<int> PeekVersion(const std::filesystem::path& path) {
  // The database header: a 16-byte magic string, and user_version as a
  // big-endian 32-bit integer at offset 60 (sqlite.org/fileformat.html).
  constexpr char kMagic[] = "SQLite format 3";
  constexpr int kVersionOffset = 60;
  unsigned char header[100] = {};
  std::ifstream file(path, std::ios::binary);
  file.read(reinterpret_cast<char*>(header), sizeof header);
  if (file.gcount() == 0) return 0;
  if (file.gcount() < static_cast<std::streamsize>(sizeof header) ||
      std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    return MakeError("journal", path.string() + ": file is not a database");
  }
  const unsigned char* v = header + kVersionOffset;
  return static_cast<int>(uint32_t{v[0]} << 24 | uint32_t{v[1]} << 16 |
                          uint32_t{v[2]} << 8 | uint32_t{v[3]});
}

Status Configure(const sql::Database& db) {
  // A new journal gets 16 KiB pages: a digest of a year walks most of the
  // file, and SQLite reads it a page per system call (4 KiB by default; 16
  // KiB pages made a digest of 100k notes ~8% faster). An existing journal
  // keeps its pages (only VACUUM outside WAL changes them): this does
  // nothing once the file has its first page.
  if (Status s = db.Exec("PRAGMA page_size = " + std::to_string(kPageSize)); !s) return s;
  Result<sql::Statement> wal = db.Prepare("PRAGMA journal_mode = WAL");
  if (!wal) return wal.error();
  Result<bool> row = wal->Step();
  if (!row) return row.error();
  // A filesystem without shared memory keeps the rollback journal: still
  // durable, only readers then wait for writers.
  if (std::string mode = *row ? wal->row().Text() : ""; mode != "wal") {
    LogWarn(db.path().string() + ": WAL mode unavailable, journal_mode is " + mode);
  }
  return db.Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
}

Status Migrate(sql::Database& db) {
  return sql::InTransaction(db, [&]() -> Status {
    // Read again under the write lock: another process may have migrated.
    Result<int> version = ReadVersion(db);
    if (!version) return version.error();
    if (*version > LatestVersion()) return TooNew(db.path(), *version);
    for (int v = *version; v < LatestVersion(); ++v) {
      if (Status s = db.Exec(kMigrations[v]); !s) return s;
      if (kFills[v] != nullptr) {
        if (Status s = kFills[v](db); !s) return s;
      }
    }
    if (*version == LatestVersion()) return {};
    return db.Exec("PRAGMA user_version = " + std::to_string(LatestVersion()));
  });
}

}  // namespace brag::schema
