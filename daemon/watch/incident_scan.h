// Incident and hotfix branches (DESIGN §5): which refs are incidents, and
// which incidents a scan found closed. Used by ScanRefs; no journal here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "git/reflog.h"
#include "git/repo.h"
#include "model/records.h"
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

// An incident branch seen other than through its ref, which may be gone by
// the time a scan looks (born and closed while bragd was down): in a commit
// a hook recorded on it, or in the HEAD reflog.
struct IncidentSighting {
  std::string name;  // the branch name
  std::string tip;   // the latest commit seen on it
  std::string base;  // where HEAD was when it was first checked out ("" unknown)
};

// The incident branches of HEAD reflog `entries` (oldest first) at or after
// `since`, each once (first base, latest tip), in the order first seen.
// `*branch` is the branch HEAD was on before the first entry ("" unknown)
// and is left on the branch it is on after the last, for the next chunk.
std::vector<IncidentSighting> ReflogSightings(const std::vector<git::ReflogEntry>& entries,
                                              int64_t since, const DetectRules& rules,
                                              std::string* branch);

// The user's incidents among `sightings` that no ref state ever held and
// that are closed now: named by neither a ref of `previous` (the live path,
// ClosedIncidents, has those) nor one of `current` (still open, or reopened),
// no branch now (one made after `current` was read is open), with commits
// still in the repo, and either on a mainline now (merged) or, unmerged, not
// renamed to an incident open now.
// Events as ClosedIncidents makes them (same key: IncidentKey(name, first
// commit), the commits walked from the tip hiding the stored mainline tips
// and the sighting's base), so the journal records each once, whichever
// path finds it.
Result<std::vector<Event>> MissedIncidents(git::Repo& repo,
                                           const std::vector<IncidentSighting>& sightings,
                                           const std::map<std::string, std::string>& previous,
                                           const std::map<std::string, std::string>& current,
                                           const DetectRules& rules, int64_t now);

}  // namespace brag
