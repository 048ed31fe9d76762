// The journal: brag's SQLite database (DESIGN §6). The only user of sqlite3.h.
// WAL mode; every mutating call runs in one transaction and returns only after
// it has committed, so an acknowledged write survives a crash.
//
// A Journal is used by one thread at a time (the daemon's io thread, or the
// client when the daemon is down). Several processes may open the same file:
// SQLite's locking and a busy timeout serialise them.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/records.h"

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
  static constexpr int kSchemaVersion = 5;

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
  Result<void> SetRepoState(int64_t repo_id, RepoState state,
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
  // first: at most `limit` of them (0: all), those after `after` only.
  Result<std::vector<Prompt>> Pending(int64_t now, int limit = 0,
                                      std::optional<PromptCursor> after = {});
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
  // Answers the prompt with the Impact: notes of the commits that made its
  // PR (Prompt::commit_notes, joined with "; "), and marks those notes taken
  // by the event, so that the impact is counted once. No commit notes:
  // "bad_request"; answered already: "conflict".
  Result<Note> AcceptCommitNotes(int64_t prompt_id, int64_t now);
  Result<Prompt> Snooze(int64_t prompt_id, int64_t until);
  Result<Prompt> Dismiss(int64_t prompt_id);

  // --- notes and the log ---------------------------------------------------
  // A note with no prompt or event. Blank text or an unknown source:
  // "bad_request". The text is stored trimmed, the repo as given.
  Result<Note> AddNote(const NewNote& note, int64_t now);
  // --- commits from the hooks (journal_commits.cc) ---------------------------
  // Records a commit made in `commit.repo` (post-commit), once per (repo,
  // oid). A non-empty `impact` (its Impact: trailer) becomes the commit's
  // note, source "hook": a commit has at most one such note, and recording
  // it again replaces its text (an amend that kept the oid's place). Returns
  // that note, if any.
  Result<std::optional<Note>> RecordCommit(const CommitRecord& commit,
                                           const std::string& impact, int64_t now);
  // After `git commit --amend` or a rebase (post-rewrite): each old oid's
  // commit row and notes move to the new oid. Where the new commit already
  // has its own trailer note, the old trailer note is dropped instead (the
  // newer trailer wins); rows of commits squashed into one new commit merge.
  // Returns how many notes moved.
  Result<int> RewriteCommits(const std::string& repo,
                             const std::vector<std::pair<std::string, std::string>>& moves);
  // Which of `oids` are recorded commits of `repo` (RecordCommit, or moved
  // there by RewriteCommits).
  Result<std::set<std::string>> KnownCommits(const std::string& repo,
                                             const std::vector<std::string>& oids);
  // The commits recorded in a repo, newest first (at most `limit`, 0: all).
  Result<std::vector<CommitRecord>> Commits(const std::string& repo, int limit = 0);

  // Events (with their prompt and note) and free notes, newest first (by
  // time, then latest recorded first). Time is the commit time of an event
  // and the creation time of a note; `repo` matches a path or a name.
  Result<std::vector<LogEntry>> Log(const LogQuery& query);

  // --- the digest's read (digest_queries.cc) ---------------------------------
  // Calls `row` for each event committed in [since, until), with its prompt
  // and note, oldest first (latest recorded first among equal times, as
  // Log's order reversed); then for each free note created in it, oldest
  // first. Streams straight from SQLite over the events_time and notes_free
  // indexes, reading only the columns a digest shows: a year of notes is
  // never held as LogEntry records.
  Status ForEachDigestRow(int64_t since, int64_t until,
                          const std::function<void(const DigestRow&)>& row);
  // At least as many rows as ForEachDigestRow gives for any window, to size
  // for them: the events and notes ever recorded, read off the ends of two
  // tables (a count of the window's rows walks two indexes: ~13 ms over
  // 100k notes).
  Result<int64_t> DigestRowsBound();
  // The two queries ForEachDigestRow runs (?1 since, ?2 until), for tests of
  // their plans: each walks its index in order, with no sort.
  static const char* const kDigestEventsSql;
  static const char* const kDigestFreeNotesSql;

 private:
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
  // Inside a caller's transaction: the new events and their pending prompts.
  Result<std::vector<Prompt>> InsertWithPrompts(int64_t repo_id,
                                                const std::vector<Event>& events,
                                                int64_t now);
  // Answer, inside a caller's transaction.
  Result<Note> AnswerInTransaction(int64_t prompt_id, const std::string& text,
                                   int64_t now);
  // Inside a caller's transaction: links the trailer notes of the commits
  // that made `event` (its member commits, its source branch, or subjects
  // it lists) to the event, so its prompt can offer them.
  Status LinkCommitNotes(int64_t repo_id, int64_t event_id, const Event& event);
  // The commit notes linked to the prompt's event and not yet taken: fills
  // prompt->commit_notes.
  Status FillCommitNotes(Prompt* prompt);

  std::unique_ptr<sql::Database> db_;
  std::filesystem::path path_;
  Mode mode_ = Mode::kReadWrite;
  dev_t dev_ = 0;  // the identity of the file open in db_
  ino_t ino_ = 0;
  // A file found at path() that cannot be taken up, and why: writes are
  // refused while it is there.
  std::optional<std::pair<dev_t, ino_t>> refused_;
  std::string refused_why_;
};

}  // namespace brag
