// `brag scan`: the PRs already in a repo's history, found with the daemon's
// classifier (detect::ClassifyCommit, DESIGN §5) in one pass over the
// history. Uses git/ for reading and detect/ for classifying; no journal.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "detect/forge_marker.h"
#include "git/history_graph.h"
#include "git/repo.h"
#include "model/records.h"

namespace brag {

struct HistoryQuery {
  std::string branch;                  // a revision to walk; "": the repo's mainline
  std::optional<int64_t> since;        // commit time, inclusive, unix seconds
  std::optional<int64_t> until;        // exclusive
  std::vector<std::string> mainlines;  // branch names: "main", "master", ...
  std::vector<std::string> remotes;    // "origin", "upstream"
  // Whose PRs (any email of a PR's authors, any case); empty: everyone's.
  std::vector<std::string> identities;
  // Incident branch globs ("hotfix/*"): a merge of one is an incident closed.
  std::vector<std::string> incident_globs;
  // `[detect] long_lived` and `[detect] coauthor`, as DetectRules has them.
  std::vector<std::string> long_lived = detect::DetectOptions::DefaultLongLived();
  detect::CoauthorRule coauthor = detect::CoauthorRule::kPrompt;
};

struct ScanProgress {
  size_t commits = 0;  // read so far
  size_t prs = 0;      // PRs found so far, anyone's
};
using ScanProgressFn = std::function<void(const ScanProgress&)>;

struct HistoryScan {
  std::string ref;  // what was walked: "refs/heads/main", "HEAD" or --branch
  std::string tip;  // its commit
  ScanProgress totals;
  // The matching PRs, oldest first. Filled as ScanRefs fills events, except
  // id, repo_id, created, diffstat and paths (see AddDiffstats).
  std::vector<Event> events;
};

// The ref a scan walks by default: the first of `mainlines` that exists as
// refs/heads/<name>, else as refs/remotes/<remote>/<name> (remotes in
// order), else HEAD. `branch`, when given, is resolved as a revision
// instead. Returns {ref, tip oid}; code "not_found" when there is none.
Result<std::pair<std::string, std::string>> ScanTip(git::Repo& repo,
                                                    const HistoryQuery& query);

// The events of a history read by Repo::ReadHistory, from its tip's
// first-parent chain: each chain commit classified as ScanRefs classifies
// it, a merge's authors taken from all of P1..P2. A merge of an incident
// branch (query.incident_globs) is that incident closed, merged, as bragd
// records it: its commits are P2's first-parent chain within P1..P2 (an
// incident deleted unmerged leaves no trace in history). One pass: every
// commit's P1..P2 membership comes from marking the in-memory graph, oldest
// chain commit first, so no commit is visited twice. `prs` counts the PRs
// found, anyone's.
std::vector<Event> HistoryEvents(const git::History& history, const HistoryQuery& query,
                                 size_t* prs = nullptr);

// ScanTip, ReadHistory and HistoryEvents. `progress` may be empty.
Result<HistoryScan> ScanHistory(git::Repo& repo, const HistoryQuery& query,
                                const ScanProgressFn& progress = {});

// Fills each event's diffstat and paths, as the daemon records them.
Status AddDiffstats(git::Repo& repo, std::vector<Event>* events);

}  // namespace brag
