// The journal: brag's SQLite database (DESIGN §6). The only user of sqlite3.h.
// WAL mode; every mutating call runs in one transaction and returns only after
// it has committed, so an acknowledged write survives a crash.
//
// A Journal is used by one thread at a time (the daemon's io thread, or the
// client when the daemon is down). Several processes may open the same file:
// SQLite's locking and a busy timeout serialise them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "journal/records.h"

struct sqlite3;

namespace brag {

// refname ("refs/heads/main") -> hex oid of its tip, for one repo.
using RefState = std::map<std::string, std::string>;

struct NewNote {
  std::string text;
  std::string source = "manual";  // "manual" | "hook" | "prompt"
  std::string repo;               // repo path (need not be watched); may be empty
  std::string commit;
  std::vector<std::string> tags;
};

class Journal {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // The schema version this build writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 1;

  // Opens (kReadWrite: creating the file and its parent folders, migrating
  // an older schema forward) the journal at `path`. A journal whose
  // user_version is newer than kSchemaVersion is refused untouched: error
  // code "journal_too_new", message naming the file and both versions.
  // A file that is not a database: code "journal", message naming the file.
  // kReadOnly on a missing file: code "not_found".
  static Result<std::unique_ptr<Journal>> Open(const std::filesystem::path& path,
                                               Mode mode);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  const std::filesystem::path& path() const { return path_; }
  Result<int> SchemaVersion();

  // --- watched repos -------------------------------------------------------
  // Adds a repo by canonical path, or returns the existing row (with its
  // source upgraded from "scan" to "added"/"config" if asked). `now` is unix s.
  Result<RepoRecord> AddRepo(const std::string& path, const std::string& name,
                             const std::string& source, int64_t now);
  // Removes the repo row and its ref state (events, prompts and notes stay:
  // the journal is history). False if no such repo. Matches path or name.
  Result<bool> RemoveRepo(const std::string& path_or_name);
  Result<std::vector<RepoRecord>> ListRepos();
  Result<std::optional<RepoRecord>> FindRepo(const std::string& path_or_name);
  Result<void> SetRepoState(int64_t repo_id, const std::string& state,
                            const std::string& error);

  // --- ref state and detection --------------------------------------------
  // The stored tips of the refs brag follows in this repo. Empty for a repo
  // never scanned (the caller then sets a baseline).
  Result<RefState> LoadRefState(int64_t repo_id);
  // Whether this repo has a baseline (a scan was recorded at least once,
  // even if it had no refs).
  Result<bool> HasBaseline(int64_t repo_id);

  // In one transaction: replaces the repo's ref state with `refs`, marks the
  // baseline, inserts each event not already known by (repo_id, kind, key),
  // and creates a pending prompt for each newly inserted event. Returns the
  // prompts created (fully filled, as Pending would return them).
  Result<std::vector<Prompt>> RecordScan(int64_t repo_id, const RefState& refs,
                                         const std::vector<Event>& events,
                                         int64_t now);

  // --- prompts -------------------------------------------------------------
  // Prompts in state pending, plus snoozed ones whose time has come, oldest
  // first.
  Result<std::vector<Prompt>> Pending(int64_t now);
  Result<int64_t> PendingCount(int64_t now);
  // Error code "not_found" when no such prompt.
  Result<Prompt> GetPrompt(int64_t id);
  // Stores the note, links it to the prompt and its event, marks the prompt
  // answered. Answering an answered prompt replaces nothing: error code
  // "conflict". Empty text: "bad_request".
  Result<Note> Answer(int64_t prompt_id, const std::string& text, int64_t now);
  Result<Prompt> Snooze(int64_t prompt_id, int64_t until);
  Result<Prompt> Dismiss(int64_t prompt_id);

  // --- notes and the log ---------------------------------------------------
  Result<Note> AddNote(const NewNote& note, int64_t now);
  // Events (with their prompt and note) and free notes, newest first.
  Result<std::vector<LogEntry>> Log(const LogQuery& query);

 private:
  Journal(sqlite3* db, std::filesystem::path path);
  struct Db;
  std::unique_ptr<Db> db_;
  std::filesystem::path path_;
};

}  // namespace brag
