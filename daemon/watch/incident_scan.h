// Incident and hotfix branches (DESIGN §5): which refs are incidents, and
// which incidents a scan found closed. Used by ScanRefs; no journal here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "git/repo.h"
#include "journal/records.h"
#include "watch/ref_scan.h"

namespace brag {

// The incident a ref stands for: the branch name, without "refs/heads/" or
// "refs/remotes/<remote>/" (so local and remote copies are one incident),
// when it matches one of rules.incident_globs; "" otherwise.
std::string IncidentName(const std::string& refname, const DetectRules& rules);

// An incident's key in the journal: its name and its first commit (the
// oldest of its first-parent chain off the mainline), so the local and
// remote copies are one incident while a branch name used again for a later
// incident is a new one.
std::string IncidentKey(const std::string& name, const std::string& first_commit);

// Whether a branch name (no refs/ prefix) matches one of `globs` ('*'
// matches '/' too, as in IncidentName).
bool IsIncidentBranch(const std::string& name, const std::vector<std::string>& globs);

// One event for an incident that landed as a PR: each merged incident of
// `events` whose branch is the source branch of a PR event among them takes
// that PR's forge, number, title, commit, diffstat and paths (its authors
// are joined), and the PR event is dropped. The user is asked once, about the
// incident, and the journal's PR dedupe still knows the PR.
void FoldIncidentPrs(std::vector<Event>* events);

// The repo's incident refs now: refname -> tip.
Result<std::map<std::string, std::string>> ReadIncidentRefs(git::Repo& repo,
                                                            const DetectRules& rules);

// Incidents open in `previous` and closed in `current` — every ref of the
// incident deleted, or a tip reachable from a mainline tip in `current` —
// that hold a commit of the user's. `mainline_before` are the stored
// mainline tips (commits reachable from them were not the incident's).
Result<std::vector<Event>> ClosedIncidents(
    git::Repo& repo, const std::map<std::string, std::string>& previous,
    const std::map<std::string, std::string>& current,
    const std::vector<std::string>& mainline_before,
    const std::vector<std::string>& mainline_now, const DetectRules& rules,
    int64_t now);

}  // namespace brag
