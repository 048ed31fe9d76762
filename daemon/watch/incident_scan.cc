#include "watch/incident_scan.h"

#include <fnmatch.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <set>

#include "detect/author_set.h"
#include "detect/forge_marker.h"

namespace brag {
namespace {

// An incident branch is short; its commits are read only this far back.
constexpr size_t kIncidentCommitLimit = 1000;

// refname -> tip, grouped by incident name.
using Grouped = std::map<std::string, std::map<std::string, std::string>>;

Grouped ByIncident(const std::map<std::string, std::string>& refs,
                   const DetectRules& rules) {
  Grouped out;
  for (const auto& [ref, tip] : refs) {
    std::string name = IncidentName(ref, rules);
    if (!name.empty()) out[name][ref] = tip;
  }
  return out;
}

// The local branch's tip when there is one: it is what the user worked on.
std::string PreferredTip(const std::map<std::string, std::string>& refs) {
  for (const auto& [ref, tip] : refs) {
    if (ref.starts_with("refs/heads/")) return tip;
  }
  return refs.begin()->second;
}

Result<bool> OnAMainline(git::Repo& repo, const std::string& tip,
                         const std::vector<std::string>& mainline_now) {
  for (const std::string& m : mainline_now) {
    Result<bool> reached = repo.IsAncestor(tip, m);
    if (!reached) return reached.error();
    if (*reached) return true;
  }
  return false;
}

// The incident's event if it holds a commit of the user's; nullopt if not,
// or if its commits are gone (a deleted branch already garbage-collected).
std::optional<Event> IncidentEvent(git::Repo& repo, const std::string& name,
                                   const std::string& tip, bool merged,
                                   const std::vector<std::string>& mainline_before,
                                   const DetectRules& rules, int64_t now) {
  Result<std::vector<git::CommitData>> commits =
      repo.NewFirstParentCommits(tip, mainline_before, kIncidentCommitLimit);
  if (!commits || commits->empty()) return std::nullopt;
  Event e;
  bool mine = false;
  e.opened = std::numeric_limits<int64_t>::max();
  detect::AuthorSet authors;
  for (const git::CommitData& c : *commits) {
    std::vector<std::string> emails = detect::CoAuthorEmails(c.message);
    emails.insert(emails.begin(), c.author_email);
    for (const std::string& email : emails) {
      mine = mine || detect::IsIdentity(email, rules.identities);
      authors.Add(email);
    }
    e.opened = std::min(e.opened, c.time);
  }
  if (!mine) return std::nullopt;
  e.authors = authors.Take();
  e.kind = EventKind::kIncidentClosed;
  e.key = IncidentKey(name, commits->back().oid);
  e.commit = tip;
  e.forge = "";
  e.title = name;
  e.branch = name;
  e.commit_time = now;
  e.commit_count = static_cast<int>(commits->size());
  e.merged = merged;
  if (auto diff = repo.DiffAgainstFirstParent(tip)) {
    e.diffstat = diff->first;
    e.paths = diff->second;
  }
  return e;
}

// Whether an incident that vanished with `tip` lives on under another
// incident name that holds `tip`: `git branch -m` (which may show as the new
// name appearing a moment before the old one goes), or work that went on
// from it on another incident branch.
Result<bool> RenamedTo(git::Repo& repo, const std::string& tip, const Grouped& after) {
  for (const auto& [name, refs] : after) {
    for (const auto& [ref, t] : refs) {
      Result<bool> holds = repo.IsAncestor(tip, t);
      if (!holds) return holds.error();
      if (*holds) return true;
    }
  }
  return false;
}

}  // namespace

std::string IncidentKey(const std::string& name, const std::string& first_commit) {
  return name + "@" + first_commit;
}

std::string IncidentName(const std::string& refname, const DetectRules& rules) {
  std::string name;
  if (refname.starts_with("refs/heads/")) {
    name = refname.substr(11);
  } else {
    for (const std::string& remote : rules.remotes) {
      std::string prefix = "refs/remotes/" + remote + "/";
      if (refname.starts_with(prefix)) name = refname.substr(prefix.size());
    }
  }
  if (name.empty()) return "";
  return IsIncidentBranch(name, rules.incident_globs) ? name : "";
}

bool IsIncidentBranch(const std::string& name, const std::vector<std::string>& globs) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
  });
}

