// Plain records shared by the journal, the wire format and the client.
// No SQLite here: protocol/ and cli/ include this without the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/event_kind.h"
#include "model/prompt_state.h"
#include "model/repo_state.h"

namespace brag {

struct Diffstat {
  int files = 0;
  int insertions = 0;
  int deletions = 0;
};

// Something the daemon noticed (DESIGN §5). Recorded once per (repo, key):
// key is the commit oid for a merged PR, the branch name for a closed
// incident.
struct Event {
  int64_t id = 0;
  EventKind kind = EventKind::kPrMerged;
  int64_t repo_id = 0;
  std::string key;
  std::string commit;  // full hex oid
  std::string forge;   // "github", "gitlab", ..., "local"
  int64_t pr = 0;      // PR/MR number; 0 when none (local merge)
  std::string title;
  std::string branch;                // source branch if known
  std::vector<std::string> authors;  // emails of the PR's authors
  int64_t commit_time = 0;           // unix seconds
  Diffstat diffstat;
  std::vector<std::string> paths;  // changed paths
  int64_t created = 0;             // when recorded, unix seconds
  // kIncidentClosed only: its first commit's time (opened), the close is
  // commit_time; how many commits it had; merged into a mainline or deleted.
  int64_t opened = 0;
  int commit_count = 0;
  bool merged = false;
  // Not stored: what detection knew of the commits that made the PR, to
  // find their notes (the oids of P1..P2, the subjects a squash lists).
  std::vector<std::string> member_commits;
  std::vector<std::string> member_subjects;
};

// A commit the post-commit hook recorded.
struct CommitRecord {
  std::string repo;  // repo path, as notes name it
  std::string oid;
  std::string branch;  // the branch it was made on ("" when detached)
  std::string subject;
  std::string author;  // email
  int64_t time = 0;    // commit time, unix seconds
  Diffstat diffstat;
  std::vector<std::string> paths;
};

// A note: an answer to a prompt, a manual `brag note`, or a commit's
// Impact: trailer (source "hook"). Optional links point at what it is about.
struct Note {
  int64_t id = 0;
  std::string text;
  int64_t created = 0;
  std::string source;  // "prompt" | "manual" | "hook"
  std::string repo;    // repo path, may be empty
  std::string commit;  // may be empty
  std::vector<std::string> tags;
  std::optional<int64_t> prompt_id;
  std::optional<int64_t> event_id;
  int64_t edited = 0;  // when its text was last replaced; 0: never
};

// A question to the user about an event. A snoozed prompt whose
// snoozed_until has passed is pending again.
struct Prompt {
  int64_t id = 0;
  PromptState state = PromptState::kPending;
  int64_t created = 0;
  int64_t snoozed_until = 0;
  int64_t answered = 0;
  std::string repo;  // repo path
  std::string repo_name;
  Event event;
  std::optional<int64_t> note_id;
  // Impact notes of the commits that made this PR (from their trailers),
  // offered as its note; empty once the prompt is answered.
  std::vector<Note> commit_notes;
};

// A watched repository.
struct RepoRecord {
  int64_t id = 0;
  std::string path;  // canonical absolute path of the repo (work tree or bare dir)
  std::string name;
  std::string source;  // "config" | "added" | "scan"
  RepoState state = RepoState::kUnknown;
  std::string error;  // last error text when state is kError
  int64_t added = 0;
};

// One line of `brag log`: an event (with its prompt state and note if any)
// or a note without an event. kind: "pr_merged", "incident_closed", "note".
struct LogEntry {
  std::string kind;
  int64_t time = 0;  // event: commit time; note: created
  std::string repo;
  std::string repo_name;
  std::optional<Event> event;
  std::optional<Prompt> prompt;  // prompt for the event, when there is one
  std::optional<Note> note;
};

// One row of the digest's read (JournalHistory::ForEachDigestRow): an event with
// its prompt and note, if any, or a free note. The views point into the
// journal's cursor and die with the callback that receives them; lists
// (paths, tags) are newline-joined.
struct DigestRow {
  std::string_view repo;       // an event's repo path, a note's repo ("" for none)
  std::string_view repo_name;  // "" when the repo is not known
  bool has_event = false;
  int64_t event_id = 0;
  std::string_view kind;  // "pr_merged", "incident_closed"
  std::string_view key;
  std::string_view commit;
  std::string_view forge;
  int64_t pr = 0;
  std::string_view title;
  std::string_view branch;
  int64_t commit_time = 0;
  Diffstat diffstat;
  std::string_view paths;
  int64_t opened = 0;
  int commit_count = 0;
  int64_t prompt_id = 0;  // 0: no prompt
  std::string_view prompt_state;
  int64_t note_id = 0;  // 0: no note
  std::string_view note_text;
  // note_created, note_repo and note_commit are a free note's only: an
  // event's note is shown at the event's time, in its repo, at its commit.
  int64_t note_created = 0;
  std::string_view note_source;
  std::string_view note_repo;
  std::string_view note_commit;
  std::string_view note_tags;
};

// Where a page of the log starts: just after this entry, in JournalHistory::Log's
// order (time, then id, then events before notes, each descending).
struct LogCursor {
  int64_t time = 0;
  int64_t id = 0;      // the event's id, or the free note's
  bool event = false;  // an event (else a free note)
};

struct LogQuery {
  std::optional<int64_t> since;     // inclusive, unix seconds
  std::optional<int64_t> until;     // exclusive
  std::optional<std::string> repo;  // path or name
  std::optional<std::string> kind;  // "pr_merged", "incident_closed", "note"
  int limit = 0;                    // 0: no limit; newest first
  std::optional<LogCursor> after;   // only entries after this one
};

// Where a page of pending prompts starts: after the prompt with id `id`
// whose event happened at `time` (JournalPrompts::Pending's order, newest
// first).
struct PromptCursor {
  int64_t time = 0;  // the event's time (Event::commit_time)
  int64_t id = 0;
};

}  // namespace brag
