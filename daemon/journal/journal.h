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

namespace brag {

namespace sql {
class Database;
}

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
  static constexpr int kSchemaVersion = 2;

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

  // --- watched repos -------------------------------------------------------
  // Adds a repo by canonical path, or returns the existing row (with its
  // source upgraded from "scan" to "added"/"config" if asked, taking `name`
  // too when given). `now` is unix s. An empty name means the last path
  // component. A removed repo added again gets its old id back (its events
  // stay known) and no baseline. Source other than config/added/scan, or an
  // empty path: "bad_request".
  Result<RepoRecord> AddRepo(const std::string& path, const std::string& name,
                             const std::string& source, int64_t now);
  // Removes the repo row and its ref state (events, prompts and notes stay:
  // the journal is history). False if no such repo. Matches path or name.
  // The row is only marked removed, so history keeps its path and name;
  // ListRepos and FindRepo no longer see it. For RemoveRepo and FindRepo a
  // path match wins; a name that several repos share: "conflict".
  Result<bool> RemoveRepo(const std::string& path_or_name);
  Result<std::vector<RepoRecord>> ListRepos();
  Result<std::optional<RepoRecord>> FindRepo(const std::string& path_or_name);
  // "not_found" for an unknown repo id.
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
  // Unknown or removed repo: "not_found"; an event without kind or key:
  // "bad_request", and nothing of the scan is recorded.
  Result<std::vector<Prompt>> RecordScan(int64_t repo_id, const RefState& refs,
                                         const std::vector<Event>& events, int64_t now);
  // A backfill (`brag scan --record`): in one transaction, inserts each event
  // not already known by (repo_id, kind, key) and creates a pending prompt
  // for each one inserted, like RecordScan, but leaves the ref state and the
  // baseline alone. Returns the prompts created. Same errors as RecordScan.
  Result<std::vector<Prompt>> RecordEvents(int64_t repo_id,
                                           const std::vector<Event>& events,
                                           int64_t now);

  // --- prompts -------------------------------------------------------------
  // Prompts in state pending, plus snoozed ones whose time has come, oldest
  // first.
  Result<std::vector<Prompt>> Pending(int64_t now);
  Result<int64_t> PendingCount(int64_t now);
  // Error code "not_found" when no such prompt. The state is as stored: a
  // snoozed prompt reads "snoozed" here even once its time has come.
  Result<Prompt> GetPrompt(int64_t id);
  // Stores the note, links it to the prompt and its event, marks the prompt
  // answered. Answering an answered prompt replaces nothing: error code
  // "conflict". Empty text: "bad_request". Pending, snoozed and dismissed
  // prompts may be answered. The text is stored trimmed.
  Result<Note> Answer(int64_t prompt_id, const std::string& text, int64_t now);
  // Both return the updated prompt; "not_found" when no such prompt,
  // "conflict" when it is answered already.
  Result<Prompt> Snooze(int64_t prompt_id, int64_t until);
  Result<Prompt> Dismiss(int64_t prompt_id);

  // --- notes and the log ---------------------------------------------------
  // A note with no prompt or event. Blank text or an unknown source:
  // "bad_request". The text is stored trimmed, the repo as given.
  Result<Note> AddNote(const NewNote& note, int64_t now);
  // Events (with their prompt and note) and free notes, newest first (by
  // time, then latest recorded first). Time is the commit time of an event
  // and the creation time of a note; `repo` matches a path or a name.
  Result<std::vector<LogEntry>> Log(const LogQuery& query);

 private:
  Journal(std::unique_ptr<sql::Database> db, std::filesystem::path path);
  // Inside a caller's transaction: the new events and their pending prompts.
  Result<std::vector<Prompt>> InsertWithPrompts(int64_t repo_id,
                                                const std::vector<Event>& events,
                                                int64_t now);

  std::unique_ptr<sql::Database> db_;
  std::filesystem::path path_;
};

}  // namespace brag