void FoldIncidentPrs(std::vector<Event>* events) {
  std::vector<Event>& all = *events;
  std::vector<bool> folded(all.size(), false);
  for (Event& incident : all) {
    if (incident.kind != EventKind::kIncidentClosed || !incident.merged) continue;
    for (size_t i = 0; i < all.size(); ++i) {
      const Event& pr = all[i];
      if (folded[i] || pr.kind != EventKind::kPrMerged || pr.branch != incident.branch)
        continue;
      incident.forge = pr.forge;
      incident.pr = pr.pr;
      incident.title = pr.title;
      incident.commit = pr.commit;
      incident.diffstat = pr.diffstat;
      incident.paths = pr.paths;
      detect::AuthorSet authors;
      for (const std::string& email : incident.authors) authors.Add(email);
      for (const std::string& email : pr.authors) authors.Add(email);
      incident.authors = authors.Take();
      folded[i] = true;
      break;
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (folded[i]) continue;
    if (kept != i) all[kept] = std::move(all[i]);
    ++kept;
  }
  all.resize(kept);
}

Result<std::map<std::string, std::string>> ReadIncidentRefs(git::Repo& repo,
                                                            const DetectRules& rules) {
  // Asked glob by glob, not by listing every branch: this runs on every ref
  // change, and a repo may have thousands of remote branches.
  std::vector<std::string> prefixes = {"refs/heads/"};
  for (const std::string& remote : rules.remotes) {
    prefixes.push_back("refs/remotes/" + remote + "/");
  }
  std::map<std::string, std::string> out;
  for (const std::string& prefix : prefixes) {
    for (const std::string& glob : rules.incident_globs) {
      Result<std::map<std::string, std::string>> refs = repo.BranchRefs(prefix + glob);
      if (!refs) return refs.error();
      out.insert(refs->begin(), refs->end());
    }
  }
  return out;
}

Result<std::vector<Event>> ClosedIncidents(
    git::Repo& repo, const std::map<std::string, std::string>& previous,
    const std::map<std::string, std::string>& current,
    const std::vector<std::string>& mainline_before,
    const std::vector<std::string>& mainline_now, const DetectRules& rules,
    int64_t now) {
  std::vector<Event> events;
  Grouped before = ByIncident(previous, rules);
  Grouped after = ByIncident(current, rules);
  for (const auto& [name, old_refs] : before) {
    auto still = after.find(name);
    std::string tip;
    bool merged = false;
    if (still == after.end()) {  // deleted everywhere (or pruned after a fetch)
      tip = PreferredTip(old_refs);
      Result<bool> renamed = RenamedTo(repo, tip, after);
      if (!renamed) return renamed.error();
      if (*renamed) continue;  // it lives on under its new name
      Result<bool> on = OnAMainline(repo, tip, mainline_now);
      merged = on && *on;
    } else {
      for (const auto& [ref, t] : still->second) {
        Result<bool> on = OnAMainline(repo, t, mainline_now);
        if (!on) return on.error();
        if (*on) {
          tip = t;
          merged = true;
          break;
        }
      }
      if (tip.empty()) continue;  // still open
    }
    std::optional<Event> e =
        IncidentEvent(repo, name, tip, merged, mainline_before, rules, now);
    if (e) events.push_back(std::move(*e));
  }
  return events;
}

namespace {

// Which branch a HEAD reflog entry leaves HEAD on, when it moves HEAD to
// another branch ("" when detached); nullopt when HEAD stays on its branch.
std::optional<std::string> BranchAfter(const std::string& message) {
  static const std::string kCheckout = "checkout: moving from ";
  static const std::string kRenamed = "Branch: renamed refs/heads/";
  static const std::string kRebaseDone = "rebase (finish): returning to refs/heads/";
  if (message.starts_with(kCheckout)) {
    size_t to = message.rfind(" to ");
    if (to == std::string::npos || to < kCheckout.size()) return std::string();
    return message.substr(to + 4);
  }
  if (message.starts_with(kRenamed)) {
    size_t to = message.rfind(" to refs/heads/");
    if (to == std::string::npos) return std::nullopt;
    return message.substr(to + 15);
  }
  if (message.starts_with(kRebaseDone)) return message.substr(kRebaseDone.size());
  if (message.starts_with("rebase") && message.find("(start)") != std::string::npos) {
    return std::string();  // a rebase works on a detached HEAD
  }
  return std::nullopt;
}

// Whether branch `name` is there now, locally or on a followed remote.
Result<bool> RefExists(git::Repo& repo, const std::string& name, const DetectRules& rules) {
  std::vector<std::string> refs = {"refs/heads/" + name};
  for (const std::string& remote : rules.remotes) {
    refs.push_back("refs/remotes/" + remote + "/" + name);
  }
  for (const std::string& ref : refs) {
    Result<std::optional<std::string>> tip = repo.RefTip(ref);
    if (!tip) return tip.error();
    if (*tip) return true;
  }
  return false;
}

}  // namespace

std::vector<IncidentSighting> ReflogSightings(const std::vector<git::ReflogEntry>& entries,
                                              int64_t since, const DetectRules& rules,
                                              std::string* branch) {
  std::vector<IncidentSighting> out;
  std::map<std::string, size_t> index;
  for (const git::ReflogEntry& e : entries) {
    bool moved_to = false;
    if (std::optional<std::string> next = BranchAfter(e.message)) {
      moved_to = *next != *branch;
      *branch = *next;
    }
    // While HEAD is on a branch, every entry but a checkout moves that branch.
    if (e.time < since || branch->empty() ||
        !IsIncidentBranch(*branch, rules.incident_globs)) {
      continue;
    }
    auto [it, added] = index.emplace(*branch, out.size());
    if (added) out.push_back({*branch, e.new_oid, moved_to ? e.old_oid : ""});
    IncidentSighting& s = out[it->second];
    s.tip = e.new_oid;
    if (s.base.empty() && moved_to) s.base = e.old_oid;
  }
  return out;
}

Result<std::vector<Event>> MissedIncidents(git::Repo& repo,
                                           const std::vector<IncidentSighting>& sightings,
                                           const std::map<std::string, std::string>& previous,
                                           const std::map<std::string, std::string>& current,
                                           const DetectRules& rules, int64_t now) {
  std::vector<Event> events;
  std::vector<std::string> mainline_before;
  std::vector<std::string> mainline_now;
  for (const auto& [ref, tip] : previous) {
    if (IncidentName(ref, rules).empty()) mainline_before.push_back(tip);
  }
  for (const auto& [ref, tip] : current) {
    if (IncidentName(ref, rules).empty()) mainline_now.push_back(tip);
  }
  if (mainline_before.empty()) return events;  // no baseline to tell new from old
  Grouped before = ByIncident(previous, rules);
  Grouped after = ByIncident(current, rules);
  std::set<std::string> done;
  for (const IncidentSighting& s : sightings) {
    if (!IsIncidentBranch(s.name, rules.incident_globs) || before.count(s.name) ||
        after.count(s.name) || !done.insert(s.name).second) {
      continue;
    }
    if (!repo.Commit(s.tip)) continue;  // gone (garbage-collected), or not a commit
    // Made after this scan read the refs: open, and the next scan follows it.
    Result<bool> exists = RefExists(repo, s.name, rules);
    if (!exists) return exists.error();
    if (*exists) continue;
    Result<bool> on = OnAMainline(repo, s.tip, mainline_now);
    if (!on) return on.error();
    if (!*on) {
      // Unmerged and gone: closed, unless it lives on under another name.
      // (A merged one is closed whatever branches were made from it since.)
      Result<bool> renamed = RenamedTo(repo, s.tip, after);
      if (!renamed) return renamed.error();
      if (*renamed) continue;
    }
    std::vector<std::string> hide = mainline_before;
    if (!s.base.empty()) hide.push_back(s.base);
    std::optional<Event> e = IncidentEvent(repo, s.name, s.tip, *on, hide, rules, now);
    if (e) events.push_back(std::move(*e));
  }
  return events;
}

}  // namespace brag
