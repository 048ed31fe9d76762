// One detection pass over a repo: compare its branch tips with the stored ref
// state and turn what is new on a mainline into events (DESIGN §5).
// Uses git/ for reading and detect/ for classifying; touches no journal.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "detect/forge_marker.h"
#include "git/repo.h"
#include "model/records.h"

namespace brag {

struct DetectRules {
  std::vector<std::string> mainlines;   // branch names: "main", "master", ...
  std::vector<std::string> remotes;     // "origin", "upstream"
  std::vector<std::string> identities;  // user emails (any case)
  // The email git commits with in this repo (its user.email) when it is none
  // of `identities`: PRs by it are counted (ScanOutcome::unclaimed_prs), not
  // prompted, so that the user can be told. "" when there is none.
  std::string unclaimed_email;
  std::vector<std::string> incident_globs;  // "incident/*", "hotfix/*", ...
  // `[detect] long_lived`: a merge of such a branch is a sync, not a PR.
  std::vector<std::string> long_lived = detect::DetectOptions::DefaultLongLived();
  // `[detect] coauthor`: whether a PR the user only co-authored counts.
  detect::CoauthorRule coauthor = detect::CoauthorRule::kPrompt;

  detect::DetectOptions Options() const {
    return detect::DetectOptions{mainlines, long_lived, remotes};
  }
};

struct ScanOutcome {
  // The refs brag follows now: refs/heads/<mainline> and
  // refs/remotes/<remote>/<mainline> that exist, and the incident branches
  // (local and remote-tracking). Persist this as the new state.
  std::map<std::string, std::string> refs;
  // The user's PRs newly on a mainline, each once even when several refs
  // brought it (same commit via main and origin/main), oldest first; then the
  // user's incidents closed since `previous`.
  std::vector<Event> events;
  // True when `previous` was empty and no events were looked for (baseline).
  bool baseline = false;
  // PRs newly on a mainline by DetectRules::unclaimed_email: work of the
  // user's, perhaps, under an email brag does not count.
  int unclaimed_prs = 0;
};

// A PR event as every detection pass (bragd's, `brag scan`'s) fills it; the
// caller adds the diffstat and paths when it wants them.
Event PrMergedEvent(std::string oid, detect::ForgeMarker marker,
                    std::vector<std::string> authors, int64_t commit_time);

// With `has_baseline` false, or no stored tip at all (a repo empty when first
// watched), records the current tips and reports nothing.
// Otherwise, for every followed ref whose tip changed (or that is new), walks
// the first-parent chain from the new tip, hiding every previously stored tip,
// classifies each commit, and keeps the user's. Events are filled except id,
// repo_id and created. At most `walk_limit` commits per ref. `now` (unix
// seconds; 0: the clock) is when closed incidents closed.
Result<ScanOutcome> ScanRefs(git::Repo& repo,
                             const std::map<std::string, std::string>& previous,
                             bool has_baseline, const DetectRules& rules,
                             size_t walk_limit = 5000, int64_t now = 0);

}  // namespace brag
