// The journal: brag's SQLite database (DESIGN §6). The only user of sqlite3.h.
// WAL mode; every mutating call runs in one transaction and returns only after
// it has committed, so an acknowledged write survives a crash.
//
// A Journal is used by one thread at a time (the daemon's io thread, or the
// client when the daemon is down). Several processes may open the same file:
// SQLite's locking and a busy timeout serialise them.
//
// The Journal owns the file: opening it, its schema, and following it on
// disk (Follow). What is kept in it is read and written through four parts,
// each over the journal's one connection and its one way to write
// (Journal::Write): repos() (watched repos, ref state, scans),
// prompts() (prompts and notes), commits() (commits from the hooks) and
// history() (the log and the digest's read). A part lives as long as its
// Journal and is used on the same thread.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "journal/journal_commits.h"
#include "journal/journal_history.h"
#include "journal/journal_prompts.h"
#include "journal/journal_repos.h"

namespace brag {

namespace sql {
class Database;
}

class Journal {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // The schema version this build writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 7;

  // What an event or a hook's commit keeps of what a repo supplies: a
  // GitHub merge's title is its whole message body (it can be megabytes),
  // and a monorepo PR can touch 100,000 paths. Titles and subjects are cut
  // at a character boundary and end in "…"; authors and paths keep the
  // first ones. Enough for a prompt, a digest and the categories.
  static constexpr size_t kMaxTitleBytes = 1000;
  static constexpr size_t kMaxAuthors = 100;
  static constexpr size_t kMaxPaths = 1000;

  // Opens (kReadWrite: creating the file (0600) and its parent folders
  // (0700), migrating an older schema forward) the journal at `path`. A
  // journal whose user_version is newer than kSchemaVersion is refused
  // untouched: error code "journal_too_new", message naming the file and
  // both versions. A file that is not a database: code "journal", message
  // naming the file. kReadOnly on a missing file: code "not_found"; on a
  // journal older than kSchemaVersion (not migrated yet): code "journal".
  static Result<std::unique_ptr<Journal>> Open(const std::filesystem::path& path,
                                               Mode mode);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  const std::filesystem::path& path() const { return path_; }
  Result<int> SchemaVersion();
  // This journal's machine UUID (journal/identity.h): made once, when the
  // journal was created or migrated to schema 7, and kept from then on.
  Result<std::string> MachineId();
  // SQLite's PRAGMA integrity_check on the file: the problems it reports
  // (at most `limit`), none when the file is sound (`brag doctor`). A file
  // too broken to walk is an error (code "journal", "... malformed").
  Result<std::vector<std::string>> IntegrityProblems(int limit = 10);

  // Keeps this object on the file at path(): an acknowledged write must be
  // in the journal that is opened next time. One stat when nothing changed.
  // A journal deleted while open is written back to path() from the open
  // connection; one replaced (a file moved over it) is taken up, after what
  // the open connection held is saved beside it as
  // "<path>.replaced-<unix time>", so nothing is lost either way (each is
  // logged once). A replacement that is not a journal this build can use,
  // or a write-back that fails (disk full), is an error and changes
  // nothing: writes are refused until it is resolved. Every write calls
  // this before its transaction and checks the file again after its commit
  // (a write that raced a replacement is made again in the new file); bragd
  // also calls it before each request, so that reads follow too.
  Status Follow();

  // The parts (journal_repos.h, journal_prompts.h, journal_commits.h,
  // journal_history.h).
  JournalRepos& repos() { return repos_; }
  JournalPrompts& prompts() { return prompts_; }
  JournalCommits& commits() { return commits_; }
  JournalHistory& history() { return history_; }

 private:
  // The parts read db_ and write through Write.
  friend class JournalRepos;
  friend class JournalPrompts;
  friend class JournalCommits;
  friend class JournalHistory;

  Journal(std::unique_ptr<sql::Database> db, std::filesystem::path path);
  // Runs `body` in one transaction of the file at path(), following it
  // (Follow) before and after (journal_write.h).
  template <typename Body>
  auto Write(Body&& body) -> decltype(body());
  // Whether path() is still the file open here (same device and inode).
  bool StillAtPath() const;
  // Replaces the open connection with one on path() (Follow's last step);
  // when that fails, serves on from `fallback` (a copy Follow saved) and
  // refuses writes.
  Status Reopen(const std::filesystem::path& fallback);
  Error RefusedReplacement() const;

  std::unique_ptr<sql::Database> db_;
  std::filesystem::path path_;
  Mode mode_ = Mode::kReadWrite;
  dev_t dev_ = 0;  // the identity of the file open in db_
  ino_t ino_ = 0;
  // A file found at path() that cannot be taken up, and why: writes are
  // refused while it is there.
  std::optional<std::pair<dev_t, ino_t>> refused_;
  std::string refused_why_;

  JournalRepos repos_{*this};
  JournalPrompts prompts_{*this};
  JournalCommits commits_{*this};
  JournalHistory history_{*this};
};

}  // namespace brag
