// The history pass: which first-parent commits are PRs, and whose.
#include "scan/history_scan.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "detect/author_set.h"
#include "detect/forge_marker.h"
#include "watch/incident_scan.h"
#include "watch/ref_scan.h"

namespace brag {
namespace {

// Emails, lower-cased and trimmed, each once, in the order found: the form
// the daemon records authors in (watch/ref_scan.cc).
class AuthorList {
 public:
  void AddFrom(const git::History& history, uint32_t commit) {
    const git::History::Commit& c = history.commits[commit];
    if (c.author != git::History::kNone) set_.AddCommitAuthor(history.emails[c.author]);
    for (const std::string& email : detect::CoAuthorEmails(history.MessageOf(commit))) {
      set_.Add(email);
    }
  }
  std::vector<std::string> Take() { return set_.Take(); }
  std::vector<std::string> TakeCommitAuthors() { return set_.TakeCommitAuthors(); }

 private:
  detect::AuthorSet set_;
};

// The tip's first-parent chain, oldest first.
std::vector<uint32_t> ChainOf(const git::History& history) {
  std::vector<uint32_t> chain;
  if (history.commits.empty()) return chain;
  for (uint32_t at = 0;;) {
    chain.push_back(at);
    const git::History::Commit& c = history.commits[at];
    if (c.missing || c.parent_count == 0) break;
    at = history.parents[c.parents_begin];
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

// Marks what a chain commit brings in. Walking the chain oldest first keeps
// `marked_` equal to everything reachable from the last chain commit done,
// so the commits newly marked from P2 are exactly P1..P2: each commit of the
// history is marked once, over the whole pass.
class ReachMarks {
 public:
  explicit ReachMarks(const git::History& history)
      : history_(history), marked_(history.commits.size(), false) {}

  void Mark(uint32_t commit) { marked_[commit] = true; }

  // Marks everything reachable from `from` not marked yet; appends those
  // commits to `found` when it is not null.
  void MarkFrom(uint32_t from, std::vector<uint32_t>* found) {
    if (marked_[from]) return;
    marked_[from] = true;
    stack_.assign(1, from);
    while (!stack_.empty()) {
      uint32_t at = stack_.back();
      stack_.pop_back();
      if (found) found->push_back(at);
      for (uint32_t parent : history_.ParentsOf(at)) {
        if (marked_[parent]) continue;
        marked_[parent] = true;
        stack_.push_back(parent);
      }
    }
  }

 private:
  const git::History& history_;
  std::vector<bool> marked_;
  std::vector<uint32_t> stack_;
};

bool InWindow(int64_t time, const HistoryQuery& query) {
  if (query.since && time < *query.since) return false;
  if (query.until && time >= *query.until) return false;
  return true;
}

std::optional<detect::ForgeMarker> Classify(const git::History& history,
                                            uint32_t commit,
                                            const HistoryQuery& query) {
  const git::History::Commit& c = history.commits[commit];
  if (c.missing) return std::nullopt;
  const std::string& message = history.MessageOf(commit);
  detect::CommitFacts facts{
      history.Hex(commit),
      static_cast<int>(c.parent_count),
      message,
      c.author == git::History::kNone ? std::string() : history.emails[c.author],
      c.time,
      git::ParseTrailers(message)};
  return detect::ClassifyCommit(
      facts, detect::DetectOptions{query.mainlines, query.long_lived, query.remotes});
}

// DESIGN §5, as ScanRefs applies it: a merge belongs to whoever wrote the
// commits it brings (P1..P2), a squash to its author and co-authors.
void AuthorsOf(const git::History& history, uint32_t commit,
               std::vector<uint32_t>* range, AuthorList* authors) {
  if (range == nullptr) {
    authors->AddFrom(history, commit);
    return;
  }
  // Oldest first, so that whoever started the branch leads the list: the
  // marking walked from P2 towards the base, and commits of one second
  // keep that order reversed.
  std::reverse(range->begin(), range->end());
  std::stable_sort(range->begin(), range->end(), [&](uint32_t a, uint32_t b) {
    return history.commits[a].commit_time < history.commits[b].commit_time;
  });
  for (uint32_t c : *range) authors->AddFrom(history, c);
}

// Whether a PR (or incident) is the user's; everyone's without identities.
bool Wanted(const std::vector<std::string>& commit_authors,
            const std::vector<std::string>& authors, const HistoryQuery& query) {
  if (query.identities.empty()) return true;
  return detect::IsUsersPr(commit_authors, authors, query.identities, query.coauthor);
}

// The incident branch a PR's source branch names, or "".
std::string IncidentOf(const detect::ForgeMarker& marker, const HistoryQuery& query) {
  if (marker.branch.empty() || !marker.is_merge) return "";
  return IsIncidentBranch(marker.branch, query.incident_globs) ? marker.branch : "";
}

// The incident `name` closed by `merge`: P2's first-parent chain within
// the merge's P1..P2 (`range`), read as ClosedIncidents reads a branch.
std::optional<Event> MergedIncident(const git::History& history, uint32_t merge,
                                    const std::vector<uint32_t>& range,
                                    const std::string& name, const HistoryQuery& query) {
  std::unordered_set<uint32_t> in_range(range.begin(), range.end());
  Event e;
  e.opened = std::numeric_limits<int64_t>::max();
  uint32_t first = git::History::kNone;
  AuthorList authors;
  for (uint32_t at = history.ParentsOf(merge)[1]; in_range.count(at) != 0;) {
    const git::History::Commit& c = history.commits[at];
    if (c.missing) break;
    ++e.commit_count;
    first = at;
    authors.AddFrom(history, at);
    e.opened = std::min(e.opened, c.time);
    if (c.parent_count == 0) break;
    at = history.parents[c.parents_begin];
  }
  if (first == git::History::kNone) return std::nullopt;
  e.authors = authors.Take();
  // An incident is the user's by any author, co-authors too, as bragd has it.
  if (!Wanted(e.authors, e.authors, query)) return std::nullopt;
  e.kind = EventKind::kIncidentClosed;
  e.key = IncidentKey(name, history.Hex(first));
  e.commit = history.Hex(history.ParentsOf(merge)[1]);
  e.title = name;
  e.branch = name;
  e.commit_time = history.commits[merge].commit_time;
  e.merged = true;
  return e;
}

}  // namespace

Result<std::pair<std::string, std::string>> ScanTip(git::Repo& repo,
                                                    const HistoryQuery& query) {
  if (!query.branch.empty()) {
    Result<std::string> tip = repo.ResolveCommit(query.branch);
    if (!tip) return tip.error();
    return std::pair(query.branch, std::move(*tip));
  }
  std::vector<std::string> refs;
  for (const std::string& mainline : query.mainlines) {
    refs.push_back("refs/heads/" + mainline);
  }
  for (const std::string& mainline : query.mainlines) {
    for (const std::string& remote : query.remotes) {
      refs.push_back("refs/remotes/" + remote + "/" + mainline);
    }
  }
  for (const std::string& ref : refs) {
    Result<std::optional<std::string>> tip = repo.RefTip(ref);
    if (!tip) return tip.error();
    if (*tip) return std::pair(ref, std::move(**tip));
  }
  Result<std::string> head = repo.ResolveCommit("HEAD");
  if (!head) {
    return MakeError("not_found", repo.DisplayPath().string() +
                                      " has no mainline branch and no commit at HEAD");
  }
  return std::pair(std::string("HEAD"), std::move(*head));
}

std::vector<Event> HistoryEvents(const git::History& history, const HistoryQuery& query,
                                 size_t* prs) {
  std::vector<Event> events;
  ReachMarks marks(history);
  std::vector<uint32_t> range;
  for (uint32_t commit : ChainOf(history)) {
    marks.Mark(commit);
    const git::History::Commit& c = history.commits[commit];
    std::optional<detect::ForgeMarker> marker;
    if (InWindow(c.commit_time, query)) marker = Classify(history, commit, query);
    bool from_range = marker && marker->is_merge && c.parent_count >= 2;
    std::span<const uint32_t> parents = history.ParentsOf(commit);
    range.clear();
    // Every parent past the first is marked, PR or not, to keep the marks
    // equal to what the chain reaches so far; only P2's commits are a PR's.
    for (size_t i = 1; i < parents.size(); ++i) {
      marks.MarkFrom(parents[i], from_range && i == 1 ? &range : nullptr);
    }
    if (!marker) continue;
    if (prs) ++*prs;
    std::string incident = from_range ? IncidentOf(*marker, query) : "";
    if (!incident.empty()) {
      if (auto e = MergedIncident(history, commit, range, incident, query)) {
        events.push_back(std::move(*e));
      }
    }
    AuthorList list;
    AuthorsOf(history, commit, from_range ? &range : nullptr, &list);
    std::vector<std::string> authors = list.Take();
    if (!Wanted(list.TakeCommitAuthors(), authors, query)) continue;
    events.push_back(
        PrMergedEvent(history.Hex(commit), std::move(*marker), std::move(authors),
                      history.commits[commit].commit_time));
  }
  FoldIncidentPrs(&events);
  return events;
}

Result<HistoryScan> ScanHistory(git::Repo& repo, const HistoryQuery& query,
                                const ScanProgressFn& progress) {
  Result<std::pair<std::string, std::string>> tip = ScanTip(repo, query);
  if (!tip) return tip.error();
  HistoryScan scan;
  scan.ref = std::move(tip->first);
  scan.tip = std::move(tip->second);
  git::HistoryProgress on_read;
  if (progress) {
    on_read = [&](size_t read) { progress(ScanProgress{read, 0}); };
  }
  Result<git::History> history = repo.ReadHistory(scan.tip, on_read);
  if (!history) return history.error();
  scan.totals.commits = history->commits.size();
  scan.events = HistoryEvents(*history, query, &scan.totals.prs);
  if (progress) progress(scan.totals);
  return scan;
}

Status AddDiffstats(git::Repo& repo, std::vector<Event>* events) {
  for (Event& event : *events) {
    auto diff = repo.DiffAgainstFirstParent(event.commit);
    if (!diff) return diff.error();
    event.diffstat = diff->first;
    event.paths = std::move(diff->second);
  }
  return {};
}

}  // namespace brag
