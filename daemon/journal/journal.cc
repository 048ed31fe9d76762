// Opening the journal, watched repos, ref state and recording scans.
// Prompts and notes are in journal_prompts.cc, the log in journal_log.cc.
#include "journal/journal.h"
#include "journal/journal_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <system_error>
#include <utility>

#include "core/bounded_text.h"
#include "core/log.h"
#include "journal/rows.h"
#include "journal/schema.h"
#include "journal/sqlite.h"

namespace brag {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

Error IoError(const fs::path& path, const std::string& what, std::error_code ec) {
  return MakeError("journal", path.string() + ": " + what + " (" + ec.message() + ")");
}

// Creates the missing folders above `file` with mode 0700: the journal holds
// the user's private notes.
Status CreateParents(const fs::path& file) {
  std::vector<fs::path> missing;
  std::error_code ec;
  for (fs::path dir = file.parent_path(); !dir.empty() && !fs::exists(dir, ec);
       dir = dir.parent_path()) {
    missing.push_back(dir);
    if (dir == dir.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
      return IoError(*it, "cannot create folder",
                     std::error_code(errno, std::generic_category()));
    }
  }
  return {};
}

// Creates an empty journal file readable by its owner only (SQLite would
// use 0644); an empty file is a valid database of schema version 0.
Status CreateFile(const fs::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  if (errno == EEXIST) return {};
  return IoError(path, "cannot create",
                 std::error_code(errno, std::generic_category()));
}

Result<sql::Database> OpenFile(const fs::path& path, Journal::Mode mode) {
  std::error_code ec;
  if (mode == Journal::Mode::kReadOnly) {
    if (!fs::exists(path, ec)) {
      return MakeError("not_found", path.string() + ": no journal yet");
    }
    return sql::Database::Open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  }
  if (Status s = CreateParents(path); !s) return s.error();
  if (Status s = CreateFile(path); !s) return s.error();
  return sql::Database::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
}

// A database with tables but no schema version belongs to another program:
// migrating would write our tables into it.
Status CheckOurs(int version, const sql::Database& db) {
  if (version > 0) return {};
  Result<int64_t> objects = db.QueryInt("SELECT count(*) FROM sqlite_master");
  if (!objects) return objects.error();
  if (version == 0 && *objects == 0) return {};
  return MakeError("journal", db.path().string() +
                                  ": not a brag journal (a database of another "
                                  "program, or of an unknown schema version " +
                                  std::to_string(version) + ")");
}

// Refuses a journal this build must not read or write, before anything
// writes: a newer journal, or a file that is not a database, must be left
// exactly as it was.
Status CheckVersion(int version, const sql::Database& db, Journal::Mode mode) {
  if (version > Journal::kSchemaVersion) return schema::TooNew(db.path(), version);
  if (Status s = CheckOurs(version, db); !s) return s;
  if (mode == Journal::Mode::kReadOnly && version < Journal::kSchemaVersion) {
    return MakeError("needs_upgrade", db.path().string() + ": journal schema version " +
                                          std::to_string(version) +
                                          " needs an upgrade; open it read-write first");
  }
  return {};
}

Status Prepare(sql::Database& db, Journal::Mode mode) {
  if (Status s = db.Exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs));
      !s) {
    return s;
  }
  Result<int> version = schema::ReadVersion(db);
  if (!version) return version.error();
  if (Status s = CheckVersion(*version, db, mode); !s) return s;
  if (mode == Journal::Mode::kReadOnly) return {};
  if (Status s = schema::Configure(db); !s) return s;
  if (*version == Journal::kSchemaVersion) return {};
  return schema::Migrate(db);
}

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
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO events (kind, repo_id, key, commit_oid, forge, pr, title,"
      " branch, authors, commit_time, files, insertions, deletions, paths,"
      " created, opened, commit_count, merged)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (repo_id, kind, key) DO NOTHING");
  if (!stmt) return stmt.error();
  stmt->BindAll(ToString(e.kind), repo_id, e.key, e.commit, e.forge, e.pr,
                CapUtf8(e.title, Journal::kMaxTitleBytes), e.branch,
                rows::JoinLines(e.authors, Journal::kMaxAuthors), e.commit_time,
                e.diffstat.files, e.diffstat.insertions, e.diffstat.deletions,
                rows::JoinLines(e.paths, Journal::kMaxPaths), now, e.opened,
                e.commit_count, e.merged ? 1 : 0);
  if (Status s = stmt->Run(); !s) return s.error();
  if (db.Changes() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(db.LastInsertId());
}

