// The digest of a window of time (DESIGN §9) as plain data: the counts, the
// wins (one per journal note, after dedupe) grouped by category, each with
// its metrics, Sharpen suggestions and forge link, and the prompts still to
// answer. DigestBuilder makes it from journal rows; render.h prints it.
// Pure: the journal is read and the remotes are looked up by the caller.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "digest/categories.h"
#include "digest/forge_links.h"
#include "impact/metrics.h"
#include "impact/sharpen.h"
#include "model/records.h"

namespace brag::digest {

// What a digest covers: [since, until), unix seconds.
struct DigestWindow {
  int64_t since = 0;
  int64_t until = 0;
  std::string label;  // "2026-W48" for a week; "" for other windows
};

// One claim: a note with what it is about. Every win traces to a note (its
// id) and, when the note is tied to one, a commit.
struct Win {
  int64_t note_id = 0;
  std::string text;    // the note without its #tags, which are in tags
  std::string source;  // "prompt", "manual", "hook"
  std::string kind;    // "pr_merged", "incident_closed", "note"
  int64_t time = 0;    // an event's commit time, a free note's creation
  std::string repo;    // path, may be empty
  std::string repo_name;
  std::string commit;    // full oid of the event's (or the note's) commit; may be ""
  int64_t event_id = 0;  // 0 for a free note
  int64_t pr = 0;
  std::string forge;
  std::string title;
  std::string branch;
  Diffstat diffstat;
  int incident_commits = 0;
  int64_t incident_seconds = 0;  // incidents: open to close
  std::string link;  // the PR/MR's page, else the commit's; "" off a known forge
  std::string category;
  bool invisible = false;
  // Tags given with the note, then those written in it.
  std::vector<std::string> tags;
  // Notes of the same work folded into this win (a commit's Impact: note
  // that became its PR's note) and their commits: traced, not counted.
  std::vector<int64_t> folded_notes;
  std::vector<std::string> folded_commits;
  std::vector<impact::Metric> metrics;
  std::vector<impact::Suggestion> suggestions;
};

// A merged PR or closed incident whose prompt is still pending or snoozed.
struct Backfill {
  int64_t prompt_id = 0;
  std::string state;  // "pending" or "snoozed"
  std::string kind;
  int64_t time = 0;
  std::string repo_name;
  int64_t pr = 0;
  std::string title;
  std::string branch;
  std::string commit;
  std::string link;
};

struct CategoryGroup {
  std::string id;
  std::string title;
  std::vector<size_t> wins;  // indexes into Digest::wins, in time order
};

struct DigestCounts {
  int prs_merged = 0;
  int incidents_closed = 0;
  int notes = 0;       // wins: distinct notes, folded ones not counted
  int unanswered = 0;  // prompts of the window's events still pending or snoozed

  bool operator==(const DigestCounts&) const = default;
};

struct Digest {
  DigestWindow window;
  DigestCounts counts;
  std::vector<Win> wins;  // oldest first
  // In rule order, then Uncategorised (kUncategorised); only those with wins.
  std::vector<CategoryGroup> categories;
  std::vector<Backfill> unanswered;  // oldest first
};

// A repo's remote, to link PRs and commits: repo path -> remote URL.
using RemoteUrls = std::map<std::string, std::string>;

// Builds a digest from journal rows given in JournalHistory::ForEachDigestRow's
// order: the window's events oldest first (latest recorded first among equal
// times), then its free notes, oldest first. Events without a note are
// counted, and listed to backfill while their prompt is pending or snoozed.
// A note is one win however often it appears; a free note with the same
// text (ignoring case, spacing, #tags and a final '.') as an event's note in
// the same repo is folded into that event's win (a commit's trailer note
// that became its PR's note). Each win is analysed (metrics, Sharpen,
// category, invisible work) in Finish. `rules` are the category rules
// (MergeRules of the defaults and the user's).
class DigestBuilder {
 public:
  DigestBuilder(const DigestWindow& window, const std::vector<CategoryRule>& rules);

  // Room for up to `rows` wins, when known.
  void Reserve(size_t rows);
  // Rows outside the window are ignored.
  void Add(const DigestRow& row);
  // The repos the rows named so far (paths), to look their remotes up.
  const std::vector<std::string>& repos() const { return repos_; }
  // The digest, wins in time order, linked through `remotes`. Call once.
  Digest Finish(const RemoteUrls& remotes);

 private:
  void AddEvent(const DigestRow& row);
  void AddFreeNote(const DigestRow& row);
  void AddBackfill(const DigestRow& row);
  void NoteRepo(std::string_view repo);
  // The event win in the same repo with the same text, or null.
  Win* EventWinWithText(const std::string& repo, std::string_view text);

  DigestWindow window_;
  std::vector<CategoryRule> rules_;
  DigestCounts counts_;
  std::vector<Win> wins_;
  std::vector<std::string> paths_;  // per win, newline-joined
  // Prompts to backfill, with the repo and forge their link is made from.
  struct PendingBackfill {
    Backfill shown;
    std::string repo;
    std::string forge;
  };
  std::vector<PendingBackfill> unanswered_;
  std::unordered_set<int64_t> seen_;  // note ids
  std::vector<std::string> repos_;
  std::unordered_set<std::string> repo_set_;
  size_t event_wins_ = 0;  // wins_[0, event_wins_) are events' wins
  // Dedupe key -> index in wins_ of an event's win, made on first use.
  std::unordered_map<std::string, size_t> event_by_text_;
  bool event_by_text_made_ = false;
};

// The first 7 hex digits of an oid (all of a shorter one).
std::string_view ShortOid(std::string_view oid);

}  // namespace brag::digest
