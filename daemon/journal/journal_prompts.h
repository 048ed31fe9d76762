// The journal's prompts and notes (journal_prompts.cc). Part of a Journal
// (journal.h): get it from Journal::prompts(); it lives as long as its
// Journal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/records.h"

namespace brag {

class Journal;
namespace sql {
class Database;
}

struct NewNote {
  std::string text;
  std::string source = "manual";  // "manual" | "hook" | "prompt"
  std::string repo;               // repo path (need not be watched); may be empty
  std::string commit;
  std::vector<std::string> tags;
};

// Which prompts a bulk dismiss or snooze acts on: the prompts `ids`; or,
// when `ids` is empty, every prompt still open (pending or snoozed, due or
// not), narrowed to `repo` (a watched repo's path or name) if given and to
// events before `before` if given.
struct PromptSelection {
  std::vector<int64_t> ids;
  std::string repo;
  std::optional<int64_t> before;
};

// What EditNote did: the note as it is now, and whether its text changed.
struct EditedNote {
  Note note;
  bool changed = false;
};

// What RemoveNote did: the note as it was, and the prompt it answered, now
// pending again.
struct RemovedNote {
  Note note;
  std::optional<Prompt> reopened;
};

class JournalPrompts {
 public:
  JournalPrompts(const JournalPrompts&) = delete;
  JournalPrompts& operator=(const JournalPrompts&) = delete;

  // --- prompts -------------------------------------------------------------
  // Prompts in state pending, plus snoozed ones whose time has come (and,
  // `with_snoozed`, the snoozed ones still to come), newest event first
  // (latest prompt first among equal times): at most `limit` of them (0:
  // all), those after `after` only.
  Result<std::vector<Prompt>> Pending(int64_t now, int limit = 0,
                                      std::optional<PromptCursor> after = {},
                                      bool with_snoozed = false);
  // How many Pending(now) gives in all.
  Result<int64_t> PendingCount(int64_t now);
  // How many prompts are snoozed to a time after `now`.
  Result<int64_t> SnoozedCount(int64_t now);
  // The earliest snooze still to come after `now`, if any (when bragd next
  // has prompts to push again).
  Result<std::optional<int64_t>> NextSnoozeEnd(int64_t now);
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

  // Several prompts dismissed, or snoozed until `until`, in one transaction:
  // those of `which`. Each id must name a prompt that is not answered
  // ("not_found", "conflict"), else nothing changes. Returns the updated
  // prompts, newest event first.
  Result<std::vector<Prompt>> DismissAll(const PromptSelection& which);
  Result<std::vector<Prompt>> SnoozeAll(const PromptSelection& which, int64_t until);

  // --- notes ---------------------------------------------------------------
  // A note with no prompt or event. Blank text or an unknown source:
  // "bad_request". The text is stored trimmed, the repo as given.
  Result<Note> AddNote(const NewNote& note, int64_t now);
  // Note `id`; "not_found" when there is none, or it was removed.
  Result<Note> GetNote(int64_t id);
  // Replaces the text of note `id` (any source: an answer, a manual or a
  // hook note), stored trimmed, and sets its `edited` time to `now`; the
  // note keeps its id, time, repo, commit, tags and links. The same text
  // changes nothing (`edited` stays; changed is false). Blank text:
  // "bad_request"; no such note, or a removed one: "not_found".
  Result<EditedNote> EditNote(int64_t id, const std::string& text, int64_t now);
  // Removes note `id` as a tombstone: the row stays, its `removed` time set
  // to `now`, so a later sync carries the removal; every read of notes
  // leaves it out from then on. A note that answers a prompt puts that
  // prompt back to pending (no note, not answered), so it can be answered
  // again, and the commit notes that answer took are offered again; the
  // prompt is returned. No such note: "not_found"; removed already:
  // "conflict".
  Result<RemovedNote> RemoveNote(int64_t id, int64_t now);

 private:
  friend class Journal;
  explicit JournalPrompts(Journal& journal) : journal_(journal) {}
  // The journal's connection as it is now (Follow may replace it).
  sql::Database& db() const;
  // Inside a caller's transaction: the ids of the prompts `which` names.
  Result<std::vector<int64_t>> Select(const PromptSelection& which);
  // DismissAll and SnoozeAll: `state` (and `until`) for each of `which`.
  Result<std::vector<Prompt>> SetStates(const PromptSelection& which, PromptState state,
                                        int64_t until);
  // Answer, inside a caller's transaction.
  Result<Note> AnswerInTransaction(int64_t prompt_id, const std::string& text,
                                   int64_t now);

  Journal& journal_;
};

}  // namespace brag