Result<int64_t> InsertPrompt(const sql::Database& db, int64_t event_id, int64_t now) {
  Result<sql::Statement> stmt = db.Prepare(
      "INSERT INTO prompts (event_id, state, created) VALUES (?, 'pending', ?)");
  if (!stmt) return stmt.error();
  if (Status s = stmt->BindAll(event_id, now).Run(); !s) return s.error();
  return db.LastInsertId();
}

}  // namespace

Journal::Journal(std::unique_ptr<sql::Database> db, fs::path path)
    : db_(std::move(db)), path_(std::move(path)) {}

Journal::~Journal() = default;

namespace {

// The journal at `path`, opened for `mode`, with the identity of the file
// it opened in *st.
Result<sql::Database> OpenChecked(const fs::path& path, Journal::Mode mode,
                                  struct stat* st) {
  // The header first: a file to refuse is then never opened by SQLite.
  if (Result<int> peek = schema::PeekVersion(path); !peek) {
    return peek.error();
  } else if (*peek > Journal::kSchemaVersion) {
    return schema::TooNew(path, *peek);
  }
  Result<sql::Database> db = OpenFile(path, mode);
  if (!db) return db.error();
  if (Status s = Prepare(*db, mode); !s) {
    // Reading a WAL journal needs its -shm beside it, which a folder we may
    // not write (a read-only mount, a backup) cannot get. Nobody can write
    // such a journal either, so it is read as it stands.
    std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
    if (mode != Journal::Mode::kReadOnly || ::access(dir.c_str(), W_OK) == 0) {
      return s.error();
    }
    db = sql::Database::OpenImmutable(path);
    if (!db) return db.error();
    if (Status again = Prepare(*db, mode); !again) return s.error();
  }
  if (::stat(path.c_str(), st) != 0) {
    return IoError(path, "cannot stat", std::error_code(errno, std::generic_category()));
  }
  return db;
}

// Whether the file at `path` is a journal this build can take up, read
// without locks or a WAL (the open connection still owns those).
Status CheckReplacement(const fs::path& path) {
  Result<int> peek = schema::PeekVersion(path);
  if (!peek) return peek.error();
  if (*peek > Journal::kSchemaVersion) return schema::TooNew(path, *peek);
  Result<sql::Database> db = sql::Database::OpenImmutable(path);
  if (!db) return db.error();
  Result<int> version = schema::ReadVersion(*db);
  if (!version) return version.error();
  return CheckOurs(*version, *db);
}

// Copies the open database into a new file `to` (mode 0600), as it is now.
Status SaveCopy(const sql::Database& db, const fs::path& to) {
  if (Status s = CreateFile(to); !s) return s;
  Result<sql::Statement> vacuum = db.Prepare("VACUUM INTO ?");
  if (!vacuum) return vacuum.error();
  if (Status s = vacuum->BindAll(to.string()).Run(); !s) {
    std::error_code ec;
    fs::remove(to, ec);
    return s;
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Journal>> Journal::Open(const fs::path& path, Mode mode) {
  struct stat st;
  Result<sql::Database> db = OpenChecked(path, mode, &st);
  if (!db) return db.error();
  std::unique_ptr<Journal> journal(
      new Journal(std::make_unique<sql::Database>(std::move(*db)), path));
  journal->mode_ = mode;
  journal->dev_ = st.st_dev;
  journal->ino_ = st.st_ino;
  return journal;
}

bool Journal::StillAtPath() const {
  struct stat st;
  return ::stat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
}

Status Journal::Follow() {
  struct stat st;
  if (::stat(path_.c_str(), &st) == 0) {
    if (st.st_dev == dev_ && st.st_ino == ino_) return {};
    if (refused_ && st.st_dev == refused_->first && st.st_ino == refused_->second) {
      return RefusedReplacement();
    }
  } else if (errno != ENOENT) {
    return IoError(path_, "cannot read the journal's folder",
                   std::error_code(errno, std::generic_category()));
  }
  bool deleted = ::access(path_.c_str(), F_OK) != 0;
  if (mode_ == Mode::kReadOnly) {
    return MakeError("journal", path_.string() + ": the journal was " +
                                    (deleted ? "deleted" : "replaced") +
                                    " while open; open it again");
  }
  if (!deleted) {
    if (Status s = CheckReplacement(path_); !s) {
      refused_ = std::make_pair(st.st_dev, st.st_ino);
      refused_why_ = s.error().message;
      LogError(RefusedReplacement().message);
      return RefusedReplacement();
    }
  }
  // Empty the WAL into the open file first: the -wal beside the path must
  // not be replayed into another file once this connection is gone.
  if (Status s = db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)"); !s) return s;
  fs::path copy = deleted ? path_
                          : fs::path(path_.string() + ".replaced-" +
                                     std::to_string(::time(nullptr)));
  if (Status s = SaveCopy(*db_, copy); !s) return s;
  LogWarn(deleted ? path_.string() +
                        ": the journal was deleted while open; written back from the "
                        "open connection"
                  : path_.string() +
                        ": the journal was replaced while open; taking up the new "
                        "file, the old one is saved as " +
                        copy.string());
  return Reopen(copy);
}

Error Journal::RefusedReplacement() const {
  return MakeError("journal", path_.string() +
                                  ": the journal was replaced by a file this brag "
                                  "cannot use (" + refused_why_ +
                                  "); writes are refused until a journal is back there");
}

Status Journal::Reopen(const fs::path& fallback) {
  db_.reset();
  std::error_code ec;
  // Whatever -wal/-shm the closed connection left belong to the old file.
  fs::remove(path_.string() + "-wal", ec);
  fs::remove(path_.string() + "-shm", ec);
  struct stat st;
  Result<sql::Database> db = OpenChecked(path_, mode_, &st);
  if (db) {
    db_ = std::make_unique<sql::Database>(std::move(*db));
    dev_ = st.st_dev;
    ino_ = st.st_ino;
    refused_.reset();
    return {};
  }
  // Serve on from the saved copy, and refuse writes until the path is
  // usable: they would not be in the file opened next time.
  Error failed = db.error();
  struct stat at_path;
  if (::stat(path_.c_str(), &at_path) == 0) {
    refused_ = std::make_pair(at_path.st_dev, at_path.st_ino);
    refused_why_ = failed.message;
  }
  Result<sql::Database> saved = OpenChecked(fallback, mode_, &st);
  if (!saved) {
    LogError(failed.message + "; and the saved copy: " + saved.error().message);
    std::abort();  // no file left to serve from
  }
  db_ = std::make_unique<sql::Database>(std::move(*saved));
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  return failed;
}

Result<int> Journal::SchemaVersion() { return schema::ReadVersion(*db_); }

Result<RepoRecord> Journal::AddRepo(const std::string& path, const std::string& name,
                                    const std::string& source, int64_t now) {
  if (path.empty()) return BadRequest("a repo needs a path");
  if (!IsRepoSource(source)) {
    return BadRequest("unknown repo source \"" + source + "\" (config, added, scan)");
  }
  std::string given_name = name.empty() ? rows::RepoNameFromPath(path) : name;
  return Write([&]() -> Result<RepoRecord> {
    Result<std::optional<StoredRepo>> existing = RepoByPath(*db_, path);
    if (!existing) return existing.error();
    Status s;
    if (!*existing) {
      s = InsertRepo(*db_, path, given_name, source, now);
    } else if ((*existing)->removed) {
      s = ReviveRepo(*db_, (*existing)->record.id, given_name, source, now);
    } else if ((*existing)->record.source == "scan" && source != "scan") {
      s = UpgradeSource(*db_, (*existing)->record, name, source);
    }
    if (!s) return s.error();
    Result<std::optional<StoredRepo>> stored = RepoByPath(*db_, path);
    if (!stored) return stored.error();
    return (*stored)->record;
  });
}

Result<std::optional<RepoRecord>> Journal::FindRepo(const std::string& path_or_name) {
  return LookupRepo(*db_, path_or_name);
}

Result<bool> Journal::RemoveRepo(const std::string& path_or_name) {
  return Write([&]() -> Result<bool> {
    Result<std::optional<RepoRecord>> repo = LookupRepo(*db_, path_or_name);
    if (!repo) return repo.error();
    if (!*repo) return false;
    Result<sql::Statement> stmt =
        db_->Prepare("UPDATE repos SET removed = 1 WHERE id = ?");
    if (!stmt) return stmt.error();
    if (Status s = stmt->BindAll((*repo)->id).Run(); !s) return s.error();
    if (Status s = ForgetScans(*db_, (*repo)->id); !s) return s.error();
    return true;
  });
}

Result<std::vector<RepoRecord>> Journal::ListRepos() {
  Result<sql::Statement> stmt =
      db_->Prepare("SELECT " + std::string(rows::kRepoColumns) +
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

Status Journal::SetRepoState(int64_t repo_id, RepoState state,
                             const std::string& error) {
  return Write([&]() -> Status {
    Result<sql::Statement> stmt =
        db_->Prepare("UPDATE repos SET state = ?, error = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (Status s = stmt->BindAll(ToString(state), error, repo_id).Run(); !s) return s;
    if (db_->Changes() == 0) {
      return MakeError("not_found", "no repo with id " + std::to_string(repo_id));
    }
    return {};
  });
}

Result<RefState> Journal::LoadRefState(int64_t repo_id) {
  Result<sql::Statement> stmt =
      db_->Prepare("SELECT refname, oid FROM ref_state WHERE repo_id = ?");
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

Result<bool> Journal::HasBaseline(int64_t repo_id) {
  Result<sql::Statement> stmt =
      db_->Prepare("SELECT 1 FROM baselines WHERE repo_id = ?");
  if (!stmt) return stmt.error();
  return stmt->BindAll(repo_id).Step();
}

Result<std::vector<Prompt>> Journal::InsertWithPrompts(int64_t repo_id,
                                                       const std::vector<Event>& events,
                                                       int64_t now) {
  std::vector<Prompt> made;
  for (const Event& event : events) {
    Result<std::optional<int64_t>> id = InsertEvent(*db_, repo_id, event, now);
    if (!id) return id.error();
    if (!*id) continue;
    if (Status s = LinkCommitNotes(repo_id, **id, event); !s) return s.error();
    Result<int64_t> prompt_id = InsertPrompt(*db_, **id, now);
    if (!prompt_id) return prompt_id.error();
    Result<Prompt> prompt = GetPrompt(*prompt_id);
    if (!prompt) return prompt.error();
    made.push_back(std::move(*prompt));
  }
  return made;
}

Result<std::vector<Prompt>> Journal::RecordScan(int64_t repo_id, const RefState& refs,
                                                const std::vector<Event>& events,
                                                int64_t now) {
  return Write([&]() -> Result<std::vector<Prompt>> {
    if (Status s = CheckRepoWatched(*db_, repo_id); !s) return s.error();
    if (Status s = ReplaceRefState(*db_, repo_id, refs); !s) return s.error();
    if (Status s = MarkBaseline(*db_, repo_id, now); !s) return s.error();
    return InsertWithPrompts(repo_id, events, now);
  });
}

// A backfill (`brag scan --record`) records like a scan but leaves the ref
// state and baseline to the daemon's own passes.
Result<std::vector<Prompt>> Journal::RecordEvents(int64_t repo_id,
                                                  const std::vector<Event>& events,
                                                  int64_t now) {
  return Write([&]() -> Result<std::vector<Prompt>> {
    if (Status s = CheckRepoWatched(*db_, repo_id); !s) return s.error();
    return InsertWithPrompts(repo_id, events, now);
  });
}

}  // namespace brag
