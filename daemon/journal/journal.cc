// Opening the journal and following its file. What it holds is read and
// written by its parts: journal_repos.cc, journal_prompts.cc,
// journal_commits.cc, journal_history.cc and digest_queries.cc.
#include "journal/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <system_error>
#include <utility>
#include <vector>

#include "core/log.h"
#include "journal/identity.h"
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

Result<std::string> Journal::MachineId() { return identity::MachineId(*db_); }

Result<std::vector<std::string>> Journal::IntegrityProblems(int limit) {
  Result<sql::Statement> check =
      db_->Prepare("PRAGMA integrity_check(" + std::to_string(limit) + ")");
  if (!check) return check.error();
  std::vector<std::string> problems;
  for (;;) {
    Result<bool> row = check->Step();
    if (!row) return row.error();
    if (!*row) break;
    std::string line = check->row().Text();
    if (line != "ok") problems.push_back(std::move(line));
  }
  return problems;
}

}  // namespace brag
