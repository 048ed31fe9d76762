// The digest of a window of time (DESIGN §9) as plain data: the counts, the
// wins (one per journal note, after dedupe) grouped by category, each with
// its metrics, Sharpen suggestions and forge link, and the prompts still to
// answer. DigestBuilder makes it from journal rows; render.h prints it.
// Pure: the journal is read and the remotes are looked up by the caller.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "digest/categories.h"
#include "digest/forge_links.h"
#include "digest/huge_pages.h"
#include "digest/metrics.h"
#include "digest/sharpen.h"
#include "model/records.h"

namespace brag::digest {

// What a digest covers: [since, until), unix seconds.
struct DigestWindow {
  int64_t since = 0;
  int64_t until = 0;
  std::string label;  // "2026-W48" for a week; "" for other windows
};

// One claim: a note with what it is about. Every win traces to a note (its
// id) and, when the note is tied to one, a commit. Its text fields view the
// Digest's store (see Digest::store), so a Win lives as long as its Digest.
struct Win;
// The wins of a digest, in huge pages (100k wins are 22 MB).
using WinList = HugeVector<Win>;

// A short text many wins share ("prompt", a repo's path, a category id),
// kept once in the digest's store: one pointer where a view takes two words
// (a digest may hold 100k wins). Reads as a std::string_view.
class SharedText {
 public:
  SharedText() = default;
  explicit SharedText(const std::string_view* kept) : kept_(kept) {}

  operator std::string_view() const { return kept_ ? *kept_ : std::string_view(); }
  std::string_view view() const { return *this; }
  bool empty() const { return view().empty(); }
  size_t size() const { return view().size(); }

  friend bool operator==(SharedText a, std::string_view b) { return a.view() == b; }
  friend bool operator==(SharedText a, SharedText b) { return a.view() == b.view(); }

 private:
  const std::string_view* kept_ = nullptr;
};

// What few wins have: tags (given with the note, then those written in it),
// and notes of the same work folded into the win
// (a commit's Impact: note that became its PR's note) with their commits,
// traced, not counted.
struct WinExtras {
  std::vector<std::string> tags;
  std::vector<int64_t> folded_notes;
  std::vector<std::string> folded_commits;
};

struct Win {
  int64_t note_id = 0;
  std::string_view text;  // the note without its #tags, which are in tags()
  SharedText source;      // "prompt", "manual", "hook"
  SharedText kind;        // "pr_merged", "incident_closed", "note"
  int64_t time = 0;       // an event's commit time, a free note's creation
  SharedText repo;        // path, may be empty
  SharedText repo_name;
  std::string_view commit;  // full oid of the event's (or the note's) commit; may be ""
  int64_t event_id = 0;     // 0 for a free note
  int64_t pr = 0;
  SharedText forge;
  std::string_view title;
  std::string_view branch;
  Diffstat diffstat;
  int incident_commits = 0;
  int64_t incident_seconds = 0;  // incidents: open to close
  // The repo on its forge (in the store), or null off a known forge: a
  // win's link is written out where it is shown, not kept for each win.
  const ForgeRepo* forge_repo = nullptr;
  SharedText category;
  bool invisible = false;
  const WinExtras* extras = nullptr;  // in the store; null for most wins
  std::span<const Metric> metrics;
  std::span<const Suggestion> suggestions;

  const std::vector<std::string>& tags() const { return Extras().tags; }
  const std::vector<int64_t>& folded_notes() const { return Extras().folded_notes; }
  const std::vector<std::string>& folded_commits() const { return Extras().folded_commits; }

  // The PR/MR's page, else the commit's; "" off a known forge.
  bool has_link() const { return HasLink(forge_repo, pr, commit); }
  std::string link() const;
  // link() appended to `out`, when it has one.
  void AppendLink(std::string& out) const { digest::AppendLink(out, forge_repo, pr, commit); }

 private:
  const WinExtras& Extras() const {
    static const WinExtras kNone;
    return extras ? *extras : kNone;
  }
};

// A merged PR or closed incident whose prompt is still pending or snoozed.
// Its text is in the digest's store, as a win's is.
struct Backfill {
  int64_t prompt_id = 0;
  SharedText state;  // "pending" or "snoozed"
  SharedText kind;
  int64_t time = 0;
  SharedText repo_name;
  int64_t pr = 0;
  std::string_view title;
  std::string_view branch;
  std::string_view commit;
  std::string_view link;
};

struct CategoryGroup {
  std::string id;
  std::string title;
  std::span<const size_t> wins;  // indexes into Digest::wins, in time order (in the store)
};

struct DigestCounts {
  int prs_merged = 0;
  int incidents_closed = 0;
  int notes = 0;       // wins: distinct notes, folded ones not counted
  int unanswered = 0;  // prompts of the window's events still pending or snoozed

  bool operator==(const DigestCounts&) const = default;
};

class DigestStore;

struct Digest {
  DigestWindow window;
  DigestCounts counts;
  WinList wins;                           // oldest first
  // In rule order, then Uncategorised (kUncategorised); only those with wins.
  std::vector<CategoryGroup> categories;
  std::vector<Backfill> unanswered;       // oldest first
  // The text, metrics and suggestions the wins view, in large blocks rather
  // than a few heap strings per win (a digest may hold 100k wins). Shared,
  // so that a copy of a Digest views the same store.
  std::shared_ptr<const DigestStore> store;
};

// A repo's remote, to link PRs and commits: repo path -> remote URL.
using RemoteUrls = std::map<std::string, std::string>;

// Builds a digest from journal rows given in Journal::ForEachDigestRow's
// order: the window's events oldest first (latest recorded first among equal
// times), then its free notes, oldest first. Each note is analysed (metrics,
// Sharpen, category, invisible work) once, as it is added. Events without a
// note are counted, and listed to backfill while their prompt is pending or
// snoozed. A note is one win however often it appears; a free note with the
// same text (ignoring case, spacing, #tags and a final '.') as an event's note in
// the same repo is folded into that event's win (a commit's trailer note
// that became its PR's note). `rules` are the category rules (MergeRules of
// the defaults and the user's) and must outlive the builder.
class DigestBuilder {
 public:
  DigestBuilder(const DigestWindow& window, const std::vector<CategoryRule>& rules);
  ~DigestBuilder();
  DigestBuilder(const DigestBuilder&) = delete;
  DigestBuilder& operator=(const DigestBuilder&) = delete;

  // Room for up to `rows` rows, when known: 100k wins are not grown by
  // doubling, and many are analysed beside the read. Memory is only
  // reserved: what the rows do not fill is never touched.
  void Reserve(size_t rows);
  // Rows outside the window are ignored.
  void Add(const DigestRow& row);
  // The repos the rows named so far (paths), to look their remotes up.
  const std::vector<std::string>& repos() const;
  // The digest, wins in time order, linked through `remotes`. Call once.
  Digest Finish(const RemoteUrls& remotes);

 private:
  class State;
  std::unique_ptr<State> state_;
};

// The first 7 hex digits of an oid (all of a shorter one).
std::string_view ShortOid(std::string_view oid);

}  // namespace brag::digest
