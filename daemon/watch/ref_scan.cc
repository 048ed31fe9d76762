// A detection pass: which followed refs moved, and which of the commits they
// brought onto a mainline are the user's PRs.
#include "watch/ref_scan.h"

#include <algorithm>
#include <ctime>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "detect/author_set.h"
#include "detect/forge_marker.h"
#include "watch/incident_scan.h"

namespace brag {
namespace {

// P1..P2 of a merge is read only this far: the authors of a long-lived branch
// show within its newest commits, and a merge of a whole foreign history
// must not stall the scan.
constexpr size_t kMergeRangeLimit = 1000;

std::vector<std::string> FollowedRefNames(const DetectRules& rules) {
  std::vector<std::string> names;
  for (const std::string& mainline : rules.mainlines) {
    names.push_back("refs/heads/" + mainline);
    for (const std::string& remote : rules.remotes) {
      names.push_back("refs/remotes/" + remote + "/" + mainline);
    }
  }
  return names;
}

// Reads only the followed refs, not every branch: a repo with thousands of
// remote branches costs the same as one with two.
Result<std::map<std::string, std::string>> ReadFollowedRefs(git::Repo& repo,
                                                            const DetectRules& rules) {
  std::map<std::string, std::string> refs;
  for (const std::string& name : FollowedRefNames(rules)) {
    Result<std::optional<std::string>> tip = repo.RefTip(name);
    if (!tip) return tip.error();
    if (*tip) refs.emplace(name, std::move(**tip));
  }
  return refs;
}

std::vector<std::string> StoredTips(const std::map<std::string, std::string>& refs) {
  std::set<std::string> tips;
  for (const auto& entry : refs) tips.insert(entry.second);
  return {tips.begin(), tips.end()};
}

detect::CommitFacts FactsOf(const git::CommitData& commit) {
  return detect::CommitFacts{commit.oid,     static_cast<int>(commit.parents.size()),
                             commit.message, commit.author_email,
                             commit.time,    commit.trailers};
}

// Emails, lower-cased and trimmed, each once, in the order found.
class AuthorList {
 public:
  void AddFrom(const git::CommitData& commit) {
    set_.AddCommitAuthor(commit.author_email);
    for (const std::string& email : detect::CoAuthorEmails(commit.message)) {
      set_.Add(email);
    }
  }
  detect::AuthorSet& Set() { return set_; }

 private:
  detect::AuthorSet set_;
};

// DESIGN §5: a merge belongs to whoever wrote the commits it brings (P1..P2),
// not to whoever pressed the button; a squash to its author and co-authors.
// `members` gets the oids of a merge's P1..P2 (their notes are the PR's).
Status AuthorsOf(git::Repo& repo, const git::CommitData& commit,
                 const detect::ForgeMarker& marker, std::vector<std::string>* members,
                 AuthorList* authors) {
  if (!marker.is_merge || commit.parents.size() < 2) {
    authors->AddFrom(commit);
    return {};
  }
  Result<std::vector<git::CommitData>> range =
      repo.Range(commit.parents[0], commit.parents[1], kMergeRangeLimit);
  if (!range) return range.error();
  // Oldest first, so that whoever started the branch leads the list.
  for (auto it = range->rbegin(); it != range->rend(); ++it) {
    authors->AddFrom(*it);
    members->push_back(it->oid);
  }
  return {};
}

// The subjects a squash's body lists ("* Add the index", as GitHub and
// Bitbucket write them): the commits it folded.
std::vector<std::string> ListedSubjects(std::string_view message) {
  std::vector<std::string> subjects;
  size_t at = message.find('\n');
  while (at != std::string_view::npos) {
    size_t end = message.find('\n', at + 1);
    std::string_view line = message.substr(at + 1, end == std::string_view::npos
                                                        ? std::string_view::npos
                                                        : end - at - 1);
    if (line.starts_with("* ") && line.size() > 2) subjects.emplace_back(line.substr(2));
    at = end;
  }
  return subjects;
}

// The event for one new mainline commit, or nullopt when it is no PR or not
// the user's. The diff is read last: most commits stop before it.
Result<std::optional<Event>> EventFor(git::Repo& repo, const git::CommitData& commit,
                                      const DetectRules& rules, int* unclaimed) {
  std::optional<detect::ForgeMarker> marker =
      detect::ClassifyCommit(FactsOf(commit), rules.Options());
  if (!marker) return std::optional<Event>();
  std::vector<std::string> members;
  AuthorList list;
  if (Status read = AuthorsOf(repo, commit, *marker, &members, &list); !read) {
    return read.error();
  }
  std::vector<std::string> commit_authors = list.Set().TakeCommitAuthors();
  std::vector<std::string> authors = list.Set().Take();
  if (!detect::IsUsersPr(commit_authors, authors, rules.identities, rules.coauthor)) {
    if (!rules.unclaimed_email.empty() &&
        detect::IsUsersPr(commit_authors, authors, {rules.unclaimed_email},
                          rules.coauthor)) {
      ++*unclaimed;
    }
    return std::optional<Event>();
  }
  auto diff = repo.DiffAgainstFirstParent(commit.oid);
  if (!diff) return diff.error();
  // When it landed, which for a squash or rebase is not when it was written.
  Event event = PrMergedEvent(commit.oid, std::move(*marker), std::move(authors),
                              commit.commit_time);
  event.diffstat = diff->first;
  event.paths = std::move(diff->second);
  members.push_back(commit.oid);
  event.member_commits = std::move(members);
  event.member_subjects = ListedSubjects(commit.message);
  return std::optional<Event>(std::move(event));
}

// One scan's walks over the refs that moved. Every commit is judged once,
// however many refs bring it (main and origin/main after a pull).
class MainlineWalks {
 public:
  MainlineWalks(git::Repo& repo, const DetectRules& rules,
                std::vector<std::string> hide, size_t limit)
      : repo_(repo), rules_(rules), hide_(std::move(hide)), limit_(limit) {}

  Status Walk(const std::string& tip) {
    auto commits = repo_.NewFirstParentCommits(tip, hide_, limit_);
    if (!commits) return commits.error();
    for (auto it = commits->rbegin(); it != commits->rend(); ++it) {
      if (!judged_.insert(it->oid).second) continue;
      Result<std::optional<Event>> event = EventFor(repo_, *it, rules_, &unclaimed_);
      if (!event) return event.error();
      if (*event) events_.push_back(std::move(**event));
    }
    return {};
  }

  // The events found, oldest first across all refs.
  std::vector<Event> TakeEvents() {
    std::stable_sort(
        events_.begin(), events_.end(),
        [](const Event& a, const Event& b) { return a.commit_time < b.commit_time; });
    return std::move(events_);
  }

 private:
  git::Repo& repo_;
  const DetectRules& rules_;
  std::vector<std::string> hide_;
  size_t limit_;
  std::set<std::string> judged_;
  std::vector<Event> events_;

 public:
  int unclaimed() const { return unclaimed_; }

 private:
  int unclaimed_ = 0;
};

}  // namespace

Event PrMergedEvent(std::string oid, detect::ForgeMarker marker,
                    std::vector<std::string> authors, int64_t commit_time) {
  Event event;
  event.kind = EventKind::kPrMerged;
  event.key = oid;
  event.commit = std::move(oid);
  event.forge = std::move(marker.forge);
  event.pr = marker.number;
  event.title = std::move(marker.title);
  event.branch = std::move(marker.branch);
  event.authors = std::move(authors);
  event.commit_time = commit_time;
  return event;
}

Result<ScanOutcome> ScanRefs(git::Repo& repo,
                             const std::map<std::string, std::string>& previous,
                             bool has_baseline, const DetectRules& rules,
                             size_t walk_limit, int64_t now) {
  Result<std::map<std::string, std::string>> mainlines = ReadFollowedRefs(repo, rules);
  if (!mainlines) return mainlines.error();
  Result<std::map<std::string, std::string>> incidents = ReadIncidentRefs(repo, rules);
  if (!incidents) return incidents.error();
  ScanOutcome outcome;
  outcome.refs = *mainlines;
  outcome.refs.insert(incidents->begin(), incidents->end());
  if (!has_baseline) {
    outcome.baseline = true;
    return outcome;
  }
  std::map<std::string, std::string> stored_mainlines;
  for (const std::string& name : FollowedRefNames(rules)) {
    if (auto it = previous.find(name); it != previous.end()) {
      stored_mainlines.insert(*it);
    }
  }
  // With no stored mainline tip there is nothing to hide: walking would
  // report the whole history (a repo that was empty, or had no mainline,
  // when first watched, then fetched). The first tips seen are the baseline.
  if (stored_mainlines.empty()) {
    outcome.baseline = true;
    return outcome;
  }
  // Hiding every stored tip, not just this ref's old one, keeps a commit that
  // was already on some mainline from being reported again via another ref.
  std::vector<std::string> before = StoredTips(stored_mainlines);
  MainlineWalks walks(repo, rules, before, walk_limit);
  for (const auto& [name, tip] : *mainlines) {
    auto old = previous.find(name);
    if (old != previous.end() && old->second == tip) continue;
    if (Status s = walks.Walk(tip); !s) return s.error();
  }
  outcome.events = walks.TakeEvents();
  outcome.unclaimed_prs = walks.unclaimed();
  Result<std::vector<Event>> closed =
      ClosedIncidents(repo, previous, outcome.refs, before, StoredTips(*mainlines),
                      rules, now ? now : static_cast<int64_t>(std::time(nullptr)));
  if (!closed) return closed.error();
  for (Event& e : *closed) outcome.events.push_back(std::move(e));
  FoldIncidentPrs(&outcome.events);
  return outcome;
}

}  // namespace brag
